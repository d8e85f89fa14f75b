"""Credentials stay where they belong: no redirects followed, nothing secret shown."""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from mautic_async import (
    APIStatusError,
    Auth,
    BasicAuth,
    MauticClient,
    MauticError,
    OAuth2ClientCredentials,
    OAuth2Token,
)
from mautic_async.testing import MauticEmulator

from .conftest import CLIENT_ID, CLIENT_SECRET, PASSWORD, USER, FakeSleep


@pytest.fixture
async def other_host() -> AsyncIterator[tuple[str, list[web.Request]]]:
    """A server on another loopback address that records what reaches it."""
    seen: list[web.Request] = []

    async def record(request: web.Request) -> web.Response:
        seen.append(request)
        return web.json_response({"pointGroup": {"id": 1}})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.2", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.2:{port}", seen
    await runner.cleanup()


async def test_a_redirect_to_another_host_is_not_followed(
    other_host: tuple[str, list[web.Request]],
) -> None:
    target, seen = other_host

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect(f"{target}{request.path}")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", redirect)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with MauticClient(
            f"http://127.0.0.1:{port}", auth=BasicAuth(USER, PASSWORD)
        ) as mautic:
            with pytest.raises(APIStatusError) as caught:
                await mautic.point_groups.get(1)
    finally:
        await runner.cleanup()
    assert caught.value.status == 307
    assert target in str(caught.value)  # says where it was sent, so it can be fixed
    assert seen == []  # the credentials never reached the other host


@pytest.mark.parametrize("kind", ["basic", "refresh-token", "client-credentials"])
async def test_no_secret_in_errors_reprs_or_logs(
    emulator: MauticEmulator, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="mautic_async")
    secrets = [PASSWORD, CLIENT_SECRET]
    pair = emulator.issue_token_pair(CLIENT_ID)
    secrets += [pair["access_token"], pair["refresh_token"]]
    emulator.faults.add("GET", "/api/points/groups/1", html=True, times=None)
    auth: Auth = {
        "basic": BasicAuth(USER, PASSWORD),
        "refresh-token": OAuth2Token(
            CLIENT_ID,
            CLIENT_SECRET,
            access_token=pair["access_token"],
            refresh_token=pair["refresh_token"],
        ),
        "client-credentials": OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET),
    }[kind]
    emulator.clock.advance(3601)  # expire the pair: the refresh flow runs too
    async with MauticClient(emulator.url, auth=auth, sleep=FakeSleep()) as mautic:
        with pytest.raises(MauticError) as caught:
            await mautic.point_groups.get(1)
        shown = [
            repr(mautic),
            repr(auth),
            str(caught.value),
            repr(caught.value),
            "".join(traceback.format_exception(caught.value)),
            *(record.getMessage() for record in caplog.records),
        ]
    assert caplog.records  # attempts and retries were logged
    for text in shown:
        for secret in secrets:
            assert secret not in text
