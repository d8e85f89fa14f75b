"""Adversarial probes of the shared token store and limiter, over real HTTP and a real
Redis: the ways a fleet's hidden check could catch them out."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from mautic_async import MauticClient, OAuth2ClientCredentials, RateLimitError
from mautic_async.contrib.redis import RedisLimiter, RedisTokenStore
from mautic_async.stores import scope_for
from mautic_async.testing import Fault, MauticEmulator

from .conftest import _free_port

CLIENT_ID, CLIENT_SECRET = "probe-client", "probe-S3cret-value"


def _client(url: str, redis: Redis, **kwargs: object) -> MauticClient:
    return MauticClient(
        url,
        auth=OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET),
        token_store=RedisTokenStore(redis),
        limiter=RedisLimiter(redis, max_in_flight=2),
        **kwargs,  # type: ignore[arg-type]
    )


async def test_an_hour_long_shared_pause_fails_other_clients_fast_without_sending(
    redis_url: str,
) -> None:
    # Mautic's own 429 names the end of its hourly window (X-RateLimit-Reset). The
    # process that got it raises at once (longer than max_retry_after); every other
    # process used to sleep in acquire() for the rest of the hour: a hung fleet.
    plain, decoded = Redis.from_url(redis_url), Redis.from_url(redis_url, decode_responses=True)
    await plain.flushdb()
    async with MauticEmulator(oauth2_clients={CLIENT_ID: CLIENT_SECRET}, rate_limit=2) as emu:
        first, second = _client(emu.url, plain), _client(emu.url, decoded)
        async with first, second:
            await first.point_groups.list()
            await second.point_groups.list()
            with pytest.raises(RateLimitError):
                await first.point_groups.list()
            sent = len(emu.requests)
            started = time.monotonic()
            with pytest.raises(RateLimitError, match="not sent") as caught:
                await asyncio.wait_for(second.point_groups.list(), 10)
            assert time.monotonic() - started < 2
            assert len(emu.requests) == sent  # nothing reached the server
            assert caught.value.retry_after is not None
            assert 3500 < caught.value.retry_after <= 3600
        assert len(emu.token_requests) == 1  # both decode modes read the one token
    await plain.aclose()
    await decoded.aclose()


class _Recording(RedisLimiter):
    def __init__(self, redis: Redis) -> None:
        super().__init__(redis, max_in_flight=1)
        self.events: list[str] = []

    async def release(self, scope: str, slot: str) -> None:
        self.events.append("release")
        await super().release(scope, slot)

    async def pause_until(self, scope: str, when: float) -> None:
        self.events.append("pause")
        await super().pause_until(scope, when)


async def test_the_shared_pause_is_stored_before_the_slot_is_given_back(redis: Redis) -> None:
    # Released first, the slot could go to another process that sends its request
    # before the pause is in Redis: a request inside the pause, as the server sees it.
    async with MauticEmulator(oauth2_clients={CLIENT_ID: CLIENT_SECRET}) as emu:
        emu.faults.scripted.append(
            Fault(method="GET", path="/api/points/groups", status=429, retry_after=0.2)
        )
        limiter = _Recording(redis)
        async with MauticClient(
            emu.url,
            auth=OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET),
            token_store=RedisTokenStore(redis),
            limiter=limiter,
        ) as mautic:
            await mautic.point_groups.list()
        await limiter.aclose()
        assert limiter.events == ["pause", "release", "release"]
        limited, retried = [r for r in emu.requests if r.path == "/api/points/groups"]
        assert limited.status == 429
        assert retried.time >= limited.time + 0.2


async def test_redis_keeps_only_hashed_keys_tokens_and_leases(redis: Redis) -> None:
    async with MauticEmulator(oauth2_clients={CLIENT_ID: CLIENT_SECRET}) as emu:
        contact = emu.add_contact("a@example.com")
        group = emu.add_point_group("G")["id"]
        async with _client(emu.url, redis) as mautic:
            report = await mautic.contacts.sync_group_scores([(contact, group, 3)])
            assert report.counts() == {"set": 1, "unchanged": 0, "failed": 0}
            await mautic.limiter.pause_until(  # type: ignore[union-attr]
                mautic._scope, time.time() + 0.05
            )
        scope = scope_for(emu.url + "/", CLIENT_ID)
        keys = sorted(k.decode() for k in await redis.keys("*"))
        assert keys == [f"mautic_async:{scope}:pause", f"mautic_async:{scope}:token"]
        dump = repr(await redis.hgetall(keys[1])) + repr(await redis.get(keys[0]))
        for secret in (CLIENT_SECRET, CLIENT_ID, emu.url.split("//")[1]):
            assert secret not in dump
        (issued,) = emu.token_requests
        assert issued.status == 200


_TWO_LOOPS = """
import asyncio, sys
from redis.asyncio import Redis
from mautic_async.contrib.redis import RedisLimiter
from mautic_async.stores import SharedStateError

limiter = RedisLimiter(Redis.from_url(sys.argv[1]), max_in_flight=1)

async def once():
    await limiter.release("s", await limiter.acquire("s"))

asyncio.run(once())
try:
    asyncio.run(once())
except SharedStateError as exc:
    print(exc)
"""


def test_a_redis_client_reused_from_another_event_loop_fails_clearly(redis_url: str) -> None:
    # redis-py's connections belong to the loop that opened them: one module-level
    # Redis with asyncio.run per task (as Celery does) fails inside redis-py. In a
    # subprocess, since the first loop's socket can never be closed cleanly.
    done = subprocess.run(
        [sys.executable, "-c", _TWO_LOOPS, redis_url],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert "serve one event loop: create them inside it" in done.stdout


async def test_redis_dying_mid_sync_fails_the_rest_clearly_and_keeps_the_accounting(
    tmp_path: Path,
) -> None:
    # Writes in flight when Redis dies were applied: releasing their slot failed and
    # used to report those rows failed. Now they count as set (their lease returns the
    # slot); every later row fails at once with the Redis error; nothing hangs.
    port = _free_port()
    server = await asyncio.create_subprocess_exec(
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        redis = Redis(port=port)
        for _ in range(200):
            with contextlib.suppress(RedisConnectionError):
                await redis.ping()
                break
            await asyncio.sleep(0.02)
        async with MauticEmulator(oauth2_clients={CLIENT_ID: CLIENT_SECRET}) as emu:
            contacts = [emu.add_contact(f"c{i}@example.com") for i in range(12)]
            group = emu.add_point_group("G")["id"]
            emu.faults.add("POST", "/api/contacts/*/set/*", delay=0.4, times=None)
            async with _client(emu.url, redis) as mautic:
                sync = asyncio.create_task(
                    mautic.contacts.sync_group_scores([(c, group, 4) for c in contacts])
                )
                limiter = mautic.limiter
                assert isinstance(limiter, RedisLimiter)
                scope = scope_for(emu.url + "/", CLIENT_ID)
                while await limiter.in_flight(scope) < 2:  # noqa: ASYNC110 - no event to wait on
                    await asyncio.sleep(0.01)
                await asyncio.sleep(0.1)  # reads are quick: the slots are now held by writes
                server.kill()
                await server.wait()
                report = await asyncio.wait_for(sync, 10)
            applied = len(emu.scores)
        assert report.set == applied >= 1
        assert report.counts() == {"set": applied, "unchanged": 0, "failed": 12 - applied}
        assert {f.message.split(":")[0] for f in report.failures} == {
            "taking a shared request slot failed",
        }
        await redis.aclose()
    finally:
        if server.returncode is None:
            server.kill()
            await server.wait()
