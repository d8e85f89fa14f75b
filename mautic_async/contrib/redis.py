"""One OAuth2 token and one rate budget for a fleet of processes, kept in Redis.

Install with ``pip install 'mautic-async[redis]'`` and pass both to every worker's
client::

    from redis.asyncio import Redis
    from mautic_async.contrib.redis import RedisLimiter, RedisTokenStore

    redis = Redis.from_url("redis://localhost:6379/0")
    client = MauticClient(url, auth=OAuth2ClientCredentials(cid, secret),
                          token_store=RedisTokenStore(redis),
                          limiter=RedisLimiter(redis, max_in_flight=20))

**Token store.** A refresh is single-flight across the fleet: the process that wins a
lock (``SET NX PX``: a lease, extended while its holder fetches, so a refresher that
crashed cannot block the others for longer than ``lock_lease``) fetches the token; the
others wait with a growing backoff (never a hot loop) and then read it. The access
token is stored with a TTL a little under its lifetime, so nobody is handed a token
about to expire; a rotated refresh token is written in the same script as its access
token, so the two never disagree. On a 401 the failed token is cleared only if it is
still the stored one (a Lua compare-and-delete), so a token another process has just
stored survives.

**Limiter.** A sorted set holds one lease per request in flight, scored by its expiry
(Redis' own clock). A lease is renewed while its request runs and expires ``lease``
seconds after its holder stopped renewing it, so a killed worker's slots come back.
A 429 with ``Retry-After`` or ``X-RateLimit-Reset`` stores a pause time that every
acquire checks, so no process starts a request before it. Acquire, check and pause
are Lua scripts, so they are atomic.

**Keys** are ``{key_prefix}:{scope}:…``, where the scope is a hash of the Mautic URL
and the client id (see :func:`mautic_async.stores.scope_for`): two Mautic sites or two
credentials never share state, and neither the URL nor the client id is written in
clear. **What is stored:** the access token and the refresh token (whoever can read
this Redis can call Mautic as you: protect it like the credentials), expiry times and
random lease ids. The client secret is never stored.

Any Redis error fails the call with :class:`~mautic_async.stores.SharedStateError`;
the client never falls back to private state silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

try:
    from redis.asyncio import Redis
    from redis.exceptions import RedisError
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "mautic_async.contrib.redis needs redis-py: pip install 'mautic-async[redis]'"
    ) from exc

from ..stores import Paused, SharedStateError, StoredToken, TokenFetch

__all__ = ["RedisLimiter", "RedisTokenStore"]

logger = logging.getLogger("mautic_async")

DEFAULT_PREFIX = "mautic_async"

# Store a token: the access token (a hash with its expiry, TTL a little under it) and,
# when there is one, the rotated refresh token, in one atomic step.
_STORE = """
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'access', ARGV[1], 'expires_at', ARGV[2])
if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if ARGV[4] ~= '' then redis.call('SET', KEYS[2], ARGV[4]) end
return 1
"""
# Clear the access token only if it is still the one that failed.
_CLEAR_IF = """
if redis.call('HGET', KEYS[1], 'access') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
# Release a lock only if we still hold it (its lease may have passed to another).
_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
# Extend the lock's lease only while we still hold it.
_EXTEND = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
# Take a slot: {1, 0} when taken; {0, ms} to wait ms (a pause) or {0, -1} when full.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local pause = tonumber(redis.call('GET', KEYS[2]) or '0')
if pause > now then return {0, pause - now} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
  return {1, 0}
end
return {0, -1}
"""
# Renew the leases still held (XX: a lease that already expired is not revived).
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 1
"""
# Pause until ARGV[1] (Unix ms); a later pause already stored wins.
_PAUSE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local wanted = tonumber(ARGV[1])
if wanted > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PXAT', wanted + 1000)
end
return 1
"""


@contextlib.contextmanager
def _redis_errors(what: str) -> Iterator[None]:
    try:
        yield
    except RedisError as exc:
        raise SharedStateError(f"{what} failed: Redis said {type(exc).__name__}: {exc}") from exc
    except RuntimeError as exc:
        # redis-py's connections belong to the loop that opened them; reused from
        # another loop (asyncio.run per task) it fails with "Event loop is closed".
        raise SharedStateError(
            f"{what} failed: {exc} (a redis.asyncio.Redis, and the RedisTokenStore and "
            "RedisLimiter built on it, serve one event loop: create them inside it)"
        ) from exc


def _check_positive(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


class RedisTokenStore:
    """A :class:`~mautic_async.stores.TokenStore` in Redis, shared by a fleet.

    Args:
        redis: a ``redis.asyncio.Redis`` (``decode_responses`` either way).
        lock_lease: the refresh lock's lease: a live refresher extends it every
            third of it while it fetches; if it dies, another process takes over
            at most this long after.
        ttl_margin: the stored access token expires this long before Mautic's
            expiry (at most half its lifetime).
        max_wait: how long a waiter waits for another process's refresh before
            giving up with :class:`~mautic_async.stores.SharedStateError`.
        key_prefix: the first part of every key.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        lock_lease: float = 30.0,
        ttl_margin: float = 30.0,
        max_wait: float = 60.0,
        key_prefix: str = DEFAULT_PREFIX,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        self.redis = redis
        self.lock_lease = _check_positive(lock_lease, "lock_lease")
        self.ttl_margin = max(0.0, float(ttl_margin))
        self.max_wait = _check_positive(max_wait, "max_wait")
        self.key_prefix = key_prefix
        self._sleep = sleep
        self._store_script = redis.register_script(_STORE)
        self._clear_script = redis.register_script(_CLEAR_IF)
        self._unlock_script = redis.register_script(_UNLOCK)
        self._extend_script = redis.register_script(_EXTEND)
        #: How many tokens this process fetched through the store (tests, metrics).
        self.fetches = 0
        # One Redis participant per scope in this process; its coroutines share it.
        self._flights: dict[str, asyncio.Future[StoredToken]] = {}

    def __repr__(self) -> str:
        return f"RedisTokenStore(key_prefix={self.key_prefix!r})"

    def _key(self, scope: str, name: str) -> str:
        return f"{self.key_prefix}:{scope}:{name}"

    @staticmethod
    def _text(value: Any) -> str:
        return value.decode() if isinstance(value, bytes) else str(value)

    async def get(self, scope: str) -> StoredToken | None:
        """The stored access token (with the stored refresh token), or ``None``."""
        with _redis_errors("reading the shared OAuth2 token"):
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.hgetall(self._key(scope, "token"))
                pipe.get(self._key(scope, "refresh"))
                fields, refresh = await pipe.execute()
        if not fields:
            return None
        values = {self._text(k): self._text(v) for k, v in fields.items()}
        expires = values.get("expires_at", "")
        return StoredToken(
            access_token=values["access"],
            expires_at=float(expires) if expires else None,
            refresh_token=self._text(refresh) if refresh is not None else None,
        )

    async def _refresh_token(self, scope: str) -> str | None:
        with _redis_errors("reading the shared refresh token"):
            value = await self.redis.get(self._key(scope, "refresh"))
        return None if value is None else self._text(value)

    async def store(self, scope: str, token: StoredToken) -> None:
        """Store ``token``: the access token with a TTL a little under its expiry, the
        refresh token (if any) without one, both in one atomic script."""
        ttl_ms = 0
        if token.expires_at is not None:
            left = token.expires_at - time.time()
            ttl_ms = max(1, int((left - min(self.ttl_margin, left / 2)) * 1000))
        with _redis_errors("storing the shared OAuth2 token"):
            await self._store_script(
                keys=[self._key(scope, "token"), self._key(scope, "refresh")],
                args=[
                    token.access_token,
                    "" if token.expires_at is None else repr(token.expires_at),
                    ttl_ms,
                    token.refresh_token or "",
                ],
            )

    async def clear_if(self, scope: str, access_token: str) -> bool:
        """Atomically remove the access token if it is still ``access_token``."""
        with _redis_errors("clearing the shared OAuth2 token"):
            removed = await self._clear_script(
                keys=[self._key(scope, "token")], args=[access_token]
            )
        return bool(removed)

    async def refresh(
        self, scope: str, fetch: TokenFetch, usable: Callable[[StoredToken], bool]
    ) -> StoredToken:
        """Return a usable stored token; fetch one under the fleet-wide lock if none.

        Within this process one coroutine takes part (the others share its outcome);
        across processes the lock makes one fetch at a time.
        """
        while (flight := self._flights.get(scope)) is not None:
            await asyncio.wait([flight])  # never cancels the fetch it waits on
            if not flight.cancelled():
                return flight.result()
        flight = asyncio.get_running_loop().create_future()
        self._flights[scope] = flight
        try:
            token = await self._refresh(scope, fetch, usable)
        except BaseException as exc:
            if isinstance(exc, Exception):
                flight.set_exception(exc)
                flight.exception()
            else:
                flight.cancel()
            raise
        else:
            flight.set_result(token)
            return token
        finally:
            del self._flights[scope]

    async def _refresh(
        self, scope: str, fetch: TokenFetch, usable: Callable[[StoredToken], bool]
    ) -> StoredToken:
        lock = self._key(scope, "lock")
        owner = secrets.token_hex(8)
        deadline = time.monotonic() + self.max_wait
        delay = 0.01
        while True:
            current = await self.get(scope)
            if current is not None and usable(current):
                return current
            with _redis_errors("taking the shared token refresh lock"):
                won = await self.redis.set(lock, owner, nx=True, px=int(self.lock_lease * 1000))
            if won:
                try:
                    # A second look: the previous holder may have stored one just now.
                    current = await self.get(scope)
                    if current is not None and usable(current):
                        return current
                    self.fetches += 1
                    # A slow token endpoint (retries, timeouts) can outlast the lease:
                    # extend it while this live process fetches, or a second process
                    # would fetch a second token.
                    keeper = asyncio.get_running_loop().create_task(self._keep(lock, owner))
                    try:
                        token = await fetch(await self._refresh_token(scope))
                    finally:
                        keeper.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await keeper
                    await self.store(scope, token)
                    logger.debug("stored a new shared OAuth2 token (scope %s)", scope)
                    return token
                finally:
                    with _redis_errors("releasing the shared token refresh lock"):
                        await self._unlock_script(keys=[lock], args=[owner])
            if time.monotonic() >= deadline:
                raise SharedStateError(
                    f"no OAuth2 token appeared in Redis within {self.max_wait:g} s while "
                    "another process held the refresh lock"
                )
            # Someone else is fetching: wait with a growing, jittered backoff.
            await self._sleep(delay * (0.5 + random.random()))  # noqa: S311
            delay = min(delay * 2, 0.25)

    async def _keep(self, lock: str, owner: str) -> None:
        """Extend the refresh lock's lease every third of it while the fetch runs
        (a dead process stops extending it, so the lease still frees the fleet)."""
        while True:
            await asyncio.sleep(self.lock_lease / 3)
            try:
                await self._extend_script(keys=[lock], args=[owner, int(self.lock_lease * 1000)])
            except RedisError as exc:  # the store or unlock after the fetch reports it
                logger.warning("could not extend the token refresh lock: %s", exc)


class RedisLimiter:
    """A :class:`~mautic_async.stores.RequestLimiter` in Redis: a fleet-wide cap on
    requests in flight, and a shared pause after a 429.

    Args:
        redis: a ``redis.asyncio.Redis``.
        max_in_flight: requests in flight at once across every process sharing it.
        lease: seconds a slot stays taken after its holder stops renewing it (a
            killed worker's slots come back after this long). Held slots are renewed
            every ``lease / 3`` seconds while their request runs.
        key_prefix: the first part of every key.
    """

    def __init__(
        self,
        redis: Redis,
        max_in_flight: int,
        lease: float = 30.0,
        *,
        key_prefix: str = DEFAULT_PREFIX,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        if isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int):
            raise TypeError("max_in_flight must be an int")
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self.redis = redis
        self.max_in_flight = max_in_flight
        self.lease = _check_positive(lease, "lease")
        self.key_prefix = key_prefix
        self._sleep = sleep
        self._acquire_script = redis.register_script(_ACQUIRE)
        self._renew_script = redis.register_script(_RENEW)
        self._pause_script = redis.register_script(_PAUSE)
        self._held: dict[str, set[str]] = {}
        self._renewer: asyncio.Task[None] | None = None
        # One poller per scope in this process; a local release wakes it at once.
        self._gates: dict[str, asyncio.Lock] = {}
        self._released: dict[str, asyncio.Event] = {}

    def __repr__(self) -> str:
        return (
            f"RedisLimiter(max_in_flight={self.max_in_flight}, lease={self.lease:g}, "
            f"key_prefix={self.key_prefix!r})"
        )

    def _key(self, scope: str, name: str) -> str:
        return f"{self.key_prefix}:{scope}:{name}"

    async def acquire(self, scope: str, *, max_pause: float | None = None) -> str:
        """Wait until a slot is free and no pause is in force; take it. Raise
        :class:`~mautic_async.stores.Paused` (taking nothing) if a pause ends more
        than ``max_pause`` seconds from now."""
        member = secrets.token_hex(8)
        gate = self._gates.setdefault(scope, asyncio.Lock())
        released = self._released.setdefault(scope, asyncio.Event())
        delay = 0.002
        async with gate:
            while True:
                released.clear()
                with _redis_errors("taking a shared request slot"):
                    taken, wait_ms = await self._acquire_script(
                        keys=[self._key(scope, "slots"), self._key(scope, "pause")],
                        args=[self.max_in_flight, int(self.lease * 1000), member],
                    )
                if int(taken):
                    self._held.setdefault(scope, set()).add(member)
                    self._start_renewer()
                    return member
                if int(wait_ms) > 0:  # a pause: sleep it out, exactly
                    wait = int(wait_ms) / 1000
                    if max_pause is not None and wait > max_pause:
                        raise Paused(time.time() + wait)
                    await self._sleep(wait)
                    continue
                # Full: wait for a local release, or poll again with a growing backoff
                # (slots held elsewhere come back without telling us). The 10 ms
                # ceiling keeps handovers quick when the cap binds (benchmarks/README).
                with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
                    await asyncio.wait_for(released.wait(), delay * (0.5 + random.random()))  # noqa: S311
                delay = min(delay * 2, 0.01)

    async def release(self, scope: str, slot: str) -> None:
        """Give the slot back (a slot whose lease ran out is simply gone)."""
        held = self._held.get(scope)
        if held is not None:
            held.discard(slot)
        with _redis_errors("releasing a shared request slot"):
            await self.redis.zrem(self._key(scope, "slots"), slot)
        event = self._released.get(scope)
        if event is not None:
            event.set()

    async def pause_until(self, scope: str, when: float) -> None:
        """No process acquires a slot of ``scope`` before Unix time ``when``.

        Compared with Redis' own clock: keep the fleet's clocks in sync (NTP).
        """
        with _redis_errors("storing the shared rate-limit pause"):
            await self._pause_script(keys=[self._key(scope, "pause")], args=[int(when * 1000)])
        logger.info("rate limited: every process pauses until %.3f (scope %s)", when, scope)

    async def in_flight(self, scope: str) -> int:
        """How many slots of ``scope`` are held now, fleet-wide (expired leases
        excluded)."""
        with _redis_errors("counting shared request slots"):
            server = await self.redis.time()
            now_ms = int(server[0]) * 1000 + int(server[1]) // 1000
            return int(await self.redis.zcount(self._key(scope, "slots"), now_ms, "+inf"))

    def _start_renewer(self) -> None:
        if self._renewer is None or self._renewer.done():
            self._renewer = asyncio.get_running_loop().create_task(self._renew())

    async def _renew(self) -> None:
        """Keep this process's leases alive while it holds any."""
        while any(self._held.values()):
            await asyncio.sleep(self.lease / 3)
            for scope, held in list(self._held.items()):
                if not held:
                    continue
                try:
                    await self._renew_script(
                        keys=[self._key(scope, "slots")],
                        args=[int(self.lease * 1000), *held],
                    )
                except RedisError as exc:  # the next acquire or release reports it
                    logger.warning("could not renew request slot leases: %s", exc)

    async def aclose(self) -> None:
        """Stop renewing leases (slots still held expire after ``lease``)."""
        task, self._renewer = self._renewer, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
