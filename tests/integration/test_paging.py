"""iterate(): every matching group, a page at a time, against the emulator."""

from __future__ import annotations

import pytest

from mautic_async import MauticClient
from mautic_async.testing import MauticEmulator


async def test_offset_paging_walks_everything(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    for i in range(23):
        emulator.add_point_group(f"G{i:02}", is_published=i % 2 == 0)
    names = [g.name async for g in mautic.point_groups.iterate(page_size=5, order_by="name")]
    assert names == [f"G{i:02}" for i in range(23)]
    pages = [r for r in emulator.requests if r.path == "/api/points/groups"]
    assert len(pages) == 5  # 5+5+5+5+3


async def test_filters_apply_to_every_page(mautic: MauticClient, emulator: MauticEmulator) -> None:
    for i in range(12):
        emulator.add_point_group(f"G{i:02}", is_published=i % 3 != 0)
    published = [
        g.name async for g in mautic.point_groups.iterate(page_size=4, published_only=True)
    ]
    assert sorted(published) == sorted(f"G{i:02}" for i in range(12) if i % 3 != 0)
    stable = [
        g.name
        async for g in mautic.point_groups.iterate(page_size=4, stable=True, published_only=True)
    ]
    assert stable == [f"G{i:02}" for i in range(12) if i % 3 != 0]


async def test_stable_mode_neither_skips_nor_repeats_when_rows_vanish(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    ids = [emulator.add_point_group(f"G{i:02}")["id"] for i in range(20)]
    seen: list[int] = []
    async for group in mautic.point_groups.iterate(page_size=5, stable=True):
        assert group.id is not None
        seen.append(group.id)
        if len(seen) == 5:  # delete two already-seen groups mid-scan
            await mautic.point_groups.delete_batch(ids[:2])
    assert seen == ids


async def test_offset_mode_does_skip_when_rows_vanish(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    # Why stable mode exists: the same scan by offset misses rows.
    ids = [emulator.add_point_group(f"G{i:02}")["id"] for i in range(20)]
    seen: list[int] = []
    async for group in mautic.point_groups.iterate(page_size=5, order_by="id"):
        assert group.id is not None
        seen.append(group.id)
        if len(seen) == 5:
            await mautic.point_groups.delete_batch(ids[:2])
    assert len(seen) == 18
    assert seen != ids


async def test_stable_mode_refuses_order_by(mautic: MauticClient) -> None:
    with pytest.raises(ValueError, match="stable"):
        async for _ in mautic.point_groups.iterate(stable=True, order_by="name"):
            pass
