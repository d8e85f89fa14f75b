"""A minimal contact API: enough to create, read and delete contacts (and the old
contact-points route that ``POST /api/contacts/{id}/points/groups/{n}`` falls into)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from ._context import actor, context, error, params, respond
from ._entities import Actor, Row, format_date

__all__ = ["CONTACT_FIELDS", "new_contact", "serialize_contact", "setup_contact_routes"]

CONTACT_FIELDS = ("firstname", "lastname", "company", "email")
"""Core profile fields the emulator keeps (others are accepted and ignored)."""
NOT_FOUND = "Item was not found."
_INT_PREFIX = re.compile(r"\s*[+-]?\d+")


def new_contact(values: Mapping[Any, Any], who: Actor, now: int) -> Row:
    """An unsaved contact row from submitted profile values."""
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
    if row["email"]:
        row["dateIdentified"] = now
    return row


def serialize_contact(row: Row) -> dict[str, Any]:
    """A realistic but reduced ``contact`` object (``fields.all`` holds the profile)."""
    profile = {"id": row["id"], **{name: row[name] for name in CONTACT_FIELDS}}
    profile["points"] = row["points"]
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
        "fields": {"all": profile},
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
    contact instead and answers 200 with the same id. No field validation is emulated.
    """
    ctx, data, who = context(request), params(request), actor(request)
    contacts = ctx.store.contacts
    email = data.get("email")
    if isinstance(email, str) and email.strip():
        wanted = email.strip().casefold()
        for existing in contacts:
            if (existing["email"] or "").casefold() == wanted:
                update = new_contact(data, who, ctx.now())
                changed = {k: update[k] for k in CONTACT_FIELDS if k in data}
                merged = {
                    **existing,
                    **changed,
                    "modifiedBy": who.user_id,
                    "modifiedByUser": who.name,
                }
                if changed and any(existing[k] != v for k, v in changed.items()):
                    merged["dateModified"] = ctx.now()
                contacts.save(merged)
                return respond(request, {"contact": serialize_contact(merged)})
    row = contacts.insert(new_contact(data, who, ctx.now()))
    headers = {"Location": f"/api/contacts/{row['id']}"}
    return respond(request, {"contact": serialize_contact(row)}, 201, headers)


async def get_contact(request: web.Request) -> web.Response:
    """``GET /api/contacts/{id}``."""
    row = context(request).store.contacts.find(request.match_info["id"])
    if row is None:
        return error(request, NOT_FOUND, 404)
    return respond(request, {"contact": serialize_contact(row)})


async def delete_contact(request: web.Request) -> web.Response:
    """``DELETE /api/contacts/{id}/delete``: the contact with ``id: null``; scores go too."""
    store = context(request).store
    row = store.contacts.find(request.match_info["id"])
    if row is None:
        return error(request, NOT_FOUND, 404)
    store.delete_contact(row["id"])
    return respond(request, {"contact": serialize_contact({**row, "id": None})})


async def adjust_contact_points(request: web.Request) -> web.Response:
    """``POST /api/contacts/{leadId}/points/{operator}/{delta}`` (``PointApiController``).

    ``Lead::adjustPoints`` returns early when ``(int) $delta`` is 0 (``{"success":1}``
    whatever the operator); an unknown operator throws ``Invalid operator``, answered
    as a 400 controller error. This is what ``POST /api/contacts/{id}/points/groups/{n}``
    hits. UNVERIFIED choice: a missing contact is the generic 404 "Item was not found.".
    """
    contacts = context(request).store.contacts
    row = contacts.find(request.match_info["leadId"])
    if row is None:
        return error(request, NOT_FOUND, 404)
    match = _INT_PREFIX.match(request.match_info["delta"])
    delta = int(match.group(0)) if match else 0
    if delta == 0:
        return respond(request, {"success": 1})
    points = row["points"]
    operator = request.match_info["operator"]
    if operator == "plus":
        points += delta
    elif operator == "minus":
        points -= delta
    elif operator == "times":
        points *= delta
    elif operator == "divide":
        points = int(points / delta)
    elif operator == "set":
        points = delta
    else:
        return error(request, "Invalid operator", 400)
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
