"""``sync FILE``: JSON and YAML files, the report, exit codes and the progress bar."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from mautic_async.cli import ExitCode

from .conftest import Cli, ThreadedEmulator

GROUPS = [
    {"name": "Readers", "description": "Opens newsletters"},
    {"name": "Buyers", "isPublished": False},
    {"name": "Trial"},
]


@pytest.fixture
def groups_file(tmp_path: Path) -> Path:
    path = tmp_path / "groups.json"
    path.write_text(json.dumps(GROUPS))
    return path


def test_sync_twice(cli: Cli, emulator: ThreadedEmulator, groups_file: Path) -> None:
    (existing,) = emulator.add_groups("Trial")
    first = cli("sync", str(groups_file))
    assert (first.code, first.err) == (0, "")
    assert first.json == {
        "ok": True,
        "dryRun": False,
        "rounds": 1,
        "counts": {"created": 2, "updated": 0, "unchanged": 1, "deleted": 0, "failed": 0},
        "items": [
            {"action": "created", "key": "Readers", "id": 2, "error": None},
            {"action": "created", "key": "Buyers", "id": 3, "error": None},
            {"action": "unchanged", "key": "Trial", "id": existing, "error": None},
        ],
    }
    stored = emulator.call(lambda: emulator.emu.point_groups)
    assert {g["name"]: (g["description"], g["isPublished"]) for g in stored.values()} == {
        "Trial": ("", True),  # seeded: the entity's default description
        "Readers": ("Opens newsletters", True),
        "Buyers": (None, False),
    }

    second = cli("sync", str(groups_file))
    assert second.code == 0
    assert second.json["counts"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "deleted": 0,
        "failed": 0,
    }
    assert [item["action"] for item in second.json["items"]] == ["unchanged"] * 3


def test_sync_updates_and_deletes_missing_as_a_table(
    cli: Cli, emulator: ThreadedEmulator, groups_file: Path
) -> None:
    emulator.add_groups("Readers", "Old", "Buyers")
    result = cli("sync", str(groups_file), "--delete-missing", "--yes", "--format", "table")
    assert result.code == 0
    assert result.out.splitlines() == [
        "action     items",
        "---------  -----",
        "created    1",
        "updated    2",
        "unchanged  0",
        "deleted    1",
        "failed     0",
        "(4 items in 1 round(s))",
    ]
    names = {g["name"] for g in emulator.call(lambda: emulator.emu.point_groups).values()}
    assert names == {"Readers", "Buyers", "Trial"}


def test_sync_by_another_key(cli: Cli, emulator: ThreadedEmulator, tmp_path: Path) -> None:
    path = tmp_path / "by-description.json"
    path.write_text(json.dumps([{"description": "d1", "name": "One"}]))
    result = cli("sync", str(path), "--key", "description")
    assert result.json["items"] == [{"action": "created", "key": "d1", "id": 1, "error": None}]


def test_failed_items_exit_1(cli: Cli, emulator: ThreadedEmulator, groups_file: Path) -> None:
    emulator.call(
        emulator.emu.faults.add, "POST", "/api/points/groups/batch/new", status=400, times=None
    )
    result = cli("sync", str(groups_file), "--format", "table")
    assert result.code == ExitCode.FAILED
    assert result.err == ""
    lines = result.out.splitlines()
    assert "failed     3" in lines
    failed = lines[lines.index("failed:") + 3 :]
    assert [line.split()[0] for line in failed[:3]] == ["Readers", "Buyers", "Trial"]
    assert "POST /api/points/groups/batch/new -> 400" in failed[0]

    as_json = cli("sync", str(groups_file))
    assert as_json.code == ExitCode.FAILED
    assert as_json.json["ok"] is False
    error = as_json.json["items"][0]["error"]
    assert error.startswith("POST /api/points/groups/batch/new -> 400: ")


def test_failed_batch_item_error(cli: Cli, emulator: ThreadedEmulator, tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps([{"name": "A", "description": "Too long"}]))
    body = {
        "pointGroups": [],
        "statusCodes": [400],
        "errors": {"0": {"code": 400, "message": "description: too long", "type": None}},
    }
    emulator.call(
        emulator.emu.faults.add, "POST", "/api/points/groups/batch/new", status=200, body=body
    )
    result = cli("sync", str(path))
    assert result.code == ExitCode.FAILED
    assert result.json["items"] == [
        {"action": "failed", "key": "A", "id": None, "error": "400: description: too long"}
    ]


def test_sync_yaml(cli: Cli, emulator: ThreadedEmulator, tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text("# hand-kept list\n- name: Readers\n  isPublished: false\n- name: Buyers\n")
    result = cli("sync", str(path))
    assert result.code == 0, result.err
    assert result.json["counts"]["created"] == 2
    assert emulator.group(1)["isPublished"] is False


def test_yaml_needs_pyyaml(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "groups.yml"
    path.write_text("- name: A\n")
    monkeypatch.setitem(sys.modules, "yaml", None)  # as if PyYAML were not installed
    result = cli("sync", str(path))
    assert result.code == ExitCode.USAGE
    assert result.err == (
        f"mautic-async: error: {path}: reading YAML needs PyYAML: "
        "pip install 'mautic-async[cli]' (or convert the file to JSON)\n"
    )


def test_sync_from_stdin(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(GROUPS)))
    result = cli("sync", "-")
    assert result.json["counts"]["created"] == 3


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("bad.json", "[{", ExitCode.INVALID, "bad.json: not valid JSON: "),
        ("bad.yaml", "- [", ExitCode.INVALID, "bad.yaml: not valid YAML: "),
        ("obj.json", '{"name": "A"}', ExitCode.INVALID, "obj.json: expected a list of objects"),
        ("strs.json", '["A"]', ExitCode.INVALID, "strs.json: expected a list of objects"),
        ("dup.json", '[{"name": "A"}, {"name": "A"}]', ExitCode.INVALID, "appears more than once"),
        ("typo.json", '[{"nmae": "A"}]', ExitCode.INVALID, "desired item 0: "),
        ("latin1.json", b'[{"name": "\xe9"}]', ExitCode.USAGE, "cannot read "),
        (None, "", ExitCode.USAGE, "cannot read "),
    ],
)
def test_bad_files(
    cli: Cli,
    emulator: ThreadedEmulator,
    tmp_path: Path,
    name: str | None,
    content: str | bytes,
    code: int,
    message: str,
) -> None:
    path = tmp_path / (name or "missing.json")
    if name is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = cli("sync", str(path))
    assert (result.code, result.out) == (code, "")
    assert result.err.startswith("mautic-async: error: ")
    assert message in result.err
    assert result.err.count("\n") == 1
    assert emulator.emu.requests == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(
    cli: Cli, groups_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    result = cli("sync", str(groups_file))
    assert result.code == 0
    drawn = terminal.getvalue()
    assert "sync: 100%" in drawn
    assert "3/3" in drawn
    assert result.json["counts"]["created"] == 3  # stdout stays clean JSON


def test_no_progress_bar_without_tqdm(
    cli: Cli, groups_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setitem(sys.modules, "tqdm", None)
    assert cli("sync", str(groups_file)).code == 0
    assert terminal.getvalue() == ""


def test_no_progress_bar_when_piped(cli: Cli, groups_file: Path) -> None:
    result = cli("sync", str(groups_file))  # capsys: stderr is not a terminal
    assert (result.code, result.err) == (0, "")
