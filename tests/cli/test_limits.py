"""Values over a limit of Mautic's schema: refused before sending, exit code 3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mautic_async.cli import ExitCode

from .conftest import Cli, ThreadedEmulator

LONG = "x" * 256


@pytest.mark.parametrize(
    "argv",
    [
        ["create", "--name", LONG],
        ["edit", "1", "--name", LONG],
        ["replace", "1", "--json", json.dumps({"name": "&amp;" * 256})],
    ],
)
def test_a_long_name_exits_3_before_any_request(
    cli: Cli, emulator: ThreadedEmulator, argv: list[str]
) -> None:
    result = cli(*argv)
    assert (result.code, result.out) == (ExitCode.INVALID, "")
    assert result.err.startswith("mautic-async: error: ")
    assert "name is 256 characters" in result.err
    assert "at most 255" in result.err
    assert emulator.emu.requests == []


def test_sync_reports_a_long_name_failed_and_applies_the_rest(
    cli: Cli, emulator: ThreadedEmulator, tmp_path: Path
) -> None:
    path = tmp_path / "groups.json"
    path.write_text(json.dumps([{"name": "A"}, {"name": LONG}, {"name": "B"}]))
    result = cli("sync", str(path))
    assert result.code == ExitCode.FAILED
    assert [item["action"] for item in result.json["items"]] == ["created", "failed", "created"]
    assert "name is 256 characters" in result.json["items"][1]["error"]
    stored = emulator.call(lambda: emulator.emu.point_groups)
    assert sorted(g["name"] for g in stored.values()) == ["A", "B"]
