"""Eight worker processes, one Mautic (the emulator, OAuth2 and a rate limit), one Redis.

The proof that the shared token store and limiter work across processes: exactly one
token request for the whole fleet while the token is valid and exactly one more once
it expired; the fleet-wide cap on requests in flight is never exceeded as the server
sees it; after a 429 no process sends a request before the time it names; every row is
applied exactly once; a killed worker's slots come back within the lease.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from mautic_async.contrib.redis import RedisLimiter
from mautic_async.stores import scope_for
from mautic_async.testing import Fault, MauticEmulator

from ._fleet_worker import CLIENT_ID, CLIENT_SECRET

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("_fleet_worker.py")
WORKERS = 8
MAX_IN_FLIGHT = 3
PAUSE = 1.5  # the 429's Retry-After
SLACK = 0.3  # requests already past the gate when the 429 arrived may still land


async def _spawn(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        # By path, not ``-m tests.contrib...``: another distribution may install a
        # top-level ``tests`` package (mautic 0.2.0, in the bench extra, does).
        str(WORKER),
        *args,
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _run(
    processes: list[asyncio.subprocess.Process], rows: list[tuple[int, int, int]]
) -> list[dict[str, Any]]:
    """Split ``rows`` by contact over the workers and wait for all their reports."""
    shares: list[list[str]] = [[] for _ in processes]
    for contact, group, score in rows:
        shares[contact % len(processes)].append(f"{contact}:{group}:{score}")
    for process, share in zip(processes, shares, strict=True):
        assert process.stdin is not None
        process.stdin.write((",".join(share) + "\n").encode())
    reports = []
    for process in processes:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        assert line, (await process.stderr.read()).decode()  # type: ignore[union-attr]
        reports.append(json.loads(line))
    return reports


async def _stop(processes: list[asyncio.subprocess.Process]) -> None:
    for process in processes:
        assert process.stdin is not None
        process.stdin.close()
    for process in processes:
        _, err = await asyncio.wait_for(process.communicate(), 30)
        assert process.returncode == 0, err.decode()


def _applied_sets(emu: MauticEmulator, since: int) -> Counter[str]:
    return Counter(r.path for r in emu.requests[since:] if "/set/" in r.path and r.status == 200)


async def _insert_429_midway(emu: MauticEmulator, after: int) -> None:
    while len(emu.requests) < after:  # noqa: ASYNC110 - the log has no event to wait on
        await asyncio.sleep(0.005)
    emu.faults.scripted.insert(
        0, Fault(method="POST", path="/api/contacts/*/set/*", status=429, retry_after=PAUSE)
    )


async def test_a_fleet_shares_one_token_one_cap_and_one_pause(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    async with MauticEmulator(oauth2_clients={CLIENT_ID: CLIENT_SECRET}, rate_limit=5000) as emu:
        contacts = [emu.add_contact(f"c{i}@example.com") for i in range(WORKERS * 5)]
        groups = [emu.add_point_group(f"G{i}")["id"] for i in range(3)]
        # Reads take a little while, so the workers' requests overlap at the server.
        emu.faults.add("GET", "/api/contacts/*/points/groups", delay=0.02, times=None)

        fleet = [
            await _spawn("sync", emu.url, redis_url, str(MAX_IN_FLIGHT), "5")
            for _ in range(WORKERS)
        ]
        # Run 1: one token for everyone, a 429 halfway.
        rows = [(c, g, c * 10 + g) for c in contacts for g in groups]
        pause = asyncio.create_task(_insert_429_midway(emu, after=len(rows) // 2))
        reports = await _run(fleet, rows)
        await pause
        assert [r["failures"] for r in reports] == [[]] * WORKERS
        assert sum(r["counts"]["set"] for r in reports) == len(rows)
        assert len(emu.token_requests) == 1
        assert emu.scores == {(c, g): s for c, g, s in rows}
        applied = _applied_sets(emu, 0)
        assert len(applied) == len(rows)
        assert set(applied.values()) == {1}  # none lost, none applied twice
        assert emu.api_in_flight_peak <= MAX_IN_FLIGHT
        assert emu.api_in_flight_peak >= 2  # the cap was really contended

        (limited,) = [r for r in emu.requests if r.fault == "status:429"]
        during = [
            r
            for r in emu.requests
            if r.path.startswith("/api") and limited.time + SLACK < r.time < limited.time + PAUSE
        ]
        assert during == [], "a process sent a request during the shared pause"
        resumed = min(r.time for r in emu.requests if r.time > limited.time + SLACK)
        assert resumed >= limited.time + PAUSE - 0.05

        # Run 2: the emulator expires the token (every worker still holds it); the
        # fleet fetches exactly one more.
        emu.clock.advance(3601)
        emu.reset_in_flight_peak()
        before = len(emu.requests)
        rows2 = [(c, g, s + 1) for c, g, s in rows]
        reports = await _run(fleet, rows2)
        await _stop(fleet)
        assert sum(r["counts"]["set"] for r in reports) == len(rows2)
        assert len(emu.token_requests) == 2
        assert emu.scores == {(c, g): s for c, g, s in rows2}
        assert set(_applied_sets(emu, before).values()) == {1}
        assert emu.api_in_flight_peak <= MAX_IN_FLIGHT
    await redis.aclose()


async def test_a_worker_killed_mid_run_gives_its_slots_back_within_the_lease(
    redis_url: str,
) -> None:
    lease = 1.0
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    async with MauticEmulator(oauth2_clients={CLIENT_ID: CLIENT_SECRET}) as emu:
        # Several contacts: one contact's rows are applied one after the other.
        contacts = [emu.add_contact(f"c{i}@example.com") for i in range(8)]
        group = emu.add_point_group("G")["id"]
        # Every write hangs at the server, so the worker holds its slots when killed.
        emu.faults.add("POST", "/api/contacts/*/set/*", delay=30, times=None)
        scope = scope_for(emu.url + "/", CLIENT_ID)
        probe = RedisLimiter(redis, MAX_IN_FLIGHT, lease)
        (worker,) = [await _spawn("sync", emu.url, redis_url, str(MAX_IN_FLIGHT), str(lease))]
        assert worker.stdin is not None
        worker.stdin.write(",".join(f"{c}:{group}:7" for c in contacts).encode() + b"\n")
        deadline = time.monotonic() + 30
        while await probe.in_flight(scope) < MAX_IN_FLIGHT:
            assert time.monotonic() < deadline, "the worker never filled the cap"
            await asyncio.sleep(0.02)
        await asyncio.sleep(lease * 1.2)  # past one lease: a live holder renews its slots
        assert await probe.in_flight(scope) == MAX_IN_FLIGHT
        worker.send_signal(signal.SIGKILL)
        await worker.wait()
        killed = time.monotonic()
        slot = await asyncio.wait_for(probe.acquire(scope), lease * 3)
        assert time.monotonic() - killed <= lease + 0.2
        await probe.release(scope, slot)
        await probe.aclose()
    await redis.aclose()
