"""point_groups.sync(): exactly-once bulk sync against the emulator."""

from __future__ import annotations

from collections import Counter

import pytest

from mautic_async import MauticClient, PointGroupData
from mautic_async.sync import SyncItem, _prepare, _Sync
from mautic_async.testing import MauticEmulator


def names_on_server(emulator: MauticEmulator) -> Counter[str]:
    return Counter(group["name"] for group in emulator.point_groups.values())


async def test_creates_then_reports_unchanged(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    desired = [{"name": f"Group {i}", "description": f"#{i}"} for i in range(5)]
    first = await mautic.point_groups.sync(desired)
    assert first.counts() == {
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "failed": 0,
    }
    assert all(item.entity is not None and item.entity.id for item in first.items)
    second = await mautic.point_groups.sync(desired)
    assert second.counts()["unchanged"] == 5
    assert second.ok
    writes = [r for r in emulator.requests if r.method != "GET"]
    assert len(writes) == 1  # one batch create, nothing on the second run


async def test_updates_only_what_differs_and_compares_only_set_fields(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    emulator.add_point_group("Same", description="keep", is_published=False)
    emulator.add_point_group("Changed", description="old")
    report = await mautic.point_groups.sync(
        [PointGroupData("Same"), {"name": "Changed", "description": "new"}, {"name": "New"}]
    )
    by_key = {item.key: item.action for item in report.items}
    assert by_key == {"Same": "unchanged", "Changed": "updated", "New": "created"}
    groups = {g["name"]: g for g in emulator.point_groups.values()}
    assert groups["Same"]["description"] == "keep"  # description was not set: untouched
    assert groups["Changed"]["description"] == "new"


async def test_delete_missing_removes_the_rest_and_duplicates(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    keep = emulator.add_point_group("Keep")
    emulator.add_point_group("Keep")  # Mautic allows duplicate names
    emulator.add_point_group("Stale")
    report = await mautic.point_groups.sync([{"name": "Keep"}], delete_missing=True)
    assert report.counts()["deleted"] == 2
    assert report.counts()["unchanged"] == 1
    assert list(emulator.point_groups) == [keep["id"]]
    again = await mautic.point_groups.sync([{"name": "Keep"}], delete_missing=True)
    assert again.counts()["deleted"] == 0


async def test_progress_reaches_the_total(mautic: MauticClient) -> None:
    seen: list[tuple[int, int]] = []
    await mautic.point_groups.sync(
        [{"name": f"P{i}"} for i in range(7)], progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (7, 7)
    assert [d for d, _ in seen] == list(range(1, 8))


async def test_large_sync_uses_chunks_of_200(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    report = await mautic.point_groups.sync([{"name": f"G{i:04}"} for i in range(450)])
    assert report.counts()["created"] == 450
    creates = [r for r in emulator.requests if r.path == "/api/points/groups/batch/new"]
    assert len(creates) == 3
    assert names_on_server(emulator) == Counter(f"G{i:04}" for i in range(450))


async def test_a_batch_refused_as_a_whole_is_split_and_never_resent(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    emulator.faults.add("POST", "/api/points/groups/batch/new", status=400, times=None)
    report = await mautic.point_groups.sync([{"name": "A"}, {"name": "B"}])
    assert [item.action for item in report.items] == ["failed", "failed"]
    assert all(item.error is not None for item in report.items)
    assert not emulator.point_groups
    bodies = [r.body for r in emulator.requests if r.path.endswith("/batch/new")]
    assert len(bodies) == 3  # [A, B], then [A] and [B] alone
    assert len(set(bodies)) == 3  # none sent twice


async def test_a_batch_refused_once_is_split_and_applied(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    emulator.faults.add("POST", "/api/points/groups/batch/new", status=400, times=1)
    report = await mautic.point_groups.sync([{"name": "A"}, {"name": "B"}])
    assert [item.action for item in report.items] == ["created", "created"]
    assert names_on_server(emulator) == Counter({"A": 1, "B": 1})


async def test_a_whole_batch_permission_refusal_is_final(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    # A 403 says nothing about any item: splitting would only repeat it.
    emulator.faults.add("POST", "/api/points/groups/batch/new", status=403, times=None)
    report = await mautic.point_groups.sync([{"name": "A"}, {"name": "B"}])
    assert [item.action for item in report.items] == ["failed", "failed"]
    assert len([r for r in emulator.requests if r.path.endswith("/batch/new")]) == 1


@pytest.mark.parametrize(
    ("desired", "message"),
    [
        ([{"name": "A"}, {"name": "A"}], "appears more than once"),
        ([{"name": " A"}, {"name": "A &amp;<i></i>"}, {"name": "A "}], r"items 0 \(' A'\) and 2"),
        ([{"name": "<b></b>"}], "empty once Mautic has cleaned it"),
        ([{"name": "A", "description": "x"}, {"name": "  "}], "desired item 1"),
        ([{"description": "no name"}], "name is required"),
        ([{"name": "A", "id": 3}], "leave id out"),
        ([{"name": "A", "colour": "red"}], "unknown field"),
    ],
)
async def test_bad_desired_items_fail_before_any_request(
    mautic: MauticClient, emulator: MauticEmulator, desired: list[dict[str, object]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        await mautic.point_groups.sync(desired)
    assert emulator.requests == []


async def test_key_must_be_a_field(mautic: MauticClient) -> None:
    with pytest.raises(ValueError, match="key must be one of"):
        await mautic.point_groups.sync([{"name": "A"}], key="colour")


async def test_a_scan_keeps_only_the_entities_the_plan_reads(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    """A sync scans the whole table each round but holds only what it still needs: the
    entities of open items, and with ``delete_missing`` the ones it may delete."""
    for name in ("A", "B", "C", "A"):  # a duplicate "A" (id 4)
        emulator.add_point_group(name)
    for delete_missing, kept in ((False, ["A"]), (True, ["A", "C"])):
        wire_key, items = _prepare(mautic.point_groups, [{"name": "A"}, {"name": "B"}], "name")
        run = _Sync(
            mautic.point_groups,
            wire_key,
            items,
            delete_missing=delete_missing,
            concurrency=1,
            batch_size=200,
            progress=None,
        )
        await run.settle(items[1], SyncItem("B", "unchanged"))  # B is no longer open
        scan = await run.scan()
        assert list(scan.matched) == kept
        assert scan.matched["A"].id == 1  # the lowest id
        assert [e.id for e in scan.extras] == ([4] if delete_missing else [])
        assert scan.present == {1, 2, 3, 4}
