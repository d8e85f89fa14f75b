"""The generic ``Resource``: Mautic's standard REST verbs for any entity.

Mautic generates the same routes for every "standard entity" (mautic-api.md §1.1)::

    GET    api/{endpoint}                 list      -> {"total": N, list_key: [...] | {id: ...}}
    GET    api/{endpoint}/{id}            get       -> {item_key: {...}}
    POST   api/{endpoint}/new             create    -> 201 {item_key: {...}}
    PATCH  api/{endpoint}/{id}/edit       edit      -> 200, partial update; 404 if missing
    PUT    api/{endpoint}/{id}/edit       replace   -> 200 full replace; 201 + new id if missing
    DELETE api/{endpoint}/{id}/delete     delete    -> 200 the entity, its id now null
    POST   api/{endpoint}/batch/new       create_batch
    PATCH  api/{endpoint}/batch/edit      edit_batch
    PUT    api/{endpoint}/batch/edit      replace_batch
    DELETE api/{endpoint}/batch/delete    delete_batch (?ids=1,2,3)

A new entity is a subclass that sets the class attributes (see ``PointGroups`` or
``Points``). It gets the verbs, their raw forms (``with_raw_response``) and the per-call
options for free. The quirks some entities have are declared the same way:
``write_only`` fields, fields Mautic ignores on create (``resend_after_create``), and
endpoints that exist only from some Mautic version on (``since_version``).
"""

from __future__ import annotations

import builtins
import copy
import functools
import re
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar, cast

import aiohttp
import attrs

from .._converter import caller_payload, camel, converter
from .._protocol import (
    APIRequest,
    new_request,
    parse_batch,
    parse_batch_delete,
    parse_entity,
    parse_page,
)
from .._protocol import php_query as _php_query
from .._response import APIResponse, RawResourceBase, to_raw
from .._unset import UNSET
from .._validation import BATCH_MAX_ITEMS, check_batch_size, check_id, check_int
from ..errors import (
    APIError,
    CreatedWithoutFieldsError,
    EndpointUnavailableError,
    NotFoundError,
    PaginationError,
)
from ..models import BatchResult, Page

if TYPE_CHECKING:
    from ..client import MauticClient
    from ..sync import ProgressCallback, SyncReport

__all__ = ["Endpoint", "Headers", "Query", "Resource", "ResourceWithRawResponse", "Timeout"]

ModelT = TypeVar("ModelT")
DataT = TypeVar("DataT")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

#: ``extra_headers``: sent with every request of one call, over the client's own.
Headers = Mapping[str, str]
#: ``extra_query``: query parameters added to every request of one call (they win over
#: the call's own; nested values use PHP's bracket form, like ``where``).
Query = Mapping[str, object]
#: ``timeout``: seconds (total) or an ``aiohttp.ClientTimeout``, for this call only.
Timeout = float | aiohttp.ClientTimeout
Parser = Callable[["APIRequest", Any, Any], Any]


class _OptionsClient:
    """Stands in for the client inside a resource copy made by :meth:`Endpoint._bind`:
    every request goes out with the call's options. Methods that send several requests
    (``iterate``, ``sync``) run on such a copy, so the options reach all of them."""

    def __init__(
        self,
        client: MauticClient,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: Timeout | None,
    ) -> None:
        self._client = client
        self._options = (extra_headers, extra_query, timeout)

    async def request(self, request: APIRequest, **kwargs: Any) -> Any:
        extra_headers, extra_query, timeout = self._options
        kwargs.setdefault("extra_headers", extra_headers)
        kwargs.setdefault("extra_query", extra_query)
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = timeout
        return await self._client.request(request, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def applies_options(method: F) -> F:
    """Decorator for a method that sends several requests: run it on a copy of the
    resource whose every request carries the call's ``extra_headers``, ``extra_query``
    and ``timeout`` (the method itself then ignores them)."""

    @functools.wraps(method)
    def wrapper(
        self: Endpoint,
        *args: Any,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
        **kwargs: Any,
    ) -> Any:
        return method(self._bind(extra_headers, extra_query, timeout), *args, **kwargs)

    return cast("F", wrapper)


class Endpoint:
    """What every resource shares: the client, one-request sending with the per-call
    options, and the raw twin used by ``with_raw_response``.

    Every method that talks to Mautic takes three keyword-only options, named as in
    openai-python, which apply to every request the call sends (retries included):

    - ``extra_headers``: headers added to the client's (``Authorization`` and
      ``Content-Type`` are refused with ``ValueError``: the client owns them);
    - ``extra_query``: query parameters added to the request's own (they win);
    - ``timeout``: seconds or an ``aiohttp.ClientTimeout`` for this call.
    """

    _client: MauticClient
    #: Set on the copy ``with_raw_response`` calls: one-request methods then return an
    #: :class:`~mautic_async.APIResponse` instead of the parsed value.
    _raw: bool = False

    def _bind(
        self: T, extra_headers: Headers | None, extra_query: Query | None, timeout: Timeout | None
    ) -> T:
        """This resource, or a copy whose requests all carry the given options."""
        if extra_headers is None and extra_query is None and timeout is None:
            return self
        bound = copy.copy(self)
        client = cast("Endpoint", self)._client
        options = _OptionsClient(client, extra_headers, extra_query, timeout)
        cast("Endpoint", bound)._client = cast("MauticClient", options)
        return bound

    async def _send(
        self,
        request: APIRequest,
        parse: Parser,
        arg: Any,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: Timeout | None,
    ) -> Any:
        """Send one request and return ``parse(request, payload, arg)``, or on the raw
        twin an :class:`~mautic_async.APIResponse` that parses the same way.

        One coroutine between a resource method and the client, on purpose: each
        layer costs every call (benchmarks/README.md)."""
        try:
            if self._raw:
                reply = await self._client.request(
                    request,
                    timeout=timeout,
                    extra_headers=extra_headers,
                    extra_query=extra_query,
                    raw_response=True,
                )
                return APIResponse(reply, request, parse, arg)
            if extra_headers is None and extra_query is None and timeout is None:
                return parse(request, await self._client.request(request), arg)
            payload = await self._client.request(
                request, timeout=timeout, extra_headers=extra_headers, extra_query=extra_query
            )
        except NotFoundError as exc:
            raise self._unavailable(exc) from exc.__cause__
        return parse(request, payload, arg)

    def _unavailable(self, exc: NotFoundError) -> NotFoundError:
        """The error a 404 raises: ``exc`` itself, unless a subclass knows better."""
        return exc


_FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*$")
#: Pages :meth:`Resource.iterate` may take beyond what the first page's ``total``
#: allows (plus a tenth more), for entities created while it walks.
PAGE_SLACK = 2


def _camel(name: str) -> str:
    return ".".join(camel(part) for part in name.split("."))


class Resource(Endpoint, Generic[ModelT, DataT]):
    """Mautic's standard entity API, for the entity the subclass names.

    ``ModelT`` is the response model; ``DataT`` what writes accept, usually the attrs
    request class or its ``TypedDict`` twin
    (``Resource[PointGroup, PointGroupData | PointGroupFields]``).

    Subclasses set:

    - ``endpoint``: the path under ``/api`` (``"points/groups"``);
    - ``item_key`` / ``list_key``: the JSON keys of one entity and of a list;
    - ``model``: the attrs class answers are structured into;
    - ``data_class``: the attrs request class (``None`` accepts any mapping as is);
    - ``required_fields``: fields ``create`` and ``replace`` must have;
    - ``write_only``: wire keys Mautic accepts but never sends back. The entity a
      write returns carries the value sent (the model needs a field for it), and
      ``sync`` never compares them;
    - ``resend_after_create``: wire keys Mautic ignores when it creates an entity.
      Every create (``create``, each created item of ``create_batch`` and
      ``replace_batch``, a ``replace`` that created) is followed by a PATCH with them;
      if that fails, :class:`~mautic_async.CreatedWithoutFieldsError` says which
      entity was created without them. (Such a create sends two requests, so its
      ``with_raw_response`` form refuses data that holds those fields.)
    - ``since_version``: the Mautic version that added the endpoint; older servers
      answer with their catch-all 404, raised as
      :class:`~mautic_async.EndpointUnavailableError`;
    - ``order_by_fields``: the camelCase fields Mautic can sort by (``None``: not
      checked). Mautic answers an unknown one with a generic 500, so it is refused
      before sending.

    Methods that write accept the ``data_class`` or a mapping with its snake_case field
    names (Mautic's camelCase keys are accepted too, at run time); an unknown key raises
    ``ValueError``.

    Every method that talks to Mautic takes the keyword-only options ``extra_headers``,
    ``extra_query`` and ``timeout`` (see :class:`Endpoint`), and every method that sends
    exactly one request has a raw form: ``await resource.with_raw_response.get(1)``
    returns an :class:`~mautic_async.APIResponse` (``status``, ``headers``, ``url``,
    ``content``, ``parse()``). ``iterate`` and ``sync`` send several and have none.
    """

    endpoint: ClassVar[str]
    item_key: ClassVar[str]
    list_key: ClassVar[str]
    model: ClassVar[type[Any]]
    data_class: ClassVar[type[Any] | None] = None
    required_fields: ClassVar[tuple[str, ...]] = ()
    write_only: ClassVar[tuple[str, ...]] = ()
    resend_after_create: ClassVar[tuple[str, ...]] = ()
    since_version: ClassVar[str | None] = None
    order_by_fields: ClassVar[frozenset[str] | None] = None

    def __init__(self, client: MauticClient) -> None:
        self._client = client
        # Made once per resource: every call's path starts with one of these.
        self._list_path = f"api/{self.endpoint}"
        self._item_prefix = self._list_path + "/"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._client.base_url}api/{self.endpoint}>"

    # -- describing requests (no I/O) -----------------------------------------------

    def _path(self, *parts: object) -> str:
        return "/".join((self._list_path, *map(str, parts)))

    @cached_property
    def with_raw_response(self) -> ResourceWithRawResponse[ModelT, DataT]:
        """The methods that send one request, returning :class:`~mautic_async.APIResponse`.

        >>> response = await mautic.point_groups.with_raw_response.get(1)
        >>> response.status, response.headers["Mautic-Version"], response.parse().name
        """
        return ResourceWithRawResponse(self)

    def _payload(
        self, data: DataT | Mapping[str, Any], *, id_allowed: bool, required: Sequence[str]
    ) -> dict[str, Any]:
        """Validate caller data and return the JSON object to send."""
        if self.data_class is None:
            if not isinstance(data, Mapping):
                raise TypeError(f"data must be a mapping, not {type(data).__name__}")
            payload = dict(data)
        elif data.__class__ is dict or isinstance(data, Mapping):
            # What from_caller_mapping + unstructure give, without the instance between.
            payload = caller_payload(self.data_class, data)
            if not id_allowed and "id" in payload:
                raise ValueError("id belongs in the call's id argument (or in a batch edit item)")
        else:
            if not isinstance(data, self.data_class):
                raise TypeError(
                    f"data must be a {self.data_class.__name__} or a mapping, "
                    f"not {type(data).__name__}"
                )
            if not id_allowed and getattr(data, "id", UNSET) is not UNSET:
                raise ValueError("id belongs in the call's id argument (or in a batch edit item)")
            payload = converter.unstructure(data)  # UNSET fields are left out
        for name in required:
            if camel(name) not in payload:  # camel() remembers its answers
                raise ValueError(f"{name} is required")
        return payload

    def _batch_payload(
        self, items: Sequence[DataT], *, with_ids: bool, required: Sequence[str]
    ) -> builtins.list[dict[str, Any]]:
        if isinstance(items, (str, bytes, Mapping)) or not isinstance(items, Sequence):
            raise TypeError("items must be a sequence (list or tuple) of items")
        check_batch_size(len(items), f"{type(self).__name__} batch")
        payloads = []
        for index, item in enumerate(items):
            try:
                payload = self._payload(item, id_allowed=with_ids, required=required)
                if with_ids:
                    if "id" not in payload:
                        raise ValueError("id is required (it says which entity to change)")
                    payload["id"] = check_id(payload["id"], "id")
            except (TypeError, ValueError) as exc:
                raise type(exc)(f"item {index}: {exc}") from None
            payloads.append(payload)
        if with_ids:
            ids = [p["id"] for p in payloads]
            if len(set(ids)) != len(ids):
                raise ValueError("the same id appears more than once in the batch")
        return payloads

    def list_request(
        self,
        *,
        search: str | None = None,
        start: int | None = None,
        limit: int | None = None,
        order_by: str | Sequence[str] | None = None,
        order_by_dir: Literal["asc", "desc", "ASC", "DESC"] | None = None,
        published_only: bool = False,
        minimal: bool = False,
        where: Sequence[Mapping[str, Any]] | None = None,
    ) -> APIRequest:
        """The request :meth:`list` sends, for inspection or raw use."""
        params: list[tuple[str, str]] = []
        if search is not None:
            if not isinstance(search, str):
                raise TypeError("search must be a str")
            params.append(("search", search))
        if start is not None:
            start = check_int(start, "start")  # a plain int: its own str() is trusted
            if start < 0:
                raise ValueError("start must not be negative")
            params.append(("start", str(start)))
        if limit is not None:
            limit = check_int(limit, "limit")
            if limit < 0:
                raise ValueError("limit must not be negative (0 means all)")
            params.append(("limit", str(limit)))
        if order_by is not None:
            columns = [order_by] if isinstance(order_by, str) else list(order_by)
            for column in columns:
                if not isinstance(column, str) or not _FIELD_NAME.match(column):
                    raise ValueError(f"order_by: {column!r} is not a field name")
                # "pl.name": Mautic adds its table alias itself when there is no dot.
                field = _camel(column).rsplit(".", 1)[-1]
                if self.order_by_fields is not None and field not in self.order_by_fields:
                    raise ValueError(
                        f"order_by: {column!r} is not a field Mautic can sort by here; "
                        f"use one of {', '.join(sorted(self.order_by_fields))}"
                    )
            params.append(("orderBy", ",".join(_camel(c) for c in columns)))
        if order_by_dir is not None:
            if not isinstance(order_by_dir, str) or order_by_dir.lower() not in ("asc", "desc"):
                raise ValueError(f"order_by_dir must be 'asc' or 'desc', got {order_by_dir!r}")
            params.append(("orderByDir", order_by_dir.upper()))
        conditions = list(where or ())
        for index, condition in enumerate(conditions):
            if not isinstance(condition, Mapping) or not (
                ("col" in condition or "column" in condition) and "expr" in condition
            ):
                raise ValueError(
                    f"where[{index}] must be a mapping with 'col' and 'expr' (and 'val')"
                )
        if published_only:
            if conditions:
                # Mautic skips its published filter whenever `where` is given
                # (mautic-api.md §3), so say it as a where condition instead.
                conditions.append({"col": "isPublished", "expr": "eq", "val": 1})
            else:
                params.append(("published", "1"))
        if conditions:
            params.extend(_php_query("where", conditions))
        if minimal:
            params.append(("minimal", "1"))
        return new_request("GET", self._list_path, tuple(params))

    # -- sending, and the declared quirks ------------------------------------------------

    def _unavailable(self, exc: NotFoundError) -> NotFoundError:
        """``exc``, or for a ``since_version`` endpoint answered by Mautic's catch-all
        route, the error saying which version the endpoint needs."""
        if self.since_version is None or not any(
            item.message.startswith("Requested URL not found") for item in exc.errors
        ):
            return exc
        error = EndpointUnavailableError(
            f"this Mautic server has no /api/{self.endpoint} endpoint: it needs "
            f"Mautic {self.since_version} or later (Mautic said: {exc.message})",
            method=exc.method,
            path=exc.path,
            status=exc.status,
            errors=exc.errors,
            headers=exc.headers,
        )
        error.__cause__ = exc
        return error

    @cached_property
    def _write_only_names(self) -> dict[str, str]:
        names = {camel(a.name): a.name for a in attrs.fields(self.model)}
        return {key: names[key] for key in self.write_only}

    def _with_written(self, entity: T, sent: Any) -> T:
        """``entity`` with its write-only fields set to what was ``sent``."""
        if not self.write_only or not isinstance(sent, Mapping):
            return entity
        changes = {name: sent[key] for key, name in self._write_only_names.items() if key in sent}
        return attrs.evolve(entity, **changes) if changes else entity  # type: ignore[misc]

    def _resent(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """The fields of ``body`` Mautic ignores on create (and that are not empty)."""
        return {key: body[key] for key in self.resend_after_create if body.get(key)}

    def _check_raw_create(self, bodies: Iterable[Mapping[str, Any]]) -> None:
        if self._raw and any(self._resent(body) for body in bodies):
            fields = ", ".join(self.resend_after_create)
            raise ValueError(
                f"with_raw_response sends one request, but Mautic ignores {fields} on "
                f"create and a second request would have to send them: create without "
                f"them, then edit"
            )

    async def _resend(
        self,
        body: Mapping[str, Any],
        entity: ModelT,
        options: tuple[Headers | None, Query | None, Timeout | None],
    ) -> ModelT:
        """PATCH the fields Mautic ignored on create; the entity as it is afterwards."""
        again = self._resent(body)
        entity_id = getattr(entity, "id", None)
        if not again or not entity_id:
            return entity
        request = new_request("PATCH", self._path(entity_id, "edit"), json=again)
        try:
            result: ModelT = await self._send(request, self._one, body, *options)
        except APIError as exc:
            raise CreatedWithoutFieldsError(
                f"{self.item_key} {entity_id} was created without its "
                f"{', '.join(again)}: Mautic ignores them on create and the PATCH "
                f"that sends them again failed: {exc}",
                method=exc.method,
                path=exc.path,
                status=exc.status,
                errors=exc.errors,
                ids=(entity_id,),
                fields=tuple(again),
            ) from exc
        return result

    async def _resend_batch(
        self,
        sent: Sequence[Mapping[str, Any]],
        result: BatchResult[ModelT],
        options: tuple[Headers | None, Query | None, Timeout | None],
        *,
        created_only: bool,
    ) -> BatchResult[ModelT]:
        """:meth:`_resend` for each item a batch created; one error for all failures."""
        if self._raw or not self.resend_after_create:
            return result
        items = builtins.list(result.items)
        failures: builtins.list[CreatedWithoutFieldsError] = []
        for index, outcome in enumerate(items):
            if outcome.item is None or not outcome.ok:
                continue
            if created_only and outcome.status_code != 201:
                continue
            try:
                entity = await self._resend(sent[index], outcome.item, options)
            except CreatedWithoutFieldsError as exc:
                failures.append(exc)
                continue
            items[index] = attrs.evolve(outcome, item=entity)
        result = BatchResult(items=tuple(items))
        if failures:
            first = failures[0]
            raise CreatedWithoutFieldsError(
                "; ".join(f.message for f in failures),
                method=first.method,
                path=first.path,
                status=first.status,
                errors=first.errors,
                ids=tuple(i for f in failures for i in f.ids),
                fields=first.fields,
                result=result,
            ) from first.__cause__
        return result

    # -- reading answers (the parsers :meth:`_send` and ``APIResponse.parse`` call) --------

    def _one(self, request: APIRequest, payload: Any, sent: Any) -> ModelT:
        """One entity; ``sent`` is the body of the write that returned it (or ``None``)."""
        entity: ModelT = parse_entity(request, payload, self.item_key, self.model)
        return self._with_written(entity, sent) if self.write_only else entity

    def _deleted(self, request: APIRequest, payload: Any, id: int) -> ModelT:
        # Mautic serialises the entity after Doctrine has cleared its id (mautic-api.md
        # §1.5): put back the id that was asked for, so ``id: int`` stays true.
        item = payload.get(self.item_key) if isinstance(payload, Mapping) else None
        if isinstance(item, Mapping):
            payload = {**payload, self.item_key: {**item, "id": id}}
        return self._one(request, payload, None)

    def _page(self, request: APIRequest, payload: Any, _arg: Any) -> Page[ModelT]:
        return parse_page(request, payload, self.list_key, self.model)

    def _batch(
        self, request: APIRequest, payload: Any, body: builtins.list[dict[str, Any]]
    ) -> BatchResult[ModelT]:
        result = parse_batch(request, payload, self.list_key, self.model, len(body))
        if not self.write_only:
            return result
        return BatchResult(
            items=tuple(
                attrs.evolve(o, item=self._with_written(o.item, body[o.index]))
                if o.item is not None
                else o
                for o in result.items
            )
        )

    def _batch_deleted(
        self, request: APIRequest, payload: Any, ids: builtins.list[int]
    ) -> BatchResult[ModelT]:
        return parse_batch_delete(request, payload, self.list_key, self.model, ids)

    # -- the verbs ------------------------------------------------------------------------

    async def get(
        self,
        id: int,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> ModelT:
        """The entity with this id; :class:`~mautic_async.NotFoundError` if none."""
        request = new_request("GET", self._item_prefix + str(check_id(id)))
        result: ModelT = await self._send(
            request, self._one, None, extra_headers, extra_query, timeout
        )
        return result

    async def list(
        self,
        *,
        search: str | None = None,
        start: int | None = None,
        limit: int | None = None,
        order_by: str | Sequence[str] | None = None,
        order_by_dir: Literal["asc", "desc", "ASC", "DESC"] | None = None,
        published_only: bool = False,
        minimal: bool = False,
        where: Sequence[Mapping[str, Any]] | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> Page[ModelT]:
        """One page of entities, and the total count of all that match.

        Args:
            search: Mautic's search string: words match the name (``LIKE %word%``);
                ``"ids:1,2,3"`` picks ids.
            start: offset of the first item (Mautic only applies it with a limit).
            limit: page size; Mautic's default is 30; ``0`` returns every match.
            order_by: field name(s) (``"name"``, ``"date_added"``, ``["name", "id"]``).
            order_by_dir: ``"asc"`` or ``"desc"``, applied to every order_by field.
            published_only: only published entities. Sent as ``published=1``, the
                parameter the server reads (the docs' ``publishedOnly`` is ignored by
                Mautic), or as a ``where`` condition when ``where`` is given, because
                Mautic drops the published filter whenever ``where`` is present.
            minimal: Mautic's ``minimal=1``: it leaves out the fields only a details
                serializer group carries. Those fields are ``X | None = None`` on the
                model (one model for both shapes; point groups have none, so it has no
                visible effect there).
            where: Mautic ``where`` conditions, e.g.
                ``[{"col": "id", "expr": "gt", "val": 100}]``.

        >>> page = await mautic.point_groups.list(search="Group", limit=10)
        >>> page.total, [g.name for g in page.items]
        """
        request = self.list_request(
            search=search,
            start=start,
            limit=limit,
            order_by=order_by,
            order_by_dir=order_by_dir,
            published_only=published_only,
            minimal=minimal,
            where=where,
        )
        page: Page[ModelT] = await self._send(
            request, self._page, None, extra_headers, extra_query, timeout
        )
        return page

    @applies_options  # the options reach every page's request through ``self._client``
    async def iterate(
        self,
        *,
        page_size: int = 100,
        stable: bool = False,
        search: str | None = None,
        order_by: str | Sequence[str] | None = None,
        order_by_dir: Literal["asc", "desc", "ASC", "DESC"] | None = None,
        published_only: bool = False,
        where: Sequence[Mapping[str, Any]] | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> AsyncIterator[ModelT]:
        """Every matching entity, fetched a page at a time (constant memory).

        The default walks pages by offset, like :meth:`list`. If entities are
        created or deleted during the walk, offsets shift and items can be skipped
        or seen twice; ``stable=True`` avoids that by ordering by id and asking each
        page for ids above the last one seen (``order_by`` is then not allowed).
        Use it for long scans and syncs.

        Paging that would not end raises :class:`~mautic_async.PaginationError`
        before any item of the offending page is yielded: a page that repeats the
        previous one (the server ignores ``start``), ids that do not rise above the
        last one (it ignores ``where``), or more pages than the first page's
        ``total`` allows plus :data:`PAGE_SLACK` (and a tenth more).

        >>> async for group in mautic.point_groups.iterate(stable=True):
        ...     print(group.id, group.name)
        """
        page_size = check_int(page_size, "page_size")
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        if stable and order_by is not None:
            raise ValueError("stable iteration orders by id; leave order_by out")

        # A hostile or broken server must not make this loop forever (it may ignore
        # `start` or `where`, send a page again, or claim a `total` it never delivers).
        # Each page is checked before any of it is yielded, keeping only the previous
        # page's ids (constant memory): it must advance past the previous page, and the
        # walk may take no more pages than the first page's `total` allows, plus a
        # little slack for entities created meanwhile.
        def refuse(request: APIRequest, number: int, why: str) -> PaginationError:
            return PaginationError(
                why, method=request.method, path=request.display_path, page=number
            )

        start, last_id, number = 0, 0, 0
        previous: tuple[Any, ...] | None = None
        previous_last: Any = None
        previous_ids: tuple[Any, ...] = ()
        max_pages: int | None = None
        while True:
            number += 1
            if stable:
                request = self.list_request(
                    search=search,
                    limit=page_size,
                    order_by="id",
                    order_by_dir="asc",
                    published_only=published_only,
                    where=[*(where or ()), {"col": "id", "expr": "gt", "val": last_id}],
                )
            else:
                request = self.list_request(
                    search=search,
                    start=start,
                    limit=page_size,
                    order_by=order_by,
                    order_by_dir=order_by_dir,
                    published_only=published_only,
                    where=where,
                )
            try:
                payload = await self._client.request(request)
            except NotFoundError as exc:
                raise self._unavailable(exc) from exc.__cause__
            page: Page[ModelT] = parse_page(request, payload, self.list_key, self.model)

            if max_pages is None:
                # In stable mode `total` counts the ids above `last_id` (0 here), so on
                # the first page both modes read it as the whole count.
                expected = -(-max(page.total, 0) // page_size)
                max_pages = expected + PAGE_SLACK + expected // 10
            if number > max_pages and len(page.items) >= page_size:  # a short page ends it
                raise refuse(
                    request,
                    number,
                    f"more pages than the total of the first page ({max_pages - PAGE_SLACK} "
                    "pages and some slack) allows; the server's paging does not end",
                )
            ids = tuple(getattr(item, "id", None) for item in page.items)
            if stable:
                floor = last_id
                for entity_id in ids:
                    if not isinstance(entity_id, int) or entity_id <= floor:
                        raise refuse(
                            request,
                            number,
                            f"ids must rise above {floor} (orderBy=id and where id > {last_id} "
                            f"were asked for), got {entity_id!r}; the server ignores them",
                        )
                    floor = entity_id
            elif (
                previous is not None
                and page.items
                and (
                    page.items == previous
                    or (ids[-1] is not None and ids[-1] == previous_last)
                    # the same ids in another order: a server that ignores `start`
                    # and shuffles (or sorts by something unstable)
                    or (None not in ids and set(ids) == set(previous_ids))
                )
            ):
                raise refuse(
                    request,
                    number,
                    f"the page at start={start} repeats the previous one; "
                    "the server ignores `start`",
                )
            for item in page.items:
                yield item
            if len(page.items) < page_size:
                return
            start += len(page.items)
            if stable:
                last_id = ids[-1]  # type: ignore[assignment]  # checked int above
            else:
                previous, previous_last, previous_ids = page.items, ids[-1], ids
                if start >= page.total:
                    return

    async def sync(
        self,
        desired: Iterable[DataT],
        *,
        key: str = "name",
        delete_missing: bool = False,
        concurrency: int = 4,
        batch_size: int = BATCH_MAX_ITEMS,
        max_rounds: int = 8,
        progress: ProgressCallback | None = None,
        dry_run: bool = False,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> SyncReport[ModelT]:
        """Make Mautic hold exactly ``desired``, matched by ``key``; exactly once.

        Creates what is missing, updates what differs (comparing only the fields
        each item sets), leaves equal ones alone and, with ``delete_missing=True``,
        deletes every other entity. Runs in rounds that re-read Mautic's state, so a
        create whose answer was lost is never sent twice. ``progress(done, total)``
        (sync or async) is called as items finish. ``dry_run=True`` reads and plans
        but sends no write: the report says what would be created, updated and
        deleted (``report.dry_run`` is true). See :mod:`mautic_async.sync`.

        >>> report = await mautic.point_groups.sync([{"name": "A"}, {"name": "B"}])
        >>> report.counts()
        {'created': 2, 'updated': 0, 'unchanged': 0, 'deleted': 0, 'failed': 0}
        """
        from ..sync import sync_entities

        return await sync_entities(
            self._bind(extra_headers, extra_query, timeout),
            desired,
            key=key,
            delete_missing=delete_missing,
            concurrency=concurrency,
            batch_size=batch_size,
            max_rounds=max_rounds,
            progress=progress,
            dry_run=dry_run,
        )

    async def create(
        self,
        data: DataT,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> ModelT:
        """Create an entity (``POST …/new``) and return it as Mautic stored it."""
        body = self._payload(data, id_allowed=False, required=self.required_fields)
        self._check_raw_create([body])
        request = new_request("POST", self._item_prefix + "new", json=body)
        result: ModelT = await self._send(
            request, self._one, body, extra_headers, extra_query, timeout
        )
        if self._raw or not self.resend_after_create:
            return result
        return await self._resend(body, result, (extra_headers, extra_query, timeout))

    async def edit(
        self,
        id: int,
        data: DataT,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> ModelT:
        """Change only the given fields (``PATCH``); :class:`~mautic_async.NotFoundError`
        if the id does not exist."""
        body = self._payload(data, id_allowed=False, required=())
        request = new_request("PATCH", self._path(check_id(id), "edit"), json=body)
        result: ModelT = await self._send(
            request, self._one, body, extra_headers, extra_query, timeout
        )
        return result

    async def replace(
        self,
        id: int,
        data: DataT,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> ModelT:
        """Replace the whole entity (``PUT``): fields not given are cleared by Mautic
        (a text field becomes null, ``isPublished`` most likely false).

        If the id does not exist Mautic *creates* a new entity with a new id (201): the
        returned entity's id then differs from ``id``.
        """
        body = self._payload(data, id_allowed=False, required=self.required_fields)
        self._check_raw_create([body])
        request = new_request("PUT", self._path(check_id(id), "edit"), json=body)
        result: ModelT = await self._send(
            request, self._one, body, extra_headers, extra_query, timeout
        )
        if not self._raw and getattr(result, "id", None) != id:  # Mautic created it
            result = await self._resend(body, result, (extra_headers, extra_query, timeout))
        return result

    async def delete(
        self,
        id: int,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> ModelT:
        """Delete an entity and return it as it was.

        Mautic sends the deleted entity back with ``id`` ``null`` (the row is gone);
        the returned model carries the ``id`` you asked to delete instead, so its
        ``id: int`` holds.
        """
        id = check_id(id)
        request = new_request("DELETE", self._path(id, "delete"))
        result: ModelT = await self._send(
            request, self._deleted, id, extra_headers, extra_query, timeout
        )
        return result

    async def create_batch(
        self,
        items: Sequence[DataT],
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> BatchResult[ModelT]:
        """Create up to 200 entities in one call; every item's outcome is reported at its
        index (Mautic answers 201 even when some items fail)."""
        body = self._batch_payload(items, with_ids=False, required=self.required_fields)
        self._check_raw_create(body)
        result = await self._send_batch("POST", "new", body, extra_headers, extra_query, timeout)
        options = (extra_headers, extra_query, timeout)
        return await self._resend_batch(body, result, options, created_only=False)

    async def edit_batch(
        self,
        items: Sequence[DataT],
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> BatchResult[ModelT]:
        """Partially update up to 200 entities (``PATCH``); each item names its ``id``.
        An id that does not exist is reported as a 404 item."""
        body = self._batch_payload(items, with_ids=True, required=())
        return await self._send_batch("PATCH", "edit", body, extra_headers, extra_query, timeout)

    async def replace_batch(
        self,
        items: Sequence[DataT],
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> BatchResult[ModelT]:
        """Fully replace up to 200 entities (``PUT``); Mautic creates the ones whose id
        does not exist (status 201, with a new id)."""
        body = self._batch_payload(items, with_ids=True, required=self.required_fields)
        self._check_raw_create(body)
        result = await self._send_batch("PUT", "edit", body, extra_headers, extra_query, timeout)
        options = (extra_headers, extra_query, timeout)
        return await self._resend_batch(body, result, options, created_only=True)

    async def delete_batch(
        self,
        ids: Sequence[int],
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> BatchResult[ModelT]:
        """Delete up to 200 entities by id. Mautic silently skips ids it cannot find;
        they are reported here as 404 items, so every id is accounted for."""
        if isinstance(ids, (str, bytes)) or not isinstance(ids, Sequence):
            raise TypeError("ids must be a sequence of ints")
        check_batch_size(len(ids), f"{type(self).__name__} batch delete")
        checked = [check_id(i, f"ids[{n}]") for n, i in enumerate(ids)]
        if len(set(checked)) != len(checked):
            raise ValueError("the same id appears more than once in the batch")
        if not checked:
            return self._no_request()
        params = (("ids", ",".join(map(str, checked))),)
        request = new_request("DELETE", self._path("batch", "delete"), params)
        result: BatchResult[ModelT] = await self._send(
            request, self._batch_deleted, checked, extra_headers, extra_query, timeout
        )
        return result

    def _no_request(self) -> BatchResult[ModelT]:
        """An empty batch: nothing to send, so nothing to return raw."""
        if self._raw:
            raise ValueError("an empty batch sends no request, so it has no raw response")
        return BatchResult(items=())

    async def _send_batch(
        self,
        method: str,
        action: str,
        body: builtins.list[dict[str, Any]],
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: Timeout | None,
    ) -> BatchResult[ModelT]:
        if not body:
            return self._no_request()
        request = new_request(method, self._path("batch", action), json=body)
        result: BatchResult[ModelT] = await self._send(
            request, self._batch, body, extra_headers, extra_query, timeout
        )
        return result


class ResourceWithRawResponse(RawResourceBase, Generic[ModelT, DataT]):
    """``resource.with_raw_response``: each method sends one request, like the plain
    method of the same name, and returns an :class:`~mautic_async.APIResponse` whose
    ``parse()`` gives what the plain method returns.

    A resource that adds a one-request method subclasses this, adds one
    ``self.name = to_raw(self._twin.name)`` line, and overrides ``with_raw_response``.
    """

    def __init__(self, resource: Resource[ModelT, DataT]) -> None:
        super().__init__(resource)
        twin: Resource[ModelT, DataT] = self._twin
        self.get = to_raw(twin.get)
        self.list = to_raw(twin.list)
        self.create = to_raw(twin.create)
        self.edit = to_raw(twin.edit)
        self.replace = to_raw(twin.replace)
        self.delete = to_raw(twin.delete)
        self.create_batch = to_raw(twin.create_batch)
        self.edit_batch = to_raw(twin.edit_batch)
        self.replace_batch = to_raw(twin.replace_batch)
        self.delete_batch = to_raw(twin.delete_batch)
