"""Point triggers and their events through the client, answers faked
(mautic-points-api.md §3)."""

from __future__ import annotations

from typing import Any

import pytest
from aioresponses import aioresponses

from mautic_async import (
    EventsNotDeletedError,
    MauticClient,
    NotFoundError,
    PointTriggerData,
    TriggerEvent,
    TriggerEventData,
    UnexpectedResponseError,
)

from .conftest import API, calls, only_call, url_re

TRIGGERS = API + "points/triggers"


def event_json(id: int, order: int, **overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": id,
        "name": f"Event {id}",
        "description": None,
        "type": "lead.changetags",
        "order": order,
        "properties": {"add_tags": ["hot"]},
    }
    event.update(overrides)
    return event


def trigger_json(**overrides: Any) -> dict[str, Any]:
    trigger: dict[str, Any] = {
        "isPublished": True,
        "dateAdded": "2024-10-24T15:54:35+00:00",
        "dateModified": None,
        "createdBy": 1,
        "createdByUser": "Admin User",
        "modifiedBy": None,
        "modifiedByUser": None,
        "id": 3,
        "name": "Hot lead",
        "category": None,
        "description": None,
        "publishUp": None,
        "publishDown": None,
        "points": 50,
        "color": "a0acb8",
        "events": [event_json(10, 1), event_json(11, 2)],
        "triggerExistingLeads": False,
    }
    trigger.update(overrides)
    return trigger


async def test_get_reads_events_as_a_list_in_order(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.get(f"{TRIGGERS}/3", payload={"trigger": trigger_json()})
    trigger = await client.point_triggers.get(3)
    assert (trigger.points, trigger.color, trigger.trigger_existing_leads) == (50, "a0acb8", False)
    assert trigger.events == [
        TriggerEvent(10, 1, "Event 10", "lead.changetags", None, {"add_tags": ["hot"]}),
        TriggerEvent(11, 2, "Event 11", "lead.changetags", None, {"add_tags": ["hot"]}),
    ]


async def test_id_keyed_events_from_older_servers_are_read_as_sent(
    client: MauticClient, mock_http: aioresponses
) -> None:
    events = {"10": event_json(10, 1), "11": event_json(11, 2)}
    mock_http.get(f"{TRIGGERS}/3", payload={"trigger": trigger_json(events=events)})
    trigger = await client.point_triggers.get(3)
    assert [(e.id, e.order) for e in trigger.events] == [(10, 1), (11, 2)]


async def test_event_fields_are_typed_as_mautic_sends_them(
    client: MauticClient, mock_http: aioresponses
) -> None:
    # A stored event always has a name and a type (NOT NULL columns) and properties
    # ([] when empty, PHP's empty array); only description is null.
    event = event_json(10, 1, properties=[], description=None)
    mock_http.get(f"{TRIGGERS}/3", payload={"trigger": trigger_json(events=[event])})
    (read,) = (await client.point_triggers.get(3)).events
    assert read == TriggerEvent(10, 1, "Event 10", "lead.changetags", None, {})


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"name": None}, "key 'name' is null"),
        ({"type": None}, "key 'type' is null"),
        ({"properties": None}, "key 'properties' is null"),
        ({"name": ...}, "required key 'name' is missing"),
        ({"properties": ...}, "required key 'properties' is missing"),
    ],
    ids=["null name", "null type", "null properties", "no name", "no properties"],
)
async def test_an_event_without_a_field_mautic_always_sends_is_refused(
    client: MauticClient, mock_http: aioresponses, change: dict[str, Any], said: str
) -> None:
    event = {k: v for k, v in {**event_json(10, 1), **change}.items() if v is not ...}
    mock_http.get(f"{TRIGGERS}/3", payload={"trigger": trigger_json(events=[event])})
    with pytest.raises(UnexpectedResponseError) as info:
        await client.point_triggers.get(3)
    assert f"GET /api/points/triggers/3: cannot read PointTrigger: {said}" in str(info.value)
    assert "@ $.events[0]" in str(info.value)


@pytest.mark.parametrize("empty", [[], {}], ids=["list", "object"])
async def test_no_events(client: MauticClient, mock_http: aioresponses, empty: Any) -> None:
    mock_http.get(f"{TRIGGERS}/3", payload={"trigger": trigger_json(events=empty)})
    assert (await client.point_triggers.get(3)).events == []


async def test_create_serialises_nested_events(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(f"{TRIGGERS}/new", status=201, payload={"trigger": trigger_json()})
    trigger = await client.point_triggers.create(
        PointTriggerData(
            "Hot lead",
            points=50,
            group=4,
            events=[
                TriggerEventData("Tag", "lead.changetags", properties={"add_tags": ["hot"]}),
                {"name": "Mail", "type": "email.send", "description": None},
            ],
        )
    )
    assert trigger.group == 4  # kept: Mautic never returns it
    assert only_call(mock_http).json == {
        "name": "Hot lead",
        "points": 50,
        "group": 4,
        "events": [
            {"name": "Tag", "type": "lead.changetags", "properties": {"add_tags": ["hot"]}},
            {"name": "Mail", "type": "email.send", "description": None},
        ],
    }


async def test_edit_keeps_existing_event_ids(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.patch(f"{TRIGGERS}/3/edit", payload={"trigger": trigger_json()})
    await client.point_triggers.edit(3, {"events": [{"id": 10, "name": "Renamed"}]})
    assert only_call(mock_http).json == {"events": [{"name": "Renamed", "id": 10}]}


@pytest.mark.parametrize(
    ("events", "error", "match"),
    [
        pytest.param("tag", TypeError, "events must be a list", id="string"),
        pytest.param({"name": "x"}, TypeError, "events must be a list", id="one-mapping"),
        pytest.param([{"nme": "x"}], ValueError, r"events\[0\]: unknown field", id="typo"),
        pytest.param([5], TypeError, r"events\[0\]: must be a TriggerEventData", id="int"),
        pytest.param([{"id": 0}], ValueError, r"events\[0\]", id="bad-id"),
    ],
)
def test_bad_events_are_refused(events: Any, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        PointTriggerData("T", events=events)


async def test_event_types(client: MauticClient, mock_http: aioresponses) -> None:
    types = {"email.send": "Send an email", "lead.changetags": "Modify contact's tags"}
    mock_http.get(f"{TRIGGERS}/events/types", payload={"eventTypes": types})
    assert await client.point_triggers.event_types() == types


async def test_delete_events_raises_when_mautic_kept_them(
    client: MauticClient, mock_http: aioresponses
) -> None:
    # Mautic's answer leaves the event out; its next GET still has it (not persisted).
    mock_http.delete(
        url_re("points/triggers/3/events/delete"),
        payload={"trigger": trigger_json(events=[event_json(11, 2)])},
    )
    mock_http.get(f"{TRIGGERS}/3", payload={"trigger": trigger_json()})
    with pytest.raises(EventsNotDeletedError) as caught:
        await client.point_triggers.delete_events(3, [10])
    assert caught.value.event_ids == (10,)
    assert [e.id for e in caught.value.trigger.events] == [10, 11]
    assert "did not delete event(s) 10 of trigger 3" in str(caught.value)
    delete = next(c for c in calls(mock_http) if c.method == "DELETE")
    assert delete.path == "/api/points/triggers/3/events/delete"
    assert list(delete.query.items()) == [("events[0]", "10")]


async def test_delete_events_returns_the_trigger_when_they_are_gone(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.delete(
        url_re("points/triggers/3/events/delete"),
        payload={"trigger": trigger_json(events=[event_json(11, 2)])},
    )
    mock_http.get(f"{TRIGGERS}/3", payload={"trigger": trigger_json(events=[event_json(11, 1)])})
    trigger = await client.point_triggers.delete_events(3, [10, 99])
    assert [e.id for e in trigger.events] == [11]


async def test_delete_events_of_a_missing_trigger(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.delete(
        url_re("points/triggers/3/events/delete"),
        status=404,
        payload={"errors": [{"code": 404, "message": "Item was not found.", "details": []}]},
    )
    with pytest.raises(NotFoundError, match=r"Item was not found\."):
        await client.point_triggers.delete_events(3, [10])


@pytest.mark.parametrize(
    ("ids", "error"), [([], ValueError), ("10", TypeError), ([0], ValueError), ([True], TypeError)]
)
async def test_delete_events_checks_ids_first(
    client: MauticClient, mock_http: aioresponses, ids: Any, error: type
) -> None:
    with pytest.raises(error):
        await client.point_triggers.delete_events(3, ids)
    assert not mock_http.requests


async def test_an_events_delete_answer_without_a_trigger_is_unexpected(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.delete(url_re("points/triggers/3/events/delete"), payload={"success": 1})
    with pytest.raises(UnexpectedResponseError, match='key "trigger"'):
        await client.point_triggers.delete_events(3, [10])


async def test_raw_event_types_and_get(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(f"{TRIGGERS}/events/types", payload={"eventTypes": {"a": "A"}})
    response = await client.point_triggers.with_raw_response.event_types()
    assert (response.status, response.parse()) == (200, {"a": "A"})
    mock_http.get(f"{TRIGGERS}/3", payload={"trigger": trigger_json()})
    raw = await client.point_triggers.with_raw_response.get(3)
    assert [e.id for e in raw.parse().events] == [10, 11]


def test_an_event_order_is_accepted_and_left_out() -> None:
    """api-library's PointTriggersTest sends `order`; Mautic ignores it (position wins)."""
    data = PointTriggerData("T", events=[{"name": "A", "type": "email.send", "order": 2}])
    assert data.events == (TriggerEventData("A", "email.send"),)
    with pytest.raises(TypeError, match="order"):
        PointTriggerData("T", events=[{"name": "A", "order": "2"}])
