"""A poison item must not sink its batch: batches that fail as a whole are split."""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs
import pytest

from mautic_async import MauticClient, ServerError
from mautic_async.testing import MauticEmulator

NEW = "/api/points/groups/batch/new"
EDIT = "/api/points/groups/batch/edit"


def poison(name: str = "p" * 300, **fields: Any) -> dict[str, Any]:
    """An item Mautic cannot store: its name is over VARCHAR(255). The emulator answers
    500 for the whole batch, after saving the items before it."""
    return {"name": name, **fields}


async def unchecked_sync(mautic: MauticClient, desired: list[Any], **options: Any) -> Any:
    """Sync with the client's own checks off, so the poison reaches the server, as an
    item would that breaks a limit the client does not know of."""
    with attrs.validators.disabled():
        return await mautic.point_groups.sync(desired, **options)


def bodies(emulator: MauticEmulator, path: str) -> list[bytes]:
    return [r.body for r in emulator.requests if r.path == path]


def assert_no_batch_sent_twice(emulator: MauticEmulator, path: str) -> None:
    sent = bodies(emulator, path)
    assert len(sent) == len(set(sent)), Counter(sent).most_common(1)


@pytest.mark.parametrize(("count", "at", "batch_size"), [(200, 137, 200), (60, 0, 25), (9, 8, 4)])
async def test_one_poison_item_fails_alone_and_every_good_item_is_applied(
    mautic: MauticClient, emulator: MauticEmulator, count: int, at: int, batch_size: int
) -> None:
    desired: list[Any] = [{"name": f"G{i:03}"} for i in range(count)]
    desired[at] = poison()
    report = await unchecked_sync(mautic, desired, batch_size=batch_size)

    actions = [item.action for item in report.items]
    assert actions == ["created"] * at + ["failed"] + ["created"] * (count - at - 1)
    error = report.items[at].error
    assert isinstance(error, ServerError)
    assert error.status == 500
    assert "encountered an error" in error.message  # the server's own message
    good = Counter(f"G{i:03}" for i in range(count) if i != at)
    assert Counter(g["name"] for g in emulator.point_groups.values()) == good
    assert_no_batch_sent_twice(emulator, NEW)
    # Splitting is bounded: about two requests per halving on the poison's way down.
    assert len(bodies(emulator, NEW)) <= 2 * (count // batch_size + 1) * 9

    again = await unchecked_sync(mautic, desired, batch_size=batch_size)
    assert again.counts() == {
        "created": 0,
        "updated": 0,
        "unchanged": count - 1,
        "deleted": 0,
        "failed": 1,
    }


async def test_several_poison_items_across_batches(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    desired: list[Any] = [{"name": f"G{i:03}"} for i in range(100)]
    bad = {3, 4, 40, 99}
    for i in bad:
        desired[i] = poison("p" * (300 + i))
    report = await unchecked_sync(mautic, desired, batch_size=25, concurrency=2)
    assert {i for i, item in enumerate(report.items) if item.action == "failed"} == bad
    assert report.counts()["created"] == 96
    assert len(emulator.point_groups) == 96
    assert_no_batch_sent_twice(emulator, NEW)


async def test_a_poison_update_fails_alone(mautic: MauticClient, emulator: MauticEmulator) -> None:
    for i in range(10):
        emulator.add_point_group(f"old {i}", description=f"d{i}")
    desired: list[Any] = [{"description": f"d{i}", "name": f"new {i}"} for i in range(10)]
    desired[6] = poison(description="d6")
    report = await unchecked_sync(mautic, desired, key="description")
    actions = [item.action for item in report.items]
    assert actions == ["updated"] * 6 + ["failed"] + ["updated"] * 3
    names = sorted(g["name"] for g in emulator.point_groups.values())
    assert names == sorted([*(f"new {i}" for i in range(10) if i != 6), "old 6"])


async def test_a_batch_that_always_fails_is_split_down_to_single_items(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    emulator.faults.add("POST", NEW, status=500, times=None)
    report = await mautic.point_groups.sync([{"name": n} for n in "ABCD"])
    assert [item.action for item in report.items] == ["failed"] * 4
    assert all(isinstance(item.error, ServerError) for item in report.items)
    # [ABCD], [AB], [CD], then each alone: every batch once.
    assert len(bodies(emulator, NEW)) == 7
    assert_no_batch_sent_twice(emulator, NEW)
    assert not emulator.point_groups


async def test_a_batch_that_failed_once_is_applied_in_halves(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    emulator.faults.add("POST", NEW, status=500, times=1)
    report = await mautic.point_groups.sync([{"name": n} for n in "ABCDE"])
    assert report.counts()["created"] == 5
    assert len(bodies(emulator, NEW)) == 3  # the failed batch, then its two halves
    assert Counter(g["name"] for g in emulator.point_groups.values()) == Counter("ABCDE")


async def test_an_unknown_outcome_is_resent_whole_after_the_scan(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    # A dropped connection says nothing about the items: no split, the scan decides.
    emulator.faults.add("POST", NEW, drop="before", times=1)
    report = await mautic.point_groups.sync([{"name": n} for n in "ABC"])
    assert report.counts()["created"] == 3
    sent = bodies(emulator, NEW)
    assert len(sent) == 2
    assert sent[0] == sent[1]


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_a_gateway_failure_is_an_unknown_outcome_not_a_poison(
    mautic: MauticClient, emulator: MauticEmulator, status: int
) -> None:
    # 502/503/504 come from a proxy or a server that is down, never from an item: the
    # batch is not split (and no item is failed), the scan decides and it goes again.
    emulator.faults.add("POST", NEW, status=status, times=1)
    report = await mautic.with_options(max_retries=0).point_groups.sync(
        [{"name": n} for n in "ABC"]
    )
    assert report.counts()["created"] == 3
    sent = bodies(emulator, NEW)
    assert len(sent) == 2
    assert sent[0] == sent[1]


async def test_random_gateway_faults_on_single_item_batches_fail_nothing(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    # With batches of one, a 5xx that were read as "this item is bad" would fail items
    # that are fine; gateway faults must only cost another round.
    emulator.faults.fail_rate(
        0.3, method="POST", path=NEW, statuses=(502, 503, 504), seed=5, max_faults=40
    )
    desired = [{"name": f"G{i:02}"} for i in range(30)]
    report = await mautic.with_options(max_retries=0).point_groups.sync(
        desired, batch_size=1, max_rounds=20
    )
    assert report.ok, [(i.key, i.error) for i in report.failed]
    assert Counter(g["name"] for g in emulator.point_groups.values()) == Counter(
        d["name"] for d in desired
    )
