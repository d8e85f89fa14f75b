"""Fixtures for the conformance tests.

Each file here reproduces one test class of Mautic's own suite (``mautic/mautic``
``app/bundles/PointBundle/Tests/...``) or of the PHP ``mautic/api-library``
(``tests/Api/...``): the same payloads and the same assertions, run twice, once as raw
HTTP against the emulator (what the PHP test sends) and once through the client's
public names (``mautic.points``, ``mautic.point_triggers``...).
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from mautic_async import BasicAuth, MauticClient
from mautic_async.testing import MauticEmulator

USER, PASSWORD = "admin", "conformance-Pa55"
AUTH = {"Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()}


@dataclass
class Reply:
    """A fully read answer: status and decoded JSON body (``text`` kept raw)."""

    status: int
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)


class Http:
    """Sends what the PHP tests send: JSON bodies (api-library) or form bodies
    (Symfony's test client, ``$this->client->request('POST', $uri, $params)``)."""

    def __init__(self, session: aiohttp.ClientSession, emulator: MauticEmulator) -> None:
        self.session = session
        self.emulator = emulator

    async def __call__(self, method: str, path: str, **kwargs: Any) -> Reply:
        url = self.emulator.url + path
        async with self.session.request(method, url, headers=AUTH, **kwargs) as resp:
            return Reply(resp.status, await resp.text())


def assert_errors(reply: Reply) -> None:
    """api-library ``assertErrors``: no ``errors``/``error`` key in the answer."""
    body = reply.json
    assert isinstance(body, Mapping), reply.text
    assert "errors" not in body, reply.text
    assert "error" not in body, reply.text


def assert_payload(item: Mapping[str, Any], payload: Mapping[str, Any]) -> None:
    """api-library ``assertPayloadItem`` without a callback: every payload key is in
    the item with the identical value (PHP ``assertSame``: ``5`` is not ``5.0``)."""
    for key, value in payload.items():
        assert key in item, f"{key!r} missing from {item!r}"
        assert item[key] == value, (key, item[key], value)
        assert type(item[key]) is type(value), (key, item[key], value)


@pytest.fixture(params=["7.1.3", "5.1.1"])
def version(request: pytest.FixtureRequest) -> str:
    """The Mautic versions the emulator models (api-library tests run against both)."""
    value: str = request.param
    return value


@pytest.fixture
async def emulator(version: str) -> AsyncIterator[MauticEmulator]:
    async with MauticEmulator(basic_auth={USER: PASSWORD}, version=version) as emu:
        yield emu


@pytest.fixture
async def http(emulator: MauticEmulator) -> AsyncIterator[Http]:
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:
        yield Http(session, emulator)


@pytest.fixture
async def mautic(emulator: MauticEmulator) -> AsyncIterator[MauticClient]:
    async with MauticClient(emulator.url, auth=BasicAuth(USER, PASSWORD)) as client:
        yield client
