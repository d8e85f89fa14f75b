"""Point triggers: CRUD with nested events, event types, ``events/delete`` (spec 3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from ._context import context, error, params, respond
from ._crud import NOT_FOUND, add_crud_routes
from ._entities import OMIT
from ._http import parse_query
from ._php import php_key
from ._schema import TRIGGER, TRIGGER_EVENT_TYPES

__all__ = ["setup_trigger_routes"]

EVENTS_NOT_ARRAY = "The events attribute must be array."


async def event_types(request: web.Request) -> web.Response:
    """``GET /api/points/triggers/events/types``: ``{"eventTypes": {key: label}}``."""
    return respond(request, {"eventTypes": dict(TRIGGER_EVENT_TYPES)})


def _without_nulls(value: Any) -> Any:
    """JMS without ``serializeNull``: null values vanish from objects and lists."""
    if isinstance(value, Mapping):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value if v is not None]
    return value


async def delete_events(request: web.Request) -> web.Response:
    """``DELETE /api/points/triggers/{triggerId}/events/delete?events[]=3&events[]=4``.

    Reproduces ``deletePointTriggerEventsAction`` (spec 3.4), including its quirk,
    confirmed on Mautic 7.1.3: the answer is the trigger with the listed events taken
    out of the in-memory collection, but **nothing is saved**: a following GET still
    lists them. ``events`` is read from the query string, then the body, and must be
    an array (else 400 ``The events attribute must be array.``); ids compare loosely
    (``"3"`` matches 3) and ids not on the trigger are ignored. The trigger is
    serialized without serializer groups and without ``serializeNull``: every field
    (publish fields included) except those that are null. UNVERIFIED: that exact key
    set.
    """
    store = context(request).store
    row = store.table(TRIGGER.multi).find(request.match_info["triggerId"])
    if row is None:
        return error(request, NOT_FOUND, 404)
    query = parse_query(request)
    events = query["events"] if "events" in query else params(request).get("events")
    if not isinstance(events, Mapping):
        return error(request, EVENTS_NOT_ARRAY, 400)
    listed = {php_key(value) for value in events.values() if not isinstance(value, Mapping)}
    loaded = sorted(row["events"], key=lambda e: (e["order"] or 0, e["id"]))  # orderBy order
    dropped = {e["id"] for e in loaded if e["id"] in listed}
    shown = {**row, "events": loaded, OMIT: {"events": dropped}}
    return respond(request, {"trigger": _without_nulls(TRIGGER.serialize(shown))})


def setup_trigger_routes(router: web.UrlDispatcher) -> None:
    """Register the trigger routes."""
    router.add_route("GET", "/api/points/triggers/events/types", event_types)
    router.add_route("DELETE", r"/api/points/triggers/{triggerId:\d+}/events/delete", delete_events)
    add_crud_routes(router, TRIGGER)
