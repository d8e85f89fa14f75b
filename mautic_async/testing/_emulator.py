"""The emulator server: lifecycle, middlewares, inspection and seeding helpers.

Middleware order mirrors Mautic's kernel listeners (outermost first):

1. request log (``emu.requests``);
2. faults (a proxy or worker failure happens before PHP runs);
3. ``ApiSubscriber::onKernelRequest`` (priority 255): API switch and Basic switch
   for any URI containing ``/api`` or ``/oauth``; then FOSRest's body listener
   (priority 10), so an invalid JSON body is a 400 even without credentials;
4. the firewall (``^/api``): Basic or OAuth2 bearer, 401s from the security layer;
5. the rate limiter (``kernel.controller``: after authentication, ``/api`` only);
6. uncaught errors rendered by ``ExceptionController``.

Routes no API route matches fall through to Mautic's catch-all page route, which
answers ``/api`` and ``/oauth`` URIs with a JSON 404 after authentication.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, overload
from urllib.parse import urlencode

from aiohttp import web
from multidict import CIMultiDictProxy, MultiDict, MultiDictProxy

from ._clock import Clock
from ._context import (
    CONTEXT,
    DEFAULT_REQUEST_LOG_SIZE,
    PARAMS,
    PRINCIPAL,
    AuthKind,
    Context,
    Principal,
    RecordedRequest,
    Settings,
)
from ._entities import Actor, EntitySpec, FormInvalid, Refused, parse_version, process_form
from ._faults import FaultRegistry, apply_fault
from ._http import InvalidBody, credentials, parse_body
from ._keys import request_key
from ._oauth import OAuthError
from ._php import to_php
from ._responses import ServerError, exception_error, rate_limited, security_error
from ._routes_contacts import (
    CONTACT_FIELDS as CORE_FIELDS,
)
from ._routes_contacts import (
    custom_aliases,
    new_contact,
    serialize_contact,
    setup_contact_routes,
)
from ._routes_insights import setup_insight_routes
from ._routes_oauth import setup_oauth_routes
from ._routes_point_groups import setup_point_group_routes
from ._routes_points import setup_point_routes
from ._routes_triggers import setup_trigger_routes
from ._schema import CONTACT_FIELDS, INSIGHT, POINT, POINT_GROUP, TRIGGER

__all__ = ["DEFAULT_VERSION", "MauticEmulator", "RequestLog"]

DEFAULT_VERSION = "7.1.3"
"""The Mautic version emulated by default: the newest the spec models (its 7.x
readings; 7.1.3 is the release the ``events/delete`` quirk was confirmed on)."""

log = logging.getLogger("mautic_async.testing")

#: The one set of emulator credentials the demo, the pytest fixture and the command
#: line share (README "Emulator credentials"); nothing depends on their value.
DEFAULT_BASIC_AUTH = {"admin": "secret"}
API_DISABLED = (
    "API disabled. You need to enable the API in the API settings of Mautic's Configuration."
)
BASIC_DISABLED = (
    "Basic Auth disabled. You need to enable HTTP basic auth in the API settings of "
    "Mautic's Configuration."
)
_DROPPED: web.RequestKey[bool] = request_key("mautic_dropped", bool)
_FAULT: web.RequestKey[str] = request_key("mautic_fault", str)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _is_api_uri(request: web.Request) -> bool:
    """``RequestHelper::isApiRequest``: the request URI *contains* /api or /oauth."""
    return "/api" in request.raw_path or "/oauth" in request.raw_path


@web.middleware
async def _log_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Record the request (``emu.requests``), and answer any crash with Mautic's JSON 500.

    The body is kept only once the request has been authenticated, and never for the
    token endpoint (see :class:`RecordedRequest`); the log is a bounded deque.
    """
    ctx = request.app[CONTEXT]
    body = await request.read() if request.body_exists else b""
    record = RecordedRequest(
        method=request.method,
        path=request.path,
        query=MultiDictProxy(MultiDict(request.query)),
        query_string=request.raw_path.partition("?")[2],
        headers=CIMultiDictProxy(request.headers.copy()),
        body=b"",
        auth_kind=_auth_kind(request),
        time=ctx.clock.now(),
    )
    ctx.log_request(record)
    try:
        response: web.StreamResponse = await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        # ExceptionController renders every uncaught error as JSON; so does the
        # emulator, even for a crash outside the controllers (a parsing bug).
        log.exception("Mautic emulator: uncaught error on %s %s", request.method, request.path)
        response = exception_error(500)
    record.status = None if request.get(_DROPPED) else response.status
    record.fault = request.get(_FAULT)
    if request.path != TOKEN_PATH and (
        PRINCIPAL in request or (record.fault is not None and _would_authenticate(request, ctx))
    ):
        record.body = body
    else:
        _forget_credentials(record)
    return response


@web.middleware
async def _count_in_flight(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count ``/api`` requests being handled at once, and their high-water mark, so a
    test can see a client's (or a fleet's) concurrency cap from the server's side."""
    if not request.path.startswith("/api"):
        response: web.StreamResponse = await handler(request)
        return response
    ctx = request.app[CONTEXT]
    ctx.api_in_flight += 1
    ctx.api_in_flight_peak = max(ctx.api_in_flight_peak, ctx.api_in_flight)
    try:
        response = await handler(request)
        return response
    finally:
        ctx.api_in_flight -= 1


def _would_authenticate(request: web.Request, ctx: Context) -> bool:
    """Whether a request a fault answered before the firewall carries credentials the
    firewall accepts: tests read the bodies of faulted requests (what was resent?), and
    those bodies came from an authenticated caller."""
    return request.path.startswith("/api") and isinstance(_authenticate(request, ctx), Principal)


TOKEN_PATH = "/oauth/v2/token"
SECRET_PARAMETERS = frozenset(
    {"access_token", "client_secret", "password", "refresh_token", "code", "username"}
)
"""Query parameters an unauthenticated or token request may carry as credentials."""


def _forget_credentials(record: RecordedRequest) -> None:
    """Drop what a request not authenticated as an API caller may carry as credentials:
    its ``Authorization`` header and credential parameters of its query string."""
    headers = record.headers.copy()
    headers.popall("Authorization", None)
    record.headers = CIMultiDictProxy(headers)
    if SECRET_PARAMETERS.isdisjoint(record.query):
        return
    kept = MultiDict((k, v) for k, v in record.query.items() if k not in SECRET_PARAMETERS)
    record.query = MultiDictProxy(kept)
    record.query_string = urlencode(list(kept.items()))


def _auth_kind(request: web.Request) -> AuthKind:
    """What credentials the request carries (header or ``access_token`` query)."""
    return credentials(request, {}).kind


@web.middleware
async def _faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    ctx = request.app[CONTEXT]
    fault = ctx.faults.take(request.method, request.path)
    if fault is None:
        response: web.StreamResponse = await handler(request)
        return response
    request[_FAULT] = fault.describe()
    response, dropped = await apply_fault(fault, request, handler, ctx.settings.rate_limit)
    request[_DROPPED] = dropped
    return response


@web.middleware
async def _kernel_request(request: web.Request, handler: Handler) -> web.StreamResponse:
    """API switch, Basic switch, then body decoding.

    Both switches apply to every URI containing ``/api`` or ``/oauth``, so with Basic
    auth disabled a token request that sends client credentials in an
    ``Authorization: Basic`` header is refused (403) as well.
    """
    settings = request.app[CONTEXT].settings
    if _is_api_uri(request):
        if not settings.api_enabled:
            return security_error(API_DISABLED, 403, "api_disabled")
        header = request.headers.get("Authorization", "")
        if not settings.basic_auth_enabled and header[:6].lower() == "basic ":
            return security_error(BASIC_DISABLED, 403, "access_denied")
    try:
        request[PARAMS] = await parse_body(request)
    except InvalidBody:
        return exception_error(400)
    response: web.StreamResponse = await handler(request)
    return response


def _authenticate(request: web.Request, ctx: Context) -> Principal | web.Response:
    """The ``api`` firewall: a bearer token wins over Basic; no credentials is a 401."""
    creds = credentials(request, request.get(PARAMS, {}))
    try:
        if len(creds.bearer) > 1:
            raise OAuthError(
                400,
                "invalid_request",
                "Only one method may be used to authenticate at a time (Auth header, GET or POST).",
            )
        if creds.bearer:
            token = creds.bearer[0]
            grant = ctx.oauth.verify(token)
            return Principal("bearer", grant.actor, f"token:{token}")
    except OAuthError as exc:
        return exc.response()
    users = list(ctx.settings.basic_auth)
    if creds.basic_header:
        if creds.basic is not None:
            user, password = creds.basic
            if user in ctx.settings.basic_auth and ctx.settings.basic_auth[user] == password:
                return Principal("basic", ctx.user_actor(users.index(user) + 1), "basic")
        return security_error("Authorization denied, invalid credentials.", 401, "access_denied")
    return security_error("API authorization denied.", 401, "access_denied")


@web.middleware
async def _firewall(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Authenticate ``/api`` requests, then count them against the rate limit."""
    if not request.path.startswith("/api"):
        response: web.StreamResponse = await handler(request)
        return response
    ctx = request.app[CONTEXT]
    principal = _authenticate(request, ctx)
    if isinstance(principal, web.Response):
        return principal
    request[PRINCIPAL] = principal
    limit = ctx.settings.rate_limit
    if limit <= 0:
        response = await handler(request)
        return response
    window = ctx.rate_limiter.hit(principal.bucket, ctx.clock.now())
    if window.calls > limit:
        response = rate_limited(limit)
    else:
        response = await handler(request)
    response.headers.update(window.headers(limit))
    return response


@web.middleware
async def _uncaught(request: web.Request, handler: Handler) -> web.StreamResponse:
    """``ExceptionController``: uncaught errors become Mautic's JSON error body.

    Any other exception (an emulator bug, or input deep enough to exhaust the stack)
    is logged and answered with the generic JSON 500 Mautic sends, never a text page.
    """
    try:
        response: web.StreamResponse = await handler(request)
    except ServerError as exc:
        return exception_error(exc.status, exc.message)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("Mautic emulator: uncaught error on %s %s", request.method, request.path)
        return exception_error(500)
    return response


async def _not_found(request: web.Request) -> web.Response:
    """Mautic's catch-all page route for anything no API route matched.

    UNVERIFIED choice: ``/api`` and ``/oauth`` URIs get the ``ExceptionController``
    404 ``Requested URL not found: <request URI, query string included>`` (no 405 is
    ever sent); other paths get a plain-text 404 standing in for a Mautic page.
    """
    if _is_api_uri(request):
        return exception_error(404, f"Requested URL not found: {request.raw_path}")
    return web.Response(status=404, text="Not Found")


def _build_app(ctx: Context) -> web.Application:
    app = web.Application(
        middlewares=[
            _count_in_flight,
            _log_requests,
            _faults,
            _kernel_request,
            _firewall,
            _uncaught,
        ],
        client_max_size=64 * 1024**2,
    )
    app[CONTEXT] = ctx
    setup_point_group_routes(app.router)
    setup_point_routes(app.router)
    setup_trigger_routes(app.router)
    if parse_version(ctx.settings.version) >= (7, 0):
        setup_insight_routes(app.router)
    setup_contact_routes(app.router)
    setup_oauth_routes(app.router)
    app.router.add_route("*", "/{tail:.*}", _not_found)
    return app


class RequestLog(Sequence[RecordedRequest]):
    """``emu.requests``: a live view of the emulator's bounded request log."""

    __slots__ = ("_ctx",)

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    @overload
    def __getitem__(self, index: int) -> RecordedRequest: ...
    @overload
    def __getitem__(self, index: slice) -> list[RecordedRequest]: ...
    def __getitem__(self, index: int | slice) -> RecordedRequest | list[RecordedRequest]:
        if isinstance(index, slice):
            return list(self._ctx.requests)[index]
        return self._ctx.requests[index]

    def __len__(self) -> int:
        return len(self._ctx.requests)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (RequestLog, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def clear(self) -> None:
        """Forget every logged request."""
        self._ctx.requests.clear()

    def __repr__(self) -> str:
        return repr(list(self))


class MauticEmulator:
    """An in-process emulator of Mautic's REST API on a real aiohttp server.

    Use ``async with MauticEmulator(...) as emu:`` (or ``await emu.start()`` /
    ``await emu.stop()``); ``emu.url`` is the base URL. Configuration lives in
    ``emu.settings`` and may be changed while the server runs (e.g.
    ``emu.settings.api_enabled = False``).

    When both ``basic_auth`` and ``oauth2_clients`` are None, Basic auth user ``admin``
    with password ``mautic`` is configured. Basic users get user ids 1, 2, ... in the
    order given; all of them, and every authorization-code token, save entities as
    ``user_full_name``. Client-credentials tokens save as ``null`` /
    ``"<clientId> [<clientId>]"``. Every caller is an administrator: permission checks
    (403 ``accessDenied``) are not emulated.

    ``clock`` (default: a :class:`Clock` following real time) is the only time source;
    move it with ``emu.clock.advance(seconds)``.

    ``version`` (default :data:`DEFAULT_VERSION`, ``"7.1.3"``) is sent as
    ``Mautic-Version`` and selects the behaviour where 5.x and 7.x differ (spec
    ``mautic-points-api.md`` section 7), read when the server starts:

    * ``/api/points/insights`` exists, and group-score changes run Point Insights,
      only from 7.0 on; before, those URLs get the catch-all 404
      ``Requested URL not found``;
    * a trigger payload naming an event id that does not exist is a 404 "Item was not
      found." from 7.0 on, a 405 (``MethodNotAllowedHttpException``, generic message)
      before; either way a trigger being created stays created, without events.

    Not modelled per version: ``where`` values are HTML-escaped as 5.x does.

    ``request_log_size`` (default 10,000; also ``emu.settings.request_log_size``) caps
    ``emu.requests``: the oldest requests are dropped first, so a long-running emulator
    uses bounded memory. Bodies of requests that were not authenticated, and of token
    requests, are never kept (see :class:`RecordedRequest`).
    """

    def __init__(
        self,
        *,
        basic_auth: Mapping[str, str] | None = None,
        oauth2_clients: Mapping[str, str] | None = None,
        token_lifetime: float = 3600,
        refresh_token_lifetime: float = 14 * 86400,
        rate_limit: int = 0,
        api_enabled: bool = True,
        basic_auth_enabled: bool = True,
        batch_max_limit: int = 200,
        host: str = "127.0.0.1",
        port: int = 0,
        version: str = DEFAULT_VERSION,
        user_full_name: str = "Admin User",
        clock: Clock | None = None,
        request_log_size: int = DEFAULT_REQUEST_LOG_SIZE,
    ) -> None:
        if isinstance(request_log_size, bool) or not isinstance(request_log_size, int):
            raise TypeError("request_log_size must be an int")
        if request_log_size < 0:
            raise ValueError("request_log_size must not be negative")
        if basic_auth is None and oauth2_clients is None:
            basic_auth = DEFAULT_BASIC_AUTH
        self.settings = Settings(
            basic_auth=dict(basic_auth or {}),
            oauth2_clients=dict(oauth2_clients or {}),
            token_lifetime=token_lifetime,
            refresh_token_lifetime=refresh_token_lifetime,
            rate_limit=rate_limit,
            api_enabled=api_enabled,
            basic_auth_enabled=basic_auth_enabled,
            batch_max_limit=batch_max_limit,
            version=version,
            user_full_name=user_full_name,
            request_log_size=request_log_size,
        )
        self.host = host
        self._requested_port = port
        self.clock = clock or Clock()
        self._ctx = Context(self.settings, self.clock)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # -- lifecycle ---------------------------------------------------------------
    async def start(self) -> None:
        """Bind (port 0 picks a free port) and start serving."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        runner = web.AppRunner(_build_app(self._ctx), access_log=None, shutdown_timeout=0.25)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        log.debug("Mautic emulator listening on %s", self.url)

    async def stop(self) -> None:
        """Stop serving and close open connections (idempotent)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> MauticEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The bound TCP port (after :meth:`start`)."""
        if self._port is None:
            raise RuntimeError("the emulator has not been started")
        return self._port

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # -- faults, tokens ----------------------------------------------------------
    @property
    def faults(self) -> FaultRegistry:
        """Scripted and random fault injection (``emu.faults.add(...)``)."""
        return self._ctx.faults

    def issue_token_pair(self, client_id: str) -> dict[str, Any]:
        """The token endpoint's body for an ``authorization_code`` grant (user 1):
        ``access_token, expires_in, token_type, scope, refresh_token``."""
        return self._ctx.oauth.issue_pair(client_id)

    def issue_authorization_code(self, client_id: str, redirect_uri: str) -> str:
        """An authorization code (valid 30 s, single use) for the token endpoint."""
        return self._ctx.oauth.issue_code(client_id, redirect_uri)

    # -- inspection --------------------------------------------------------------
    @property
    def point_groups(self) -> dict[int, dict[str, Any]]:
        """Stored point groups by id, as wire-shaped dicts (fresh copies)."""
        table = self._ctx.store.table(POINT_GROUP.multi)
        return {row["id"]: POINT_GROUP.serialize(row) for row in table}

    @property
    def points(self) -> dict[int, dict[str, Any]]:
        """Stored point actions by id, as ``GET /api/points/{id}`` shows them."""
        return self._inspect(POINT)

    @property
    def triggers(self) -> dict[int, dict[str, Any]]:
        """Stored point triggers by id, events included (as a GET shows them)."""
        return self._inspect(TRIGGER)

    @property
    def insights(self) -> dict[int, dict[str, Any]]:
        """Stored Point Insights by id, as ``GET /api/points/insights/{id}`` shows them."""
        return self._inspect(INSIGHT)

    def _inspect(self, spec: EntitySpec) -> dict[int, dict[str, Any]]:
        return {row["id"]: spec.serialize(row) for row in self._ctx.store.table(spec.multi)}

    @property
    def contacts(self) -> dict[int, dict[str, Any]]:
        """Stored contacts by id, as the ``contact`` object of ``GET /api/contacts/{id}``
        (published custom fields, e.g. insight results, in ``fields.all``)."""
        custom = custom_aliases(self._ctx.store)
        return {row["id"]: serialize_contact(row, custom) for row in self._ctx.store.contacts}

    @property
    def scores(self) -> dict[tuple[int, int], int]:
        """Group scores keyed by ``(contact_id, group_id)`` (a copy)."""
        return dict(self._ctx.store.scores)

    @property
    def requests(self) -> RequestLog:
        """The last ``request_log_size`` requests received, oldest first.

        A read-only sequence (indexing, slicing, ``len``, ``== [...]``) whose
        ``clear()`` empties the emulator's log, so a test can look at just what
        follows: ``emulator.requests.clear()``.
        """
        return RequestLog(self._ctx)

    @property
    def token_requests(self) -> list[RecordedRequest]:
        """The logged requests made to ``/oauth/v2/token`` (method, path, status; never
        their body or credentials)."""
        return [r for r in self._ctx.requests if r.path == TOKEN_PATH]

    @property
    def api_in_flight_peak(self) -> int:
        """The most ``/api`` requests the emulator has handled at once (token requests
        are not counted); :meth:`reset_in_flight_peak` starts it again."""
        return self._ctx.api_in_flight_peak

    def reset_in_flight_peak(self) -> None:
        """Start the ``/api`` in-flight high-water mark again from the current count."""
        self._ctx.api_in_flight_peak = self._ctx.api_in_flight

    def reset(self) -> None:
        """Forget all data, tokens, rate windows, faults and the request log.

        Ids restart at 1. Settings and the clock are kept.
        """
        self._ctx.store.clear()
        self._ctx.oauth.clear()
        self._ctx.rate_limiter.clear()
        self._ctx.faults.clear()
        self._ctx.requests.clear()

    # -- seeding -----------------------------------------------------------------
    def add_point_group(
        self, name: str, description: str | None = "", is_published: bool = True
    ) -> dict[str, Any]:
        """Store a point group directly (no user: ``createdBy`` null); returns its wire dict.

        Nothing goes through the API form, so values are stored as given and an omitted
        ``description`` keeps the entity's PHP default ``""`` (as a group saved by Mautic
        itself would; mautic-api.md §1.3). An API create without ``description`` stores
        null instead (the form maps ``""`` to null); pass ``description=None`` for that.
        Runs in constant time, so seeding many groups is cheap.
        """
        row = POINT_GROUP.new_row()
        row.update(
            name=name,
            description=description,
            isPublished=is_published,
            dateAdded=self._ctx.now(),
        )
        saved = self._ctx.store.table(POINT_GROUP.multi).insert(row)
        return POINT_GROUP.serialize(saved)

    def _seed(self, spec: EntitySpec, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Create through the entity's form (its validation and defaults), as no user."""
        try:
            row, _ = process_form(
                spec,
                None,
                to_php(dict(payload)),
                "POST",
                Actor(None, None),
                self._ctx.now(),
                lookup=self._ctx.store,
                version=parse_version(self.settings.version),
            )
        except FormInvalid as exc:
            raise ValueError(f"invalid {spec.one}: {exc.message}") from None
        except (Refused, ServerError) as exc:
            raise ValueError(f"invalid {spec.one}: {exc}") from None
        return spec.persist(self._ctx.store.table(spec.multi), row)

    def add_point(
        self,
        name: str,
        type: str = "form.submit",
        *,
        delta: int = 0,
        description: str | None = None,
        group: int | None = None,
        properties: Mapping[str, Any] | None = None,
        repeatable: bool = False,
        is_published: bool = True,
        publish_up: str | None = None,
        publish_down: str | None = None,
    ) -> dict[str, Any]:
        """Store a point action; returns its wire dict (as ``GET /api/points/{id}``).

        Validated like ``POST /api/points/new`` (``ValueError`` with Mautic's message):
        ``type`` is a key of ``/api/points/actions/types``, ``group`` an existing
        point-group id (write-only: never in the wire dict), dates
        ``"YYYY-MM-DD HH:MM"``. Unlike the API, ``properties`` are stored at once.
        """
        payload: dict[str, Any] = {
            "name": name,
            "type": type,
            "delta": delta,
            "description": description,
            "group": group,
            "repeatable": repeatable,
            "isPublished": is_published,
            "publishUp": publish_up,
            "publishDown": publish_down,
        }
        saved = self._seed(POINT, payload)
        if properties:
            stored = self._ctx.store.table(POINT.multi).rows[saved["id"]]
            stored["properties"] = to_php(dict(properties))
        return POINT.serialize(self._ctx.store.table(POINT.multi).rows[saved["id"]])

    def add_trigger(
        self,
        name: str,
        *,
        points: int = 0,
        events: Sequence[Mapping[str, Any]] = (),
        description: str | None = None,
        color: str = "a0acb8",
        group: int | None = None,
        trigger_existing_leads: bool = False,
        is_published: bool = True,
        publish_up: str | None = None,
        publish_down: str | None = None,
    ) -> dict[str, Any]:
        """Store a point trigger with its events; returns its wire dict.

        ``events`` are mappings with ``name``, ``type`` (any string, as Mautic does not
        check it), and optional ``description`` and ``properties``; they get ids and
        ``order`` 1, 2, ... in the given order. ``group`` is a point-group id
        (write-only). Validated like ``POST /api/points/triggers/new`` (``ValueError``).
        """
        payload: dict[str, Any] = {
            "name": name,
            "points": points,
            "events": [dict(event) for event in events],
            "description": description,
            "color": color,
            "group": group,
            "triggerExistingLeads": trigger_existing_leads,
            "isPublished": is_published,
            "publishUp": publish_up,
            "publishDown": publish_down,
        }
        saved = self._seed(TRIGGER, payload)
        return TRIGGER.serialize(self._ctx.store.table(TRIGGER.multi).rows[saved["id"]])

    def add_insight(
        self,
        name: str,
        custom_field: str | None,
        point_groups: Sequence[int],
        *,
        description: str | None = None,
        is_published: bool = True,
    ) -> dict[str, Any]:
        """Store a Point Insight (Mautic 7 only); returns its wire dict.

        ``custom_field`` must be a published text contact field (see
        :meth:`add_contact_field`), ``point_groups`` existing group ids. Validated like
        ``POST /api/points/insights/new`` (``ValueError``). An inactive insight
        (``is_published=False``) is stored but never runs.
        """
        if parse_version(self.settings.version) < (7, 0):
            raise ValueError(
                f"Point Insights need Mautic 7; this emulator runs {self.settings.version}"
            )
        payload: dict[str, Any] = {
            "name": name,
            "customField": custom_field,
            "pointGroups": list(point_groups),
            "description": description,
            "isPublished": is_published,
        }
        return INSIGHT.serialize(self._seed(INSIGHT, payload))

    def add_contact_field(
        self, alias: str, type: str = "text", is_published: bool = True
    ) -> dict[str, Any]:
        """Define a custom contact field; returns ``{"id", "label", "alias", "type",
        "object": "lead", "isPublished"}``.

        Published fields appear in ``fields.all`` of every contact (``null`` until
        set), are accepted by ``POST /api/contacts/new`` and :meth:`add_contact`, and,
        when of type ``text``, can be the ``customField`` of a Point Insight.
        """
        table = self._ctx.store.table(CONTACT_FIELDS)
        if any(row["alias"] == alias for row in table) or alias in CORE_FIELDS:
            raise ValueError(f"a contact field {alias!r} already exists")
        row = table.insert(
            {
                "id": None,
                "label": alias,
                "alias": alias,
                "type": type,
                "object": "lead",
                "isPublished": is_published,
            }
        )
        return dict(row)

    def add_contact(self, email: str | None = None, **fields: str) -> int:
        """Store a contact directly and return its id (custom fields by alias)."""
        custom = custom_aliases(self._ctx.store)
        unknown = sorted(set(fields) - set(CORE_FIELDS) - set(custom))
        if unknown:
            raise ValueError(f"unknown contact fields: {', '.join(unknown)}")
        row = new_contact({"email": email, **fields}, Actor(None, None), self._ctx.now(), custom)
        return int(self._ctx.store.contacts.insert(row)["id"])

    def set_score(self, contact_id: int, group_id: int, score: int) -> None:
        """Store a contact's score in a group (both must exist).

        A direct database write: no Point Insights run (the API route runs them)."""
        store = self._ctx.store
        if contact_id not in store.contacts.rows:
            raise KeyError(f"no contact {contact_id}")
        if group_id not in store.table(POINT_GROUP.multi).rows:
            raise KeyError(f"no point group {group_id}")
        store.scores[(contact_id, group_id)] = score

    def __repr__(self) -> str:
        where = self.url if self._port is not None and self._runner else "stopped"
        return f"<MauticEmulator {where}>"
