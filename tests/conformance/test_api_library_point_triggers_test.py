"""``mautic/api-library`` ``tests/Api/PointTriggersTest.php``, over raw HTTP and
through ``mautic.point_triggers``.

Its ``validateComponentsPayload`` callback checks, for every payload key, that the
item's ``events`` are not empty and, for ``events``, that the name of the payload's
last event equals ``$item['events'][$lastKey]['name']``: it reads the answer's events
by list index (mautic-points-api.md §3.3), in the POST, GET, PATCH, PUT and batch
answers alike. Other keys are compared with ``assertSame``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pytest

from mautic_async import EventsNotDeletedError, MauticClient, NotFoundError
from mautic_async.testing import MauticEmulator

from .conftest import Http, assert_errors

PAYLOAD: dict[str, Any] = {
    "name": "test",
    "description": "created as a API test",
    "points": 5,
    "color": "4e5d9d",
    "triggerExistingLeads": False,
    "events": [
        {
            "name": "tag test event",
            "description": "created as a API test",
            "type": "lead.changetags",
            "order": 1,
            "properties": {"add_tags": ["tag-a"], "remove_tags": []},
        },
        {
            "name": "send email test event",
            "description": "created as a API test",
            "type": "email.send",
            "order": 2,
            "properties": {"email": 1},
        },
    ],
}


def assert_trigger(item: Mapping[str, Any], payload: Mapping[str, Any]) -> None:
    """``assertPayload`` with the test's ``validateComponentsPayload`` callback."""
    for key, value in payload.items():
        assert item["events"], f"The point trigger event array is empty: {item!r}"
        if key == "events":
            last = len(value) - 1
            assert item["events"][last]["name"] == value[last]["name"], item
        else:
            assert item[key] == value, (key, item[key])
            assert type(item[key]) is type(value), (key, item[key])


async def _create(http: Http, payload: Mapping[str, Any] = PAYLOAD) -> dict[str, Any]:
    reply = await http("POST", "/api/points/triggers/new", json=payload)
    assert reply.status == 201, reply.text
    assert_errors(reply)
    trigger: dict[str, Any] = reply.json["trigger"]
    return trigger


# --- over HTTP, as the PHP test sends it -------------------------------------------


async def test_get_list(http: Http) -> None:
    await _create(http)
    reply = await http("GET", "/api/points/triggers")
    assert_errors(reply)
    assert reply.json["total"] == 1
    assert isinstance(reply.json["triggers"], list)
    query = {"where[0][col]": "name", "where[0][expr]": "isNotEmpty"}
    reply = await http("GET", "/api/points/triggers", params=query)
    assert_errors(reply)
    assert reply.json["total"] == 1
    assert reply.json["triggers"][0]["name"]


async def test_get_list_of_specific_ids(http: Http) -> None:
    ids = [(await _create(http))["id"] for _ in range(3)]
    await _create(http)
    reply = await http(
        "GET", "/api/points/triggers", params={"search": "ids:" + ",".join(map(str, ids))}
    )
    assert_errors(reply)
    assert reply.json["total"] == 3
    for item in reply.json["triggers"]:
        assert item["id"] in ids
        assert_errors(await http("DELETE", f"/api/points/triggers/{item['id']}/delete"))


async def test_create_get_and_delete(http: Http) -> None:
    created = await _create(http)
    assert created["id"]
    assert_trigger(created, PAYLOAD)
    reply = await http("GET", f"/api/points/triggers/{created['id']}")
    assert_errors(reply)
    assert_trigger(reply.json["trigger"], PAYLOAD)
    reply = await http("DELETE", f"/api/points/triggers/{created['id']}/delete")
    assert_errors(reply)
    assert reply.json["trigger"]["id"] is None


async def test_edit_patch(http: Http) -> None:
    reply = await http("PATCH", "/api/points/triggers/10000/edit", json=PAYLOAD)
    assert reply.status == 404
    assert reply.json["errors"][0]["message"] == "Item was not found."
    created = await _create(http)
    assert_trigger(created, PAYLOAD)
    edit_to = {"name": "test2", "events": PAYLOAD["events"]}
    reply = await http("PATCH", f"/api/points/triggers/{created['id']}/edit", json=edit_to)
    assert reply.status == 200
    assert_errors(reply)
    assert_trigger(reply.json["trigger"], edit_to)
    assert_errors(await http("DELETE", f"/api/points/triggers/{created['id']}/delete"))


async def test_edit_put(http: Http) -> None:
    reply = await http("PUT", "/api/points/triggers/10000/edit", json=PAYLOAD)
    assert reply.status == 201
    assert_errors(reply)
    assert_trigger(reply.json["trigger"], PAYLOAD)
    assert_errors(
        await http("DELETE", f"/api/points/triggers/{reply.json['trigger']['id']}/delete")
    )


async def test_event_delete_via_put(http: Http) -> None:
    reply = await http("PUT", "/api/points/triggers/10000/edit", json=PAYLOAD)
    assert_errors(reply)
    trigger = reply.json["trigger"]
    del trigger["events"]
    # the whole answer goes back, publish fields, dates and nulls included
    reply = await http("PUT", f"/api/points/triggers/{trigger['id']}/edit", json=trigger)
    assert reply.status == 200, reply.text
    assert_errors(reply)
    assert reply.json["trigger"]["events"] == [], "Trigger events were not deleted via PUT request"
    # §3.3: the removal is in the answer only (no orphanRemoval): a read still has them
    again = (await http("GET", f"/api/points/triggers/{trigger['id']}")).json["trigger"]
    assert [e["name"] for e in again["events"]] == [e["name"] for e in PAYLOAD["events"]]
    assert_errors(await http("DELETE", f"/api/points/triggers/{trigger['id']}/delete"))


async def test_delete_events(http: Http) -> None:
    created = await _create(http)
    event_ids = [event["id"] for event in created["events"]]
    params = [("events[]", str(i)) for i in event_ids]
    reply = await http(
        "DELETE", f"/api/points/triggers/{created['id']}/events/delete", params=params
    )
    assert reply.status == 200
    assert_errors(reply)
    assert not reply.json["trigger"]["events"], "Events were not deleted"
    # §3.4: not persisted (confirmed on 7.1.3)
    again = (await http("GET", f"/api/points/triggers/{created['id']}")).json["trigger"]
    assert [e["id"] for e in again["events"]] == event_ids
    assert_errors(await http("DELETE", f"/api/points/triggers/{created['id']}/delete"))


async def test_get_event_types(http: Http) -> None:
    reply = await http("GET", "/api/points/triggers/events/types")
    assert_errors(reply)
    types = reply.json["eventTypes"]
    assert types
    assert {e["type"] for e in PAYLOAD["events"]} <= set(types)


async def test_batch_endpoints(http: Http) -> None:
    batch = [copy.deepcopy(PAYLOAD) for _ in range(3)]
    reply = await http("POST", "/api/points/triggers/batch/new", json=batch)
    assert reply.status == 201
    assert_errors(reply)
    created = reply.json["triggers"]
    assert len(created) == 3
    assert created[0]["id"]
    for item, payload in zip(created, batch, strict=True):
        assert_trigger(item, payload)
    for item, payload in zip(created, batch, strict=True):
        payload["id"] = item["id"]
        del payload["events"]  # the test's callback strips events after create
    reply = await http("PATCH", "/api/points/triggers/batch/edit", json=batch)
    assert reply.status == 200
    assert_errors(reply)
    for item, payload in zip(reply.json["triggers"], batch, strict=True):
        assert_trigger(item, payload)  # PATCH keeps the events: still not empty
    params = {f"ids[{n}]": str(p["id"]) for n, p in enumerate(batch)}
    reply = await http("DELETE", "/api/points/triggers/batch/delete", params=params)
    assert reply.status == 200
    assert_errors(reply)
    assert len(reply.json["triggers"]) == 3
    for item, payload in zip(reply.json["triggers"], batch, strict=True):
        assert_trigger(item, payload)


# --- the same through mautic.point_triggers -----------------------------------------

CLIENT_PAYLOAD: dict[str, Any] = {
    **{k: v for k, v in PAYLOAD.items() if k != "triggerExistingLeads"},
    "trigger_existing_leads": False,
}


def _check(trigger: Any) -> None:
    assert trigger.id
    assert (trigger.name, trigger.points, trigger.color, trigger.trigger_existing_leads) == (
        "test",
        5,
        "4e5d9d",
        False,
    )
    assert trigger.events, "The point trigger event array is empty"
    assert trigger.events[-1].name == "send email test event"


async def test_client_create_get_and_delete(mautic: MauticClient) -> None:
    created = await mautic.point_triggers.create(CLIENT_PAYLOAD)  # type: ignore[arg-type]
    _check(created)
    assert [(e.name, e.order) for e in created.events] == [
        ("tag test event", 1),
        ("send email test event", 2),
    ]
    assert created.events[0].properties == {"add_tags": ["tag-a"], "remove_tags": []}
    _check(await mautic.point_triggers.get(created.id))
    await mautic.point_triggers.delete(created.id)
    with pytest.raises(NotFoundError, match="Item was not found"):
        await mautic.point_triggers.get(created.id)


async def test_client_list_of_specific_ids(mautic: MauticClient) -> None:
    ids = [(await mautic.point_triggers.create(CLIENT_PAYLOAD)).id for _ in range(3)]  # type: ignore[arg-type]
    page = await mautic.point_triggers.list(search="ids:" + ",".join(map(str, ids)))
    assert page.total == 3
    assert sorted(t.id for t in page.items) == sorted(ids)


async def test_client_edit_patch(mautic: MauticClient) -> None:
    with pytest.raises(NotFoundError):
        await mautic.point_triggers.edit(10000, CLIENT_PAYLOAD)  # type: ignore[arg-type]
    created = await mautic.point_triggers.create(CLIENT_PAYLOAD)  # type: ignore[arg-type]
    edited = await mautic.point_triggers.edit(
        created.id,
        {"name": "test2", "events": PAYLOAD["events"]},
    )
    assert edited.name == "test2"
    # PATCH adds the events without ids after the kept ones
    assert [e.name for e in edited.events][1] == "send email test event"
    assert len(edited.events) == 4


async def test_client_edit_put_and_event_delete_via_put(mautic: MauticClient) -> None:
    replaced = await mautic.point_triggers.replace(10000, CLIENT_PAYLOAD)  # type: ignore[arg-type]
    _check(replaced)
    without = {k: v for k, v in CLIENT_PAYLOAD.items() if k != "events"}
    again = await mautic.point_triggers.replace(replaced.id, without)  # type: ignore[arg-type]
    assert again.events == []
    stored = await mautic.point_triggers.get(replaced.id)
    assert [e.id for e in stored.events] == [e.id for e in replaced.events]


async def test_client_delete_events(mautic: MauticClient) -> None:
    created = await mautic.point_triggers.create(CLIENT_PAYLOAD)  # type: ignore[arg-type]
    ids = [e.id for e in created.events]
    with pytest.raises(EventsNotDeletedError) as caught:
        await mautic.point_triggers.delete_events(created.id, ids)
    assert caught.value.event_ids == tuple(ids)
    for event_id in ids:
        assert str(event_id) in str(caught.value)


async def test_client_event_types(mautic: MauticClient) -> None:
    types = await mautic.point_triggers.event_types()
    assert {"lead.changetags", "email.send"} <= set(types)


async def test_client_batch_endpoints(mautic: MauticClient, emulator: MauticEmulator) -> None:
    created = await mautic.point_triggers.create_batch([CLIENT_PAYLOAD] * 3)  # type: ignore[list-item]
    assert [i.status_code for i in created.items] == [201, 201, 201]
    triggers = [i.item for i in created.items]
    for trigger in triggers:
        _check(trigger)
    ids = [t.id for t in triggers if t is not None]
    without = {k: v for k, v in CLIENT_PAYLOAD.items() if k != "events"}
    edited = await mautic.point_triggers.edit_batch([{**without, "id": i} for i in ids])  # type: ignore[list-item]
    for item in edited.items:
        _check(item.item)
    deleted = await mautic.point_triggers.delete_batch(ids)
    for item in deleted.items:
        _check(item.item)
