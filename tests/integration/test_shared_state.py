"""MauticClient(token_store=..., limiter=...) over real HTTP, with the in-memory stores."""

from __future__ import annotations

import time

import pytest

from mautic_async import (
    BasicAuth,
    InMemoryLimiter,
    InMemoryTokenStore,
    MauticClient,
    OAuth2ClientCredentials,
    OAuth2Token,
    RateLimitError,
)
from mautic_async.testing import MauticEmulator

from .conftest import CLIENT_ID, CLIENT_SECRET, FakeSleep


class RecordingLimiter(InMemoryLimiter):
    def __init__(self, max_in_flight: int) -> None:
        super().__init__(max_in_flight)
        self.pauses: list[float] = []
        self.acquired = 0

    async def acquire(self, scope: str, *, max_pause: float | None = None) -> str:
        self.acquired += 1
        return await super().acquire(scope, max_pause=max_pause)

    async def pause_until(self, scope: str, when: float) -> None:
        self.pauses.append(when)
        await super().pause_until(scope, when)


async def test_two_clients_share_one_token_through_a_store(emulator: MauticEmulator) -> None:
    store = InMemoryTokenStore()
    clients = [
        MauticClient(
            emulator.url, auth=OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET), token_store=store
        )
        for _ in range(2)
    ]
    for client in clients:
        await client.point_groups.list()
    assert len(emulator.token_requests) == 1
    # The server expires the token: one 401, one compare-and-clear, one new token.
    emulator.clock.advance(3601)
    for client in clients:
        await client.point_groups.list()
    assert len(emulator.token_requests) == 2
    for client in clients:
        await client.close()


async def test_a_rotated_refresh_token_is_shared(emulator: MauticEmulator) -> None:
    pair = emulator.issue_token_pair(CLIENT_ID)
    store = InMemoryTokenStore()

    def auth(access_token: str | None = None) -> OAuth2Token:
        return OAuth2Token(
            CLIENT_ID, CLIENT_SECRET, access_token=access_token, refresh_token=pair["refresh_token"]
        )

    first = MauticClient(emulator.url, auth=auth("expired"), token_store=store)
    await first.point_groups.list()  # 401 on "expired", refresh: the pair rotates
    emulator.clock.advance(3601)
    second = MauticClient(emulator.url, auth=auth(), token_store=store)
    # The stored token is expired at the server (401, cleared); the refresh needs the
    # rotated refresh token: this auth's own was used up by the first client.
    # (with a used-up refresh token the server would answer 400 invalid_grant).
    await second.point_groups.list()
    assert len(emulator.token_requests) == 2
    await first.close()
    await second.close()


async def test_a_429_pauses_everyone_sharing_the_limiter(
    emulator: MauticEmulator, fake_sleep: FakeSleep
) -> None:
    emulator.settings.rate_limit = 1
    limiter = RecordingLimiter(2)
    async with MauticClient(
        emulator.url,
        auth=OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET),
        limiter=limiter,
        sleep=fake_sleep,
    ) as mautic:
        await mautic.point_groups.list()
        before = time.time()
        with pytest.raises(RateLimitError) as caught:
            await mautic.point_groups.list()
    assert caught.value.retry_after is not None
    (pause,) = limiter.pauses
    # X-RateLimit-Reset (an hour away) is the pause, for every client of the limiter.
    assert before + 3500 < pause < before + 3601
    assert limiter.acquired == 2


async def test_with_options_copies_share_the_limiter(emulator: MauticEmulator) -> None:
    limiter = RecordingLimiter(1)
    async with MauticClient(
        emulator.url, auth=BasicAuth("admin", "s3cr3t-Pa55w0rd"), limiter=limiter
    ) as mautic:
        await mautic.with_options(max_retries=0).point_groups.list()
        await mautic.point_groups.list()
    assert limiter.acquired == 2


def test_token_store_needs_oauth2_and_one_store_per_auth(emulator: MauticEmulator) -> None:
    with pytest.raises(TypeError, match="token_store needs an OAuth2 auth"):
        MauticClient(emulator.url, auth=BasicAuth("a", "b"), token_store=InMemoryTokenStore())
    with pytest.raises(TypeError, match="limiter must implement RequestLimiter"):
        MauticClient(emulator.url, limiter=object())  # type: ignore[arg-type]
    auth = OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET)
    MauticClient(emulator.url, auth=auth, token_store=InMemoryTokenStore())
    with pytest.raises(ValueError, match="give each client its own auth object"):
        MauticClient(emulator.url, auth=auth, token_store=InMemoryTokenStore())
