"""An embedded emulator of Mautic's REST API, for tests without a Mautic server.

>>> async with MauticEmulator(basic_auth={"admin": "secret"}) as emu:  # doctest: +SKIP
...     print(emu.url)

The emulator is a real aiohttp server on loopback that reproduces the behaviour
described in ``mautic-api.md`` (routes, status codes, JSON shapes, error bodies and
quirks of Mautic 5.1). It deliberately imports nothing from the client package, so
it stays an independent check of it. See :class:`MauticEmulator`.
"""

from ._clock import Clock
from ._context import RecordedRequest, Settings
from ._emulator import MauticEmulator, RequestLog
from ._faults import Fault, FaultRegistry, RandomFaults

__all__ = [
    "Clock",
    "Fault",
    "FaultRegistry",
    "MauticEmulator",
    "RandomFaults",
    "RecordedRequest",
    "RequestLog",
    "Settings",
]
