"""The in-memory token store and request limiter (the protocols' defaults)."""

from __future__ import annotations

import asyncio
import time

import pytest

from mautic_async import (
    InMemoryLimiter,
    InMemoryTokenStore,
    RequestLimiter,
    StoredToken,
    TokenStore,
)
from mautic_async.stores import Paused


def _usable(token: StoredToken) -> bool:
    return token.fresh(60)


def test_in_memory_classes_satisfy_the_protocols() -> None:
    assert isinstance(InMemoryTokenStore(), TokenStore)
    assert isinstance(InMemoryLimiter(1), RequestLimiter)


def test_stored_token_freshness_and_repr() -> None:
    token = StoredToken("secret-access", 1000.0, "secret-refresh")
    assert token.fresh(60, now=939.0)
    assert not token.fresh(60, now=940.0)
    assert StoredToken("a").fresh(now=1e12)
    assert "secret" not in repr(token)


async def test_single_flight_shares_one_outcome() -> None:
    store = InMemoryTokenStore()
    calls = 0

    async def fetch(refresh: str | None) -> StoredToken:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return StoredToken(f"a{calls}", time.time() + 3600, "r1")

    tokens = await asyncio.gather(*(store.refresh("s", fetch, _usable) for _ in range(50)))
    assert calls == 1
    assert {t.access_token for t in tokens} == {"a1"}

    async def failing(refresh: str | None) -> StoredToken:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        raise RuntimeError("down")

    assert await store.clear_if("s", "a1")
    results = await asyncio.gather(
        *(store.refresh("s", failing, _usable) for _ in range(5)), return_exceptions=True
    )
    assert calls == 2
    assert all(isinstance(r, RuntimeError) for r in results)


async def test_clear_if_keeps_a_newer_token_and_the_refresh_token() -> None:
    store = InMemoryTokenStore()
    await store.store("s", StoredToken("new", None, "r1"))
    assert not await store.clear_if("s", "old")
    assert await store.clear_if("s", "new")
    assert await store.get("s") is None
    seen: list[str | None] = []

    async def fetch(refresh: str | None) -> StoredToken:
        seen.append(refresh)
        return StoredToken("a2")

    token = await store.refresh("s", fetch, _usable)
    assert seen == ["r1"]
    stored = await store.get("s")
    assert stored is not None
    assert stored.refresh_token == "r1"
    assert token.access_token == "a2"


async def test_a_cancelled_fetch_lets_a_waiter_fetch() -> None:
    store = InMemoryTokenStore()
    started = asyncio.Event()

    async def slow(refresh: str | None) -> StoredToken:
        started.set()
        await asyncio.sleep(10)
        raise AssertionError("not reached")

    async def quick(refresh: str | None) -> StoredToken:
        return StoredToken("q")

    first = asyncio.create_task(store.refresh("s", slow, _usable))
    await started.wait()
    second = asyncio.create_task(store.refresh("s", quick, _usable))
    await asyncio.sleep(0)
    first.cancel()
    assert (await second).access_token == "q"


async def test_in_memory_limiter_cap_and_pause() -> None:
    waits: list[float] = []

    async def fake_sleep(delay: float) -> None:
        waits.append(delay)
        limiter._paused["s"] = 0.0  # the pause has passed

    limiter = InMemoryLimiter(2, sleep=fake_sleep)
    a = await limiter.acquire("s")
    await limiter.acquire("s")
    third = asyncio.create_task(limiter.acquire("s"))
    await asyncio.sleep(0.01)
    assert not third.done()
    await limiter.release("s", a)
    await third
    await limiter.pause_until("s", time.time() + 30)
    await limiter.release("s", "x")
    await limiter.acquire("s")
    assert len(waits) == 1
    assert 29 < waits[0] <= 30


def test_in_memory_limiter_arguments() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        InMemoryLimiter(0)
    with pytest.raises(TypeError, match="must be an int"):
        InMemoryLimiter(True)


async def test_in_memory_limiter_refuses_a_pause_longer_than_max_pause() -> None:
    limiter = InMemoryLimiter(1)
    until = time.time() + 3600
    await limiter.pause_until("s", until)
    with pytest.raises(Paused) as caught:
        await limiter.acquire("s", max_pause=60)
    assert caught.value.until == until
    # The refused acquire took no slot: with the pause over, the one slot is free.
    limiter._paused["s"] = 0.0
    await asyncio.wait_for(limiter.acquire("s", max_pause=60), 1)
