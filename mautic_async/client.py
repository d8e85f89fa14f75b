"""``MauticClient``: the session, authentication and the one request loop."""

from __future__ import annotations

import asyncio
import collections
import copy
import ipaddress
import logging
import ssl as ssl_module
import time
import types
from collections.abc import Awaitable, Callable, Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

import aiohttp
import attrs
from multidict import CIMultiDict
from yarl import URL

from . import _transport
from ._protocol import (
    APIRequest,
    _orjson_loads,
    decode_response,
    encode_body,
    php_query,
    retry_after_seconds,
)
from ._response import RawReply
from ._retry import RetryPolicy
from ._version import __version__
from .auth import Auth, static_authorization
from .errors import (
    APIError,
    AuthenticationError,
    ClientClosedError,
    OAuthError,
    RateLimitError,
    UnexpectedResponseError,
    scrub,
)
from .stores import Paused, RequestLimiter, SharedStateError, TokenStore, scope_for

if TYPE_CHECKING:
    from .resources.contacts import Contacts
    from .resources.point_groups import PointGroups
    from .resources.point_insights import PointInsights
    from .resources.point_triggers import PointTriggers
    from .resources.points import Points

__all__ = ["DEFAULT_MAX_RESPONSE_SIZE", "DEFAULT_TIMEOUT", "MauticClient"]

logger = logging.getLogger("mautic_async")

#: 60 s for a whole request, 10 s to open a connection: generous for an API whose calls
#: take milliseconds, short enough that a hung server is noticed. ``sock_connect`` rather
#: than ``connect``: the client's own slots already keep requests from queueing in
#: aiohttp's pool, and ``connect`` would arm a timer for every pooled request. No read
#: timeout either: the total bounds it, and aiohttp re-arms a read timer on every chunk.
#: Both timers measurably slowed every call (benchmarks/README.md).
DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=60, sock_connect=10)
#: How many distinct request URLs a client remembers (see ``_Shared.url``).
URL_CACHE_SIZE = 512
#: The token endpoint gets its own, shorter budget: nothing else can start without it.
TOKEN_TIMEOUT = aiohttp.ClientTimeout(total=30, connect=10)
TOKEN_RETRIES = 2
#: The largest response body a client reads by default (see ``max_response_size``).
DEFAULT_MAX_RESPONSE_SIZE = 32 * 1024 * 1024

Sleep = Callable[[float], Awaitable[Any]]

_R = TypeVar("_R")


class _resource(cached_property[_R]):
    """A resource of the client: made on first use and cached per client. Every
    property marked with it is rebound by :meth:`MauticClient.with_options`, so a
    resource added later cannot stay bound to the original client."""


class _TokenEndpoint:
    """The client's token endpoint as an :class:`~mautic_async.Auth` sees it: a call
    that posts a form, and how long a caller may wait for a token (the client's
    total timeout)."""

    __slots__ = ("_client",)

    def __init__(self, client: MauticClient) -> None:
        self._client = client

    async def __call__(self, form: Mapping[str, str]) -> Any:
        return await self._client._post_token(form)

    @property
    def wait_timeout(self) -> float | None:
        return self._client.timeout.total


class Slots:
    """The client's concurrency slots: at most ``size`` requests hold one; the rest
    queue in arrival order.

    ``asyncio.Semaphore`` would do, but its ``acquire()`` is a coroutine that first
    builds a generator over its waiters, and most requests find a slot free: the
    request loop takes a free one inline (``if slots.free and not slots.waiters``),
    and only queues through :meth:`acquire` when there is none. ``release`` hands a
    slot straight to the first live waiter, so a newcomer can never overtake the
    queue.
    """

    __slots__ = ("free", "waiters")

    def __init__(self, size: int) -> None:
        self.free = size
        self.waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    async def acquire(self) -> None:
        """Wait for a slot (taking a free one at once if nobody queues)."""
        if self.free and not self.waiters:
            self.free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed a slot just as we were cancelled: pass it on
            elif waiter in self.waiters:  # (release() drops cancelled waiters itself)
                self.waiters.remove(waiter)
            raise

    def release(self) -> None:
        """Give a slot back: to the first waiter still waiting, else to the pool."""
        waiters = self.waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self.free += 1


class _Shared:
    """What a client and its :meth:`~MauticClient.with_options` copies share: the
    session (made lazily, inside the running loop, never in ``__init__``), the
    concurrency slots, and whether they are closed."""

    def __init__(
        self,
        session: aiohttp.ClientSession | None,
        max_concurrency: int,
        timeout: aiohttp.ClientTimeout,
        ssl: ssl_module.SSLContext | bool,
    ) -> None:
        self._session = session
        self._owns_session = session is None
        self._max_concurrency = max_concurrency
        self._timeout = timeout
        self._ssl = ssl
        self._slots: Slots | None = None
        self._urls: dict[Any, URL] = {}
        self.closed = False

    def new_url(self, root: URL, request: APIRequest, key: object) -> URL:
        """Build the request's absolute URL and remember it under ``key`` (the request
        loop looks it up there first): building a yarl URL (and aiohttp's per-URL work
        on a new URL object) costs more than the rest of a call's own overhead, and
        most calls repeat a handful of paths."""
        if len(self._urls) >= URL_CACHE_SIZE:
            self._urls.clear()
        url = self._urls[key] = root.joinpath(request.path).with_query(request.params or None)
        return url

    def session(self) -> aiohttp.ClientSession:
        if self.closed:
            raise ClientClosedError("this MauticClient is closed; create a new one")
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._max_concurrency, limit_per_host=self._max_concurrency, ssl=self._ssl
            )
            # No cookie jar: the API is stateless, and a session cookie picked up from
            # one answer must not ride along on later requests.
            session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=self._timeout,
                raise_for_status=False,
            )
            # aiohttp silently resends GET/PUT/DELETE once when a reused keep-alive
            # connection turns out closed. For Mautic that is unsafe (the first PUT may
            # have created an entity); our retry policy decides instead.
            session._retry_connection = False
            self._session = session
        return self._session

    def request_options(self, timeout: aiohttp.ClientTimeout) -> dict[str, Any]:
        """What each request must say that the session does not: nothing for our own
        session at its default timeout (passing the same values per request costs a
        few percent of throughput), everything for a caller's session, whose defaults
        are not ours (it might even raise on error statuses)."""
        if self._owns_session:
            return {} if timeout is self._timeout else {"timeout": timeout}
        return {"timeout": timeout, "ssl": self._ssl, "raise_for_status": False}

    def slots(self) -> Slots:
        # Waiting here happens before aiohttp starts the request's timeout, so time
        # spent queueing for a slot is not charged to the request.
        if self._slots is None:
            self._slots = Slots(self._max_concurrency)
        return self._slots

    async def close(self) -> None:
        self.closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session and not session.closed:
            await session.close()


def _api_root(base_url: str) -> URL:
    """``https://host/mautic``, ``…/mautic/`` or ``…/mautic/api`` -> ``https://host/mautic/``.

    Mautic may live under a sub-path, which must survive (``URL.join`` would drop it for
    an absolute ``/api/...``), so paths are appended, never joined.
    """
    if not isinstance(base_url, (str, URL)):
        raise TypeError(f"base_url must be a str, not {type(base_url).__name__}")
    url = URL(str(base_url))
    if url.user or url.password:
        raise ValueError("base_url must not carry credentials: put them in auth=")
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an http(s) URL with a host, got {str(base_url)!r}")
    path = url.path.rstrip("/")
    if path.endswith("/api"):
        path = path[: -len("/api")]
    return url.with_path(path + "/").with_query(None).with_fragment(None)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


#: ``session.request`` arguments when our own session already says them all.
_NO_OPTIONS: Mapping[str, Any] = types.MappingProxyType({})


#: Headers the client sets itself: a per-call ``extra_headers`` may not replace them.
_OWN_HEADERS = frozenset({"authorization", "content-type"})


def _extra_headers(extra: Mapping[str, str], what: str = "extra_headers") -> Mapping[str, str]:
    if not isinstance(extra, Mapping):
        raise TypeError(f"{what} must be a mapping, not {type(extra).__name__}")
    for name, value in extra.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"{what}: {name!r} must map a str to a str")
        if name.strip().lower() in _OWN_HEADERS:
            raise ValueError(
                f"{what} may not set {name!r}: the client sets it (use auth= for credentials)"
            )
        if any(c in name + value for c in "\r\n\0"):  # would smuggle in another header
            raise ValueError(f"{what}: {name!r} holds a line break or NUL")
    return extra


def _with_query(request: APIRequest, extra: Mapping[str, object]) -> APIRequest:
    """``request`` with ``extra`` added to its query; PHP keeps the last of a repeated
    key, so an extra parameter wins over the request's own."""
    if not isinstance(extra, Mapping):
        raise TypeError(f"extra_query must be a mapping, not {type(extra).__name__}")
    params = [*request.params]
    for name, value in extra.items():
        params.extend(php_query(str(name), value))
    return attrs.evolve(request, params=tuple(params))


def _timeout(value: float | aiohttp.ClientTimeout | None) -> aiohttp.ClientTimeout:
    if value is None:
        return DEFAULT_TIMEOUT
    if isinstance(value, aiohttp.ClientTimeout):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {value!r}")
    return aiohttp.ClientTimeout(total=float(value))


class MauticClient:
    """An async client for one Mautic installation.

    >>> async with MauticClient("https://mautic.example.com",
    ...                         auth=BasicAuth("admin", "secret")) as mautic:
    ...     group = await mautic.point_groups.create({"name": "Group A"})

    Args:
        base_url: the Mautic site, with or without a trailing ``/api``; a sub-path
            (``https://host/mautic``) is kept.
        auth: :class:`~mautic_async.BasicAuth`, :class:`~mautic_async.OAuth2ClientCredentials`,
            :class:`~mautic_async.OAuth2Token`, or ``None`` for none.
        session: an ``aiohttp.ClientSession`` to use instead of our own; we never
            close it. (Our own session also turns off aiohttp's silent resend of PUT
            and DELETE on a dropped keep-alive connection, see :mod:`._retry`; a
            session you pass keeps aiohttp's behaviour.)
        timeout: seconds (total) or an ``aiohttp.ClientTimeout``; default
            :data:`DEFAULT_TIMEOUT`. Waiting for a free slot (``max_concurrency``)
            is not charged to it.
        max_retries: retries after the first attempt (``0`` disables); see
            :class:`~mautic_async.RetryPolicy` for which requests are retried.
        retry_policy: the whole policy, instead of ``max_retries`` alone.
        max_concurrency: requests in flight at once; the connection pool matches it.
        ssl: an ``ssl.SSLContext`` for custom CAs or client certificates.
        verify_tls: ``False`` turns certificate checks off (never do this in production).
        allow_insecure_http: send credentials over plain ``http://`` to a host that is
            not loopback. Refused by default: Basic passwords and tokens would travel
            in clear text.
        headers: extra HTTP headers sent with every request (a proxy's or gateway's
            key, a tracing id); they never replace ``Authorization``, which ``auth``
            sets, nor ``Content-Type``.
        max_response_size: the largest response body, in bytes, the client reads
            (default :data:`DEFAULT_MAX_RESPONSE_SIZE`, 32 MiB; the token endpoint's
            too). A larger answer raises :class:`~mautic_async.ResponseTooLargeError`
            as soon as that shows (from ``Content-Length``, or while the body streams
            in), so a broken or hostile server cannot exhaust memory. A page of 100
            point groups is about 50 KB.
        sleep: what backoff waits with (tests pass a fake to never really wait).
        token_store: where the OAuth2 auth keeps its token, e.g.
            :class:`~mautic_async.contrib.redis.RedisTokenStore` so that a fleet of
            processes shares one token and refreshes it once (default: in memory, in
            the auth object). Needs an OAuth2 ``auth``.
        limiter: a :class:`~mautic_async.RequestLimiter` every request takes a slot
            from (after this client's own ``max_concurrency`` slot), and which a 429
            pauses for everyone sharing it, e.g.
            :class:`~mautic_async.contrib.redis.RedisLimiter` for a fleet-wide cap.
            Default: none beyond ``max_concurrency``. A failing store or limiter fails
            the call with :class:`~mautic_async.SharedStateError`; there is no silent
            fallback.
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: Auth | None = None,
        session: aiohttp.ClientSession | None = None,
        timeout: float | aiohttp.ClientTimeout | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        max_concurrency: int = 10,
        ssl: ssl_module.SSLContext | None = None,
        verify_tls: bool = True,
        allow_insecure_http: bool = False,
        headers: Mapping[str, str] | None = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        sleep: Sleep = asyncio.sleep,
        token_store: TokenStore | None = None,
        limiter: RequestLimiter | None = None,
    ) -> None:
        self._root = _api_root(base_url)
        self._allow_insecure_http = allow_insecure_http
        self.auth = auth  # checked by the setter
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
            raise TypeError("max_concurrency must be an int")
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        if isinstance(max_response_size, bool) or not isinstance(max_response_size, int):
            raise TypeError("max_response_size must be an int (bytes)")
        if max_response_size < 1:
            raise ValueError("max_response_size must be at least 1 byte")
        self.max_response_size = max_response_size
        policy = retry_policy or RetryPolicy()
        if max_retries is not None:
            policy = attrs.evolve(policy, max_retries=max_retries)
        self.retry_policy = policy
        self.timeout = _timeout(timeout)
        self.max_concurrency = max_concurrency
        tls: ssl_module.SSLContext | bool = ssl if ssl is not None else verify_tls
        self._shared = _Shared(session, max_concurrency, self.timeout, tls)
        self._sleep = sleep
        self._token_endpoint = _TokenEndpoint(self)
        # Shared state is keyed by the site and the credentials' public id (hashed).
        principal = str(getattr(auth, "client_id", None) or getattr(auth, "username", None) or "")
        self._scope = scope_for(str(self._root), principal)
        if limiter is not None and not isinstance(limiter, RequestLimiter):
            raise TypeError("limiter must implement RequestLimiter (acquire, release, pause_until)")
        self.limiter = limiter
        if token_store is not None:
            use_store = getattr(auth, "use_token_store", None)
            if use_store is None:
                raise TypeError(
                    "token_store needs an OAuth2 auth (OAuth2ClientCredentials or OAuth2Token)"
                )
            use_store(token_store, self._scope)
        self._headers = {
            "Accept": "application/json",
            "User-Agent": f"mautic-async/{__version__}",
            # Checked like extra_headers: an Authorization header here would bypass the
            # plain-http refusal and the masking that credentials given as auth= get.
            **(_extra_headers(headers, "headers") if headers is not None else {}),
        }
        #: [without body, with body] -> (Authorization value, headers); see _request_headers.
        self._headers_cache: list[tuple[str | None, CIMultiDict[str]] | None] = [None, None]

    # -- lifecycle ---------------------------------------------------------------

    async def __aenter__(self) -> MauticClient:
        self._ensure_session()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the session we own (a session passed in stays open). Idempotent.

        Copies made by :meth:`with_options` share the session: closing any closes all.
        """
        await self._shared.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has run (on this client or a :meth:`with_options`
        copy): every request then raises :class:`~mautic_async.ClientClosedError`."""
        return self._shared.closed

    def with_options(
        self,
        *,
        timeout: float | aiohttp.ClientTimeout | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> MauticClient:
        """A copy with other timeouts or retries that shares this client's session,
        connection pool, concurrency limit and credentials (no new connections, no
        new token).

        >>> group = await mautic.with_options(max_retries=0, timeout=5).point_groups.get(1)
        """
        clone = copy.copy(self)
        clone._token_endpoint = _TokenEndpoint(clone)
        clone._headers_cache = [None, None]
        for name in self._resource_names():  # cached resources are bound to the original
            clone.__dict__.pop(name, None)
        if timeout is not None:
            clone.timeout = _timeout(timeout)
        if retry_policy is not None:
            clone.retry_policy = retry_policy
        if max_retries is not None:
            clone.retry_policy = attrs.evolve(clone.retry_policy, max_retries=max_retries)
        return clone

    @property
    def base_url(self) -> str:
        """The Mautic site root this client talks to (always ending in ``/``); read-only."""
        return str(self._root)

    @property
    def auth(self) -> Auth | None:
        """How requests authenticate; ``None`` for not at all.

        It may be replaced (``client.auth = OAuth2Token(...)``), and every assignment,
        the constructor's included, runs the same checks: credentials are refused for
        a plain ``http://`` base URL whose host is not loopback unless the client was
        made with ``allow_insecure_http=True``. With ``base_url`` read-only, that
        holds for every request the client (or a :meth:`with_options` copy) sends.
        """
        return self._auth

    @auth.setter
    def auth(self, auth: Auth | None) -> None:
        if auth is not None and not isinstance(auth, Auth):
            raise TypeError(f"auth must be an Auth instance, not {type(auth).__name__}")
        if (
            auth is not None
            and self._root.scheme == "http"
            and not _is_loopback(self._root.host or "")
            and not self._allow_insecure_http
        ):
            raise ValueError(
                f"refusing to send credentials over plain http to {self._root.host}; use "
                "https, or pass allow_insecure_http=True if you accept the risk"
            )
        self._auth = auth
        self._static_authorization = static_authorization(auth)

    def __repr__(self) -> str:
        return f"MauticClient({self.base_url!r}, auth={self.auth!r})"

    def _ensure_session(self) -> aiohttp.ClientSession:
        return self._shared.session()

    @classmethod
    def _resource_names(cls) -> tuple[str, ...]:
        """The names of every ``@_resource`` property (the one registry of resources)."""
        return tuple(
            name
            for klass in cls.__mro__
            for name, value in vars(klass).items()
            if isinstance(value, _resource)
        )

    # -- resources -----------------------------------------------------------------

    @_resource
    def point_groups(self) -> PointGroups:
        """Point groups: ``/api/points/groups``."""
        from .resources.point_groups import PointGroups

        return PointGroups(self)

    @_resource
    def points(self) -> Points:
        """Point actions: ``/api/points``."""
        from .resources.points import Points

        return Points(self)

    @_resource
    def point_triggers(self) -> PointTriggers:
        """Point triggers and their events: ``/api/points/triggers``."""
        from .resources.point_triggers import PointTriggers

        return PointTriggers(self)

    @_resource
    def point_insights(self) -> PointInsights:
        """Point Insights: ``/api/points/insights`` (Mautic 7 only)."""
        from .resources.point_insights import PointInsights

        return PointInsights(self)

    @_resource
    def contacts(self) -> Contacts:
        """Contacts (create, get, delete) and their point-group scores."""
        from .resources.contacts import Contacts

        return Contacts(self)

    # -- the request path ----------------------------------------------------------

    async def request(
        self,
        request: APIRequest,
        *,
        timeout: float | aiohttp.ClientTimeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        raw_response: bool = False,
    ) -> Any:
        """Send ``request`` and return Mautic's JSON payload, or raise a
        :class:`~mautic_async.MauticError`.

        This is the one loop every call goes through: authenticate, send, decode; on
        a 401 let the auth strategy refresh and replay once; on a failure the retry
        policy allows, wait and go again. ``timeout`` and ``max_retries`` override
        the client's for this call; ``extra_headers`` and ``extra_query`` are added to
        every attempt (``Authorization`` and ``Content-Type`` are refused). With
        ``raw_response=True`` the answer comes back as a :class:`~mautic_async._response.RawReply`
        (status, headers, URL, bytes and the decoded payload).
        """
        shared = self._shared
        session = shared._session
        if session is None or shared.closed:
            session = shared.session()
        slots = shared._slots if shared._slots is not None else shared.slots()
        policy = self.retry_policy
        if max_retries is not None:
            policy = attrs.evolve(policy, max_retries=max_retries)
        if timeout is None and self.timeout is shared._timeout and shared._owns_session:
            options: Mapping[str, Any] = _NO_OPTIONS  # the session already says it all
        else:
            options = shared.request_options(self.timeout if timeout is None else _timeout(timeout))
        if extra_query:
            request = _with_query(request, extra_query)
        # Most requests have no query: their path alone is the key (no tuple to hash).
        url_key = (request.path, request.params) if request.params else request.path
        url = shared._urls.get(url_key)
        if url is None:
            url = shared.new_url(self._root, request, url_key)
        extra = _extra_headers(extra_headers) if extra_headers else None
        body = None
        if request.json is not None:
            body = encode_body(request.json)
        method, path = request.method, request.path  # errors and logs show "/" + path

        auth = self._auth
        static_authorization = self._static_authorization
        retries_taken = 0
        replayed_after_401 = False
        while True:
            used = static_authorization
            if used is None and auth is not None:
                used = await auth.authorization(self._token_endpoint)
            cached = self._headers_cache[body is not None] if extra is None else None
            headers: Mapping[str, str]
            if cached is not None and cached[0] == used:
                headers = cached[1]
            else:
                headers = self._request_headers(used, body is not None, extra)
            try:
                if slots.free and not slots.waiters:  # Slots.acquire() without awaiting
                    slots.free -= 1
                else:
                    await slots.acquire()
                try:
                    limiter = self.limiter
                    slot = None
                    if limiter is not None:
                        slot = await self._acquire(limiter, policy, method, "/" + path)
                    try:
                        status, response_headers, raw = await _transport.send(
                            session,
                            method,
                            url,
                            headers=headers,
                            body=body,
                            options=options,
                            path=path,
                            max_size=self.max_response_size,
                        )
                        if status == 429 and limiter is not None:
                            # Everyone sharing the limiter waits, not just this request;
                            # stored before the slot is given back, so no other process
                            # can slip a request in between.
                            now = time.time()
                            wait = retry_after_seconds(response_headers, now, rate_limited=True)
                            if wait is not None:
                                await limiter.pause_until(self._scope, now + wait)
                    finally:
                        if slot is not None:
                            await self._release(limiter, slot)  # type: ignore[arg-type]
                finally:
                    if slots.waiters:
                        slots.release()
                    else:  # Slots.release(), inline: nobody to hand the slot to
                        slots.free += 1
                if logger.isEnabledFor(logging.DEBUG):
                    logger.debug(
                        "%s /%s -> %s (attempt %d)",
                        method,
                        path,
                        status,
                        retries_taken + 1 + replayed_after_401,
                    )
                if 200 <= status < 300 and _orjson_loads is not None:
                    # decode_response's first step, inline: most answers are this.
                    try:
                        payload = _orjson_loads(raw)
                    except ValueError:
                        payload = decode_response(request, status, response_headers, raw)
                else:
                    payload = decode_response(request, status, response_headers, raw)
                if raw_response:
                    return RawReply(status, response_headers, str(url), raw, payload)
                return payload
            except AuthenticationError as exc:
                if (
                    used is None or replayed_after_401 or not await auth.on_unauthorized(used)  # type: ignore[union-attr]
                ):
                    scrub(exc)
                    raise
                replayed_after_401 = True
                logger.info(
                    "%s /%s -> 401; replaying once with fresh credentials",
                    method,
                    path,
                )
            except APIError as exc:
                delay = policy.delay(method, exc, retries_taken)
                if delay is None:
                    scrub(exc)  # what the traceback shows of its causes, too
                    raise
                retries_taken += 1
                logger.info(
                    "%s /%s failed (%s); retry %d of %d in %.2f s",
                    method,
                    path,
                    exc.message if exc.status is None else exc.status,
                    retries_taken,
                    policy.max_retries,
                    delay,
                )
                await self._sleep(delay)

    def _request_headers(
        self, authorization: str | None, has_body: bool, extra: Mapping[str, str] | None
    ) -> Mapping[str, str]:
        """Build the headers of one attempt. Without ``extra`` they are remembered for
        the ``Authorization`` value they carry (aiohttp copies what it is given, never
        changes it), and the request loop reuses them while that value stays: the usual
        call builds no headers at all; a new token or password builds them once more.

        They are a ``CIMultiDict``, which aiohttp takes as it is; a plain ``dict`` it
        converts first, on every request (about 1 % of a ``get``)."""
        headers: CIMultiDict[str] = CIMultiDict(self._headers)
        if extra:
            headers.update(extra)
        if has_body:
            headers["Content-Type"] = "application/json"
        if authorization is not None:
            headers["Authorization"] = authorization
        if extra is None:
            self._headers_cache[has_body] = (authorization, headers)
        return headers

    async def _acquire(
        self, limiter: RequestLimiter, policy: RetryPolicy, method: str, path: str
    ) -> str:
        """A slot of the shared limiter. A pause (another process's 429) longer than
        the retry policy sleeps through fails the call at once, as the 429 itself
        would, with nothing sent: waiting out Mautic's hourly window in every process
        would look like a hang."""
        try:
            return await limiter.acquire(self._scope, max_pause=policy.max_retry_after)
        except Paused as paused:
            left = max(0.0, paused.until - time.time())
            raise RateLimitError(
                f"not sent: a 429 paused every client sharing the limiter for "
                f"{left:.0f} s more (longer than the retry policy's max_retry_after)",
                method=method,
                path=path,
                status=429,
                retry_after=left,
            ) from None

    async def _release(self, limiter: RequestLimiter, slot: str) -> None:
        """Give a slot back. If the limiter fails now, the request has already had
        its outcome (a write may have been applied): that outcome stands, and the
        slot comes back when its lease runs out; the next acquire reports the
        failure."""
        try:
            await limiter.release(self._scope, slot)
        except SharedStateError as exc:
            logger.warning("could not give back a shared request slot (its lease will): %s", exc)

    async def _post_token(self, form: Mapping[str, str]) -> Any:
        """POST a form to ``/oauth/v2/token`` outside the normal path (no auth header,
        no 401 replay, so no recursion into the auth lock), with a short timeout and a
        couple of retries. A refused client raises :class:`OAuthError` at once. The
        form holds the client secret: it is never logged or put in an error."""
        session = self._ensure_session()
        request = APIRequest("POST", "oauth/v2/token")
        url = self._root.joinpath(request.path)
        headers = {**self._headers, "Content-Type": "application/x-www-form-urlencoded"}
        body = urlencode(dict(form)).encode()
        # Issuing a second token is harmless, so any transient failure may be retried.
        policy = RetryPolicy(max_retries=TOKEN_RETRIES, retry_unsafe=True)
        retries_taken = 0
        while True:
            try:
                status, response_headers, raw = await _transport.send(
                    session,
                    "POST",
                    url,
                    headers=headers,
                    body=body,
                    options=self._shared.request_options(TOKEN_TIMEOUT),
                    path=request.path,
                    max_size=self.max_response_size,
                )
                logger.debug("POST %s -> %s", request.display_path, status)
                return decode_response(
                    request,
                    status,
                    response_headers,
                    raw,
                    now=time.time(),
                    status_error=OAuthError if 400 <= status < 500 else None,
                )
            except UnexpectedResponseError as exc:
                # A garbled success may still hold tokens: never show its body.
                exc.body_snippet = "(not shown: a token endpoint answer may hold tokens)"
                raise
            except APIError as exc:
                delay = (
                    None
                    if isinstance(exc, OAuthError)
                    else policy.delay("POST", exc, retries_taken)
                )
                if delay is None:
                    scrub(exc)
                    raise
                retries_taken += 1
                await self._sleep(delay)
