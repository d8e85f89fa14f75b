"""Batch commands for every noun (``create --file``, ``edit --file``, ``delete --ids``)
from JSON, YAML and CSV, and the notes when Mautic stored something other than sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mautic_async.cli import ExitCode

from .conftest import Cli, ThreadedEmulator


def stored(emulator: ThreadedEmulator, table: str) -> dict[int, dict[str, Any]]:
    return emulator.call(lambda: {k: dict(v) for k, v in getattr(emulator.emu, table).items()})


def outcomes(result: Any) -> list[tuple[int, bool, int | None, str | None]]:
    return [(i["index"], i["ok"], i["status"], i["name"]) for i in result.json["items"]]


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".csv"])
def test_create_from_a_file_in_each_format(
    cli: Cli, emulator: ThreadedEmulator, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"groups{suffix}"
    path.write_text(
        {
            ".json": json.dumps([{"name": "Readers", "isPublished": False}, {"name": "Buyers"}]),
            ".yaml": "- name: Readers\n  isPublished: false\n- name: Buyers\n",
            ".csv": "name,isPublished\nReaders,false\nBuyers,\n",
        }[suffix]
    )
    result = cli("groups", "create", "--file", str(path))
    assert (result.code, result.err) == (0, "")
    assert result.json["ok"] is True
    assert result.json["counts"] == {"ok": 2, "failed": 0}
    assert outcomes(result) == [(0, True, 201, "Readers"), (1, True, 201, "Buyers")]
    groups = stored(emulator, "point_groups")
    assert {g["name"]: g["isPublished"] for g in groups.values()} == {
        "Readers": False,
        "Buyers": True,
    }
    assert [i["id"] for i in result.json["items"]] == sorted(groups)


def test_create_reports_each_item_and_exits_1_if_any_failed(
    cli: Cli, emulator: ThreadedEmulator, tmp_path: Path
) -> None:
    path = tmp_path / "points.json"
    path.write_text(
        json.dumps(
            [
                {"name": "Good", "type": "url.hit", "delta": 5},
                {"name": "No type"},  # refused before sending
                {"name": "<b></b>", "type": "url.hit"},  # refused by Mautic: empty name
            ]
        )
    )
    result = cli("points", "create", "--file", str(path), "--format", "table")
    assert result.code == ExitCode.FAILED
    lines = result.out.splitlines()
    assert lines[0].split() == ["index", "ok", "status", "id", "name", "error"]
    assert lines[2].split()[:5] == ["0", "yes", "201", "1", "Good"]
    assert "refused before sending: type is required" in lines[3]
    assert lines[4].split()[:3] == ["2", "no", "400"]
    assert "A name is required." in lines[4]
    assert lines[-1] == "(1 ok, 2 failed)"
    assert [p["name"] for p in stored(emulator, "points").values()] == ["Good"]


def test_edit_from_a_csv_file(cli: Cli, emulator: ThreadedEmulator, tmp_path: Path) -> None:
    first, second = emulator.add_groups("A", "B")
    path = tmp_path / "edits.csv"
    path.write_text(f"id,description\n{first},one\n{second},two\n999,three\n")
    result = cli("edit", "--file", str(path))
    assert result.code == ExitCode.FAILED
    assert outcomes(result) == [(0, True, 200, "A"), (1, True, 200, "B"), (2, False, 404, None)]
    assert result.json["items"][2]["id"] == 999
    groups = stored(emulator, "point_groups")
    assert (groups[first]["description"], groups[second]["description"]) == ("one", "two")


def test_delete_ids_for_triggers(cli: Cli, emulator: ThreadedEmulator) -> None:
    ids = [emulator.call(emulator.emu.add_trigger, name, points=5)["id"] for name in "XYZ"]
    result = cli("triggers", "delete", "--ids", f"{ids[0]},{ids[2]},404")
    assert result.code == ExitCode.FAILED
    assert [(i["id"], i["ok"], i["status"]) for i in result.json["items"]] == [
        (ids[0], True, 200),
        (ids[2], True, 200),
        (404, False, 404),
    ]
    assert list(stored(emulator, "triggers")) == [ids[1]]
    ok = cli("triggers", "delete", "--ids", str(ids[1]))
    assert (ok.code, ok.json["counts"]) == (0, {"ok": 1, "failed": 0})


def test_insights_create_from_csv_with_a_json_cell(
    cli: Cli, emulator: ThreadedEmulator, tmp_path: Path
) -> None:
    (group,) = emulator.add_groups("G")
    emulator.call(emulator.emu.add_contact_field, "main_interest")
    path = tmp_path / "insights.csv"
    path.write_text(f'name,customField,pointGroups\nInterest,main_interest,"[{group}]"\n')
    result = cli("insights", "create", "--file", str(path))
    assert result.code == 0, result.err
    (insight,) = stored(emulator, "insights").values()
    assert insight["name"] == "Interest"


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["create", "--file", "{path}", "--name", "x"], ExitCode.USAGE, "--file gives every"),
        (["edit", "1", "--file", "{path}"], ExitCode.USAGE, "leave out ID"),
        (["edit", "--name", "x"], ExitCode.USAGE, "edit needs ID (or --file for many)"),
        (["delete"], ExitCode.USAGE, "delete needs ID (or --ids for many)"),
        (["delete", "1", "--ids", "2"], ExitCode.USAGE, "give ID or --ids, not both"),
        (["delete", "--ids", "1,x"], ExitCode.USAGE, "expected ids such as 1,2,3"),
        (["delete", "--ids", "0"], ExitCode.INVALID, "ids[0]"),
        (["create", "--file", "{bad}"], ExitCode.INVALID, "line 2, column isPublished"),
        (["create", "--file", "{ragged}"], ExitCode.INVALID, "more or fewer cells"),
        (["create", "--file", "{missing}"], ExitCode.USAGE, "cannot read"),
    ],
)
def test_batch_mistakes(
    cli: Cli, tmp_path: Path, argv: list[str], code: ExitCode, message: str
) -> None:
    files = {
        "{path}": ("ok.json", '[{"name": "A"}]'),
        "{bad}": ("bad.csv", "name,isPublished\nA,maybe\n"),
        "{ragged}": ("ragged.csv", "name\nA,extra\n"),
    }
    for name, text in files.values():
        (tmp_path / name).write_text(text)
    paths = {p: str(tmp_path / n) for p, (n, _t) in files.items()}
    paths["{missing}"] = str(tmp_path / "missing.json")
    result = cli(*[paths.get(a, a) for a in argv])
    assert (result.code, result.out) == (code, "")
    assert message in result.err


# -- what Mautic changed -----------------------------------------------------------------


def test_create_notes_what_mautic_changed(cli: Cli) -> None:
    result = cli("create", "--name", "  A &amp; <b>B</b> ", "--description", " <p>kept</p> ")
    assert result.code == 0
    assert result.json["name"] == "A & B"
    assert result.err.splitlines() == [
        "mautic-async: note: Mautic stored name as 'A & B', not '  A &amp; <b>B</b> ' "
        "(HTML entities decoded, tags stripped, surrounding whitespace trimmed)",
        "mautic-async: note: Mautic stored description as '<p>kept</p>', not ' <p>kept</p> ' "
        "(surrounding whitespace trimmed)",
    ]


def test_no_note_when_stored_as_sent(cli: Cli, emulator: ThreadedEmulator) -> None:
    (group,) = emulator.add_groups("Readers")
    created = cli("points", "create", "--name", "Plain", "--type", "url.hit", "--group", str(group))
    assert (created.code, created.err) == (0, "")  # group is write-only: not compared
    edited = cli("edit", str(group), "--description", "", "--name", "Readers")
    assert (edited.code, edited.err) == (0, "")  # "" stored as null is how one clears


def test_edit_and_batch_notes(cli: Cli, emulator: ThreadedEmulator, tmp_path: Path) -> None:
    (group,) = emulator.add_groups("Readers")
    edited = cli("triggers", "create", "--name", "Hot\t")
    assert edited.err == (
        "mautic-async: note: Mautic stored name as 'Hot', not 'Hot\\t' "
        "(surrounding whitespace trimmed)\n"
    )
    path = tmp_path / "g.json"
    path.write_text(json.dumps([{"id": group, "name": "Tom &amp; Jerry"}]))
    result = cli("edit", "--file", str(path))
    assert result.code == 0
    assert result.err == (
        "mautic-async: note: item 0: Mautic stored name as 'Tom & Jerry', not "
        "'Tom &amp; Jerry' (HTML entities decoded)\n"
    )


def test_replace_on_a_missing_id_warns_and_prints_the_new_id(
    cli: Cli, emulator: ThreadedEmulator
) -> None:
    emulator.add_groups("Existing")
    result = cli("replace", "77", "--name", "Recreated")
    assert result.code == 0
    new_id = result.json["id"]
    assert new_id != 77
    assert result.err == (
        "mautic-async: warning: there was no point group 77, so Mautic created a new one "
        f"with id {new_id}\n"
    )
    assert stored(emulator, "point_groups")[new_id]["name"] == "Recreated"
    same = cli("replace", str(new_id), "--name", "Again")
    assert (same.code, same.err) == (0, "")


def test_a_batch_refused_as_a_whole_fails_each_item(
    cli: Cli, emulator: ThreadedEmulator, tmp_path: Path
) -> None:
    emulator.call(emulator.emu.faults.add, "POST", "/api/points/groups/batch/new", status=400)
    path = tmp_path / "g.json"
    path.write_text(json.dumps([{"name": "A"}, {"name": "B"}]))
    result = cli("create", "--file", str(path))
    assert result.code == ExitCode.FAILED
    assert [(i["ok"], i["status"], i["name"]) for i in result.json["items"]] == [
        (False, None, "A"),
        (False, None, "B"),
    ]
    assert all("400" in i["error"] for i in result.json["items"])
    assert stored(emulator, "point_groups") == {}


def test_csv_cells_by_field_type() -> None:
    from mautic_async.cli._bulk import csv_items
    from mautic_async.models_points import PointTriggerData

    text = 'name,points,unknown,other,events\n007,5,"{""a"": 1}",plain text,"[]"\n'
    assert csv_items(text, "t.csv", PointTriggerData) == [
        {"name": "007", "points": 5, "unknown": {"a": 1}, "other": "plain text", "events": []}
    ]
    assert csv_items("name,extra\nx,3\n", "t.csv", None) == [{"name": "x", "extra": 3}]
    with pytest.raises(ValueError, match=r"t.csv line 2, column events: 'nope' is not JSON"):
        csv_items("name,events\nx,nope\n", "t.csv", PointTriggerData)
    with pytest.raises(ValueError, match=r"column points: 'five' is not an integer"):
        csv_items("name,points\nx,five\n", "t.csv", PointTriggerData)
