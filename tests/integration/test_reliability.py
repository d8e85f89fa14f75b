"""Retries, timeouts and method safety against the emulator's injected faults."""

from __future__ import annotations

import asyncio
import time

import pytest

from mautic_async import (
    APIConnectionError,
    APITimeoutError,
    BasicAuth,
    MauticClient,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from mautic_async.testing import MauticEmulator

from .conftest import PASSWORD, USER, FakeSleep


def count(emulator: MauticEmulator, method: str, path: str) -> int:
    return sum(1 for r in emulator.requests if r.method == method and r.path == path)


async def test_get_is_retried_after_an_html_502(
    mautic: MauticClient, emulator: MauticEmulator, fake_sleep: FakeSleep
) -> None:
    emulator.add_point_group("G")
    emulator.faults.add("GET", "/api/points/groups", html=True, times=2)
    page = await mautic.point_groups.list()
    assert page.total == 1
    assert len(fake_sleep.delays) == 2
    assert 0.375 <= fake_sleep.delays[0] <= 0.5
    assert 0.75 <= fake_sleep.delays[1] <= 1.0


async def test_html_error_page_surfaces_with_its_snippet(emulator: MauticEmulator) -> None:
    emulator.faults.add("GET", "/api/points/groups/1", html=True, times=None)
    async with MauticClient(emulator.url, auth=BasicAuth(USER, PASSWORD), max_retries=0) as mautic:
        with pytest.raises(ServerError) as caught:
            await mautic.point_groups.get(1)
    assert caught.value.status == 502
    assert "html" in caught.value.body_snippet.lower()


async def test_create_is_not_repeated_when_the_connection_drops_after_it(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    emulator.faults.add("POST", "/api/points/groups/new", drop="after")
    with pytest.raises(APIConnectionError) as caught:
        await mautic.point_groups.create({"name": "Once"})
    assert caught.value.request_sent is True
    assert count(emulator, "POST", "/api/points/groups/new") == 1
    assert [g["name"] for g in emulator.point_groups.values()] == ["Once"]


async def test_create_is_retried_when_it_provably_did_not_happen(
    mautic: MauticClient, emulator: MauticEmulator, fake_sleep: FakeSleep
) -> None:
    emulator.faults.add("POST", "/api/points/groups/new", status=503, retry_after=2)
    emulator.faults.add("POST", "/api/points/groups/new", status=429, retry_after=1)
    made = await mautic.point_groups.create({"name": "Once"})
    assert made.name == "Once"
    assert fake_sleep.delays == [2.0, 1.0]
    assert [g["name"] for g in emulator.point_groups.values()] == ["Once"]


async def test_put_on_a_dropped_keepalive_connection_creates_once(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    # aiohttp on its own resends PUT once when a reused keep-alive connection drops;
    # PUT on a missing id creates, so that resend would create a second group.
    await mautic.point_groups.list()  # open a keep-alive connection to reuse
    emulator.faults.add("PUT", "/api/points/groups/999/edit", drop="after")
    with pytest.raises(APIConnectionError):
        await mautic.point_groups.replace(999, {"name": "Made by PUT"})
    assert count(emulator, "PUT", "/api/points/groups/999/edit") == 1
    assert [g["name"] for g in emulator.point_groups.values()] == ["Made by PUT"]


async def test_delete_is_not_repeated_after_an_unknown_outcome(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    group = emulator.add_point_group("Doomed")
    await mautic.point_groups.list()
    emulator.faults.add("DELETE", f"/api/points/groups/{group['id']}/delete", truncate=True)
    with pytest.raises(APIConnectionError):
        await mautic.point_groups.delete(group["id"])
    assert count(emulator, "DELETE", f"/api/points/groups/{group['id']}/delete") == 1
    assert not emulator.point_groups


async def test_a_truncated_get_is_retried(
    mautic: MauticClient, emulator: MauticEmulator, fake_sleep: FakeSleep
) -> None:
    emulator.add_point_group("G")
    emulator.faults.add("GET", "/api/points/groups", truncate=True)
    assert (await mautic.point_groups.list()).total == 1
    assert len(fake_sleep.delays) == 1


async def test_a_slow_create_times_out_and_is_not_repeated(emulator: MauticEmulator) -> None:
    emulator.faults.add("POST", "/api/points/groups/new", delay=0.5)
    async with MauticClient(
        emulator.url, auth=BasicAuth(USER, PASSWORD), timeout=0.1, sleep=FakeSleep()
    ) as mautic:
        with pytest.raises(APITimeoutError) as caught:
            await mautic.point_groups.create({"name": "Slow"})
    assert caught.value.request_sent is True
    assert count(emulator, "POST", "/api/points/groups/new") == 1
    assert [g["name"] for g in emulator.point_groups.values()] == ["Slow"]


async def test_retry_unsafe_opts_in_to_repeating_writes(
    emulator: MauticEmulator, fake_sleep: FakeSleep
) -> None:
    emulator.faults.add("POST", "/api/points/groups/new", status=502)
    policy = RetryPolicy(retry_unsafe=True)
    async with MauticClient(
        emulator.url, auth=BasicAuth(USER, PASSWORD), retry_policy=policy, sleep=fake_sleep
    ) as mautic:
        await mautic.point_groups.create({"name": "Twice?"})
    assert len(fake_sleep.delays) == 1  # the 502 was not applied, so one group
    assert len(emulator.point_groups) == 1


async def test_rate_limit_past_the_ceiling_raises_with_the_wait() -> None:
    async with (
        MauticEmulator(basic_auth={USER: PASSWORD}, rate_limit=3) as emulator,
        MauticClient(emulator.url, auth=BasicAuth(USER, PASSWORD), sleep=FakeSleep()) as mautic,
    ):
        for _ in range(3):
            await mautic.point_groups.list()
        with pytest.raises(RateLimitError) as caught:
            await mautic.point_groups.list()
    assert caught.value.retry_after is not None
    assert 3500 < caught.value.retry_after <= 3600
    assert "You exceeded the rate limit of 3 API calls per hour." in str(caught.value)


async def test_a_burst_against_the_rate_limit_waits_as_told_and_completes() -> None:
    async with MauticEmulator(basic_auth={USER: PASSWORD}, rate_limit=10) as emulator:
        waited: list[float] = []

        async def sleep_on_the_emulators_clock(delay: float) -> None:
            # The client reads X-RateLimit-Reset against the real clock: "sleeping"
            # moves the emulator's clock to the moment the client waits for.
            waited.append(delay)
            emulator.clock.set(max(emulator.clock.now(), time.time() + delay))

        policy = RetryPolicy(max_retries=3, max_retry_after=3 * 3600)
        async with MauticClient(
            emulator.url,
            auth=BasicAuth(USER, PASSWORD),
            retry_policy=policy,
            sleep=sleep_on_the_emulators_clock,
        ) as mautic:
            pages = await asyncio.gather(*(mautic.point_groups.list() for _ in range(25)))
    assert len(pages) == 25
    served = [r for r in emulator.requests if r.status == 200]
    limited = [r for r in emulator.requests if r.status == 429]
    assert len(served) == 25
    assert len(limited) >= 15  # at least the 15 over the limit were told to wait...
    assert len(waited) == len(limited)  # ...and every 429 was waited out, none raised
    assert all(0 < delay <= 2 * 3600 for delay in waited)


async def test_cancelling_mid_request_frees_the_slot_and_connection(
    emulator: MauticEmulator,
) -> None:
    emulator.add_point_group("G")
    emulator.faults.add("GET", "/api/points/groups", delay=5)
    async with MauticClient(
        emulator.url, auth=BasicAuth(USER, PASSWORD), max_concurrency=1, timeout=10
    ) as mautic:
        stuck = asyncio.ensure_future(mautic.point_groups.list())
        for _ in range(500):  # until the emulator has the request (at most 5 s)
            if emulator.requests:
                break
            await asyncio.sleep(0.01)
        assert emulator.requests
        stuck.cancel()
        with pytest.raises(asyncio.CancelledError):
            await stuck
        # One slot, one connection: both must be free again for this to answer.
        page = await asyncio.wait_for(mautic.point_groups.list(), timeout=2)
    assert page.total == 1


async def test_waiting_for_a_slot_is_not_charged_to_the_timeout(
    emulator: MauticEmulator,
) -> None:
    emulator.add_point_group("G")
    emulator.faults.add("GET", "/api/points/groups", delay=0.3, times=3)
    async with MauticClient(
        emulator.url,
        auth=BasicAuth(USER, PASSWORD),
        max_concurrency=1,
        timeout=0.6,
        max_retries=0,
    ) as mautic:
        # Three requests through one slot take about 0.9 s in all, but each is charged
        # only its own ~0.3 s, so none times out.
        pages = await asyncio.gather(*(mautic.point_groups.list() for _ in range(3)))
    assert [page.total for page in pages] == [1, 1, 1]
