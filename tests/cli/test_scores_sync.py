"""``scores sync FILE.csv``: the report, --dry-run, exit codes and the progress bar."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from mautic_async.cli import ExitCode

from .conftest import Cli, ThreadedEmulator


@pytest.fixture
def seeded(emulator: ThreadedEmulator) -> tuple[int, int, int]:
    contact = emulator.call(emulator.emu.add_contact, "a@example.com")
    g1, g2 = emulator.add_groups("G1", "G2")
    emulator.call(emulator.emu.set_score, contact, g1, 5)
    return contact, g1, g2


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scores.csv"
    path.write_text(text)
    return path


def test_sync_json_then_nothing_left(
    cli: Cli, emulator: ThreadedEmulator, seeded: tuple[int, int, int], tmp_path: Path
) -> None:
    contact, g1, g2 = seeded
    path = _csv(tmp_path, f"contact_id,group_id,score\n{contact},{g1},5\n{contact},{g2},12\n")
    result = cli("scores", "sync", str(path))
    assert (result.code, result.err) == (0, "")
    assert result.json == {
        "ok": True,
        "dryRun": False,
        "counts": {"set": 1, "unchanged": 1, "failed": 0},
        "failed": [],
    }
    assert emulator.call(lambda: emulator.emu.scores) == {(contact, g1): 5, (contact, g2): 12}
    again = cli("scores", "sync", str(path))
    assert again.json["counts"] == {"set": 0, "unchanged": 2, "failed": 0}


def test_dry_run_changes_nothing(
    cli: Cli, emulator: ThreadedEmulator, seeded: tuple[int, int, int], tmp_path: Path
) -> None:
    contact, g1, g2 = seeded
    path = _csv(tmp_path, f"contact_id,group_id,score\n{contact},{g1},6\n{contact},{g2},1\n")
    result = cli("scores", "sync", str(path), "--dry-run", "--format", "table")
    assert result.code == 0
    assert result.out.splitlines() == [
        "rows       count",
        "---------  -----",
        "set        2",
        "unchanged  0",
        "failed     0",
        "(2 rows, dry run)",
    ]
    assert emulator.call(lambda: emulator.emu.scores) == {(contact, g1): 5}


def test_failed_rows_exit_1_with_the_servers_message(
    cli: Cli, emulator: ThreadedEmulator, seeded: tuple[int, int, int], tmp_path: Path
) -> None:
    contact, g1, _ = seeded
    path = _csv(
        tmp_path,
        f"contact_id,group_id,score\n{contact},{g1},7\n424242,{g1},1\n{contact},{g1},x\n",
    )
    result = cli("scores", "sync", str(path))
    assert result.code == ExitCode.FAILED
    assert result.json["counts"] == {"set": 1, "unchanged": 0, "failed": 2}
    failed = sorted(result.json["failed"], key=lambda f: str(f["score"]))
    assert failed[0] == {
        "contactId": 424242,
        "groupId": g1,
        "score": 1,
        "status": 404,
        "error": "Contact could not be found.",
    }
    assert failed[1]["error"] == "score must be an int, got 'x'"
    table = cli("scores", "sync", str(path), "--format", "table")
    assert "Contact could not be found." in table.out


def test_a_file_without_the_header_is_a_usage_error(
    cli: Cli, emulator: ThreadedEmulator, tmp_path: Path
) -> None:
    result = cli("scores", "sync", str(_csv(tmp_path, "1,2,3\n")))
    assert result.code == ExitCode.USAGE
    assert "contact_id,group_id,score" in result.err
    missing = cli("scores", "sync", str(tmp_path / "nope.csv"))
    assert missing.code == ExitCode.USAGE
    assert "cannot read" in missing.err
    assert emulator.emu.requests == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(
    cli: Cli, seeded: tuple[int, int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contact, g1, g2 = seeded
    path = _csv(tmp_path, f"contact_id,group_id,score\n{contact},{g1},1\n{contact},{g2},2\n")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    result = cli("scores", "sync", str(path))
    assert result.code == 0
    assert "scores: 2row" in terminal.getvalue()
    assert result.json["counts"]["set"] == 2


def test_a_spreadsheets_byte_order_mark_is_not_part_of_the_header(
    cli: Cli, emulator: ThreadedEmulator, seeded: tuple[int, int, int], tmp_path: Path
) -> None:
    # Excel's "CSV UTF-8" starts with U+FEFF: the header check refused it (exit 2).
    contact, g1, _ = seeded
    path = tmp_path / "excel.csv"
    path.write_bytes(f"\ufeffcontact_id,group_id,score\r\n{contact},{g1},8\r\n".encode())
    result = cli("scores", "sync", str(path))
    assert (result.code, result.err) == (0, "")
    assert result.json["counts"] == {"set": 1, "unchanged": 0, "failed": 0}


def test_a_file_that_is_not_utf8_names_itself_and_the_line(
    cli: Cli, seeded: tuple[int, int, int], tmp_path: Path
) -> None:
    contact, g1, _ = seeded
    path = tmp_path / "latin.csv"
    path.write_bytes(f"contact_id,group_id,score\n{contact},{g1},9\n".encode() + b"\xff,1,2\n")
    result = cli("scores", "sync", str(path))
    assert result.code == ExitCode.INVALID
    assert "latin.csv: not UTF-8 text after line" in result.err


def test_a_row_with_too_few_or_too_many_columns_is_named_for_its_shape(
    cli: Cli, seeded: tuple[int, int, int], tmp_path: Path
) -> None:
    # It was reported as "contact_id must be a positive int, got ['1', '1']".
    contact, g1, _ = seeded
    path = _csv(tmp_path, f"contact_id,group_id,score\n{contact},{g1}\n{contact},{g1},1,2\n")
    result = cli("scores", "sync", str(path))
    assert result.code == ExitCode.FAILED
    assert [f["error"] for f in result.json["failed"]] == [
        f"a row must be (contact_id, group_id, score), got ['{contact}', '{g1}']",
        f"a row must be (contact_id, group_id, score), got ['{contact}', '{g1}', '1', '2']",
    ]
