"""What deleting a point group, trigger or contact takes with it
(mautic-points-api.md section 6), over real HTTP."""

from __future__ import annotations

from mautic_async.testing import MauticEmulator
from mautic_async.testing._emulator import DEFAULT_VERSION

from ._helpers import NOT_FOUND_BODY, Api

#: The newest version the emulator models (the conftest ``emu`` reads it).
EMULATOR_VERSION = DEFAULT_VERSION


def seed(emu: MauticEmulator) -> tuple[int, int]:
    """Two groups, each with a point and a trigger; one of each without a group."""
    doomed = emu.add_point_group("Doomed")["id"]
    kept = emu.add_point_group("Kept")["id"]
    emu.add_point("P doomed", group=doomed)
    emu.add_point("P kept", group=kept)
    emu.add_point("P none")
    emu.add_trigger("T doomed", group=doomed, events=[{"name": "E1", "type": "email.send"}])
    emu.add_trigger("T kept", group=kept)
    emu.add_trigger("T none")
    return doomed, kept


async def test_group_delete_takes_its_points_triggers_and_scores(
    api: Api, emu: MauticEmulator
) -> None:
    doomed, kept = seed(emu)
    emu.add_contact_field("interest")
    insight = emu.add_insight("I", "interest", [doomed, kept])
    contact = emu.add_contact()
    emu.set_score(contact, doomed, 5)
    emu.set_score(contact, kept, 3)

    reply = await api("DELETE", f"/api/points/groups/{doomed}/delete")
    assert reply.status == 200

    points = (await api("GET", "/api/points")).json
    assert [p["name"] for p in points["points"]] == ["P kept", "P none"]
    triggers = (await api("GET", "/api/points/triggers")).json
    assert [t["name"] for t in triggers["triggers"]] == ["T kept", "T none"]
    scores = (await api("GET", f"/api/contacts/{contact}/points/groups")).json
    assert [s["group"]["id"] for s in scores["groupScores"]] == [kept]
    assert emu.scores == {(contact, kept): 3}
    # Insights keep the id in their JSON list (no foreign key).
    got = await api("GET", f"/api/points/insights/{insight['id']}")
    assert got.json["insight"]["pointGroups"] == [doomed, kept]
    # The deleted trigger's event went with it: its id no longer exists.
    reply = await api(
        "PATCH", "/api/points/triggers/2/edit", json={"events": [{"id": 1, "name": "x"}]}
    )
    assert reply.json == NOT_FOUND_BODY
    # Contacts and their main points are untouched.
    assert (await api("GET", f"/api/contacts/{contact}")).status == 200


async def test_batch_delete_of_groups_cascades_too(api: Api, emu: MauticEmulator) -> None:
    doomed, kept = seed(emu)
    reply = await api("DELETE", f"/api/points/groups/batch/delete?ids={doomed},{kept}")
    assert reply.status == 200
    assert [p["name"] for p in emu.points.values()] == ["P none"]
    assert [t["name"] for t in emu.triggers.values()] == ["T none"]


async def test_trigger_delete_takes_its_events(api: Api, emu: MauticEmulator) -> None:
    emu.add_trigger("T", events=[{"name": "E", "type": "t"}])
    emu.add_trigger("Other")
    assert (await api("DELETE", "/api/points/triggers/1/delete")).status == 200
    reply = await api("PATCH", "/api/points/triggers/2/edit", json={"events": [{"id": 1}]})
    assert reply.json == NOT_FOUND_BODY


async def test_contact_delete_takes_its_scores(api: Api, emu: MauticEmulator) -> None:
    group = emu.add_point_group("G")["id"]
    first, second = emu.add_contact(), emu.add_contact()
    emu.set_score(first, group, 1)
    emu.set_score(second, group, 2)
    assert (await api("DELETE", f"/api/contacts/{first}/delete")).status == 200
    assert emu.scores == {(second, group): 2}
    assert emu.point_groups[group]["name"] == "G"
