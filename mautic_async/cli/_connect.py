"""Connection settings from flags or environment variables, and the client they make.

Secrets never become argparse defaults (``--help`` would print them): the help text
names the environment variable instead, and its value is read only when connecting.
"""

from __future__ import annotations

import argparse
import os
import ssl
from collections.abc import Mapping, Sequence
from typing import Any

from ..auth import Auth, BasicAuth, OAuth2ClientCredentials
from ..client import MauticClient
from ._errors import UsageError

__all__ = [
    "CA_BUNDLE_ENV",
    "ENV",
    "add_connection_options",
    "auth_from_env",
    "make_client",
    "secrets_in",
]

#: Option dest -> the environment variable read when the option is not given.
ENV: Mapping[str, str] = {
    "url": "MAUTIC_URL",
    "username": "MAUTIC_USERNAME",
    "password": "MAUTIC_PASSWORD",
    "client_id": "MAUTIC_CLIENT_ID",
    "client_secret": "MAUTIC_CLIENT_SECRET",
}
#: The environment variable read when ``--ca-bundle`` is not given.
CA_BUNDLE_ENV = "MAUTIC_CA_BUNDLE"
_SECRET_DESTS = ("password", "client_secret")
_HELP = {
    "url": "Mautic's base URL, e.g. https://mautic.example.com",
    "username": "Basic auth user name",
    "password": "Basic auth password (prefer the environment variable)",
    "client_id": "OAuth2 client-credentials client id",
    "client_secret": "OAuth2 client secret (prefer the environment variable)",
}


def _flag(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def add_connection_options(parser: argparse.ArgumentParser, default: Any) -> None:
    """Add ``--url``, the credential options, ``--ca-bundle``, ``--timeout``,
    ``--max-retries`` and ``--allow-insecure-http``.

    The top-level parser passes ``default=None``; each noun and each command passes
    ``argparse.SUPPRESS``, so an option given at a later position (between noun and
    verb, or after the verb) overrides one given before it, and leaving it out there
    does not erase it.
    """
    group = parser.add_argument_group("connection (flags override environment variables)")
    for dest, env in ENV.items():
        metavar = dest.upper() if dest not in _SECRET_DESTS else "SECRET"
        group.add_argument(
            _flag(dest), dest=dest, default=default, metavar=metavar, help=f"{_HELP[dest]} [${env}]"
        )
    group.add_argument(
        "--ca-bundle",
        default=default,
        metavar="PATH",
        help=f"PEM file of the CA(s) to trust, for a server with a private CA [${CA_BUNDLE_ENV}]",
    )
    group.add_argument(
        "--timeout", type=float, default=default, metavar="SECONDS", help="per request (60)"
    )
    group.add_argument(
        "--max-retries", type=int, default=default, metavar="N", help="retries per request (2)"
    )
    group.add_argument(
        "--allow-insecure-http",
        action="store_true",
        default=default if default is argparse.SUPPRESS else False,
        help="send credentials over plain http to a host that is not loopback",
    )


def secrets_in(argv: Sequence[str], environ: Mapping[str, str]) -> set[str]:
    """Every secret the command line or environment holds, to mask in messages.

    Found by scanning ``argv`` rather than parsing it, so an error in parsing itself
    is masked as well.
    """
    found = {environ.get(ENV[dest], "") for dest in _SECRET_DESTS}
    flags = [_flag(dest) for dest in _SECRET_DESTS]
    for index, token in enumerate(argv):
        for flag in flags:
            if token == flag and index + 1 < len(argv):
                found.add(argv[index + 1])
            elif token.startswith(flag + "="):
                found.add(token[len(flag) + 1 :])
    return {secret for secret in found if secret}


def _auth(args: argparse.Namespace, environ: Mapping[str, str]) -> Auth:
    """Basic or client credentials. Flags win over the environment (a missing half
    of a pair is taken from it); both kinds in one source is refused, not guessed."""
    dests = ("username", "password", "client_id", "client_secret")
    flags = {dest: getattr(args, dest, None) for dest in dests}
    env = {dest: environ.get(ENV[dest]) or None for dest in dests}
    for source, where in ((flags, "flags"), (env, "environment")):
        basic = source["username"] is not None or source["password"] is not None
        oauth = source["client_id"] is not None or source["client_secret"] is not None
        if basic and oauth:
            raise UsageError(
                f"both Basic and OAuth2 credentials in the {where}: use --username and "
                "--password, or --client-id and --client-secret, not both"
            )
        if not (basic or oauth):
            continue
        pair = ("username", "password") if basic else ("client_id", "client_secret")
        first, second = (flags[d] or env[d] for d in pair)
        if not first or not second:
            dest = pair[1] if first else pair[0]
            raise UsageError(f"missing {_flag(dest)} (or ${ENV[dest]})")
        return BasicAuth(first, second) if basic else OAuth2ClientCredentials(first, second)
    raise UsageError(
        "no credentials: pass --username and --password (or set $MAUTIC_USERNAME and "
        "$MAUTIC_PASSWORD), or --client-id and --client-secret ($MAUTIC_CLIENT_ID, "
        "$MAUTIC_CLIENT_SECRET)"
    )


def _ssl_context(args: argparse.Namespace, environ: Mapping[str, str]) -> ssl.SSLContext | None:
    """A context trusting the CAs in ``--ca-bundle`` (instead of the system's), or
    ``None`` for the default; :class:`UsageError` when the file is not a usable bundle."""
    path = getattr(args, "ca_bundle", None) or environ.get(CA_BUNDLE_ENV)
    if not path:
        return None
    try:
        return ssl.create_default_context(cafile=path)
    except FileNotFoundError:
        raise UsageError(f"--ca-bundle {path}: no such file") from None
    except (OSError, ssl.SSLError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or exc
        raise UsageError(
            f"--ca-bundle {path}: not a PEM file of CA certificates ({reason})"
        ) from None


def auth_from_env(environ: Mapping[str, str] | None = None) -> Auth:
    """The credentials the ``mautic-async`` command would use from the environment
    (default ``os.environ``): :class:`~mautic_async.BasicAuth` from
    ``MAUTIC_USERNAME``/``MAUTIC_PASSWORD``, or
    :class:`~mautic_async.OAuth2ClientCredentials` from
    ``MAUTIC_CLIENT_ID``/``MAUTIC_CLIENT_SECRET``. ``ValueError`` when neither pair is
    complete, or both kinds are set.

    >>> auth_from_env({"MAUTIC_CLIENT_ID": "1_abc", "MAUTIC_CLIENT_SECRET": "s3cret"})
    OAuth2ClientCredentials(client_id='1_abc', client_secret='***')
    """
    try:
        return _auth(argparse.Namespace(), os.environ if environ is None else environ)
    except UsageError as exc:
        raise ValueError(str(exc)) from None


def make_client(args: argparse.Namespace, environ: Mapping[str, str]) -> MauticClient:
    """The client the settings describe; :class:`UsageError` when they are incomplete."""
    url = getattr(args, "url", None) or environ.get(ENV["url"])
    if not url:
        raise UsageError(f"no Mautic URL: pass --url or set ${ENV['url']}")
    auth = _auth(args, environ)
    context = _ssl_context(args, environ)
    try:
        return MauticClient(
            url,
            auth=auth,
            timeout=getattr(args, "timeout", None),
            max_retries=getattr(args, "max_retries", None),
            allow_insecure_http=bool(getattr(args, "allow_insecure_http", False)),
            ssl=context,
        )
    except (TypeError, ValueError) as exc:
        raise UsageError(str(exc)) from None
