"""One token fetch per attempt, however many callers wait, over real HTTP.

A token endpoint that is down must cost one attempt's retries (1 + TOKEN_RETRIES
requests) for 50 concurrent callers, every one of which gets that attempt's error;
a hung endpoint must not hold callers past the client's timeout; a cancelled caller
must not wedge the others.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from aiohttp import web

from mautic_async import (
    APITimeoutError,
    Auth,
    MauticClient,
    OAuth2ClientCredentials,
    OAuth2Token,
    ServerError,
)
from mautic_async.client import TOKEN_RETRIES

from ._hostile import group, serve
from .conftest import FakeSleep

CALLERS = 50


class TokenServer:
    """A token endpoint answering 503 (or hanging, or issuing tokens); the API
    answers with a point group to any bearer it issued."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.token_requests = 0
        self.issued: set[str] = set()
        self.release = asyncio.Event()
        self.asked = asyncio.Event()  # a token request has arrived

    async def __call__(self, request: web.Request) -> web.Response:
        if request.path == "/oauth/v2/token":
            self.token_requests += 1
            self.asked.set()
            number = self.token_requests
            if self.mode == "down":
                return web.json_response({"errors": [{"message": "down", "code": 503}]}, status=503)
            if self.mode == "hang-first" and number == 1:
                await self.release.wait()
            token = f"tok{number}"
            self.issued.add(token)
            return web.json_response({"access_token": token, "expires_in": 3600})
        if request.headers.get("Authorization", "").removeprefix("Bearer ") in self.issued:
            return web.json_response({"pointGroup": group(1)})
        return web.json_response({"errors": [{"message": "no", "code": 401}]}, status=401)


AUTHS: dict[str, Callable[[], Auth]] = {
    "client-credentials": lambda: OAuth2ClientCredentials("1_id", "s3cret-T"),
    "refresh-token": lambda: OAuth2Token("1_id", "s3cret-T", refresh_token="refresh-T1"),
}


@pytest.mark.parametrize("kind", sorted(AUTHS))
async def test_fifty_callers_share_one_failed_token_attempt(kind: str) -> None:
    server = TokenServer("down")
    sleep = FakeSleep()
    started = time.monotonic()
    async with (
        serve(server) as url,
        MauticClient(url, auth=AUTHS[kind](), sleep=sleep, max_concurrency=CALLERS) as mautic,
    ):
        results = await asyncio.gather(
            *(mautic.point_groups.get(1) for _ in range(CALLERS)), return_exceptions=True
        )
    assert server.token_requests == 1 + TOKEN_RETRIES
    assert len(sleep.delays) == TOKEN_RETRIES  # one attempt's backoff, not one per caller
    assert all(isinstance(r, ServerError) for r in results)
    assert all(r is results[0] for r in results)  # the very same outcome for every waiter
    assert results[0].status == 503  # type: ignore[union-attr]
    assert time.monotonic() - started < 5


async def test_a_later_caller_starts_a_new_attempt_after_a_failed_one() -> None:
    server = TokenServer("down")
    async with (
        serve(server) as url,
        MauticClient(
            url, auth=OAuth2ClientCredentials("1_id", "s3cret-T"), sleep=FakeSleep()
        ) as mautic,
    ):
        with pytest.raises(ServerError):
            await mautic.point_groups.get(1)
        server.mode = "up"
        assert (await mautic.point_groups.get(1)).id == 1
    assert server.token_requests == 1 + TOKEN_RETRIES + 1


async def test_waiting_for_a_token_is_bounded_by_the_client_timeout() -> None:
    server = TokenServer("hang-first")
    async with (
        serve(server) as url,
        MauticClient(url, auth=OAuth2ClientCredentials("1_id", "s3cret-T"), timeout=0.3) as mautic,
    ):
        started = time.monotonic()
        results = await asyncio.gather(
            *(mautic.point_groups.get(1) for _ in range(5)), return_exceptions=True
        )
        elapsed = time.monotonic() - started
        server.release.set()
    assert all(isinstance(r, APITimeoutError) for r in results), results
    assert "token" in str(results[0])
    assert elapsed < 2


async def test_cancelling_the_fetching_caller_does_not_wedge_the_others() -> None:
    server = TokenServer("hang-first")
    async with (
        serve(server) as url,
        MauticClient(url, auth=OAuth2ClientCredentials("1_id", "s3cret-T")) as mautic,
    ):
        first = asyncio.create_task(mautic.point_groups.get(1))
        await server.asked.wait()  # the first caller's fetch is in flight
        others = [asyncio.create_task(mautic.point_groups.get(1)) for _ in range(10)]
        await asyncio.sleep(0.05)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        groups = await asyncio.wait_for(asyncio.gather(*others), timeout=5)
        server.release.set()
    assert [g.id for g in groups] == [1] * 10
    assert server.token_requests == 2  # the cancelled fetch, then one for all the others


async def test_a_cancelled_waiter_leaves_the_fetch_to_the_others() -> None:
    server = TokenServer("hang-first")
    async with (
        serve(server) as url,
        MauticClient(url, auth=OAuth2ClientCredentials("1_id", "s3cret-T")) as mautic,
    ):
        first = asyncio.create_task(mautic.point_groups.get(1))
        await server.asked.wait()
        waiter = asyncio.create_task(mautic.point_groups.get(1))
        await asyncio.sleep(0.05)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        server.release.set()
        assert (await asyncio.wait_for(first, timeout=5)).id == 1
    assert server.token_requests == 1
