"""Fixtures for the emulator contract tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio

from mautic_async.testing import MauticEmulator

from ._helpers import CLIENT_ID, CLIENT_SECRET, Api


def pytest_configure(config: pytest.Config) -> None:
    """Load the shipped plugin like its ``pytest11`` entry point does, when the
    package is not installed (no double registration when it is)."""
    from mautic_async.testing import pytest_plugin

    if not config.pluginmanager.is_registered(pytest_plugin):
        config.pluginmanager.register(pytest_plugin, "mautic_async")


@pytest_asyncio.fixture
async def emu(request: pytest.FixtureRequest) -> AsyncIterator[MauticEmulator]:
    """A running emulator with Basic admin/secret and one OAuth2 client, of Mautic
    5.1.1 (the version these contract tests pin) unless the test module names another
    in ``EMULATOR_VERSION`` (the points-domain modules test the newest)."""
    async with MauticEmulator(
        basic_auth={"admin": "secret"},
        oauth2_clients={CLIENT_ID: CLIENT_SECRET},
        version=getattr(request.module, "EMULATOR_VERSION", "5.1.1"),
    ) as emulator:
        yield emulator


@pytest_asyncio.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A client session with fresh connections (no hidden aiohttp retries)."""
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as client:
        yield client


@pytest.fixture
def api(session: aiohttp.ClientSession, emu: MauticEmulator) -> Api:
    """Request helper bound to the ``emu`` fixture."""
    return Api(session, emu)
