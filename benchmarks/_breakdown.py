"""Where the microseconds of one call go: ``python -m benchmarks._breakdown``.

In process, no network: each stage of the request path is timed on its own (best of
five loops), and the whole ``get``/``create``/``list`` with the transport replaced by a
canned answer, next to the same canned answer decoded with ``json.loads`` (what raw
aiohttp does after its read). Run it pinned (``taskset -c 1``); benchmarks/README.md
shows its output. aiohttp's own work is not in it: that is the same for raw aiohttp
and the library (``_transport.send`` on the library's session measures 1.0x raw
aiohttp's request in paired windows).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from multidict import CIMultiDict, CIMultiDictProxy

from . import _data

ENTITY = _data.entity_body(1)
PAGE = _data.page_body()
HEADERS = CIMultiDictProxy(CIMultiDict({"Content-Type": "application/json"}))


async def _canned(
    session: Any, method: str, url: Any, **_kwargs: Any
) -> tuple[int, CIMultiDictProxy[str], bytes]:
    if method == "POST":
        return 201, HEADERS, ENTITY
    return 200, HEADERS, PAGE if url.query else ENTITY


def _time(fn: Callable[[], Any], n: int) -> float:
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n)
    return best * 1e6


def _atime(loop: asyncio.AbstractEventLoop, fn: Callable[[], Awaitable[Any]], n: int) -> float:
    async def run() -> None:
        for _ in range(n):
            await fn()

    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        loop.run_until_complete(run())
        best = min(best, (time.perf_counter() - t0) / n)
    return best * 1e6


def main() -> None:
    from mautic_async import BasicAuth, MauticClient, PointGroup, PointGroupData, _transport
    from mautic_async._converter import caller_payload, converter, fast_structure_fn
    from mautic_async._protocol import (
        APIRequest,
        decode_response,
        new_request,
        parse_entity,
        parse_page,
    )
    from mautic_async._validation import check_id
    from mautic_async.client import Slots

    _transport.send = _canned  # type: ignore[assignment]
    loop = asyncio.new_event_loop()
    client = MauticClient(
        "http://127.0.0.1:1/", auth=BasicAuth(_data.USER, _data.PASSWORD), max_concurrency=64
    )
    loop.run_until_complete(client.__aenter__())
    groups = client.point_groups
    request = APIRequest("GET", "api/points/groups/1")
    payload = json.loads(ENTITY)
    fast = fast_structure_fn(PointGroup)
    assert fast is not None
    slots = Slots(64)
    logger = logging.getLogger("mautic_async")
    data = PointGroupData(name="Group A", description="x")

    def slot() -> None:  # as the request loop takes and gives back a free slot
        if slots.free and not slots.waiters:
            slots.free -= 1
        if not slots.waiters:
            slots.free += 1

    async def raw_like() -> Any:
        _status, _headers, body = await _canned(None, "GET", client._root)
        return json.loads(body)

    n = 20000
    rows: list[tuple[str, float]] = [
        ("canned answer + json.loads (raw aiohttp's share)", _atime(loop, raw_like, n)),
        ("get(1), whole call", _atime(loop, lambda: groups.get(1), n)),
        ("get(1, extra_headers=None)", _atime(loop, lambda: groups.get(1, extra_headers=None), n)),
        ("with_raw_response.get(1)", _atime(loop, lambda: groups.with_raw_response.get(1), n)),
        (
            "client.request(request), the loop alone",
            _atime(loop, lambda: client.request(request), n),
        ),
        ("create(mapping), whole call", _atime(loop, lambda: groups.create(_data.CREATE_BODY), n)),
        ("list(limit=100), whole call", _atime(loop, lambda: groups.list(limit=100), n // 50)),
        ("  check_id + path", _time(lambda: groups._item_prefix + str(check_id(1)), n)),
        ("  new_request(...)", _time(lambda: new_request("GET", "api/points/groups/1"), n)),
        ("  (APIRequest(...) itself)", _time(lambda: APIRequest("GET", "api/points/groups/1"), n)),
        ("  URL (remembered)", _time(lambda: client._shared._urls.get(request.path), n)),
        ("  headers (remembered)", _time(lambda: client._headers_cache[False], n)),
        ("  auth header (BasicAuth: static)", _time(lambda: client._static_authorization, n)),
        ("  slot (take + give back, inline)", _time(slot, n)),
        ("  logger.debug (off)", _time(lambda: logger.debug("%s %s", 1, 2), n)),
        ("  decode_response (orjson)", _time(lambda: decode_response(request, 200, {}, ENTITY), n)),
        ("  json.loads of the same body", _time(lambda: json.loads(ENTITY), n)),
        (
            "  parse_entity (fast function)",
            _time(lambda: parse_entity(request, payload, "pointGroup", PointGroup), n),
        ),
        ("  fast function alone", _time(lambda: fast(payload["pointGroup"]), n)),
        (
            "  create: mapping -> JSON body (caller_payload)",
            _time(lambda: caller_payload(PointGroupData, _data.CREATE_BODY), n),
        ),
        ("  (create: PointGroupData -> JSON body)", _time(lambda: converter.unstructure(data), n)),
        (
            "  list: decode + parse_page(100)",
            _time(
                lambda: parse_page(
                    request, decode_response(request, 200, {}, PAGE), "pointGroups", PointGroup
                ),
                n // 50,
            ),
        ),
        ("  list: json.loads of the page", _time(lambda: json.loads(PAGE), n // 50)),
    ]
    loop.run_until_complete(client.close())
    loop.close()
    width = max(len(name) for name, _ in rows)
    for name, micros in rows:
        print(f"{name:{width}s} {micros:8.2f} µs")


if __name__ == "__main__":
    main()
