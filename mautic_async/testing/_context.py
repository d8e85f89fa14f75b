"""Shared per-emulator state and the typed keys handlers use to reach it."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from multidict import CIMultiDictProxy, MultiDictProxy

from ._clock import Clock
from ._entities import Actor
from ._faults import FaultRegistry
from ._http import AuthKind
from ._keys import request_key
from ._oauth import OAuthServer
from ._php import PhpArray
from ._ratelimit import RateLimiter
from ._responses import controller_error, controller_response
from ._state import Store

__all__ = [
    "CONTEXT",
    "DEFAULT_REQUEST_LOG_SIZE",
    "PARAMS",
    "PRINCIPAL",
    "AuthKind",
    "Context",
    "Principal",
    "RecordedRequest",
    "Settings",
    "actor",
    "context",
    "error",
    "params",
    "respond",
]


DEFAULT_REQUEST_LOG_SIZE = 10_000
_SECRET_SETTINGS = ("basic_auth", "oauth2_clients")
MASK = "***"


def _masked(secrets: Mapping[str, str]) -> str:
    """``{'admin': '***'}``: who is configured, never their secret."""
    return repr(dict.fromkeys(secrets, MASK))


@dataclass
class Settings:
    """Server configuration; tests may change any field while the emulator runs."""

    basic_auth: dict[str, str]
    oauth2_clients: dict[str, str]
    token_lifetime: float = 3600
    refresh_token_lifetime: float = 14 * 86400
    rate_limit: int = 0
    api_enabled: bool = True
    basic_auth_enabled: bool = True
    batch_max_limit: int = 200
    version: str = "7.1.3"
    user_full_name: str = "Admin User"
    request_log_size: int = DEFAULT_REQUEST_LOG_SIZE
    """How many requests ``emu.requests`` keeps; the oldest are dropped first."""

    def __repr__(self) -> str:
        # Passwords and client secrets stay out of reprs (tracebacks, logs, pytest output).
        shown = ", ".join(
            f"{name}={_masked(value) if name in _SECRET_SETTINGS else repr(value)}"
            for name, value in vars(self).items()
        )
        return f"Settings({shown})"


@dataclass(frozen=True)
class Principal:
    """An authenticated API caller."""

    kind: AuthKind
    actor: Actor
    bucket: str = field(repr=False)
    """Rate-limit bucket: ``"basic"`` (shared by every Basic caller) or ``"token:<token>"``
    (kept out of the repr: it holds the access token)."""


@dataclass
class RecordedRequest:
    """One request as the emulator received it (``emu.requests``).

    Only authenticated API requests keep their body and credentials. A request the
    firewall or the API switches refused (401/403, or anything answered before
    authentication) keeps method, path, query, status and ``auth_kind``, but an empty
    ``body`` and no ``Authorization`` header or ``access_token`` parameter. Token
    requests (``/oauth/v2/token``) never keep their body or ``Authorization`` header,
    since they carry client secrets, passwords, codes and refresh tokens.
    """

    method: str
    path: str
    query: MultiDictProxy[str]
    query_string: str
    headers: CIMultiDictProxy[str]
    body: bytes
    auth_kind: AuthKind
    time: float
    status: int | None = None
    """Status sent, or None when a fault dropped the connection."""
    fault: str | None = None
    """Which fault was injected, e.g. ``"status:503"`` or ``"drop:after"``."""

    def __repr__(self) -> str:
        # Headers and bodies may hold credentials: show only what identifies the request.
        return (
            f"<RecordedRequest {self.method} {self.path} status={self.status} "
            f"auth={self.auth_kind} body={len(self.body)} bytes"
            + (f" fault={self.fault}" if self.fault else "")
            + ">"
        )


@dataclass(repr=False)
class Context:
    """Everything the handlers of one emulator share (no dataclass repr: it holds
    credentials and tokens)."""

    settings: Settings
    clock: Clock
    store: Store = field(default_factory=Store)
    faults: FaultRegistry = field(default_factory=FaultRegistry)
    rate_limiter: RateLimiter = field(default_factory=RateLimiter)
    requests: deque[RecordedRequest] = field(init=False)
    oauth: OAuthServer = field(init=False)
    api_in_flight: int = 0
    """``/api`` requests being handled now (token requests are not counted)."""
    api_in_flight_peak: int = 0
    """The most ``/api`` requests ever handled at once (a high-water mark)."""

    def __post_init__(self) -> None:
        self.oauth = OAuthServer(self.settings, self.clock, self.user_actor())
        self.requests = deque(maxlen=self.settings.request_log_size)

    def log_request(self, record: RecordedRequest) -> None:
        """Append to the bounded request log, following a changed ``request_log_size``."""
        size = self.settings.request_log_size
        if self.requests.maxlen != size:
            self.requests = deque(self.requests, maxlen=size)
        self.requests.append(record)

    def user_actor(self, user_id: int = 1) -> Actor:
        """The Mautic user behind Basic credentials and authorization-code tokens."""
        return Actor(user_id, self.settings.user_full_name)

    def now(self) -> int:
        """Current time in whole seconds, as stored in DATETIME columns."""
        return int(self.clock.now())


CONTEXT = web.AppKey("mautic_emulator_context", Context)
PARAMS: web.RequestKey[PhpArray] = request_key("mautic_params", dict)
"""The decoded request body (``$request->request``) as a PHP array."""
PRINCIPAL: web.RequestKey[Principal] = request_key("mautic_principal", Principal)


def context(request: web.Request) -> Context:
    """The emulator context of the app serving ``request``."""
    return request.app[CONTEXT]


def params(request: web.Request) -> PhpArray:
    """The request body as a PHP array (empty for GET or bodiless requests)."""
    found: PhpArray = request.get(PARAMS, {})
    return found


def actor(request: web.Request) -> Actor:
    """Who is calling: the authenticated principal's actor."""
    return request[PRINCIPAL].actor


def respond(
    request: web.Request, data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A controller view (JMS JSON with ``Mautic-Version``)."""
    return controller_response(data, status, context(request).settings.version, headers)


def error(
    request: web.Request, message: str, code: int, details: Mapping[str, Any] | None = None
) -> web.Response:
    """A controller ``returnError`` answer."""
    return controller_error(message, code, context(request).settings.version, details)
