"""TLS over real HTTPS on loopback: verified by default, a custom context, or off."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator

import pytest
import trustme
from aiohttp import web

from mautic_async import APIConnectionError, BasicAuth, MauticClient

from .conftest import PASSWORD, USER, FakeSleep


@pytest.fixture
async def https_site() -> AsyncIterator[tuple[str, trustme.CA]]:
    """An HTTPS server on 127.0.0.1 with a certificate from a throwaway CA."""
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)

    async def group(request: web.Request) -> web.Response:
        group = {"id": 1, "name": "Over TLS", "isPublished": True, "dateAdded": "2024-10-24"}
        return web.json_response({"pointGroup": group})

    app = web.Application()
    app.router.add_get("/api/points/groups/1", group)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_context)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"https://127.0.0.1:{port}", ca
    await runner.cleanup()


async def test_an_unknown_certificate_is_refused_and_not_retried(
    https_site: tuple[str, trustme.CA],
) -> None:
    url, _ca = https_site
    sleep = FakeSleep()
    async with MauticClient(url, auth=BasicAuth(USER, PASSWORD), sleep=sleep) as mautic:
        with pytest.raises(APIConnectionError, match="TLS failed") as caught:
            await mautic.point_groups.get(1)
    assert caught.value.transient is False
    assert caught.value.request_sent is False
    assert sleep.delays == []  # another attempt cannot fix a certificate


async def test_a_custom_context_trusts_the_ca(https_site: tuple[str, trustme.CA]) -> None:
    url, ca = https_site
    context = ssl.create_default_context()
    ca.configure_trust(context)
    async with MauticClient(url, auth=BasicAuth(USER, PASSWORD), ssl=context) as mautic:
        assert (await mautic.point_groups.get(1)).name == "Over TLS"


async def test_verification_off_only_when_asked(https_site: tuple[str, trustme.CA]) -> None:
    url, _ca = https_site
    async with MauticClient(url, auth=BasicAuth(USER, PASSWORD), verify_tls=False) as mautic:
        assert (await mautic.point_groups.get(1)).name == "Over TLS"
