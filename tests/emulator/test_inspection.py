"""Inspection, seeding, reset and lifecycle."""

from __future__ import annotations

import re

import pytest

from mautic_async.testing import Clock, MauticEmulator

from ._helpers import Api, bearer


async def test_url_and_port(emu: MauticEmulator) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", emu.url)
    assert emu.url.endswith(f":{emu.port}")
    assert emu.port > 0


async def test_two_emulators_get_different_ports() -> None:
    async with MauticEmulator() as one, MauticEmulator() as two:
        assert one.port != two.port


async def test_lifecycle_errors_and_idempotent_stop() -> None:
    emulator = MauticEmulator()
    with pytest.raises(RuntimeError):
        _ = emulator.url
    await emulator.start()
    with pytest.raises(RuntimeError):
        await emulator.start()
    await emulator.stop()
    await emulator.stop()


async def test_request_log(api: Api, emu: MauticEmulator) -> None:
    token = await api.client_token()
    await api("GET", "/api/points/groups?limit=5&order[0][col]=id")
    await api("POST", "/api/points/groups/new", json={"name": "A"}, headers=bearer(token))
    await api("GET", "/api/points/groups", headers={})
    log = emu.requests
    assert [(r.method, r.path, r.auth_kind, r.status) for r in log] == [
        ("POST", "/oauth/v2/token", "none", 200),
        ("GET", "/api/points/groups", "basic", 200),
        ("POST", "/api/points/groups/new", "bearer", 201),
        ("GET", "/api/points/groups", "none", 401),
    ]
    assert log[1].query["limit"] == "5"
    assert log[1].query["order[0][col]"] == "id"
    assert log[2].body == b'{"name": "A"}'
    assert [r.path for r in emu.token_requests] == ["/oauth/v2/token"]


async def test_request_log_is_a_live_view_that_clears(api: Api, emu: MauticEmulator) -> None:
    log = emu.requests
    await api("GET", "/api/points/groups")
    assert len(log) == 1  # a view, not a copy taken before the request
    assert [r.path for r in log[-1:]] == ["/api/points/groups"]
    assert log == list(emu.requests)
    emu.requests.clear()
    assert emu.requests == []
    await api("POST", "/api/points/groups/new", json={"name": "B"})
    assert [r.method for r in emu.requests] == ["POST"]


async def test_seeding_helpers(emu: MauticEmulator) -> None:
    group = emu.add_point_group("Seeded", "desc", is_published=False)
    assert group["id"] == 1
    assert (group["isPublished"], group["createdBy"], group["createdByUser"]) == (False, None, None)
    contact_id = emu.add_contact("x@example.com", firstname="X")
    assert emu.contacts[contact_id]["fields"]["all"]["firstname"] == "X"
    emu.set_score(contact_id, 1, 5)
    assert emu.scores == {(1, 1): 5}
    with pytest.raises(KeyError):
        emu.set_score(contact_id, 99, 1)
    assert emu.point_groups == {1: group}


async def test_reset_clears_everything(api: Api, emu: MauticEmulator) -> None:
    token = await api.client_token()
    await api.create("A")
    emu.add_contact("x@example.com")
    emu.faults.add("GET", "/api/points/groups", status=500)
    emu.settings.rate_limit = 3
    assert (await api("GET", "/api/points/groups/1")).status == 200
    emu.reset()
    assert (emu.point_groups, emu.contacts, emu.scores, emu.requests) == ({}, {}, {}, [])
    assert (await api("GET", "/api/points/groups", headers=bearer(token))).status == 401
    fresh = await api("GET", "/api/points/groups")  # no fault left, a fresh window
    assert (fresh.status, fresh.headers["X-RateLimit-Remaining"]) == (200, "2")
    assert (await api.create("B"))["id"] == 1


async def test_frozen_clock_dates() -> None:
    clock = Clock(1_700_000_000, frozen=True)
    async with MauticEmulator(clock=clock) as emulator:
        group = emulator.add_point_group("A")
        assert group["dateAdded"] == "2023-11-14T22:13:20+00:00"
        clock.advance(60)
        assert emulator.add_point_group("B")["dateAdded"] == "2023-11-14T22:14:20+00:00"
        clock.set(1_800_000_000)
        assert clock.now() == 1_800_000_000


async def test_api_in_flight_peak_counts_concurrent_api_requests_only() -> None:
    import asyncio

    import aiohttp

    from mautic_async.testing import MauticEmulator

    async with (
        MauticEmulator(basic_auth={"admin": "mautic"}) as emu,
        aiohttp.ClientSession() as session,
    ):
        emu.faults.add("GET", "/api/points/groups", delay=0.2, times=None)
        auth = {"Authorization": "Basic YWRtaW46bWF1dGlj"}  # admin:mautic

        async def call() -> int:
            async with session.get(f"{emu.url}/api/points/groups", headers=auth) as resp:
                return resp.status

        assert await asyncio.gather(*(call() for _ in range(3))) == [200, 200, 200]
        assert emu.api_in_flight_peak == 3
        emu.reset_in_flight_peak()
        assert emu.api_in_flight_peak == 0
        async with session.post(f"{emu.url}/oauth/v2/token", data={}) as resp:
            assert resp.status == 400
        assert emu.api_in_flight_peak == 0
