"""Client integration tests: our client over real HTTP against the embedded emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from mautic_async import BasicAuth, MauticClient
from mautic_async.testing import MauticEmulator

USER, PASSWORD = "admin", "s3cr3t-Pa55w0rd"
CLIENT_ID, CLIENT_SECRET = "client-id", "cl1ent-S3cr3t"


class FakeSleep:
    """Records backoff delays instead of waiting them out."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


@pytest.fixture
async def emulator() -> AsyncIterator[MauticEmulator]:
    async with MauticEmulator(
        basic_auth={USER: PASSWORD}, oauth2_clients={CLIENT_ID: CLIENT_SECRET}
    ) as emu:
        yield emu


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
async def mautic(emulator: MauticEmulator, fake_sleep: FakeSleep) -> AsyncIterator[MauticClient]:
    async with MauticClient(
        emulator.url, auth=BasicAuth(USER, PASSWORD), sleep=fake_sleep
    ) as client:
        yield client
