"""Probes: paging ends against servers that do not advance (real HTTP, 127.0.0.1)."""

from __future__ import annotations

import random

import pytest
from aiohttp import web
from integration._hostile import group, serve

from mautic_async import BasicAuth, MauticClient, PaginationError


async def test_a_page_repeated_in_another_order_is_refused_before_it_is_yielded() -> None:
    """The server ignores `start` and shuffles the same page, claiming a large total:
    neither the page nor its last id repeats exactly, but its ids do."""
    shuffle = random.Random(7).shuffle

    async def same_ids_shuffled(request: web.Request) -> web.Response:
        ids = list(range(1, 11))
        shuffle(ids)
        return web.json_response({"total": 10**6, "pointGroups": [group(i) for i in ids]})

    seen: list[int] = []
    async with (
        serve(same_ids_shuffled) as url,
        MauticClient(url, auth=BasicAuth("admin", "pass1234")) as mautic,
    ):

        async def walk() -> None:
            async for item in mautic.point_groups.iterate(page_size=10):
                seen.append(item.id)

        with pytest.raises(PaginationError) as caught:
            await walk()
    assert caught.value.page == 2
    assert sorted(seen) == list(range(1, 11))  # page 1 only, nothing twice
