"""Point groups: the CRUD entity and the contact group-score routes (spec sections 1, 2)."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from ._context import context, error, respond
from ._crud import add_crud_routes
from ._entities import Row, parse_version
from ._responses import ServerError
from ._routes_insights import evaluate_insights
from ._schema import POINT_GROUP

__all__ = ["POINT_GROUP", "setup_point_group_routes"]

CONTACT_NOT_FOUND = "Contact could not be found."
GROUP_NOT_FOUND = "The specified point group was not found."
NOT_PERMITTED = "The requested operation is not permitted."
OPERATORS = ("plus", "minus", "times", "divide", "set")
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
_NUMERIC = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def group_summary(row: Row) -> dict[str, Any]:
    """A group nested in a score: ``id, name, description``, null fields omitted
    (``serializeNull`` is off for these endpoints)."""
    values = {"id": row["id"], "name": row["name"], "description": row["description"]}
    return {key: value for key, value in values.items() if value is not None}


def score_body(score: int, group: Row) -> dict[str, Any]:
    """One ``GroupContactScore``: ``{"score": n, "group": {...}}``."""
    return {"score": score, "group": group_summary(group)}


def int_argument(raw: str) -> int:
    """PHP binding a route string to ``int $value``: numeric strings are accepted
    (a fraction is truncated, with a deprecation only); anything else is a
    ``TypeError``, i.e. an uncaught 500 (UNVERIFIED)."""
    match = _NUMERIC.match(raw)
    if match is None or raw[match.end() :].strip():
        raise ServerError(500)
    text = match.group(0).strip()
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else int(float(text))


def adjust(score: int, operator: str, value: int) -> int:
    """``PointGroupModel::adjustPoints`` arithmetic on an INT column.

    UNVERIFIED choices, from code: dividing with a remainder yields a PHP float that
    ``setScore(int)`` rejects under ``strict_types`` (500); dividing by zero is a
    ``DivisionByZeroError`` (500); a result outside MySQL's signed INT range is
    rejected by strict ``sql_mode`` (500).
    """
    if operator == "plus":
        result = score + value
    elif operator == "minus":
        result = score - value
    elif operator == "times":
        result = score * value
    elif operator == "divide":
        if value == 0 or score % value:
            raise ServerError(500)
        result = score // value
    else:
        result = value
    if not INT_MIN <= result <= INT_MAX:
        raise ServerError(500)
    return result


def _contact_and_group(request: web.Request) -> tuple[int, Row | None] | web.Response:
    """Checks 1 and 3 of every score action: contact first, then group."""
    store = context(request).store
    contact = store.contacts.find(request.match_info["contactId"])
    if contact is None:
        return error(request, CONTACT_NOT_FOUND, 404)
    if "groupId" not in request.match_info:
        return contact["id"], None
    group = store.table(POINT_GROUP.multi).find(request.match_info["groupId"])
    if group is None:
        return error(request, GROUP_NOT_FOUND, 404)
    return contact["id"], group


async def contact_scores(request: web.Request) -> web.Response:
    """``GET /api/contacts/{id}/points/groups``: ``{"total": n, "groupScores": [...]}``.

    UNVERIFIED choice: scores are listed in ``group_id`` order, the primary-key order
    MySQL returns for ``WHERE contact_id = ?`` without ``ORDER BY``.
    """
    found = _contact_and_group(request)
    if isinstance(found, web.Response):
        return found
    contact_id = found[0]
    store = context(request).store
    groups = store.table(POINT_GROUP.multi)
    scores = [
        score_body(score, groups.rows[gid])
        for (cid, gid), score in sorted(store.scores.items())
        if cid == contact_id and gid in groups.rows
    ]
    return respond(request, {"total": len(scores), "groupScores": scores})


async def contact_score(request: web.Request) -> web.Response:
    """``GET /api/contacts/{id}/points/groups/{groupId}``.

    UNVERIFIED choice: with no score for an existing group the view holds
    ``['groupScore' => null]``; serialized without nulls that is the bare body ``[]``.
    """
    found = _contact_and_group(request)
    if isinstance(found, web.Response):
        return found
    contact_id, group = found
    assert group is not None
    score = context(request).store.scores.get((contact_id, group["id"]))
    if score is None:
        return respond(request, [])
    return respond(request, {"groupScore": score_body(score, group)})


async def adjust_score(request: web.Request) -> web.Response:
    """``POST /api/contacts/{id}/points/groups/{groupId}/{operator}/{value}``.

    Checks run in Mautic's order: contact (404), group (404), operator (400). A
    missing score starts from 0; negative results are allowed. The optional
    ``eventName``/``actionName`` body fields only feed the change log (not emulated).
    ``{value}`` is bound to ``int $value`` before the action runs, so a non-numeric
    value fails (500) before any check. From Mautic 7 on, the change runs the Point
    Insights that list the group (``evaluate_insights``), inside this request.
    """
    value = int_argument(request.match_info["value"])
    found = _contact_and_group(request)
    if isinstance(found, web.Response):
        return found
    contact_id, group = found
    assert group is not None
    operator = request.match_info["operator"]
    if operator not in OPERATORS:
        return error(request, NOT_PERMITTED, 400)
    ctx = context(request)
    scores = ctx.store.scores
    key = (contact_id, group["id"])
    scores[key] = adjust(scores.get(key, 0), operator, value)
    if parse_version(ctx.settings.version) >= (7, 0):
        evaluate_insights(ctx.store, contact_id, group["id"], ctx.now())
    return respond(request, {"groupScore": score_body(scores[key], group)})


def setup_point_group_routes(router: web.UrlDispatcher) -> None:
    """Register the point-group CRUD routes and the contact group-score routes."""
    add_crud_routes(router, POINT_GROUP)
    base = r"/api/contacts/{contactId:\d+}/points/groups"
    router.add_route("GET", base, contact_scores)
    router.add_route("GET", base + r"/{groupId:\d+}", contact_score)
    router.add_route("POST", base + r"/{groupId:\d+}/{operator}/{value}", adjust_score)
