"""State that several clients, or several processes, can share: tokens and request slots.

Two small protocols, each with an in-memory default, so one OAuth2 token and one rate
budget can serve a whole fleet of workers when you plug in a shared backend (see
:mod:`mautic_async.contrib.redis`):

* a :class:`TokenStore` holds the current access token (and a rotated refresh token)
  and makes refreshing it **single-flight**: however many callers find the token stale
  at once, one of them fetches a new one and the others wait for it;
* a :class:`RequestLimiter` caps the requests in flight and can **pause** everyone
  until a given time (after a 429).

Every method takes a ``scope``: a short, non-secret string the client derives from the
Mautic URL and the credentials' public id (:func:`scope_for`), so one store can serve
clients of several Mautic sites or credentials without mixing their state.

Writing another backend (a database, memcached, …) means implementing these methods
with the same guarantees; the docstrings of the protocols say what each must ensure.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

import attrs

from .errors import MauticError

__all__ = [
    "InMemoryLimiter",
    "InMemoryTokenStore",
    "Paused",
    "RequestLimiter",
    "SharedStateError",
    "StoredToken",
    "TokenFetch",
    "TokenStore",
    "scope_for",
]


def scope_for(base_url: str, principal: str) -> str:
    """A short key prefix for one Mautic site and one credential's public id.

    Hashed (SHA-256, first 16 hex digits) so that neither the URL nor the client id
    appears in a shared backend's key names; no secret ever goes into it.
    """
    digest = hashlib.sha256(f"{base_url}\x00{principal}".encode()).hexdigest()
    return digest[:16]


@attrs.frozen
class StoredToken:
    """An access token as a store keeps it.

    ``access_token`` is the bearer token. ``expires_at`` is the Unix time after which
    it should not be used any more (the OAuth2 auth sets it a little before Mautic's
    expiry; wall clock, so that processes on several machines agree on it), or
    ``None`` for a token to use until Mautic answers 401. ``refresh_token`` is the
    current (rotated) refresh token, if the grant has one. Neither token appears in
    ``repr``.
    """

    access_token: str = attrs.field(repr=False)
    expires_at: float | None = None
    refresh_token: str | None = attrs.field(default=None, repr=False)

    def fresh(self, margin: float = 0.0, now: float | None = None) -> bool:
        """True until ``margin`` seconds before ``expires_at``."""
        if self.expires_at is None:
            return True
        return (time.time() if now is None else now) < self.expires_at - margin


#: Fetches a new token, given the latest refresh token the store holds (``None`` if it
#: holds none: the fetch then uses its own, e.g. the one its auth was created with).
TokenFetch = Callable[[str | None], Awaitable[StoredToken]]


class SharedStateError(MauticError):
    """A shared token store or request limiter failed (e.g. Redis is unreachable).

    The call fails with it: a client never falls back to private state silently,
    since that would break the fleet's single token and shared rate budget.
    """


@runtime_checkable
class TokenStore(Protocol):
    """Where OAuth2 tokens live, and how refreshing them is kept single-flight.

    A backend must guarantee:

    * :meth:`clear_if` is atomic: it removes the token only if it is still the one
      that failed, so a token another caller has just stored survives;
    * :meth:`refresh` runs ``fetch`` at most once at a time per scope (across every
      process sharing the backend), stores its result (access and refresh token
      together, atomically), and lets waiters return the stored token without
      polling hot; a holder that dies must not block the others forever (a lease).
    """

    async def get(self, scope: str) -> StoredToken | None:
        """The stored token, or ``None``."""
        ...

    async def store(self, scope: str, token: StoredToken) -> None:
        """Store ``token`` (replacing any other)."""
        ...

    async def clear_if(self, scope: str, access_token: str) -> bool:
        """Remove the stored token if its access token is ``access_token``;
        return whether it was removed."""
        ...

    async def refresh(
        self, scope: str, fetch: TokenFetch, usable: Callable[[StoredToken], bool]
    ) -> StoredToken:
        """Return a stored token that is ``usable``, fetching one if needed.

        Only one caller at a time runs ``fetch``; the others wait and then take what
        it stored. If ``fetch`` raises, the error reaches the caller that ran it and
        every caller that was waiting on that same attempt.
        """
        ...


class InMemoryTokenStore:
    """The default: tokens in this process's memory, refresh serialised by an
    ``asyncio.Lock``. Clients that share one instance share their tokens."""

    def __init__(self) -> None:
        self._tokens: dict[str, StoredToken] = {}
        # Kept apart from the access token: clearing a failed access token must not
        # lose the (rotated) refresh token needed to get the next one.
        self._refresh: dict[str, str] = {}
        self._flights: dict[str, asyncio.Future[StoredToken]] = {}

    async def get(self, scope: str) -> StoredToken | None:
        """The stored token, or ``None``."""
        token = self._tokens.get(scope)
        if token is not None and token.refresh_token is None and scope in self._refresh:
            token = attrs.evolve(token, refresh_token=self._refresh[scope])
        return token

    async def store(self, scope: str, token: StoredToken) -> None:
        """Store ``token`` (and its refresh token, if it has one)."""
        self._tokens[scope] = token
        if token.refresh_token:
            self._refresh[scope] = token.refresh_token

    async def clear_if(self, scope: str, access_token: str) -> bool:
        """Remove the token only if it is still ``access_token``."""
        current = self._tokens.get(scope)
        if current is not None and current.access_token == access_token:
            del self._tokens[scope]
            return True
        return False

    async def refresh(
        self, scope: str, fetch: TokenFetch, usable: Callable[[StoredToken], bool]
    ) -> StoredToken:
        """Single-flight: the first caller fetches, the rest await the same future
        (and so share its outcome, success or error)."""
        while True:
            current = self._tokens.get(scope)
            if current is not None and usable(current):
                return current
            flight = self._flights.get(scope)
            if flight is None:
                break
            # wait() never cancels the fetch it waits on; a fetch whose own caller was
            # cancelled is no outcome: go round again, and one waiter fetches.
            await asyncio.wait([flight])
            if not flight.cancelled():
                return flight.result()
        flight = asyncio.get_running_loop().create_future()
        self._flights[scope] = flight
        try:
            token = await fetch(self._refresh.get(scope))
            await self.store(scope, token)
        except BaseException as exc:
            if isinstance(exc, Exception):
                flight.set_exception(exc)
                flight.exception()  # retrieved: no "never retrieved" warning if unshared
            else:  # cancelled: waiters go round again and one of them fetches
                flight.cancel()
            raise
        else:
            flight.set_result(token)
            return token
        finally:
            del self._flights[scope]


class Paused(Exception):  # a signal to the client, not a failure of the store
    """Raised by :meth:`RequestLimiter.acquire` when a pause in force ends more than
    ``max_pause`` seconds from now: the client turns it into a
    :class:`~mautic_async.RateLimitError` (with ``retry_after``) at once, as it does
    for a 429 whose wait is longer than its retry policy sleeps through, instead of
    blocking every process of the fleet for the rest of Mautic's hourly window.

    ``until`` is the Unix time the pause ends.
    """

    def __init__(self, until: float) -> None:
        super().__init__(f"requests are paused until Unix time {until:.3f}")
        self.until = until


@runtime_checkable
class RequestLimiter(Protocol):
    """A cap on requests in flight, and a pause everyone honours.

    A backend must guarantee:

    * :meth:`acquire` returns only when fewer than the cap are held and no pause is in
      force; a slot whose holder died comes back after a lease, so a killed process
      cannot shrink the cap for good;
    * after :meth:`pause_until`, no :meth:`acquire` returns before that time; one
      given ``max_pause`` raises :class:`Paused` (and takes no slot) when the pause
      in force ends more than ``max_pause`` seconds from now.
    """

    async def acquire(self, scope: str, *, max_pause: float | None = None) -> str:
        """Wait for a slot (and for any pause to end); return its handle. Raise
        :class:`Paused` if a pause ends more than ``max_pause`` seconds from now."""
        ...

    async def release(self, scope: str, slot: str) -> None:
        """Give the slot back."""
        ...

    async def pause_until(self, scope: str, when: float) -> None:
        """Start no request before Unix time ``when`` (a later pause wins)."""
        ...


Sleep = Callable[[float], Awaitable[object]]


class InMemoryLimiter:
    """A request limiter for the clients of one process (share the instance).

    ``max_in_flight`` requests at once per scope; a pause makes every ``acquire`` of
    the scope wait until its time.
    """

    def __init__(self, max_in_flight: int, *, sleep: Sleep = asyncio.sleep) -> None:
        if isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int):
            raise TypeError("max_in_flight must be an int")
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self.max_in_flight = max_in_flight
        self._sleep = sleep
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._paused: dict[str, float] = {}
        self._count = 0

    async def acquire(self, scope: str, *, max_pause: float | None = None) -> str:
        """Wait for a slot, then for any pause; return the slot's handle (or raise
        :class:`Paused` if the pause ends more than ``max_pause`` seconds from now)."""
        slots = self._slots.get(scope)
        if slots is None:
            slots = self._slots[scope] = asyncio.Semaphore(self.max_in_flight)
        await slots.acquire()
        try:
            while (wait := self._paused.get(scope, 0.0) - time.time()) > 0:
                if max_pause is not None and wait > max_pause:
                    raise Paused(self._paused[scope])
                await self._sleep(wait)
        except BaseException:
            slots.release()
            raise
        self._count += 1
        return str(self._count)

    async def release(self, scope: str, slot: str) -> None:
        """Give the slot back."""
        self._slots[scope].release()

    async def pause_until(self, scope: str, when: float) -> None:
        """No ``acquire`` of ``scope`` returns before ``when`` (a later pause wins)."""
        self._paused[scope] = max(self._paused.get(scope, 0.0), when)
