"""Shared per-emulator state and the typed keys handlers use to reach it."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Principal:
    """An authenticated API caller."""

    kind: AuthKind
    actor: Actor
    bucket: str
    """Rate-limit bucket: ``"basic"`` (shared by every Basic caller) or ``"token:<token>"``."""


@dataclass
class RecordedRequest:
    """One request as the emulator received it (``emu.requests``)."""

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


@dataclass
class Context:
    """Everything the handlers of one emulator share."""

    settings: Settings
    clock: Clock
    store: Store = field(default_factory=Store)
    faults: FaultRegistry = field(default_factory=FaultRegistry)
    rate_limiter: RateLimiter = field(default_factory=RateLimiter)
    requests: list[RecordedRequest] = field(default_factory=list)
    oauth: OAuthServer = field(init=False)

    def __post_init__(self) -> None:
        self.oauth = OAuthServer(self.settings, self.clock, self.user_actor())

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
