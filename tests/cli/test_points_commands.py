"""The points nouns (`groups|points|triggers|insights <verb>`) and `contacts points
add|subtract`, through ``main`` against the emulator (version 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Cli, ThreadedEmulator


def test_groups_noun_is_the_top_level_verbs(cli: Cli, emulator: ThreadedEmulator) -> None:
    made = cli("groups", "create", "--name", "Umbrellas")
    assert (made.code, made.err) == (0, "")
    assert made.out == cli("get", "1").out == cli("groups", "get", "1").out
    assert cli("groups", "list").out == cli("list").out


def test_points_verbs(cli: Cli, emulator: ThreadedEmulator) -> None:
    (group,) = emulator.add_groups("Umbrellas")
    made = cli(
        "points",
        "create",
        "--name",
        "Pricing",
        "--type",
        "url.hit",
        "--delta",
        "5",
        "--group",
        str(group),
        "--json",
        '{"properties": {"page_url": "/pricing"}}',
    )
    assert (made.code, made.err) == (0, "")
    assert made.json["type"] == "url.hit"
    assert made.json["delta"] == 5
    assert made.json["group"] == group  # what was sent: Mautic never returns it
    assert made.json["properties"] == {"page_url": "/pricing"}  # re-sent after create
    point_id = made.json["id"]
    stored = emulator.call(lambda: emulator.emu.points[point_id])
    assert stored["name"] == "Pricing"

    edited = cli("points", "edit", str(point_id), "--delta", "7")
    assert (edited.code, edited.json["delta"]) == (0, 7)
    table = cli("points", "list", "--format", "table")
    assert table.out.splitlines() == [
        "id  name     type     delta  isPublished",
        "--  -------  -------  -----  -----------",
        f"{point_id}   Pricing  url.hit  7      yes",
        "(1 of 1)",
    ]
    replaced = cli("points", "replace", str(point_id), "--name", "P2", "--type", "form.submit")
    assert (replaced.json["name"], replaced.json["delta"]) == ("P2", 0)
    deleted = cli("points", "delete", str(point_id))
    assert (deleted.code, deleted.json["id"]) == (0, point_id)
    assert cli("points", "get", str(point_id)).code != 0


def test_points_edit_without_changes_is_a_usage_error(cli: Cli, emulator: ThreadedEmulator) -> None:
    result = cli("points", "edit", "1")
    assert result.code == 2
    assert "--type" in result.err


def test_triggers_with_events_and_sync(
    cli: Cli, emulator: ThreadedEmulator, tmp_path: Path
) -> None:
    events = [{"name": "Tag hot", "type": "lead.changetags", "properties": {"add_tags": ["hot"]}}]
    made = cli(
        "triggers",
        "create",
        "--name",
        "Hot",
        "--points",
        "50",
        "--json",
        json.dumps({"events": events}),
    )
    assert made.code == 0, made.err
    assert [(e["name"], e["order"], e["description"]) for e in made.json["events"]] == [
        ("Tag hot", 1, None)  # nested models print with every field
    ]
    path = tmp_path / "triggers.json"
    path.write_text(json.dumps([{"name": "Hot", "points": 50, "events": events}]))
    first = cli("triggers", "sync", str(path))
    assert first.json["counts"]["unchanged"] == 1, first.out
    path.write_text(json.dumps([{"name": "Hot", "points": 50, "events": []}]))
    fewer = cli("triggers", "sync", str(path))
    assert fewer.code == 1
    assert "cannot remove events through this API" in fewer.json["items"][0]["error"]


def test_insights(cli: Cli, emulator: ThreadedEmulator) -> None:
    a, b = emulator.add_groups("A", "B")
    emulator.call(emulator.emu.add_contact_field, "main_interest")
    made = cli(
        "insights",
        "create",
        "--name",
        "Interest",
        "--custom-field",
        "main_interest",
        "--group",
        str(a),
        "--group",
        str(b),
    )
    assert made.code == 0, made.err
    assert (made.json["customField"], made.json["pointGroups"]) == ("main_interest", [a, b])
    assert "isPublished" not in made.json  # insights have no publish fields
    listed = cli("insights", "list", "--format", "table")
    assert listed.out.splitlines()[2].split() == [
        "1",
        "Interest",
        "main_interest",
        f"[{a},",
        f"{b}]",
    ]


@pytest.mark.parametrize(("verb", "after"), [("add", 15), ("subtract", -5)])
def test_contact_main_points(cli: Cli, emulator: ThreadedEmulator, verb: str, after: int) -> None:
    contact = emulator.call(emulator.emu.add_contact, "ann@example.com")
    cli("contacts", "points", "add", str(contact), "5")
    result = cli("contacts", "points", verb, str(contact), "10", "--event-name", "Webinar")
    assert (result.code, result.err) == (0, "")
    assert result.json == {
        "contactId": contact,
        "operator": "plus" if verb == "add" else "minus",
        "delta": 10,
        "points": after,
    }


def test_contact_main_points_of_a_missing_contact(cli: Cli, emulator: ThreadedEmulator) -> None:
    result = cli("contacts", "points", "add", "99", "5")
    assert result.code != 0
    assert "Contact not found." in result.err
