"""Connection flags at every position, ``--ca-bundle`` over real TLS, and the exit codes
documented alike in ``--help``, the package docstring and the README."""

from __future__ import annotations

import argparse
import re
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiohttp import web

import mautic_async.cli
from mautic_async.cli import COMMANDS, ExitCode, build_parser

from .conftest import PASSWORD, USER, Cli, ThreadedEmulator

ROOT = Path(__file__).resolve().parents[2]

#: Every global option with a value to give it, and the namespace value it makes.
GLOBALS: tuple[tuple[list[str], str, Any], ...] = (
    (["--url", "http://127.0.0.1:1"], "url", "http://127.0.0.1:1"),
    (["--username", "u"], "username", "u"),
    (["--password", "p"], "password", "p"),
    (["--client-id", "c"], "client_id", "c"),
    (["--client-secret", "s"], "client_secret", "s"),
    (["--ca-bundle", "ca.pem"], "ca_bundle", "ca.pem"),
    (["--timeout", "5"], "timeout", 5.0),
    (["--max-retries", "0"], "max_retries", 0),
    (["--allow-insecure-http"], "allow_insecure_http", True),
    (["--format", "table"], "format", "table"),
)


def _leaf(parser: argparse.ArgumentParser, words: list[str]) -> argparse.ArgumentParser:
    for word in words:
        (subparsers,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = subparsers.choices[word]
    return parser


def _positionals(parser: argparse.ArgumentParser) -> list[str]:
    """A value for each required positional ("1" parses as an int and as a path)."""
    return ["1" for a in parser._actions if not a.option_strings and a.nargs is None]


@pytest.mark.parametrize("name", [command.name for command in COMMANDS])
def test_every_global_option_at_every_position_of_every_command(name: str) -> None:
    """Before the noun, between noun and verb (each level), or after the verb."""
    parser = build_parser()
    words = name.split()
    positionals = _positionals(_leaf(parser, words))
    for flag, dest, value in GLOBALS:
        for position in range(len(words) + 1):
            argv = [*words[:position], *flag, *words[position:], *positionals]
            args = parser.parse_args(argv)
            assert getattr(args, dest) == value, (name, argv)


def test_a_later_position_wins_and_leaving_it_out_keeps_the_earlier() -> None:
    parser = build_parser()
    args = parser.parse_args(
        ["--url", "http://a", "--timeout", "3", "points", "--url", "http://b", "get", "1"]
    )
    assert (args.url, args.timeout, args.format) == ("http://b", 3.0, "json")
    args = parser.parse_args(["--format", "table", "scores", "get", "1", "2"])
    assert args.format == "table"
    args = parser.parse_args(["contacts", "points", "--format", "table", "add", "1", "2"])
    assert args.format == "table"


@pytest.mark.parametrize(
    "argv",
    [
        ["points", "--url", "{url}", "--username", USER, "--format", "table", "list"],
        ["--url", "{url}", "points", "list", "--username", USER, "--format", "table"],
        ["points", "list", "--url", "{url}", "--username", USER, "--format", "table"],
    ],
)
def test_connection_flags_work_at_each_position(
    cli: Cli, emulator: ThreadedEmulator, argv: list[str]
) -> None:
    result = cli(
        *[a.replace("{url}", emulator.url) for a in argv], env={"MAUTIC_PASSWORD": PASSWORD}
    )
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[0].split() == ["id", "name", "type", "delta", "isPublished"]


def test_connection_flags_on_scores_and_contacts(cli: Cli, emulator: ThreadedEmulator) -> None:
    contact = emulator.call(emulator.emu.add_contact, "ann@example.com")
    (group,) = emulator.add_groups("Readers")
    env = {"MAUTIC_USERNAME": USER, "MAUTIC_PASSWORD": PASSWORD}
    setter = cli("scores", "--url", emulator.url, "set", str(contact), str(group), "7", env=env)
    assert (setter.code, setter.err) == (0, "")
    shown = cli("scores", "list", str(contact), "--url", emulator.url, "--format", "table", env=env)
    assert shown.code == 0
    assert shown.out.splitlines()[2].split() == [str(group), "Readers", "7"]
    added = cli("contacts", "--url", emulator.url, "points", "add", str(contact), "5", env=env)
    assert (added.code, added.json["points"]) == (0, 5)


@pytest.mark.parametrize(
    "words",
    [
        [],
        ["groups"],
        ["groups", "list"],
        ["scores"],
        ["scores", "set"],
        ["contacts"],
        ["contacts", "points"],
        ["contacts", "points", "add"],
        ["triggers", "sync"],
    ],
)
def test_help_shows_the_connection_flags_at_each_level(cli: Cli, words: list[str]) -> None:
    result = cli(*words, "--help")
    assert result.code == 0
    for flag in (
        "--url",
        "--username",
        "--client-id",
        "--ca-bundle",
        "--timeout",
        "--max-retries",
        "--allow-insecure-http",
        "--format",
    ):
        assert flag in result.out, (words, flag)
    assert "exit codes:" in result.out


# -- --ca-bundle -----------------------------------------------------------------------


@pytest.fixture
def https_url(emulator: ThreadedEmulator, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTPS server on 127.0.0.1 whose certificate a throwaway private CA signed;
    yields its URL and the CA's PEM file."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    bundle = tmp_path / "private-ca.pem"
    ca.cert_pem.write_to_path(str(bundle))

    async def group(request: web.Request) -> web.Response:
        body = {"id": 1, "name": "Over TLS", "isPublished": True, "dateAdded": "2024-10-24"}
        return web.json_response({"pointGroup": body})

    async def start() -> tuple[web.AppRunner, int]:
        app = web.Application()
        app.router.add_get("/api/points/groups/1", group)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
        await site.start()
        return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    runner, port = emulator.run(start())
    yield f"https://127.0.0.1:{port}", bundle
    emulator.run(runner.cleanup())


def test_ca_bundle_trusts_a_private_ca(cli: Cli, https_url: tuple[str, Path]) -> None:
    url, bundle = https_url
    env = {"MAUTIC_URL": url, "MAUTIC_USERNAME": USER, "MAUTIC_PASSWORD": PASSWORD}
    refused = cli("get", "1", "--max-retries", "0", env=env)
    assert refused.code == ExitCode.UNAVAILABLE
    assert "TLS failed" in refused.err
    assert "CERTIFICATE_VERIFY_FAILED" in refused.err
    trusted = cli("get", "1", "--ca-bundle", str(bundle), env=env)
    assert (trusted.code, trusted.err, trusted.json["name"]) == (0, "", "Over TLS")
    from_env = cli("groups", "get", "1", env={**env, "MAUTIC_CA_BUNDLE": str(bundle)})
    assert (from_env.code, from_env.json["name"]) == (0, "Over TLS")


def test_ca_bundle_that_is_missing_or_not_pem(cli: Cli, tmp_path: Path) -> None:
    missing = cli("get", "1", "--ca-bundle", str(tmp_path / "nope.pem"))
    assert (missing.code, missing.out) == (ExitCode.USAGE, "")
    assert f"--ca-bundle {tmp_path / 'nope.pem'}: no such file" in missing.err
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    bad = cli("get", "1", "--ca-bundle", str(junk))
    assert bad.code == ExitCode.USAGE
    assert "not a PEM file of CA certificates" in bad.err


# -- exit codes ------------------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_exit_codes_are_listed_alike_in_help_docstring_and_readme(cli: Cli) -> None:
    helps = [cli(*words, "--help").out for words in ([], ["points"], ["scores", "get"])]
    doc = _flat(mautic_async.cli.__doc__ or "")
    readme = (ROOT / "README.md").read_text("utf-8")
    for code in ExitCode:
        for text in helps:
            assert f"  {code.value}  {code.description}\n" in text
        assert _flat(f"- {code.value}: {code.description}") in doc
        assert f"| {code.value} | {code.description} |" in readme
    assert "garbled" in ExitCode.UNAVAILABLE.description


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["get", "abc"], ExitCode.USAGE),  # argparse: not an int
        (["groups", "frobnicate"], ExitCode.USAGE),  # argparse: no such verb
        (["scores", "set", "1", "2"], ExitCode.USAGE),  # argparse: VALUE missing
        (["list", "--order-by-dir", "up"], ExitCode.USAGE),  # argparse: not a choice
        (["points", "get", "0"], ExitCode.INVALID),  # the library, before sending
        (["list", "--order-by", "nosuchcolumn"], ExitCode.INVALID),  # the library
        (["triggers", "create", "--name", "<b></b>"], ExitCode.INVALID),  # Mautic: 400
    ],
)
def test_argparse_mistakes_exit_2_refused_values_exit_3(
    cli: Cli, argv: list[str], code: ExitCode
) -> None:
    result = cli(*argv)
    assert (result.code, result.out) == (code, "")
    assert re.fullmatch(r"mautic-async: error: .+\n", result.err)
