"""Helpers shared by the unit tests: a fake sleep, a fake clock, a client wired to
aioresponses, and a flat view of what aioresponses saw go out."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl

import attrs
import pytest
from aioresponses import aioresponses
from multidict import CIMultiDict, MultiDict
from yarl import URL

from mautic_async import BasicAuth, MauticClient, PointGroup, RetryPolicy

BASE = "https://mautic.example.com"
#: Every API call of a client made with ``BASE``.
API = BASE + "/api/"
GROUPS = API + "points/groups"
TOKEN_URL = BASE + "/oauth/v2/token"
PASSWORD = "Pa55-w0rd-NEVER-SHOWN"
CLIENT_ID = "3_4x5client"
CLIENT_SECRET = "client-SECRET-never-shown"
#: A retry policy without jitter, so recorded delays are exact.
NO_JITTER = RetryPolicy(jitter=0.0)


def url_re(path: str) -> re.Pattern[str]:
    """A pattern for ``API + path`` with any query string (and nothing else after it)."""
    return re.compile(re.escape(API + path) + r"(\?.*)?$")


class FakeSleep:
    """Stands in for ``asyncio.sleep``: records each delay, never waits."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class FakeTokenEndpoint:
    """Stands in for the client's token endpoint: records each form and answers with
    ``tok1``, ``tok2``… (and refresh tokens ``ref2``, ``ref3``… when ``rotate``).

    ``pause`` yields to the loop that many times per call, so concurrent callers can
    pile up; ``gate``, when set, must be opened before the first call returns;
    ``fail`` holds exceptions raised by the first calls, in order.
    """

    def __init__(
        self, *, expires_in: int | None = 3600, rotate: bool = False, pause: int = 0
    ) -> None:
        self.forms: list[dict[str, str]] = []
        self.expires_in = expires_in
        self.rotate = rotate
        self.pause = pause
        self.gate: asyncio.Event | None = None
        self.fail: list[BaseException] = []

    async def __call__(self, form: Mapping[str, str]) -> dict[str, Any]:
        self.forms.append(dict(form))
        number = len(self.forms)
        for _ in range(self.pause):
            await asyncio.sleep(0)
        if self.gate is not None and number == 1:
            await self.gate.wait()
        if self.fail:
            raise self.fail.pop(0)
        answer: dict[str, Any] = {
            "access_token": f"tok{number}",
            "expires_in": self.expires_in,
            "token_type": "bearer",
            "scope": None,
        }
        if self.rotate:
            answer["refresh_token"] = f"ref{number + 1}"
        return answer


@attrs.frozen
class Call:
    """One request as aioresponses recorded it."""

    method: str
    url: URL
    headers: CIMultiDict[str]
    body: bytes | None

    @property
    def path(self) -> str:
        return self.url.path

    @property
    def query(self) -> MultiDict[str]:
        return MultiDict(self.url.query)

    @property
    def json(self) -> Any:
        assert self.body is not None
        return json.loads(self.body)

    @property
    def form(self) -> dict[str, str]:
        assert self.body is not None
        return dict(parse_qsl(self.body.decode(), strict_parsing=True))


def calls(mocked: aioresponses) -> list[Call]:
    """Every request aioresponses saw (grouped by URL, in order within a URL)."""
    out = []
    for (method, url), recorded in mocked.requests.items():
        for request in recorded:
            headers: Mapping[str, str] = request.kwargs.get("headers") or {}
            out.append(Call(method, url, CIMultiDict(headers), request.kwargs.get("data")))
    return out


def only_call(mocked: aioresponses) -> Call:
    """The one request made; fails if there were more or none."""
    made = calls(mocked)
    assert len(made) == 1, made
    return made[0]


def group_json(**overrides: Any) -> dict[str, Any]:
    """A point group as Mautic serialises it (all ten keys, nulls present)."""
    group: dict[str, Any] = {
        "isPublished": True,
        "dateAdded": "2024-10-24T15:54:35+00:00",
        "dateModified": None,
        "createdBy": 1,
        "createdByUser": "Admin User",
        "modifiedBy": None,
        "modifiedByUser": None,
        "id": 1,
        "name": "Group A",
        "description": "First",
    }
    group.update(overrides)
    return group


@pytest.fixture(autouse=True)
def _never_really_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """A client built without ``sleep=`` fails the test instead of waiting on a retry."""

    async def refuse(delay: float) -> None:
        raise AssertionError(f"a unit test would sleep {delay} s: pass sleep=FakeSleep()")

    defaults = MauticClient.__init__.__kwdefaults__
    assert defaults is not None
    assert "sleep" in defaults
    monkeypatch.setitem(defaults, "sleep", refuse)


@pytest.fixture
def sleeps() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
async def client(mock_http: aioresponses, sleeps: FakeSleep) -> AsyncIterator[MauticClient]:
    """A client on ``BASE`` with Basic auth, a jitter-free retry policy and a fake sleep.

    Depends on ``mock_http`` so that no test using it can reach the network.
    """
    async with MauticClient(
        BASE, auth=BasicAuth("admin", PASSWORD), retry_policy=NO_JITTER, sleep=sleeps
    ) as mautic:
        yield mautic


GROUP_ADDED = datetime(2024, 10, 24, 15, 54, 35, tzinfo=timezone.utc)


def make_group(id: int = 1, name: str = "Group A", **fields: Any) -> PointGroup:
    """A ``PointGroup`` with its always-sent fields filled in (those of ``group_json``)."""
    fields.setdefault("is_published", True)
    fields.setdefault("date_added", GROUP_ADDED)
    return PointGroup(id, name, **fields)
