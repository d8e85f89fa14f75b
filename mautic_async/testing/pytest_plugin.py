"""pytest plugin (entry point ``pytest11``): the ``mautic_emulator`` fixture.

Import-light on purpose: the emulator is imported inside the fixture, so loading the
plugin does not slow pytest start-up. The fixture is async and needs pytest-asyncio
(a test dependency); without it the fixture is registered as a plain pytest fixture,
which pytest refuses to run with its usual "async fixture" error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mautic_async.testing import MauticEmulator

try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - pytest-asyncio is a test dependency
    pytest_asyncio = None  # type: ignore[assignment]

__all__ = ["mautic_emulator"]


async def _mautic_emulator() -> AsyncIterator[MauticEmulator]:
    """A running emulator (function scope) with Basic ``admin``/``secret`` and the
    OAuth2 client ``client-id``/``client-secret``."""
    from mautic_async.testing import MauticEmulator

    async with MauticEmulator(
        basic_auth={"admin": "secret"}, oauth2_clients={"client-id": "client-secret"}
    ) as emulator:
        yield emulator


if pytest_asyncio is not None:
    mautic_emulator = pytest_asyncio.fixture(_mautic_emulator, name="mautic_emulator")
else:  # pragma: no cover
    mautic_emulator = pytest.fixture(_mautic_emulator, name="mautic_emulator")
