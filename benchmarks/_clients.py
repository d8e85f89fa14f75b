"""The clients under test, each doing the same three calls the same way its users would.

Every client sends the same ``Authorization: Basic`` header, reads the whole body and
parses it; an answer with an unexpected status raises, so a misconfigured run fails
instead of measuring error pages.

- ``raw aiohttp``: one ``ClientSession``, prebuilt URLs and headers, the create body
  encoded with ``json.dumps`` on each call (what aiohttp's ``json=`` does), ``await
  resp.read()`` then ``json.loads`` (what aiohttp's ``resp.json()`` does): the least any
  aiohttp-based client can do, i.e. the limit. (``mautic_async`` decodes with orjson when
  it is installed; the harness also runs it with orjson blocked, to show what that buys.)
- ``mautic_async``: ``MauticClient(max_concurrency=c)``, returning typed models.
- ``httpx``: ``httpx.AsyncClient`` with a pool of ``c`` connections, ``resp.json()``.
- ``mautic 0.2.0``: the PyPI package (sync, requests). It has no point-group class, so
  it gets one the way its own classes are written (``class PointGroups(API):
  _endpoint = "points/groups"``) and ``MauticBasicAuthClient``. At concurrency ``c > 1``
  it runs in ``c`` threads with one client each (a requests ``Session`` is not
  thread-safe), which is how a sync library gets concurrency.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from yarl import URL

import mautic_async

from . import _data

try:
    import orjson

    loads: Callable[[bytes], Any] = orjson.loads
    JSON_LIB = f"orjson {orjson.__version__}"
except ImportError:  # pragma: no cover - orjson is in the bench extra
    loads = json.loads
    JSON_LIB = "json (stdlib)"

OPS = ("get", "list", "create")
#: Cells that show what the per-call options and raw responses cost a plain ``get``:
#: ``mautic_async`` makes these calls, raw aiohttp its plain get.
OPTION_OPS = ("get_options", "get_raw")
AsyncCall = Callable[[], Awaitable[Any]]


class AsyncClient:
    name: str
    sync = False

    def __init__(self, base_url: str, concurrency: int) -> None:
        self.base_url = base_url
        self.concurrency = concurrency

    async def open(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    def call(self, op: str) -> AsyncCall:
        fn: AsyncCall = getattr(self, op)
        return fn


class RawAiohttp(AsyncClient):
    name = "raw aiohttp"

    def __init__(self, base_url: str, concurrency: int) -> None:
        base = URL(base_url)
        self.concurrency = concurrency
        self.get_url = base / "api/points/groups/1"
        self.list_url = (base / "api/points/groups").with_query(limit=_data.PAGE_SIZE)
        self.create_url = base / "api/points/groups/new"
        token = base64.b64encode(f"{_data.USER}:{_data.PASSWORD}".encode()).decode()
        self.headers = {
            "Accept": "application/json",
            "User-Agent": f"mautic-async/{mautic_async.__version__}",
            "Authorization": f"Basic {token}",
        }
        self.post_headers = {**self.headers, "Content-Type": "application/json"}

    async def open(self) -> None:
        connector = aiohttp.TCPConnector(limit=self.concurrency, limit_per_host=self.concurrency)
        self.session = aiohttp.ClientSession(connector=connector)

    async def close(self) -> None:
        await self.session.close()

    async def _send(
        self, method: str, url: URL, headers: dict[str, str], body: bytes | None, ok: int
    ) -> Any:
        async with self.session.request(method, url, headers=headers, data=body) as response:
            raw = await response.read()
            if response.status != ok:
                raise RuntimeError(f"{method} {url} -> {response.status}")
            return json.loads(raw)

    async def get(self) -> Any:
        return await self._send("GET", self.get_url, self.headers, None, 200)

    async def list(self) -> Any:
        return await self._send("GET", self.list_url, self.headers, None, 200)

    async def create(self) -> Any:
        body = json.dumps(_data.CREATE_BODY, separators=(",", ":")).encode()
        return await self._send("POST", self.create_url, self.post_headers, body, 201)

    get_options = get_raw = get  # the reference of the option cells is the plain get


class MauticAsync(AsyncClient):
    """``mautic_async`` itself, or (``package``) another version of it imported under
    another name, for ``python -m benchmarks --compare REV``."""

    name = "mautic_async"

    def __init__(self, base_url: str, concurrency: int, package: Any = mautic_async) -> None:
        self.base_url = base_url
        self.concurrency = concurrency
        self.package = package

    async def open(self) -> None:
        self.client = self.package.MauticClient(
            self.base_url,
            auth=self.package.BasicAuth(_data.USER, _data.PASSWORD),
            max_concurrency=self.concurrency,
        )
        await self.client.__aenter__()
        self.groups = self.client.point_groups

    async def close(self) -> None:
        await self.client.close()

    async def get(self) -> Any:
        return await self.groups.get(1)

    async def list(self) -> Any:
        return await self.groups.list(limit=_data.PAGE_SIZE)

    async def create(self) -> Any:
        return await self.groups.create(_data.CREATE_BODY)

    async def get_options(self) -> Any:
        return await self.groups.get(1, extra_headers=None)  # an option, at its default

    async def get_raw(self) -> Any:
        return await self.groups.with_raw_response.get(1)


class Httpx(AsyncClient):
    name = "httpx"

    def __init__(self, base_url: str, concurrency: int) -> None:
        self.base_url = base_url
        self.concurrency = concurrency

    async def open(self) -> None:
        import httpx

        limits = httpx.Limits(
            max_connections=self.concurrency, max_keepalive_connections=self.concurrency
        )
        self.client = httpx.AsyncClient(
            base_url=self.base_url,
            auth=httpx.BasicAuth(_data.USER, _data.PASSWORD),
            limits=limits,
            timeout=60,
            headers={"Accept": "application/json"},
        )

    async def close(self) -> None:
        await self.client.aclose()

    async def get(self) -> Any:
        response = await self.client.get("api/points/groups/1")
        response.raise_for_status()
        return response.json()

    async def list(self) -> Any:
        response = await self.client.get("api/points/groups", params={"limit": _data.PAGE_SIZE})
        response.raise_for_status()
        return response.json()

    async def create(self) -> Any:
        response = await self.client.post("api/points/groups/new", json=_data.CREATE_BODY)
        response.raise_for_status()
        return response.json()


class Mautic020:
    """The PyPI ``mautic`` package (0.2.0), sync; one client per thread."""

    name = "mautic 0.2.0"
    sync = True

    def __init__(self, base_url: str, concurrency: int) -> None:
        self.base_url = base_url.rstrip("/")
        self.concurrency = concurrency
        self._local = threading.local()

    def groups(self) -> Any:
        groups = getattr(self._local, "groups", None)
        if groups is None:
            from mautic import MauticBasicAuthClient  # type: ignore[import-untyped]
            from mautic.api import API  # type: ignore[import-untyped]

            class PointGroups(API):  # type: ignore[misc]
                _endpoint = "points/groups"

            client = MauticBasicAuthClient(self.base_url, _data.USER, _data.PASSWORD)
            groups = self._local.groups = PointGroups(client)
        return groups

    def call(self, op: str) -> Callable[[], Any]:
        if op == "get":
            return lambda: self.groups().get(1)
        if op == "list":
            return lambda: self.groups().get_list(limit=_data.PAGE_SIZE)
        return lambda: self.groups().create(_data.CREATE_BODY)


ASYNC_CLIENTS: dict[str, type[AsyncClient]] = {c.name: c for c in (RawAiohttp, MauticAsync, Httpx)}
RAW = RawAiohttp.name


def versions() -> dict[str, str]:
    from importlib.metadata import version

    out = {}
    for dist in ("aiohttp", "attrs", "cattrs", "httpx", "mautic", "requests", "orjson", "yarl"):
        try:
            out[dist] = version(dist)
        except Exception:  # not installed
            out[dist] = "-"
    return out
