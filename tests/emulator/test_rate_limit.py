"""Fixed-window rate limiting (spec section 6)."""

from __future__ import annotations

from mautic_async.testing import MauticEmulator

from ._helpers import Api, basic, bearer

LIMIT_BODY = (
    b'{ "errors": [ { "code": 429, "message": "You exceeded the rate limit of 3 API calls'
    b' per hour.", "details": [] } ]}'
)


async def test_n_calls_pass_then_429(api: Api, emu: MauticEmulator) -> None:
    emu.settings.rate_limit = 3
    start = int(emu.clock.now())
    remaining = []
    for _ in range(3):
        reply = await api("GET", "/api/points/groups")
        assert reply.status == 200
        assert reply.headers["X-RateLimit-Limit"] == "3"
        assert int(reply.headers["X-RateLimit-Reset"]) in (start + 3600, start + 3601)
        remaining.append(reply.headers["X-RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]
    blocked = await api("GET", "/api/points/groups")
    assert blocked.status == 429
    assert blocked.raw == LIMIT_BODY
    assert blocked.headers["X-RateLimit-Remaining"] == "0"
    assert blocked.headers["Content-Type"] == "application/json"
    assert "Mautic-Version" not in blocked.headers
    # errors and unknown routes still count and carry the headers
    emu.clock.advance(3600)
    missing = await api("GET", "/api/points/groups/99")
    assert (missing.status, missing.headers["X-RateLimit-Remaining"]) == (404, "2")
    unknown = await api("GET", "/api/unknown")
    assert (unknown.status, unknown.headers["X-RateLimit-Remaining"]) == (404, "1")


async def test_blocked_requests_are_not_applied(api: Api, emu: MauticEmulator) -> None:
    emu.settings.rate_limit = 1
    assert (await api("POST", "/api/points/groups/new", json={"name": "A"})).status == 201
    assert (await api("POST", "/api/points/groups/new", json={"name": "B"})).status == 429
    assert [g["name"] for g in emu.point_groups.values()] == ["A"]


async def test_buckets_per_token_and_shared_by_basic_users(api: Api, emu: MauticEmulator) -> None:
    emu.settings.rate_limit = 1
    emu.settings.basic_auth["other"] = "pw"
    assert (await api("GET", "/api/points/groups")).status == 200
    assert (await api("GET", "/api/points/groups", headers=basic("other", "pw"))).status == 429
    first, second = await api.client_token(), await api.client_token()
    assert (await api("GET", "/api/points/groups", headers=bearer(first))).status == 200
    assert (await api("GET", "/api/points/groups", headers=bearer(first))).status == 429
    assert (await api("GET", "/api/points/groups", headers=bearer(second))).status == 200


async def test_401_and_oauth_are_not_limited(api: Api, emu: MauticEmulator) -> None:
    emu.settings.rate_limit = 1
    for _ in range(3):
        denied = await api("GET", "/api/points/groups", headers={})
        assert denied.status == 401
        assert "X-RateLimit-Limit" not in denied.headers
        await api.client_token()
    assert (await api("GET", "/api/points/groups")).status == 200


async def test_window_resets_on_the_emulator_clock(api: Api, emu: MauticEmulator) -> None:
    emu.settings.rate_limit = 1
    assert (await api("GET", "/api/points/groups")).status == 200
    assert (await api("GET", "/api/points/groups")).status == 429
    emu.clock.advance(3601)
    assert (await api("GET", "/api/points/groups")).status == 200


async def test_disabled_by_default(api: Api) -> None:
    for _ in range(5):
        reply = await api("GET", "/api/points/groups")
        assert reply.status == 200
        assert "X-RateLimit-Limit" not in reply.headers
