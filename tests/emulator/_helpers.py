"""Request helpers and expected bodies shared by the emulator tests."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from mautic_async.testing import MauticEmulator

CLIENT_ID, CLIENT_SECRET = "client-id", "client-secret"


def basic(user: str = "admin", password: str = "secret") -> dict[str, str]:
    """An ``Authorization: Basic`` header (aiohttp.BasicAuth is deprecated)."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def bearer(token: str) -> dict[str, str]:
    """An ``Authorization: Bearer`` header."""
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Reply:
    """A fully read response."""

    status: int
    headers: CIMultiDictProxy[str]
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw)

    @property
    def errors(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.json["errors"]
        return found


class Api:
    """Send a request to the emulator and read the whole answer."""

    def __init__(self, session: aiohttp.ClientSession, emulator: MauticEmulator) -> None:
        self.session = session
        self.emulator = emulator

    async def __call__(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> Reply:
        sent = basic() if headers is None else dict(headers)
        url = self.emulator.url + path
        async with self.session.request(method, url, headers=sent, **kwargs) as resp:
            return Reply(resp.status, resp.headers, await resp.read())

    async def create(self, name: str = "Group", **fields: Any) -> dict[str, Any]:
        """POST /new and return the created point group."""
        reply = await self("POST", "/api/points/groups/new", json={"name": name, **fields})
        assert reply.status == 201, reply.raw
        group: dict[str, Any] = reply.json["pointGroup"]
        return group

    async def client_token(self) -> str:
        """A client-credentials access token for the default client."""
        form = {
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        }
        reply = await self("POST", "/oauth/v2/token", data=form, headers={})
        assert reply.status == 200, reply.raw
        token: str = reply.json["access_token"]
        return token


GENERIC_500 = (
    "Looks like I encountered an error (error #500). "
    "If I do it again, please report me to the system administrator!"
)
GENERIC_500_BODY = {"errors": [{"message": GENERIC_500, "code": 500, "type": None}]}
NOT_FOUND_BODY = {
    "errors": [{"code": 404, "message": "Item was not found.", "details": [], "type": None}]
}
