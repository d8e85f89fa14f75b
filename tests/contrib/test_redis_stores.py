"""RedisTokenStore and RedisLimiter against a real redis-server."""

from __future__ import annotations

import asyncio
import time

import pytest
from redis.asyncio import Redis

from mautic_async.contrib.redis import RedisLimiter, RedisTokenStore
from mautic_async.stores import SharedStateError, StoredToken, scope_for

SCOPE = scope_for("http://127.0.0.1:1/", "client-id")


def _usable(token: StoredToken) -> bool:
    return token.fresh(60)


async def test_twenty_concurrent_refreshes_in_two_stores_fetch_once(redis: Redis) -> None:
    stores = [RedisTokenStore(redis), RedisTokenStore(redis)]  # two "processes"
    fetched: list[str | None] = []

    async def fetch(refresh: str | None) -> StoredToken:
        fetched.append(refresh)
        await asyncio.sleep(0.05)
        return StoredToken(f"access-{len(fetched)}", time.time() + 3600, "refresh-1")

    tokens = await asyncio.gather(
        *(stores[i % 2].refresh(SCOPE, fetch, _usable) for i in range(20))
    )
    assert fetched == [None]
    assert {t.access_token for t in tokens} == {"access-1"}
    # The access token expires a little before Mautic's expiry, the refresh token never.
    ttl = await redis.pttl(f"mautic_async:{SCOPE}:token")
    assert 3500_000 < ttl <= 3570_000
    assert await redis.pttl(f"mautic_async:{SCOPE}:refresh") == -1


async def test_compare_and_clear_and_rotated_refresh_token(redis: Redis) -> None:
    store = RedisTokenStore(redis)
    await store.store(SCOPE, StoredToken("a1", time.time() + 3600, "r1"))
    assert await store.clear_if(SCOPE, "someone-else") is False
    assert (await store.get(SCOPE)) is not None
    assert await store.clear_if(SCOPE, "a1") is True
    assert await store.get(SCOPE) is None
    seen: list[str | None] = []

    async def fetch(refresh: str | None) -> StoredToken:
        seen.append(refresh)
        return StoredToken("a2", time.time() + 3600, "r2")

    token = await store.refresh(SCOPE, fetch, _usable)
    assert seen == ["r1"]  # the stored (rotated) refresh token survives a clear
    assert token.access_token == "a2"
    assert await redis.get(f"mautic_async:{SCOPE}:refresh") == b"r2"


async def test_a_stale_refresh_lock_is_recovered(redis: Redis) -> None:
    store = RedisTokenStore(redis, lock_lease=0.3)
    # A refresher that died while holding the lock.
    await redis.set(f"mautic_async:{SCOPE}:lock", "dead-worker", px=300)

    async def fetch(refresh: str | None) -> StoredToken:
        return StoredToken("fresh", time.time() + 3600)

    started = time.monotonic()
    token = await asyncio.wait_for(store.refresh(SCOPE, fetch, _usable), 5)
    assert token.access_token == "fresh"
    assert 0.2 < time.monotonic() - started < 3


async def test_a_failed_fetch_reaches_every_waiter_of_the_attempt(redis: Redis) -> None:
    store = RedisTokenStore(redis)
    calls = 0

    async def fetch(refresh: str | None) -> StoredToken:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.02)
        raise RuntimeError("token endpoint down")

    results = await asyncio.gather(
        *(store.refresh(SCOPE, fetch, _usable) for _ in range(5)), return_exceptions=True
    )
    assert calls == 1
    assert all(isinstance(r, RuntimeError) for r in results)
    assert await redis.get(f"mautic_async:{SCOPE}:lock") is None  # released


async def test_limiter_caps_in_flight_and_honours_a_pause(redis: Redis) -> None:
    limiters = [RedisLimiter(redis, 3, lease=5), RedisLimiter(redis, 3, lease=5)]
    high = 0
    held = 0

    async def job(i: int) -> None:
        nonlocal high, held
        limiter = limiters[i % 2]
        slot = await limiter.acquire(SCOPE)
        held += 1
        high = max(high, held)
        await asyncio.sleep(0.01)
        held -= 1
        await limiter.release(SCOPE, slot)

    await asyncio.gather(*(job(i) for i in range(30)))
    assert high == 3
    assert await limiters[0].in_flight(SCOPE) == 0
    until = time.time() + 0.4
    await limiters[0].pause_until(SCOPE, until)
    await limiters[0].pause_until(SCOPE, until - 10)  # an earlier pause does not shorten it
    slot = await limiters[1].acquire(SCOPE)
    assert time.time() >= until - 0.005  # Redis' clock and ours: same machine
    await limiters[1].release(SCOPE, slot)
    for limiter in limiters:
        await limiter.aclose()


async def test_a_dead_holders_slots_come_back_after_the_lease(redis: Redis) -> None:
    dead = RedisLimiter(redis, 2, lease=0.5)
    for _ in range(2):
        await dead.acquire(SCOPE)
    await dead.aclose()  # the process "dies": no more renewals, no release
    live = RedisLimiter(redis, 2, lease=0.5)
    started = time.monotonic()
    slot = await asyncio.wait_for(live.acquire(SCOPE), 5)
    assert 0.3 < time.monotonic() - started < 1.5
    await live.release(SCOPE, slot)
    await live.aclose()


async def test_held_leases_are_renewed_while_the_request_runs(redis: Redis) -> None:
    limiter = RedisLimiter(redis, 1, lease=0.3)
    slot = await limiter.acquire(SCOPE)
    await asyncio.sleep(0.8)  # well past one lease
    assert await limiter.in_flight(SCOPE) == 1
    await limiter.release(SCOPE, slot)
    await limiter.aclose()


async def test_redis_errors_become_a_clear_shared_state_error() -> None:
    broken = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    store, limiter = RedisTokenStore(broken), RedisLimiter(broken, 1)
    with pytest.raises(SharedStateError, match="reading the shared OAuth2 token failed"):
        await store.get(SCOPE)
    with pytest.raises(SharedStateError, match="taking a shared request slot failed"):
        await limiter.acquire(SCOPE)
    await broken.aclose()


def test_bad_arguments(redis: Redis) -> None:
    with pytest.raises(ValueError, match="max_in_flight must be at least 1"):
        RedisLimiter(redis, 0)
    with pytest.raises(TypeError, match="max_in_flight must be an int"):
        RedisLimiter(redis, 2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lease must be a positive number"):
        RedisLimiter(redis, 1, lease=0)
    assert "secret" not in repr(RedisTokenStore(redis))


def test_scope_hides_url_and_client_id() -> None:
    scope = scope_for("https://mautic.example.com/", "1_abcdef")
    assert len(scope) == 16
    assert "example" not in scope
    assert scope != scope_for("https://mautic.example.com/", "2_other")
    assert scope != scope_for("https://other.example.com/", "1_abcdef")


async def test_a_client_fails_clearly_when_redis_fails() -> None:
    """No silent fallback to private state: the call fails, naming Redis."""
    from mautic_async import MauticClient, OAuth2ClientCredentials
    from mautic_async.testing import MauticEmulator

    broken = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    async with MauticEmulator(oauth2_clients={"cid": "secret"}) as emu:
        async with MauticClient(
            emu.url,
            auth=OAuth2ClientCredentials("cid", "secret"),
            token_store=RedisTokenStore(broken),
        ) as mautic:
            with pytest.raises(SharedStateError, match="shared OAuth2 token failed"):
                await mautic.point_groups.list()
        async with MauticClient(
            emu.url, auth=OAuth2ClientCredentials("cid", "secret"), limiter=RedisLimiter(broken, 2)
        ) as mautic:
            with pytest.raises(SharedStateError, match="shared request slot failed"):
                await mautic.point_groups.list()
        assert [r for r in emu.requests if r.path.startswith("/api")] == []
    await broken.aclose()


async def test_a_fetch_slower_than_the_lock_lease_keeps_the_lock(redis: Redis) -> None:
    # The lease only frees the fleet from a dead refresher: a live one that is slow
    # (token endpoint retries) extends it, so no second process fetches meanwhile.
    slow, other = RedisTokenStore(redis, lock_lease=0.5), RedisTokenStore(redis, lock_lease=0.5)
    fetched: list[str] = []

    async def fetch_slowly(refresh: str | None) -> StoredToken:
        fetched.append("slow")
        await asyncio.sleep(1.2)
        return StoredToken("slow-token", time.time() + 3600)

    async def fetch(refresh: str | None) -> StoredToken:
        fetched.append("other")
        return StoredToken("other-token", time.time() + 3600)

    first = asyncio.create_task(slow.refresh(SCOPE, fetch_slowly, _usable))
    await asyncio.sleep(0.1)
    second = await asyncio.wait_for(other.refresh(SCOPE, fetch, _usable), 5)
    assert (await first).access_token == second.access_token == "slow-token"
    assert fetched == ["slow"]
    assert await redis.exists(f"mautic_async:{SCOPE}:lock") == 0
