"""Exit codes for each kind of failure, one-line errors, and secrets never shown."""

from __future__ import annotations

import io
import socket
import sys

import pytest

from mautic_async.cli import ExitCode, main

from .conftest import PASSWORD, SECRETS, USER, Cli, ThreadedEmulator


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def one_line(err: str) -> str:
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert err.startswith("mautic-async: error: ")
    return err[len("mautic-async: error: ") : -1]


def test_exit_codes_are_documented() -> None:
    assert [code.value for code in ExitCode] == [0, 1, 2, 3, 4, 5, 6, 7]


def test_not_found(cli: Cli) -> None:
    result = cli("get", "999")
    assert (result.code, result.out) == (ExitCode.NOT_FOUND, "")
    assert one_line(result.err) == (
        "Item was not found. (the server answered 404 to GET /api/points/groups/999)"
    )


def test_validation_by_mautic(cli: Cli) -> None:
    result = cli("create", "--name", "<b></b>")
    assert result.code == ExitCode.INVALID
    assert one_line(result.err) == (
        "name: A name is required. (the server answered 400 to POST /api/points/groups/new)"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["get", "0"], "id must be a positive int"),
        (["create", "--description", "no name"], "name is required"),
        (["scores", "divide", "1", "1", "0"], "cannot divide a score by 0"),
    ],
)
def test_validation_before_sending(
    cli: Cli, emulator: ThreadedEmulator, argv: list[str], message: str
) -> None:
    result = cli(*argv)
    assert result.code == ExitCode.INVALID
    assert message in one_line(result.err)
    assert emulator.emu.requests == []


def test_wrong_password(cli: Cli, emulator: ThreadedEmulator) -> None:
    env = {"MAUTIC_URL": emulator.url, "MAUTIC_USERNAME": USER, "MAUTIC_PASSWORD": "nope-wrong"}
    result = cli("list", env=env)
    assert result.code == ExitCode.AUTH
    assert one_line(result.err) == (
        "Authorization denied, invalid credentials. "
        "(the server answered 401 to GET /api/points/groups)"
    )


def test_api_disabled(cli: Cli, emulator: ThreadedEmulator) -> None:
    emulator.emu.settings.api_enabled = False
    result = cli("list")
    assert result.code == ExitCode.AUTH
    line = one_line(result.err)
    assert line.startswith("API disabled.")
    assert line.endswith("(the server answered 403 to GET /api/points/groups)")


def test_rate_limited(cli: Cli, emulator: ThreadedEmulator) -> None:
    emulator.call(emulator.emu.faults.add, "GET", "/api/points/groups", status=429, retry_after=30)
    result = cli("list", "--max-retries", "0")
    assert result.code == ExitCode.RATE_LIMITED
    line = one_line(result.err)
    assert "(the server answered 429 to GET /api/points/groups)" in line
    assert line.endswith("(retry after 30 s)")


def test_server_error(cli: Cli, emulator: ThreadedEmulator) -> None:
    emulator.call(emulator.emu.faults.add, "POST", "/api/points/groups/new", status=500)
    result = cli("create", "--name", "A")
    assert result.code == ExitCode.UNAVAILABLE
    assert one_line(result.err).endswith("(the server answered 500 to POST /api/points/groups/new)")


def test_unexpected_answer(cli: Cli, emulator: ThreadedEmulator) -> None:
    emulator.call(emulator.emu.faults.add, "GET", "/api/points/groups/1", status=200, body="<html>")
    result = cli("get", "1")
    assert result.code == ExitCode.UNAVAILABLE
    assert "<html>" in one_line(result.err)


def test_connection_refused(cli: Cli) -> None:
    result = cli("get", "1", "--url", f"http://127.0.0.1:{closed_port()}", "--max-retries", "0")
    assert result.code == ExitCode.UNAVAILABLE
    assert "could not connect" in one_line(result.err)


def test_other_status_is_generic(cli: Cli, emulator: ThreadedEmulator) -> None:
    emulator.call(emulator.emu.faults.add, "GET", "/api/points/groups/1", status=409)
    result = cli("get", "1")
    assert result.code == ExitCode.FAILED
    assert one_line(result.err).endswith("(the server answered 409 to GET /api/points/groups/1)")


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        ([], {}, "the following arguments are required: COMMAND (see: mautic-async --help)"),
        (["nope"], {}, "argument COMMAND: invalid choice: 'nope'"),
        (["scores"], {}, "the following arguments are required: OPERATION"),
        (
            ["list", "--limit", "x"],
            {},
            "argument --limit: invalid int value: 'x' (see: mautic-async list --help)",
        ),
        (["create", "--json", "[1]"], {}, "argument --json: expected a JSON object"),
        (["create", "--json", "{"], {}, "argument --json: not valid JSON"),
        (["create", "--published", "--unpublished"], {}, "not allowed with argument"),
        (["list"], {}, "no Mautic URL: pass --url or set $MAUTIC_URL"),
        (["list", "--url", "http://127.0.0.1:9"], {}, "no credentials: pass --username"),
        (
            ["list", "--url", "http://127.0.0.1:9", "--username", "u"],
            {},
            "missing --password (or $MAUTIC_PASSWORD)",
        ),
        (
            ["list", "--url", "http://127.0.0.1:9", "--client-secret", "s"],
            {},
            "missing --client-id (or $MAUTIC_CLIENT_ID)",
        ),
        (
            ["list", "--url", "http://127.0.0.1:9", "--username", "u", "--client-id", "c"],
            {},
            "both Basic and OAuth2 credentials in the flags",
        ),
        (
            ["list", "--url", "http://127.0.0.1:9"],
            {"MAUTIC_USERNAME": "u", "MAUTIC_PASSWORD": "p", "MAUTIC_CLIENT_ID": "c"},
            "both Basic and OAuth2 credentials in the environment",
        ),
        (
            ["list", "--url", "ftp://example.com", "--username", "u", "--password", "p"],
            {},
            "must be an http(s) URL",
        ),
        (
            ["list", "--url", "http://example.com", "--username", "u", "--password", "p"],
            {},
            "refusing to send credentials over plain http to example.com",
        ),
        (
            ["edit", "1"],
            {"MAUTIC_URL": "http://127.0.0.1:9", "MAUTIC_USERNAME": "u", "MAUTIC_PASSWORD": "p"},
            "nothing to change",
        ),
        (
            ["list", "--all", "--limit", "5"],
            {"MAUTIC_URL": "http://127.0.0.1:9", "MAUTIC_USERNAME": "u", "MAUTIC_PASSWORD": "p"},
            "--all reads every page",
        ),
        (
            ["list", "--stable"],
            {"MAUTIC_URL": "http://127.0.0.1:9", "MAUTIC_USERNAME": "u", "MAUTIC_PASSWORD": "p"},
            "--page-size and --stable go with --all",
        ),
    ],
)
def test_usage_errors(cli: Cli, argv: list[str], env: dict[str, str], message: str) -> None:
    result = cli(*argv, env=env)
    assert (result.code, result.out) == (ExitCode.USAGE, "")
    assert message in one_line(result.err)


def test_help_and_version(cli: Cli) -> None:
    result = cli("--help")
    assert result.code == 0
    assert "exit codes:" in result.out
    assert "  5  not found: 404" in result.out
    for command in ("list", "get", "create", "edit", "replace", "delete", "sync", "scores", "demo"):
        assert f"    {command} " in result.out
    version = cli("--version")
    assert version.code == 0
    assert version.out.startswith("mautic-async ")


def test_secrets_never_appear(cli: Cli, emulator: ThreadedEmulator) -> None:
    url = emulator.url
    runs = [
        # The environment's secrets, in help text and on failures.
        cli("--help"),
        cli("list", "--help"),
        cli("get", "999"),
        cli("list", "--url", f"http://127.0.0.1:{closed_port()}", "--max-retries", "0"),
        # A secret typed on the command line, echoed by argparse if we let it.
        cli("list", "--password", PASSWORD, "--limit", PASSWORD, env={"MAUTIC_URL": url}),
        cli("list", f"--client-secret={SECRETS[1]}", "--client-id", SECRETS[1], env={}),
        cli("list", "--pasword", PASSWORD),  # mistyped option: its value is masked
        cli("list", f"--clientsecret={SECRETS[1]}"),
        cli("scores", PASSWORD),  # the environment's secret, wherever it appears
        # Wrong credentials of both kinds.
        cli("list", "--username", USER, "--password", PASSWORD + "x", env={"MAUTIC_URL": url}),
        cli("list", "--client-id", "c", "--client-secret", SECRETS[1], env={"MAUTIC_URL": url}),
    ]
    for result in runs:
        assert result.code in (0, 2, 4, 5, 7)
        for secret in SECRETS:
            assert secret not in result.out + result.err
    assert "***" in runs[4].err
    assert runs[6].err.startswith("mautic-async: error: unrecognized arguments: --pasword ***")
    assert "$MAUTIC_PASSWORD" in runs[0].out


def test_interrupted(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupt(coro: object) -> None:
        coro.close()  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    monkeypatch.setattr("mautic_async.cli._main.asyncio.run", interrupt)
    assert main(["demo"]) == 130
    assert capsys.readouterr().err == "mautic-async: interrupted\n"


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError


def test_reader_went_away(
    cli: Cli, emulator: ThreadedEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator.add_groups("A")
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    result = cli("list")
    assert (result.code, result.err) == (ExitCode.FAILED, "")
