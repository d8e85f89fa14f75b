"""Fault injection for reliability tests: errors, HTML pages, delays, drops, truncation.

Faults sit in front of everything else (before the API switch, authentication and rate
limiting), like a misbehaving proxy or a crashing PHP worker.

* ``status``: answer that status **without** applying the request. The body is Mautic's
  generic uncaught-error JSON, the rate-limit body for 429, an nginx HTML page with
  ``html=True``, or ``body`` when given.
* ``retry_after``: add a ``Retry-After`` header (seconds).
* ``delay``: the request **is applied first**, then the answer waits ``delay`` real
  seconds; a client that times out can then check that the change took effect.
* ``drop="before"``: close the connection without answering and without applying.
* ``drop="after"``: apply the request, then close the connection without answering.
* ``truncate=True``: apply the request, send the headers with the full
  ``Content-Length`` and only the first half of the body, then close.
"""

from __future__ import annotations

import asyncio
import fnmatch
import random
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from ._php import json_encode
from ._responses import exception_error, html_error_page, rate_limited

__all__ = ["Fault", "FaultRegistry", "PathPattern", "RandomFaults", "apply_fault"]

PathPattern = str | re.Pattern[str]
Drop = Literal["before", "after"]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RANDOM_KINDS = frozenset({"status", "html", "drop_before", "drop_after", "truncate"})


def _path_matches(pattern: PathPattern, path: str) -> bool:
    """A compiled regex must match from the start (``re.match``); a string is an exact
    path or, when it contains ``*``, ``?`` or ``[``, a glob where ``*`` also spans ``/``."""
    if isinstance(pattern, re.Pattern):
        return pattern.match(path) is not None
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(path, pattern)
    return path == pattern


@dataclass
class Fault:
    """One scripted fault; ``times=None`` keeps it active until cleared."""

    method: str = "*"
    path: PathPattern = "*"
    times: int | None = 1
    status: int | None = None
    retry_after: float | None = None
    html: bool = False
    delay: float | None = None
    drop: Drop | None = None
    truncate: bool = False
    body: str | bytes | Mapping[str, Any] | None = None
    hits: int = 0
    """How many requests this fault has hit so far."""

    def __post_init__(self) -> None:
        if self.drop not in (None, "before", "after"):
            raise ValueError("drop must be 'before', 'after' or None")
        if self.html and self.status is None:
            self.status = 502
        effects = [self.status is not None, self.drop is not None, self.truncate]
        if sum(effects) > 1:
            raise ValueError("choose one of status, drop and truncate per fault")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or None for unlimited)")

    @property
    def active(self) -> bool:
        """True while the fault still has uses left."""
        return self.times is None or self.hits < self.times

    def matches(self, method: str, path: str) -> bool:
        """Whether a request is subject to this fault."""
        if self.method != "*" and self.method.upper() != method.upper():
            return False
        return _path_matches(self.path, path)

    def describe(self) -> str:
        """Short label stored in the request log."""
        if self.drop:
            return f"drop:{self.drop}"
        if self.truncate:
            return "truncate"
        if self.status is not None:
            return f"{'html' if self.html else 'status'}:{self.status}"
        return f"delay:{self.delay}" if self.delay else "headers"


@dataclass
class RandomFaults:
    """Inject faults at random into matching requests, reproducibly for a given seed.

    Each matching request is faulted with probability ``rate``; the kind is drawn from
    ``kinds`` (``"status"``, ``"html"``, ``"drop_before"``, ``"drop_after"``,
    ``"truncate"``) and, for ``"status"``, the code from ``statuses``. At most
    ``max_faults`` faults are injected in total (``None``: no bound).
    """

    rate: float
    kinds: tuple[str, ...] = ("status",)
    statuses: tuple[int, ...] = (500, 502, 503, 504)
    seed: int | None = None
    max_faults: int | None = None
    method: str = "*"
    path: PathPattern = "/api/*"
    retry_after: float | None = None
    injected: int = 0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0 <= self.rate <= 1:
            raise ValueError("rate must be between 0 and 1")
        unknown = set(self.kinds) - RANDOM_KINDS
        if unknown or not self.kinds:
            raise ValueError(f"kinds must be a non-empty subset of {sorted(RANDOM_KINDS)}")
        self._rng = random.Random(self.seed)  # noqa: S311 - reproducible, not security

    def draw(self, method: str, path: str) -> Fault | None:
        """A one-shot fault for this request, or None."""
        if self.max_faults is not None and self.injected >= self.max_faults:
            return None
        if self.method != "*" and self.method.upper() != method.upper():
            return None
        if not _path_matches(self.path, path) or self._rng.random() >= self.rate:
            return None
        self.injected += 1
        kind = self._rng.choice(self.kinds)
        if kind == "status":
            return Fault(status=self._rng.choice(self.statuses), retry_after=self.retry_after)
        if kind == "html":
            return Fault(status=502, html=True)
        if kind == "truncate":
            return Fault(truncate=True)
        return Fault(drop="before" if kind == "drop_before" else "after")


class FaultRegistry:
    """The faults of one emulator (``emu.faults``)."""

    def __init__(self) -> None:
        self.scripted: list[Fault] = []
        self.random: list[RandomFaults] = []

    def add(
        self,
        method: str = "*",
        path: PathPattern = "*",
        *,
        times: int | None = 1,
        status: int | None = None,
        retry_after: float | None = None,
        html: bool = False,
        delay: float | None = None,
        drop: Drop | None = None,
        truncate: bool = False,
        body: str | bytes | Mapping[str, Any] | None = None,
    ) -> Fault:
        """Fault the next ``times`` requests matching ``method`` and ``path``.

        ``method="*"`` matches any method. ``path`` is an exact path, a glob
        (``"/api/points/groups*"``) or a compiled regex; the query string is not part
        of the path. Faults are tried in the order they were added.
        """
        fault = Fault(
            method=method,
            path=path,
            times=times,
            status=status,
            retry_after=retry_after,
            html=html,
            delay=delay,
            drop=drop,
            truncate=truncate,
            body=body,
        )
        self.scripted.append(fault)
        return fault

    def fail_rate(
        self,
        rate: float,
        *,
        kinds: Iterable[str] = ("status",),
        statuses: Iterable[int] = (500, 502, 503, 504),
        seed: int | None = None,
        max_faults: int | None = None,
        method: str = "*",
        path: PathPattern = "/api/*",
        retry_after: float | None = None,
    ) -> RandomFaults:
        """Fault a random share of matching requests (see :class:`RandomFaults`)."""
        injector = RandomFaults(
            rate=rate,
            kinds=tuple(kinds),
            statuses=tuple(statuses),
            seed=seed,
            max_faults=max_faults,
            method=method,
            path=path,
            retry_after=retry_after,
        )
        self.random.append(injector)
        return injector

    def clear(self) -> None:
        """Remove every scripted and random fault."""
        self.scripted.clear()
        self.random.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """The fault to apply to this request (consuming one use), if any."""
        for fault in self.scripted:
            if fault.active and fault.matches(method, path):
                fault.hits += 1
                return fault
        for injector in self.random:
            drawn = injector.draw(method, path)
            if drawn is not None:
                drawn.hits = 1
                return drawn
        return None


def _fault_body(fault: Fault, status: int, rate_limit: int) -> web.Response:
    if fault.html:
        return html_error_page(status)
    if isinstance(fault.body, Mapping):
        body = json_encode(fault.body)
        return web.Response(body=body, status=status, content_type="application/json")
    if isinstance(fault.body, str | bytes):
        return web.Response(body=fault.body, status=status, content_type="application/json")
    if status == 429:
        return rate_limited(rate_limit)
    return exception_error(status)


def _close(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.close()


async def _truncated(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    body = response.body if isinstance(response, web.Response) else b""
    payload = body if isinstance(body, bytes) else b""
    cut = web.StreamResponse(status=response.status, headers=response.headers)
    cut.content_length = len(payload)
    await cut.prepare(request)
    await cut.write(payload[: len(payload) // 2])
    _close(request)
    return cut


async def apply_fault(
    fault: Fault, request: web.Request, handler: Handler, rate_limit: int
) -> tuple[web.StreamResponse, bool]:
    """Run ``request`` through ``fault``; returns ``(response, dropped)``."""
    if fault.drop == "before":
        _close(request)
        return web.Response(status=499), True
    if fault.status is not None:
        response: web.StreamResponse = _fault_body(fault, fault.status, rate_limit)
    else:
        response = await handler(request)
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.retry_after is not None:
        value = fault.retry_after
        response.headers["Retry-After"] = (
            str(int(value)) if float(value).is_integer() else str(value)
        )
    if fault.drop == "after":
        _close(request)
        return response, True
    if fault.truncate:
        return await _truncated(request, response), False
    return response, False
