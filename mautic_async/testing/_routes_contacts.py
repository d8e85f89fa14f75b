"""A minimal contact API: enough to create, read and delete contacts, custom contact
fields, and the contact main-points route ``POST /api/contacts/{id}/points/{op}/{n}``
(which ``POST /api/contacts/{id}/points/groups/{n}`` also falls into)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import web

from ._context import actor, context, error, params, respond
from ._entities import INT_MAX, INT_MIN, Actor, Row, format_date
from ._responses import ServerError
from ._schema import CONTACT_FIELDS as CUSTOM_FIELDS
from ._state import Store

__all__ = [
    "CONTACT_FIELDS",
    "custom_aliases",
    "new_contact",
    "serialize_contact",
    "setup_contact_routes",
]

CONTACT_FIELDS = ("firstname", "lastname", "company", "email")
"""Core profile fields the emulator keeps (others are accepted and ignored)."""
NOT_FOUND = "Item was not found."
CONTACT_NOT_FOUND = "Contact not found."
MAIN_POINT_OPERATORS = ("plus", "minus", "times", "divide")
_INT_PREFIX = re.compile(r"\s*[+-]?\d+")
_NUMERIC_START = re.compile(r"\s*[+-]?(?:\d|\.\d)")


def custom_aliases(store: Store) -> list[str]:
    """Aliases of the published custom contact fields, in creation order."""
    return [row["alias"] for row in store.table(CUSTOM_FIELDS) if row["isPublished"]]


def new_contact(values: Mapping[Any, Any], who: Actor, now: int, custom: Sequence[str] = ()) -> Row:
    """An unsaved contact row from submitted profile values.

    ``custom`` names the published custom fields: their submitted values are kept
    (as trimmed text) under ``row["custom"]``; other keys are ignored.
    """
    row: Row = {
        "id": None,
        "isPublished": True,
        "dateAdded": now,
        "dateModified": None,
        "createdBy": who.user_id,
        "createdByUser": who.name,
        "modifiedBy": None,
        "modifiedByUser": None,
        "points": 0,
        "dateIdentified": None,
    }
    for name in CONTACT_FIELDS:
        value = values.get(name)
        text = str(value).strip() if isinstance(value, str | int | float) else ""
        row[name] = text or None
    row["custom"] = {}
    for alias in custom:
        value = values.get(alias)
        text = str(value).strip() if isinstance(value, str | int | float) else ""
        row["custom"][alias] = text or None
    if row["email"]:
        row["dateIdentified"] = now
    return row


def serialize_contact(row: Row, custom: Sequence[str] = ()) -> dict[str, Any]:
    """A realistic but reduced ``contact`` object.

    ``fields.all`` holds the profile: the core fields, ``points``, then every published
    custom field in ``custom`` (``null`` when the contact has no value), as Mautic
    lists all published fields there. ``fields.core`` has the same fields (not ``id``)
    the way Mautic groups them, ``{alias: {..., "value": ...}}``, so a reader of
    ``fields.core.<alias>.value`` (e.g. a Point Insight's result) finds it too.
    UNVERIFIED choice (reduced shape): each entry carries only ``alias``, ``group``,
    ``value`` and ``normalizedValue``; every field is in group ``core`` (Mautic's
    default group for a new field), and ``social``/``personal``/``professional`` are
    empty.
    """
    profile = {"id": row["id"], **{name: row[name] for name in CONTACT_FIELDS}}
    profile["points"] = row["points"]
    values = row.get("custom") or {}
    for alias in custom:
        profile[alias] = values.get(alias)
    core = {
        alias: {"alias": alias, "group": "core", "value": value, "normalizedValue": value}
        for alias, value in profile.items()
        if alias != "id"
    }
    return {
        "isPublished": row["isPublished"],
        "dateAdded": format_date(row["dateAdded"]),
        "dateModified": format_date(row["dateModified"]),
        "createdBy": row["createdBy"],
        "createdByUser": row["createdByUser"],
        "modifiedBy": row["modifiedBy"],
        "modifiedByUser": row["modifiedByUser"],
        "id": row["id"],
        "points": row["points"],
        "color": None,
        "fields": {
            "core": core,
            "social": [],
            "personal": [],
            "professional": [],
            "all": profile,
        },
        "lastActive": None,
        "owner": None,
        "ipAddresses": [],
        "tags": [],
        "utmtags": [],
        "stage": None,
        "dateIdentified": format_date(row["dateIdentified"]),
        "preferredProfileImage": "gravatar",
        "doNotContact": [],
        "frequencyRules": [],
    }


async def create_contact(request: web.Request) -> web.Response:
    """``POST /api/contacts/new``: 201 with ``Location``.

    Emulator choice (beyond the spec, from ``LeadApiController::newEntityAction``): a
    contact whose ``email`` matches an existing one (case-insensitively) updates that
    contact instead and answers 200 with the same id. No field validation is emulated;
    published custom fields are accepted by alias.
    """
    ctx, data, who = context(request), params(request), actor(request)
    contacts = ctx.store.contacts
    custom = custom_aliases(ctx.store)
    email = data.get("email")
    if isinstance(email, str) and email.strip():
        wanted = email.strip().casefold()
        for existing in contacts:
            if (existing["email"] or "").casefold() == wanted:
                update = new_contact(data, who, ctx.now(), custom)
                changed = {k: update[k] for k in CONTACT_FIELDS if k in data}
                values = {**existing.get("custom", {})}
                values.update({k: update["custom"][k] for k in custom if k in data})
                merged = {
                    **existing,
                    **changed,
                    "custom": values,
                    "modifiedBy": who.user_id,
                    "modifiedByUser": who.name,
                }
                if any(merged[k] != existing.get(k) for k in (*changed, "custom")):
                    merged["dateModified"] = ctx.now()
                contacts.save(merged)
                return respond(request, {"contact": serialize_contact(merged, custom)})
    row = contacts.insert(new_contact(data, who, ctx.now(), custom))
    headers = {"Location": f"/api/contacts/{row['id']}"}
    return respond(request, {"contact": serialize_contact(row, custom)}, 201, headers)


async def get_contact(request: web.Request) -> web.Response:
    """``GET /api/contacts/{id}`` (custom fields, e.g. insight results, in ``fields.all``)."""
    store = context(request).store
    row = store.contacts.find(request.match_info["id"])
    if row is None:
        return error(request, NOT_FOUND, 404)
    return respond(request, {"contact": serialize_contact(row, custom_aliases(store))})


async def delete_contact(request: web.Request) -> web.Response:
    """``DELETE /api/contacts/{id}/delete``: the contact with ``id: null``; scores go too."""
    store = context(request).store
    row = store.contacts.find(request.match_info["id"])
    if row is None:
        return error(request, NOT_FOUND, 404)
    store.delete_contact(row["id"])
    body = {"contact": serialize_contact({**row, "id": None}, custom_aliases(store))}
    return respond(request, body)


def adjust_main_points(points: int, operator: str, delta: int) -> int:
    """``Lead::adjustPoints`` for a non-zero ``delta``; raises ``ValueError`` for
    ``Invalid operator`` (``set`` included: the switch has no case for it).

    UNVERIFIED choice (spec 4, issue #10): ``divide`` computes a PHP float (``/=``)
    that reaches the INT ``points`` column; the emulator reads it as PHP's integer
    coercion, which truncates toward zero (``7 / 2`` stores 3, ``-7 / 2`` stores -3),
    not as MySQL rounding a decimal literal. A result outside MySQL's signed INT range
    is a 500 (strict ``sql_mode``).
    """
    if operator == "plus":
        result = points + delta
    elif operator == "minus":
        result = points - delta
    elif operator == "times":
        result = points * delta
    elif operator == "divide":
        result = abs(points) // abs(delta)
        if (points < 0) != (delta < 0):
            result = -result
    else:
        raise ValueError("Invalid operator")
    if not INT_MIN <= result <= INT_MAX:
        raise ServerError(500)
    return result


async def adjust_contact_points(request: web.Request) -> web.Response:
    """``POST /api/contacts/{leadId}/points/{operator}/{delta}`` (``PointApiController``).

    In Mautic's order:

    1. a missing contact is a 404 ``Contact not found.`` (``checkLeadAccess``; the
       group-score routes say "Contact could not be found." instead);
    2. the change log takes ``int $pointChanges``: a ``{delta}`` that does not start
       like a number (``abc``) is a ``TypeError``, a 500 (UNVERIFIED);
    3. ``Lead::adjustPoints``: ``(int) $delta`` of 0 returns at once (200 even for an
       unknown operator); only ``plus``, ``minus``, ``times`` and ``divide`` are
       operators, anything else (``set`` too) is a 400 ``Invalid operator``;
    4. the answer is exactly ``{"success":1}``.

    The optional ``eventName``/``actionName`` body fields only feed the change log
    (not emulated). This never touches group scores, so it runs no Point Insights.
    This is also what ``POST /api/contacts/{id}/points/groups/{n}`` hits.
    """
    contacts = context(request).store.contacts
    row = contacts.find(request.match_info["leadId"])
    if row is None:
        return error(request, CONTACT_NOT_FOUND, 404)
    raw = request.match_info["delta"]
    if not _NUMERIC_START.match(raw):
        raise ServerError(500)
    match = _INT_PREFIX.match(raw)
    delta = int(match.group(0)) if match else 0
    if delta == 0:
        return respond(request, {"success": 1})
    operator = request.match_info["operator"]
    if operator not in MAIN_POINT_OPERATORS:
        return error(request, "Invalid operator", 400)
    points = adjust_main_points(row["points"], operator, delta)
    contacts.save({**row, "points": points})
    return respond(request, {"success": 1})


def setup_contact_routes(router: web.UrlDispatcher) -> None:
    """Register the contact routes."""
    router.add_route("POST", "/api/contacts/new", create_contact)
    router.add_route("GET", r"/api/contacts/{id:\d+}", get_contact)
    router.add_route("DELETE", r"/api/contacts/{id:\d+}/delete", delete_contact)
    router.add_route(
        "POST", r"/api/contacts/{leadId:\d+}/points/{operator}/{delta}", adjust_contact_points
    )
