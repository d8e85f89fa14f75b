"""Run the emulator from a shell: ``python -m mautic_async.testing --port 0``.

Prints exactly one line, ``Mautic emulator listening on http://HOST:PORT``, on stdout
once connections are accepted, and serves until SIGINT or SIGTERM (exit status 0).
Secrets are never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence

from ._emulator import DEFAULT_BASIC_AUTH, DEFAULT_VERSION, MauticEmulator

__all__ = ["main", "parse_args"]


def _pair(text: str) -> tuple[str, str]:
    name, colon, secret = text.partition(":")
    if not colon or not name:
        raise argparse.ArgumentTypeError("expected NAME:SECRET")
    return name, secret


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m mautic_async.testing",
        description="Serve an emulator of Mautic's REST API on loopback.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: 0, a free port)")
    parser.add_argument(
        "--basic-auth",
        action="append",
        type=_pair,
        default=[],
        metavar="USER:PASSWORD",
        help="a Basic auth user (repeatable)",
    )
    parser.add_argument(
        "--oauth2-client",
        action="append",
        type=_pair,
        default=[],
        metavar="ID:SECRET",
        help="an OAuth2 client (repeatable)",
    )
    parser.add_argument("--token-lifetime", type=float, default=3600, help="access token seconds")
    parser.add_argument(
        "--refresh-token-lifetime", type=float, default=14 * 86400, help="refresh token seconds"
    )
    parser.add_argument("--rate-limit", type=int, default=0, help="calls per hour (0: off)")
    parser.add_argument("--batch-max-limit", type=int, default=200, help="batch item limit")
    parser.add_argument(
        "--mautic-version", default=DEFAULT_VERSION, help="Mautic version to emulate"
    )
    parser.add_argument("--api-disabled", action="store_true", help="answer 403 api_disabled")
    parser.add_argument(
        "--basic-auth-disabled", action="store_true", help="refuse Basic credentials (403)"
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Run until SIGINT or SIGTERM."""
    if not args.basic_auth and not args.oauth2_client:
        ((user, password),) = DEFAULT_BASIC_AUTH.items()
        print(
            f"No credentials given: using the emulator's Basic auth user {user!r} with "
            f"password {password!r}.",
            file=sys.stderr,
            flush=True,
        )
    emulator = MauticEmulator(
        basic_auth=dict(args.basic_auth) or None,
        oauth2_clients=dict(args.oauth2_client) or None,
        token_lifetime=args.token_lifetime,
        refresh_token_lifetime=args.refresh_token_lifetime,
        rate_limit=args.rate_limit,
        api_enabled=not args.api_disabled,
        basic_auth_enabled=not args.basic_auth_disabled,
        batch_max_limit=args.batch_max_limit,
        host=args.host,
        port=args.port,
        version=args.mautic_version,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await emulator.start()
    except OSError as exc:
        raise _BusyPort(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    try:
        print(f"Mautic emulator listening on {emulator.url}", flush=True)
        await stop.wait()
    finally:
        await emulator.stop()


class _BusyPort(Exception):
    """The address cannot be bound (in use, or not ours)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (2 when the port cannot be bound)."""
    args = parse_args(argv)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(args))
    except _BusyPort as exc:
        print(f"python -m mautic_async.testing: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
