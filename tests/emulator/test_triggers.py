"""Point triggers and their events (mautic-points-api.md section 3), over real HTTP.

Ports the PHP api-library's ``PointTriggersTest`` (payload, PATCH/PUT, event deletion
via PUT and via ``events/delete``, batch) and the spec's readings of
``TriggerApiController``.
"""

from __future__ import annotations

from typing import Any

from mautic_async.testing import MauticEmulator
from mautic_async.testing._emulator import DEFAULT_VERSION

from ._helpers import GENERIC_500, NOT_FOUND_BODY, Api

KEYS = [
    "isPublished",
    "dateAdded",
    "dateModified",
    "createdBy",
    "createdByUser",
    "modifiedBy",
    "modifiedByUser",
    "id",
    "name",
    "category",
    "description",
    "publishUp",
    "publishDown",
    "points",
    "color",
    "events",
    "triggerExistingLeads",
]
EVENTS = [
    {
        "name": "tag test event",
        "description": "created as a API test",
        "type": "lead.changetags",
        "order": 7,
        "properties": {"add_tags": ["tag-a"], "remove_tags": []},
    },
    {
        "name": "send email test event",
        "description": "created as a API test",
        "type": "email.send",
        "order": 3,
        "properties": {"email": 1},
    },
]
PAYLOAD: dict[str, Any] = {
    "name": "test",
    "description": "created as a API test",
    "points": 5,
    "color": "4e5d9d",
    "triggerExistingLeads": False,
    "events": EVENTS,
}


#: The newest version the emulator models (the conftest ``emu`` reads it).
EMULATOR_VERSION = DEFAULT_VERSION


async def create(api: Api, **fields: Any) -> dict[str, Any]:
    reply = await api("POST", "/api/points/triggers/new", json={**PAYLOAD, **fields})
    assert reply.status == 201, reply.raw
    trigger: dict[str, Any] = reply.json["trigger"]
    return trigger


async def get(api: Api, trigger_id: int) -> dict[str, Any]:
    reply = await api("GET", f"/api/points/triggers/{trigger_id}")
    assert reply.status == 200, reply.raw
    trigger: dict[str, Any] = reply.json["trigger"]
    return trigger


def names(trigger: dict[str, Any]) -> list[str]:
    return [event["name"] for event in trigger["events"]]


async def test_create_returns_events_as_a_list_with_order_rewritten(api: Api) -> None:
    reply = await api("POST", "/api/points/triggers/new", json=PAYLOAD)
    assert reply.status == 201
    assert reply.headers["Location"] == "/api/points/triggers/1"
    trigger = reply.json["trigger"]
    assert list(trigger) == KEYS
    assert (trigger["points"], trigger["color"], trigger["triggerExistingLeads"]) == (
        5,
        "4e5d9d",
        False,
    )
    assert trigger["events"] == [
        {
            "id": 1,
            "name": "tag test event",
            "description": "created as a API test",
            "type": "lead.changetags",
            "order": 1,
            "properties": {"add_tags": ["tag-a"], "remove_tags": []},
        },
        {
            "id": 2,
            "name": "send email test event",
            "description": "created as a API test",
            "type": "email.send",
            "order": 2,
            "properties": {"email": 1},
        },
    ]
    assert await get(api, 1) == trigger


async def test_defaults_and_validation(api: Api) -> None:
    reply = await api("POST", "/api/points/triggers/new", json={"name": "Bare"})
    trigger = reply.json["trigger"]
    assert (trigger["points"], trigger["color"], trigger["events"]) == (0, "a0acb8", [])
    assert (trigger["isPublished"], trigger["triggerExistingLeads"]) == (True, False)
    reply = await api("POST", "/api/points/triggers/new", json={"events": EVENTS})
    assert reply.status == 400
    assert reply.json["errors"][0]["message"] == "name: A name is required."
    assert (await api("GET", "/api/points/triggers")).json["total"] == 1
    too_long = await api(
        "POST", "/api/points/triggers/new", json={"name": "C", "color": "#1234567"}
    )
    assert too_long.status == 500


async def test_event_types_are_not_validated(api: Api) -> None:
    trigger = await create(api, events=[{"name": "E", "type": "anything.goes"}])
    assert trigger["events"][0]["type"] == "anything.goes"
    assert trigger["events"][0]["properties"] == []
    assert trigger["events"][0]["description"] is None


async def test_list_is_an_array_with_events_in_order(api: Api) -> None:
    await create(api)
    await create(api, name="second", events=[])
    listed = (await api("GET", "/api/points/triggers")).json
    assert listed["total"] == 2
    assert [t["name"] for t in listed["triggers"]] == ["test", "second"]
    assert names(listed["triggers"][0]) == ["tag test event", "send email test event"]
    assert (await api("GET", "/api/points/triggers/5")).json == NOT_FOUND_BODY


async def test_patch_appends_new_events_and_edits_listed_ones(api: Api) -> None:
    trigger = await create(api)
    first, second = trigger["events"]
    payload = {
        "name": "test2",
        "events": [{"id": second["id"], "name": "renamed"}, {"name": "new", "type": "email.send"}],
    }
    reply = await api("PATCH", "/api/points/triggers/1/edit", json=payload)
    assert reply.status == 200
    events = reply.json["trigger"]["events"]
    assert [(e["id"], e["name"], e["order"]) for e in events] == [
        (first["id"], "tag test event", 1),
        (second["id"], "renamed", 1),
        (3, "new", 2),
    ]
    assert events[1]["type"] == "email.send"  # PATCH keeps what the item omits
    stored = await get(api, 1)
    assert stored["name"] == "test2"
    assert names(stored) == ["tag test event", "renamed", "new"]


async def test_patch_with_the_library_payload_keeps_the_old_events(api: Api) -> None:
    await create(api)
    reply = await api(
        "PATCH", "/api/points/triggers/1/edit", json={"name": "test2", "events": EVENTS}
    )
    events = reply.json["trigger"]["events"]
    assert len(events) == 4
    assert events[1]["name"] == EVENTS[1]["name"]


async def test_put_without_events_drops_them_from_the_response_only(api: Api) -> None:
    created = await api("PUT", "/api/points/triggers/10000/edit", json=PAYLOAD)
    assert created.status == 201
    trigger = created.json["trigger"]
    assert len(trigger["events"]) == 2
    without = {k: v for k, v in trigger.items() if k not in ("events", "category")}
    without["publishUp"] = without["publishDown"] = None
    for key in ("dateAdded", "dateModified", "createdBy", "createdByUser"):
        without.pop(key)
    reply = await api("PUT", f"/api/points/triggers/{trigger['id']}/edit", json=without)
    assert reply.status == 200
    assert reply.json["trigger"]["events"] == []
    assert names(await get(api, trigger["id"])) == ["tag test event", "send email test event"]


async def test_put_listing_one_event_answers_with_only_that_one(api: Api) -> None:
    trigger = await create(api)
    kept = trigger["events"][1]
    payload = {
        **PAYLOAD,
        "events": [{"id": kept["id"], "name": "kept"}, {"name": "N", "type": "t"}],
    }
    reply = await api("PUT", "/api/points/triggers/1/edit", json=payload)
    assert reply.status == 200
    # New events have ids the payload did not list: the in-memory removal drops them too.
    assert [(e["id"], e["name"]) for e in reply.json["trigger"]["events"]] == [(kept["id"], "kept")]
    stored = await get(api, 1)
    # GET orders by `order` (ties by id): the untouched event keeps its order 1.
    assert names(stored) == ["tag test event", "kept", "N"]
    assert [e["order"] for e in stored["events"]] == [1, 1, 2]


async def test_unknown_event_id_is_404_on_7_and_leaves_the_new_trigger(api: Api) -> None:
    reply = await api(
        "POST", "/api/points/triggers/new", json={**PAYLOAD, "events": [{"id": 99, "name": "x"}]}
    )
    assert reply.status == 404
    assert reply.json == NOT_FOUND_BODY
    partial = await get(api, 1)
    assert (partial["name"], partial["events"]) == ("test", [])


async def test_unknown_event_id_is_405_on_5() -> None:
    async with MauticEmulator(basic_auth={"admin": "secret"}, version="5.1.1") as emu:
        import aiohttp

        from ._helpers import basic

        async with aiohttp.ClientSession() as session:
            url = emu.url + "/api/points/triggers/new"
            body = {**PAYLOAD, "events": [{"id": 99, "name": "x"}]}
            async with session.post(url, json=body, headers=basic()) as resp:
                assert resp.status == 405
                data = await resp.json()
        generic = GENERIC_500.replace("#500", "#405")
        assert data == {"errors": [{"message": generic, "code": 405, "type": None}]}
        assert emu.triggers[1]["events"] == []


async def test_event_id_of_another_trigger_creates_a_new_event(api: Api) -> None:
    other = await create(api, name="other")
    foreign = other["events"][0]["id"]
    mine = await create(api, name="mine", events=[])
    reply = await api(
        "PATCH",
        f"/api/points/triggers/{mine['id']}/edit",
        json={"events": [{"id": foreign, "name": "copy", "type": "t"}]},
    )
    events = reply.json["trigger"]["events"]
    assert [(e["name"], e["id"] != foreign) for e in events] == [("copy", True)]
    assert names(await get(api, other["id"])) == ["tag test event", "send email test event"]


async def test_new_event_without_name_fails_after_the_trigger_was_saved(api: Api) -> None:
    reply = await api(
        "POST", "/api/points/triggers/new", json={"name": "T", "events": [{"type": "t"}]}
    )
    assert reply.status == 500
    assert reply.errors[0]["message"] == GENERIC_500
    assert (await get(api, 1))["events"] == []


async def test_group_is_write_only_and_clearing_it_with_put_fails(
    api: Api, emu: MauticEmulator
) -> None:
    group = emu.add_point_group("G")
    trigger = await create(api, group=group["id"])
    assert "group" not in trigger
    assert "group" not in await get(api, 1)
    patched = await api("PATCH", "/api/points/triggers/1/edit", json={"name": "P"})
    assert patched.status == 200
    put = await api("PUT", "/api/points/triggers/1/edit", json={"name": "P"})
    assert put.status == 500
    again = await api(
        "PUT", "/api/points/triggers/1/edit", json={"name": "P", "group": group["id"]}
    )
    assert again.status == 200
    bad = await api("POST", "/api/points/triggers/new", json={"name": "B", "group": 77})
    assert bad.errors[0]["message"] == "group: This value is not valid."


async def test_event_types(api: Api) -> None:
    reply = await api("GET", "/api/points/triggers/events/types")
    assert reply.status == 200
    assert {"lead.changetags", "email.send"} <= set(reply.json["eventTypes"])
    missing = await api("GET", "/api/points/triggers/events")
    assert missing.status == 404
    assert missing.errors[0]["message"] == "Requested URL not found: /api/points/triggers/events"


async def test_delete_events_answers_without_them_but_keeps_them(api: Api) -> None:
    trigger = await create(api, description=None)
    ids = [e["id"] for e in trigger["events"]]
    query = "&".join(f"events[]={i}" for i in ids)
    reply = await api("DELETE", f"/api/points/triggers/1/events/delete?{query}")
    assert reply.status == 200
    body = reply.json["trigger"]
    assert body["events"] == []
    # No serializer groups, no serializeNull: null fields are left out.
    assert "description" not in body
    assert "publishUp" not in body
    assert "category" not in body
    assert body["isPublished"] is True
    assert body["name"] == "test"
    assert [e["id"] for e in (await get(api, 1))["events"]] == ids


async def test_delete_events_loose_ids_body_and_errors(api: Api) -> None:
    trigger = await create(api)
    first, second = (e["id"] for e in trigger["events"])
    reply = await api(
        "DELETE", "/api/points/triggers/1/events/delete", json={"events": [str(first), 999]}
    )
    assert [e["id"] for e in reply.json["trigger"]["events"]] == [second]
    scalar = await api("DELETE", f"/api/points/triggers/1/events/delete?events={first}")
    assert scalar.status == 400
    assert scalar.errors[0]["message"] == "The events attribute must be array."
    none = await api("DELETE", "/api/points/triggers/1/events/delete")
    assert none.errors[0]["message"] == "The events attribute must be array."
    missing = await api("DELETE", "/api/points/triggers/9/events/delete?events[]=1")
    assert missing.json == NOT_FOUND_BODY
    wrong_method = await api("POST", "/api/points/triggers/1/events/delete?events[]=1")
    assert wrong_method.status == 404


async def test_delete_and_batch(api: Api, emu: MauticEmulator) -> None:
    batch = [{k: v for k, v in PAYLOAD.items() if k != "events"}] * 2
    reply = await api("POST", "/api/points/triggers/batch/new", json=batch)
    assert reply.status == 201
    assert reply.json["statusCodes"] == [201, 201]
    assert [t["events"] for t in reply.json["triggers"]] == [[], []]
    edit = await api("PUT", "/api/points/triggers/batch/edit", json=[{"id": 1, **PAYLOAD}])
    assert edit.json["statusCodes"] == [200]
    assert edit.json["triggers"][0]["events"] == []  # new ids were not in the payload
    assert len(emu.triggers[1]["events"]) == 2
    deleted = await api("DELETE", "/api/points/triggers/1/delete")
    assert deleted.json["trigger"]["id"] is None
    assert len(deleted.json["trigger"]["events"]) == 2
    assert (await api("GET", "/api/points/triggers/1")).json == NOT_FOUND_BODY
    gone = await api("DELETE", "/api/points/triggers/batch/delete?ids=1,2")
    assert [t["id"] for t in gone.json["triggers"].values()] == [2]
    assert emu.triggers == {}


async def test_seeding_and_inspection(emu: MauticEmulator) -> None:
    group = emu.add_point_group("G")
    trigger = emu.add_trigger(
        "Hot lead",
        points=50,
        group=group["id"],
        events=[{"name": "Tag", "type": "lead.changetags", "properties": {"add_tags": ["hot"]}}],
    )
    assert list(trigger) == KEYS
    assert trigger["events"] == [
        {
            "id": 1,
            "name": "Tag",
            "description": None,
            "type": "lead.changetags",
            "order": 1,
            "properties": {"add_tags": ["hot"]},
        }
    ]
    assert emu.triggers == {1: trigger}
    import pytest

    with pytest.raises(ValueError, match="A name is required"):
        emu.add_trigger("")


async def test_a_write_answers_with_the_events_as_loaded_in_order(api: Api) -> None:
    """§3.3: an existing trigger's events are loaded ordered by ``order``; a write's
    answer keeps that collection order (new events appended), also when the write
    does not touch the events."""
    trigger = await create(api)
    first, second = trigger["events"]
    swap = {"events": [{"id": second["id"]}, {"id": first["id"]}]}
    reply = await api("PATCH", "/api/points/triggers/1/edit", json=swap)
    # the collection was loaded before the swap: the answer keeps that order
    assert [(e["id"], e["order"]) for e in reply.json["trigger"]["events"]] == [
        (first["id"], 2),
        (second["id"], 1),
    ]
    reply = await api("PATCH", "/api/points/triggers/1/edit", json={"name": "renamed"})
    assert [e["id"] for e in reply.json["trigger"]["events"]] == [second["id"], first["id"]]
    reply = await api(
        "PATCH", "/api/points/triggers/1/edit", json={"events": [{"name": "new", "type": "t"}]}
    )
    assert [e["name"] for e in reply.json["trigger"]["events"]] == [
        second["name"],
        first["name"],
        "new",
    ]
