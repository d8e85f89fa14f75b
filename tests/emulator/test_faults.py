"""Fault injection."""

from __future__ import annotations

import asyncio
import re

import aiohttp
import pytest

from mautic_async.testing import MauticEmulator

from ._helpers import Api, basic

NEW = "/api/points/groups/new"


async def test_status_fault_answers_without_applying(api: Api, emu: MauticEmulator) -> None:
    fault = emu.faults.add("POST", NEW, times=2, status=503, retry_after=7)
    for _ in range(2):
        reply = await api("POST", NEW, json={"name": "A"})
        assert reply.status == 503
        assert reply.headers["Retry-After"] == "7"
        assert reply.errors == [
            {
                "message": "Looks like I encountered an error (error #503). "
                "If I do it again, please report me to the system administrator!",
                "code": 503,
                "type": None,
            }
        ]
    assert emu.point_groups == {}
    assert fault.hits == 2
    assert not fault.active
    assert (await api("POST", NEW, json={"name": "A"})).status == 201
    assert [r.fault for r in emu.requests] == ["status:503", "status:503", None]


async def test_html_error_page(api: Api, emu: MauticEmulator) -> None:
    emu.faults.add("*", "/api/points/groups*", html=True)
    reply = await api("GET", "/api/points/groups/1")
    assert reply.status == 502
    assert reply.headers["Content-Type"] == "text/html"
    assert b"<title>502 Bad Gateway</title>" in reply.raw


async def test_429_fault_uses_rate_limit_body(api: Api, emu: MauticEmulator) -> None:
    emu.settings.rate_limit = 100
    emu.faults.add("GET", re.compile(r"/api/points/groups$"), status=429, retry_after=1.5)
    reply = await api("GET", "/api/points/groups")
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "1.5"
    assert reply.errors[0]["message"] == "You exceeded the rate limit of 100 API calls per hour."


async def test_method_and_path_matching(api: Api, emu: MauticEmulator) -> None:
    emu.faults.add("DELETE", NEW, status=500)
    emu.faults.add("POST", "/api/points/groups/1/edit", status=500)
    assert (await api("POST", NEW, json={"name": "A"})).status == 201
    assert (await api("POST", NEW + "x")).status == 404
    assert [f.hits for f in emu.faults.scripted] == [0, 0]


async def test_drop_before_and_after(session: aiohttp.ClientSession, emu: MauticEmulator) -> None:
    emu.faults.add("POST", NEW, drop="before")
    emu.faults.add("POST", NEW, drop="after")
    for expected_groups in (0, 1):
        with pytest.raises(aiohttp.ServerDisconnectedError):
            async with session.post(emu.url + NEW, json={"name": "A"}, headers=basic()) as r:
                await r.read()
        assert len(emu.point_groups) == expected_groups
    assert [(r.status, r.fault) for r in emu.requests] == [
        (None, "drop:before"),
        (None, "drop:after"),
    ]


async def test_truncated_body(
    session: aiohttp.ClientSession, api: Api, emu: MauticEmulator
) -> None:
    emu.faults.add("POST", NEW, truncate=True)
    async with session.post(emu.url + NEW, json={"name": "A"}, headers=basic()) as r:
        assert r.status == 201
        advertised = r.content_length
        with pytest.raises(aiohttp.ClientPayloadError):
            await r.read()
    assert len(emu.point_groups) == 1
    full = await api("GET", "/api/points/groups/1")  # the same body the create answered
    assert advertised == len(full.raw)


async def test_delay_applies_then_waits(
    session: aiohttp.ClientSession, emu: MauticEmulator
) -> None:
    emu.faults.add("POST", NEW, delay=0.3)
    timeout = aiohttp.ClientTimeout(total=0.05)
    with pytest.raises(asyncio.TimeoutError):
        async with session.post(
            emu.url + NEW, json={"name": "A"}, headers=basic(), timeout=timeout
        ):
            pass
    assert len(emu.point_groups) == 1  # timed out, but took effect


async def test_faults_hit_before_authentication(api: Api, emu: MauticEmulator) -> None:
    emu.faults.add("GET", "/api/points/groups", status=502)
    assert (await api("GET", "/api/points/groups", headers={})).status == 502


async def test_random_faults_are_reproducible_and_bounded(api: Api, emu: MauticEmulator) -> None:
    async def run(seed: int) -> list[int]:
        emu.reset()
        emu.faults.fail_rate(
            0.5, kinds=["status", "html"], statuses=[500, 503], seed=seed, max_faults=4
        )
        return [(await api("GET", "/api/points/groups")).status for _ in range(20)]

    first = await run(7)
    assert first == await run(7)
    assert sum(status != 200 for status in first) == 4
    assert set(first) <= {200, 500, 502, 503}
    emu.faults.clear()
    assert (await api("GET", "/api/points/groups")).status == 200


def test_invalid_fault_definitions(emu: MauticEmulator) -> None:
    with pytest.raises(ValueError, match="one of"):
        emu.faults.add(status=500, drop="before")
    with pytest.raises(ValueError, match="drop"):
        emu.faults.add(drop="sideways")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kinds"):
        emu.faults.fail_rate(0.1, kinds=["explode"])
