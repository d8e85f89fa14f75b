"""Every command against the emulator: exact JSON and table output."""

from __future__ import annotations

import json

import pytest

from mautic_async.cli import main

from .conftest import Cli, ThreadedEmulator


def dumps(data: object) -> str:
    return json.dumps(data, indent=2) + "\n"


def test_create_get_edit_replace_delete(cli: Cli, emulator: ThreadedEmulator) -> None:
    made = cli("create", "--name", "Group A", "--description", "First")
    assert (made.code, made.err) == (0, "")
    assert made.out == dumps(emulator.group(1))
    assert made.json["name"] == "Group A"
    assert made.json["isPublished"] is True

    got = cli("get", "1")
    assert got.out == made.out

    edited = cli("edit", "1", "--unpublished")
    assert edited.code == 0
    assert edited.out == dumps(emulator.group(1))
    assert (edited.json["description"], edited.json["isPublished"]) == ("First", False)

    replaced = cli("replace", "1", "--json", '{"name": "X", "isPublished": true}', "--name", "B")
    assert replaced.code == 0
    assert replaced.out == dumps(emulator.group(1))
    assert (replaced.json["name"], replaced.json["description"]) == ("B", None)

    stored = emulator.group(1)
    deleted = cli("delete", "1")
    assert deleted.code == 0
    assert deleted.json == stored  # Mautic answers "id": null; the id asked for is kept
    assert emulator.call(lambda: emulator.emu.point_groups) == {}


def test_list_sends_every_filter_and_prints_the_page(cli: Cli, emulator: ThreadedEmulator) -> None:
    emulator.add_groups("Alpha", "Beta", "Alpha 2")
    result = cli(
        "list",
        "--search",
        "Alpha",
        "--start",
        "0",
        "--limit",
        "5",
        "--order-by",
        "name,date_added",
        "--order-by-dir",
        "desc",
        "--published-only",
    )
    assert result.code == 0
    assert result.out == dumps({"items": [emulator.group(3), emulator.group(1)], "total": 2})
    query = emulator.emu.requests[-1].query
    assert dict(query) == {
        "search": "Alpha",
        "start": "0",
        "limit": "5",
        "orderBy": "name,dateAdded",
        "orderByDir": "DESC",
        "published": "1",
    }


@pytest.mark.parametrize("stable", [False, True])
def test_list_all_pages_through_everything(
    cli: Cli, emulator: ThreadedEmulator, stable: bool
) -> None:
    ids = emulator.add_groups(*(f"G{n}" for n in range(7)))
    before = len(emulator.emu.requests)
    result = cli("list", "--all", "--page-size", "3", *(["--stable"] if stable else []))
    assert result.code == 0
    # Streamed, yet the very text json.dumps gives for the whole list.
    assert result.out == dumps({"items": [emulator.group(i) for i in ids], "total": 7})
    pages = emulator.emu.requests[before:]
    assert [r.query["limit"] for r in pages] == ["3", "3", "3"]
    if stable:
        assert [r.query["where[0][val]"] for r in pages] == ["0", "3", "6"]
    else:
        assert [r.query["start"] for r in pages] == ["0", "3", "6"]


def test_list_all_of_nothing(cli: Cli) -> None:
    result = cli("list", "--all")
    assert result.out == dumps({"items": [], "total": 0})


def test_list_all_table(cli: Cli, emulator: ThreadedEmulator) -> None:
    emulator.add_groups("One", "Two")
    result = cli("list", "--all", "--page-size", "1", "--format", "table")
    assert result.out.splitlines() == [
        "id  name  isPublished  description",
        "--  ----  -----------  -----------",
        "1   One   yes",
        "2   Two   yes",
        "(2 in all)",
    ]


def test_table_output(cli: Cli, emulator: ThreadedEmulator) -> None:
    cli("create", "--name", "Group A", "--description", "x" * 70)
    cli("create", "--name", "Group B", "--unpublished")
    listed = cli("--format", "table", "list", "--limit", "1")
    assert listed.code == 0
    assert listed.out == (
        "id  name     isPublished  description\n"
        "--  -------  -----------  " + "-" * 60 + "\n"
        "1   Group A  yes          " + "x" * 59 + "…\n"
        "(1 of 2)\n"
    )
    got = cli("get", "2", "--format", "table")
    date = emulator.group(2)["dateAdded"]
    assert got.out.splitlines() == [
        "field           value",
        "--------------  -------------------------",
        "id              2",
        "name            Group B",
        "description",
        "isPublished     no",
        f"dateAdded       {date}",
        "dateModified",
        "createdBy       1",
        "createdByUser   Admin User",
        "modifiedBy",
        "modifiedByUser",
    ]


def test_scores(cli: Cli, emulator: ThreadedEmulator) -> None:
    (group,) = emulator.add_groups("Readers")
    contact = emulator.call(emulator.emu.add_contact, "ann@example.com")
    c, g = str(contact), str(group)

    assert cli("scores", "get", c, g).out == "null\n"
    expected = {"plus": 10, "times": 30, "minus": 25, "divide": 5, "set": 7}
    for operator, value in zip(expected, ("10", "3", "5", "5", "7"), strict=True):
        result = cli("scores", operator, c, g, value)
        assert result.code == 0, result.err
        assert result.json == {
            "score": expected[operator],
            "group": {
                "id": group,
                "name": "Readers",
                "description": "",
            },
        }
    assert emulator.call(lambda: emulator.emu.scores) == {(contact, group): 7}

    logged = cli("scores", "plus", c, g, "1", "--event-name", "Import", "--action-name", "cli")
    assert logged.json["score"] == 8
    assert json.loads(emulator.emu.requests[-1].body) == {
        "eventName": "Import",
        "actionName": "cli",
    }

    assert cli("scores", "get", c, g).json["score"] == 8
    assert [s["score"] for s in cli("scores", "list", c).json] == [8]
    table = cli("scores", "list", c, "--format", "table")
    assert table.out.splitlines() == [
        "group.id  group.name  score",
        "--------  ----------  -----",
        f"{group:<8}  Readers     8",
    ]
    vertical = cli("scores", "get", c, g, "--format", "table").out.splitlines()
    assert vertical[2:5] == [
        f"{'score':<17}  8",
        f"{'group.id':<17}  {group}",
        f"{'group.name':<17}  Readers",
    ]
    assert vertical[-1] == "group.description"  # the score endpoints send no publish fields


def test_scores_get_none_as_table(cli: Cli, emulator: ThreadedEmulator) -> None:
    (group,) = emulator.add_groups("Readers")
    contact = emulator.call(emulator.emu.add_contact, "ann@example.com")
    assert cli("scores", "get", str(contact), str(group), "--format", "table").out == "(none)\n"


def test_oauth2_client_credentials_from_the_environment(
    cli: Cli, emulator: ThreadedEmulator
) -> None:
    from .conftest import CLIENT_ID, CLIENT_SECRET

    env = {
        "MAUTIC_URL": emulator.url,
        "MAUTIC_CLIENT_ID": CLIENT_ID,
        "MAUTIC_CLIENT_SECRET": CLIENT_SECRET,
    }
    result = cli("create", "--name", "Via OAuth", env=env)
    assert result.code == 0, result.err
    assert result.json["createdByUser"] == f"{CLIENT_ID} [{CLIENT_ID}]"
    assert len(emulator.emu.token_requests) == 1


def test_flags_override_the_environment(cli: Cli, emulator: ThreadedEmulator) -> None:
    from .conftest import PASSWORD, USER

    env = {"MAUTIC_URL": "http://127.0.0.1:9", "MAUTIC_PASSWORD": PASSWORD}
    result = cli("list", "--url", emulator.url, "--username", USER, env=env)
    assert (result.code, result.json) == (0, {"items": [], "total": 0})


def test_demo_walks_through_the_api(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith("emulator  Mautic emulator listening on http://127.0.0.1:")
    steps = [line.split()[0] for line in lines if not line.startswith(" ")]
    assert steps == [
        "emulator",
        "create",
        "get",
        "batch",
        "list",
        "iterate",
        "edit",
        "replace",
        "scores",
        "sync",
        "errors",
        "delete",
        "errors",
        "done",
        "next",
    ]
    assert "          -> 2 of 3: ['Webinar 1', 'Webinar 2']" in lines
    assert "          divide 5 -> 5" in lines
    assert (
        "          again -> {'created': 0, 'updated': 0, 'unchanged': 3, 'deleted': 0, "
        "'failed': 0}: nothing left to do"
    ) in lines
    assert "secret" not in out  # the password
