"""iterate() (and so sync) ends on a server whose paging never would, over real HTTP.

Each hostile server below would make a naive page walk loop forever; the walk must
raise PaginationError naming the endpoint and the page, and must never yield an item
of the page that tripped the check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web

from mautic_async import (
    BasicAuth,
    MauticClient,
    MauticError,
    PaginationError,
    UnexpectedResponseError,
)
from mautic_async.resources._base import PAGE_SLACK

from ._hostile import group, serve

PAGE = 5


def lister(make_page: Callable[[int, dict[str, str]], tuple[int, list[int]]]) -> Any:
    """A handler answering the list route with ``make_page(call_number, query)``,
    which returns ``(total, ids)``; it counts the calls."""
    calls = {"n": 0}

    async def handle(request: web.Request) -> web.Response:
        calls["n"] += 1
        if calls["n"] > 200:  # the test failed: stop feeding an endless walk
            return web.json_response({"errors": [{"message": "enough", "code": 500}]}, status=500)
        total, ids = make_page(calls["n"], dict(request.query))
        return web.json_response({"total": total, "pointGroups": [group(i) for i in ids]})

    handle.calls = calls  # type: ignore[attr-defined]
    return handle


async def walk(url: str, **options: Any) -> tuple[list[int], PaginationError]:
    seen: list[int] = []

    async def collect(mautic: MauticClient) -> None:
        async for item in mautic.point_groups.iterate(page_size=PAGE, **options):
            assert item.id is not None
            seen.append(item.id)

    async with MauticClient(url, auth=BasicAuth("u", "p"), max_retries=0) as mautic:
        with pytest.raises(PaginationError) as caught:
            await collect(mautic)
    return seen, caught.value


def where_floor(query: dict[str, str]) -> int:
    """The `where id > N` a stable walk sends (its last condition)."""
    values = [int(v) for k, v in query.items() if k.startswith("where[") and k.endswith("[val]")]
    return values[-1] if values else 0


@pytest.mark.parametrize("stable", [False, True])
async def test_a_server_sending_the_same_page_again_is_caught(stable: bool) -> None:
    handler = lister(lambda _n, _q: (1000, [1, 2, 3, 4, 5]))
    async with serve(handler) as url:
        seen, error = await walk(url, stable=stable)
    assert seen == [1, 2, 3, 4, 5]  # page 2 (the same again) is never yielded
    assert error.page == 2
    assert handler.calls["n"] == 2
    assert "/api/points/groups" in str(error)
    assert "page 2" in str(error)
    assert isinstance(error, MauticError)


async def test_offset_walk_catches_a_server_ignoring_start() -> None:
    # New objects but the same ids, or a different page ending on the same id.
    pages = {1: [1, 2, 3, 4, 5], 2: [6, 7, 8, 9, 5]}
    handler = lister(lambda n, _q: (1000, pages.get(n, [1, 2, 3, 4, 5])))
    async with serve(handler) as url:
        seen, error = await walk(url)
    assert seen == [1, 2, 3, 4, 5]
    assert error.page == 2


async def test_stable_walk_catches_a_server_ignoring_where() -> None:
    # Honours orderBy and start-less paging but not `where id > last`: it sends ids
    # from the start again (some above the last id, some not).
    handler = lister(lambda n, _q: (1000, [1, 2, 3, 4, 5] if n == 1 else [4, 5, 6, 7, 8]))
    async with serve(handler) as url:
        seen, error = await walk(url, stable=True)
    assert seen == [1, 2, 3, 4, 5]
    assert error.page == 2
    assert "rise above 5" in str(error)


async def test_stable_walk_refuses_ids_out_of_order_within_a_page() -> None:
    handler = lister(lambda _n, _q: (10, [1, 3, 2, 4, 5]))
    async with serve(handler) as url:
        seen, error = await walk(url, stable=True)
    assert seen == []  # nothing of the bad page was yielded
    assert error.page == 1


async def test_stable_walk_refuses_an_entity_without_an_id_before_yielding() -> None:
    async def handle(_request: web.Request) -> web.Response:
        items = [group(1), group(2), {"name": "no id"}, group(4), group(5)]
        return web.json_response({"total": 10, "pointGroups": items})

    seen: list[int] = []

    async def collect(mautic: MauticClient) -> None:
        async for item in mautic.point_groups.iterate(page_size=PAGE, stable=True):
            seen.append(item.id)

    async with (
        serve(handle) as url,
        MauticClient(url, auth=BasicAuth("u", "p"), max_retries=0) as mautic,
    ):
        # `id` is a required field of the model: the page is refused as a whole when
        # it is read, so none of it is yielded.
        with pytest.raises(UnexpectedResponseError, match=r"required key 'id' is missing"):
            await collect(mautic)
    assert seen == []


@pytest.mark.parametrize("stable", [False, True])
async def test_a_total_never_delivered_caps_the_pages(stable: bool) -> None:
    # Fresh, rising ids on every page, honouring `where`, for ever; the first page
    # claims 12 items (3 pages of 5), and the offset walk is kept going by a total
    # that grows with every page.
    def page(n: int, query: dict[str, str]) -> tuple[int, list[int]]:
        first = where_floor(query) + 1 if stable else (n - 1) * PAGE + 1
        total = 12 if n == 1 else n * PAGE + 100
        return total, list(range(first, first + PAGE))

    handler = lister(page)
    async with serve(handler) as url:
        seen, error = await walk(url, stable=stable)
    allowed = 3 + PAGE_SLACK
    assert error.page == allowed + 1
    assert handler.calls["n"] == allowed + 1
    assert seen == list(range(1, allowed * PAGE + 1))  # no item of the refused page
    assert "total" in str(error)


async def test_an_honest_server_growing_a_little_mid_walk_is_fine() -> None:
    # Entities created during a stable walk extend it; a page or two more than the
    # first total said is within the slack.
    def page(n: int, query: dict[str, str]) -> tuple[int, list[int]]:
        floor = where_floor(query)
        last = 10 + PAGE * 2 if n > 1 else 10  # 10 ids at first, 10 more after page 1
        ids = list(range(floor + 1, min(floor + PAGE, last) + 1))
        return last - floor, ids

    async with serve(lister(page)) as url, MauticClient(url, auth=BasicAuth("u", "p")) as m:
        seen = [g.id async for g in m.point_groups.iterate(page_size=PAGE, stable=True)]
    assert seen == list(range(1, 21))


async def test_sync_over_a_server_ignoring_where_ends() -> None:
    # sync scans with iterate(stable=True): the scan fails each round instead of
    # looping, and every item is reported as failed with the paging error.
    handler = lister(lambda _n, _q: (1000, list(range(1, 501))))
    async with serve(handler) as url, MauticClient(url, auth=BasicAuth("u", "p")) as mautic:
        report = await mautic.point_groups.sync([{"name": "A"}], max_rounds=2)
    assert not report.ok
    assert handler.calls["n"] <= 2 * 3 + 2  # a few pages per round, a few rounds
    assert all(item.error is not None for item in report.items)
