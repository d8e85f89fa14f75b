"""The standard entity routes (``standard_entity => true``), written once for any spec.

Mirrors ``FetchCommonApiController`` / ``CommonApiController`` (spec sections 1.5, 7):
list, get, new, edit (PUT/PATCH), delete and the three batch routes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from ._context import actor, context, error, params, respond
from ._entities import EntitySpec, FormInvalid, Refused, Row, parse_version, process_form
from ._http import parse_query
from ._php import PhpArray, php_empty, str_getcsv
from ._query import ListQuery, select_rows
from ._responses import ServerError, error_item
from ._state import Table

__all__ = ["add_crud_routes"]

NOT_FOUND = "Item was not found."
ID_MISSING = "mautic.api.call.id_missing"
_PHP_NUMERIC = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*\Z")


def batch_error(message: str, code: int) -> dict[str, Any]:
    """``setBatchError``: ``{"message", "code", "type": "api"}``."""
    return {"message": message, "code": code, "type": "api"}


def batch_ids(data: PhpArray) -> tuple[list[Any], list[int | str], dict[int | str, str]]:
    """``BatchIdToEntityHelper``: ``(ids, original keys, per-key errors)``.

    Quirk kept from Mautic: ids are collected only from items that have one, but are
    matched back to the request keys by position, so an item without ``id`` before
    others shifts the pairing (the id-less item is paired with the next item's entity).
    """
    if "ids" in data:
        value = data["ids"]
        if isinstance(value, Mapping):
            return list(value.values()), list(value.keys()), {}
        text = str(value)
        if "," in text or _PHP_NUMERIC.match(text):
            found = str_getcsv(text)
            return list(found), list(range(len(found))), {}
        return [], [], {0: ID_MISSING}
    keys = list(data)
    if not keys:
        return [], [], {}
    if not isinstance(data[keys[0]], Mapping):
        return list(data.values()), keys, {}
    ids: list[Any] = []
    errors: dict[int | str, str] = {}
    for key, item in data.items():
        if not isinstance(item, Mapping) or item.get("id") is None:
            errors[key] = ID_MISSING
            continue
        ids.append(item["id"])
    return ids, keys, errors


def batch_entities(
    table: Table, data: PhpArray, errors: dict[int | str, Any]
) -> dict[int | str, Row]:
    """``getBatchEntities``: existing rows keyed by request key; missing ids skipped.

    Id errors are recorded only when at least one id was found in the request.
    """
    ids, original_keys, id_errors = batch_ids(data)
    if not ids:
        return {}
    for key, message in id_errors.items():
        errors[key] = batch_error(message, 400)
    ordered: dict[int | str, Row] = {}
    for position, value in enumerate(ids):
        row = table.find(value)
        if row is not None:
            ordered[original_keys[position]] = row
    return ordered


class CrudRoutes:
    """Handlers of one entity type."""

    def __init__(self, spec: EntitySpec) -> None:
        self.spec = spec
        self.lister = ListQuery(spec.columns, spec.alias, spec.catch_all)

    def register(self, router: web.UrlDispatcher) -> None:
        """Add every standard route below ``/api<spec.path>``."""
        base = "/api" + self.spec.path
        one = base + r"/{id:\d+}"
        router.add_route("GET", base, self.list)
        router.add_route("GET", one, self.get)
        router.add_route("POST", base + "/new", self.create)
        router.add_route("POST", base + "/batch/new", self.create_batch)
        for method in ("PUT", "PATCH"):
            router.add_route(method, base + "/batch/edit", self.edit_batch)
            router.add_route(method, one + "/edit", self.edit)
        router.add_route("DELETE", base + "/batch/delete", self.delete_batch)
        router.add_route("DELETE", one + "/delete", self.delete)

    def _table(self, request: web.Request) -> Table:
        return context(request).store.table(self.spec.multi)

    def _location(self, row: Row) -> dict[str, str]:
        """UNVERIFIED choice: ``generateUrl(..., true)`` means ``ABSOLUTE_PATH`` (``true``
        is coerced to 1), so ``Location`` is a path like ``/api/points/groups/5``."""
        return {"Location": f"/api{self.spec.path}/{row['id']}"}

    def _check_batch_size(self, request: web.Request, data: PhpArray) -> web.Response | None:
        limit = context(request).settings.batch_max_limit
        if len(data) > limit:
            return error(request, f"A max of {limit} entities are supported at a time.", 500)
        return None

    async def list(self, request: web.Request) -> web.Response:
        """``GET /api/<entities>``: ``{"total": N, "<multi>": [...]}``, a JSON array."""
        rows = self._table(request).rows  # indexed: pages need not scan the table
        query = parse_query(request)
        total, page = select_rows(rows, query, self.lister)
        minimal = not php_empty(query.get("minimal"))  # `$request->get('minimal', 0)`
        items = [self.spec.serialize(row, minimal=minimal) for row in page]
        return respond(request, {"total": total, self.spec.multi: items})

    async def get(self, request: web.Request) -> web.Response:
        """``GET /api/<entities>/{id}``."""
        row = self._table(request).find(request.match_info["id"])
        if row is None:
            return error(request, NOT_FOUND, 404)
        return respond(request, {self.spec.one: self.spec.serialize(row)})

    async def create(self, request: web.Request) -> web.Response:
        """``POST /new``: 201 and ``Location``, or 400 with the form errors."""
        return self._save(request, None, "POST")

    async def edit(self, request: web.Request) -> web.Response:
        """``PATCH`` edits (404 when missing); ``PUT`` replaces, or creates with a NEW id."""
        row = self._table(request).find(request.match_info["id"])
        if row is None and request.method == "PATCH":
            return error(request, NOT_FOUND, 404)
        return self._save(request, row, request.method)

    def _form(
        self, request: web.Request, row: Row | None, item: Any, method: str
    ) -> tuple[Row, bool]:
        """``process_form`` with this request's caller, clock, store and version.

        An uncaught exception the form raises (:class:`Refused` with ``exception``)
        fails the whole request.
        """
        ctx = context(request)
        try:
            return process_form(
                self.spec,
                row,
                item,
                method,
                actor(request),
                ctx.now(),
                lookup=ctx.store,
                version=parse_version(ctx.settings.version),
            )
        except Refused as exc:
            if exc.exception:
                raise ServerError(exc.status, exc.message) from None
            raise

    def _save(self, request: web.Request, row: Row | None, method: str) -> web.Response:
        try:
            saved, is_new = self._form(request, row, params(request), method)
        except FormInvalid as exc:
            return error(request, exc.message, 400, exc.details)
        except Refused as exc:
            return error(request, exc.message or "", exc.status)
        saved = self.spec.persist(self._table(request), saved)
        body = {self.spec.one: self.spec.serialize(saved)}
        if is_new:
            return respond(request, body, 201, self._location(saved))
        return respond(request, body)

    async def delete(self, request: web.Request) -> web.Response:
        """``DELETE /{id}/delete``: the deleted entity, serialized with ``id: null``."""
        row = self._table(request).find(request.match_info["id"])
        if row is None:
            return error(request, NOT_FOUND, 404)
        context(request).store.delete(self.spec.multi, row["id"])
        return respond(request, {self.spec.one: self.spec.serialize({**row, "id": None})})

    async def create_batch(self, request: web.Request) -> web.Response:
        """``POST /batch/new``: always 201; entities, statusCodes, errors keyed by index."""
        data = params(request)
        too_many = self._check_batch_size(request, data)
        if too_many is not None:
            return too_many
        entities: dict[int | str, Any] = {}
        errors: dict[int | str, Any] = {}
        codes: dict[int | str, int] = {}
        for key, item in data.items():
            if not isinstance(item, Mapping):
                raise ServerError(500)  # TypeError in processForm
            try:
                row, _ = self._form(request, None, item, "POST")
            except FormInvalid as exc:
                errors[key] = error_item(exc.message, 400, exc.details)
                codes[key] = 400
                continue
            except Refused as exc:
                errors[key] = error_item(exc.message or "", exc.status)
                codes[key] = exc.status
                continue
            entities[key] = self.spec.serialize(self.spec.persist(self._table(request), row))
            codes[key] = 201
        return respond(request, self._batch_payload(entities, codes, errors), 201)

    async def edit_batch(self, request: web.Request) -> web.Response:
        """``PUT|PATCH /batch/edit``: 200; PATCH on a missing id is a 404 item, PUT creates.

        UNVERIFIED (kept as the spec reads it): an item without ``id`` gets the raw
        message ``mautic.api.call.id_missing`` with code 400; with PUT it is still
        created, and its status code is reported as 400.
        """
        data = params(request)
        too_many = self._check_batch_size(request, data)
        if too_many is not None:
            return too_many
        table = self._table(request)
        errors: dict[int | str, Any] = {}
        codes: dict[int | str, int] = {}
        found = batch_entities(table, data, errors)
        entities: dict[int | str, Any] = dict(found)
        for key, item in data.items():
            row = found.get(key)
            row = table.rows.get(row["id"]) if row is not None else None  # latest version
            status = 200
            if row is None:
                if request.method == "PATCH":
                    entities.pop(key, None)
                    errors[key] = batch_error(NOT_FOUND, 404)
                    codes[key] = 404
                    continue
                status = 201
            if not isinstance(item, Mapping):
                raise ServerError(500)
            try:
                saved, _ = self._form(request, row, item, request.method)
            except FormInvalid as exc:
                errors[key] = error_item(exc.message, 400, exc.details)
                if key in entities:
                    entities[key] = exc.candidate  # the unsaved, already-modified entity
                codes[key] = 400
                continue
            except Refused as exc:
                entities.pop(key, None)
                errors[key] = error_item(exc.message or "", exc.status)
                codes[key] = exc.status
                continue
            entities[key] = self.spec.persist(table, saved)
            codes[key] = errors[key]["code"] if key in errors else status
        serialized = {key: self.spec.serialize(row) for key, row in entities.items()}
        return respond(request, self._batch_payload(serialized, codes, errors))

    async def delete_batch(self, request: web.Request) -> web.Response:
        """``DELETE /batch/delete?ids=1,2,3``: serialized before deletion (ids present).

        The ids are read from the query string only (``ids=1,2``, ``ids[]=1&ids[]=2``
        or a bare ``?0=1&1=2`` list), as ``deleteEntitiesAction`` reads
        ``$request->query``; a request body is ignored. Missing ids are skipped, so
        keys can become non-sequential (a JSON object). The batch limit counts query
        parameters.
        """
        data = parse_query(request)
        too_many = self._check_batch_size(request, data)
        if too_many is not None:
            return too_many
        store = context(request).store
        errors: dict[int | str, Any] = {}
        found = batch_entities(self._table(request), data, errors)
        payload: dict[str, Any] = {
            self.spec.multi: {key: self.spec.serialize(row) for key, row in found.items()}
        }
        for key, row in found.items():
            if store.delete(self.spec.multi, row["id"]) is None:
                errors[key] = batch_error(NOT_FOUND, 404)  # listed twice: already gone
        if errors:
            payload["errors"] = errors
        return respond(request, payload)

    def _batch_payload(
        self,
        entities: dict[int | str, Any],
        codes: dict[int | str, int],
        errors: dict[int | str, Any],
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {self.spec.multi: entities, "statusCodes": codes}
        if errors:
            payload["errors"] = errors
        return payload


def add_crud_routes(router: web.UrlDispatcher, spec: EntitySpec) -> None:
    """Register the standard API routes of ``spec`` on ``router``."""
    CrudRoutes(spec).register(router)
