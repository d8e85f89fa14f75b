"""Bulk group-score sync over real HTTP against the emulator."""

from __future__ import annotations

import asyncio
import gc
import logging
import tracemalloc
from collections.abc import Iterator

import pytest

from mautic_async import MauticClient, ScoreSyncReport
from mautic_async.testing import MauticEmulator


def _seed(emulator: MauticEmulator, contacts: int, groups: int) -> tuple[list[int], list[int]]:
    contact_ids = [emulator.add_contact(f"c{i}@example.com") for i in range(contacts)]
    group_ids = [emulator.add_point_group(f"G{i}")["id"] for i in range(groups)]
    return contact_ids, group_ids


def _set_requests(emulator: MauticEmulator) -> list[str]:
    return [r.path for r in emulator.requests if "/set/" in r.path]


async def test_sets_differing_rows_and_skips_rows_at_target(
    emulator: MauticEmulator, mautic: MauticClient
) -> None:
    (c1, c2), (g1, g2) = _seed(emulator, 2, 2)
    emulator.set_score(c1, g1, 5)
    emulator.set_score(c2, g2, 7)
    seen: list[tuple[int, int | None]] = []
    report = await mautic.contacts.sync_group_scores(
        [(c1, g1, 5), (c1, g2, 3), (c2, g1, -4), (c2, g2, 8)],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert isinstance(report, ScoreSyncReport)
    assert report.counts() == {"set": 3, "unchanged": 1, "failed": 0}
    assert report.ok
    assert report.failures == ()
    assert emulator.scores == {(c1, g1): 5, (c1, g2): 3, (c2, g1): -4, (c2, g2): 8}
    assert sorted(_set_requests(emulator)) == sorted(
        [
            f"/api/contacts/{c1}/points/groups/{g2}/set/3",
            f"/api/contacts/{c2}/points/groups/{g1}/set/-4",
            f"/api/contacts/{c2}/points/groups/{g2}/set/8",
        ]
    )
    # One read per contact, and a known total for a list.
    reads = [r for r in emulator.requests if r.method == "GET"]
    assert len(reads) == 2
    assert seen[-1] == (4, 4)
    assert [done for done, _ in seen] == [1, 2, 3, 4]


async def test_a_mapping_and_a_second_run_changes_nothing(
    emulator: MauticEmulator, mautic: MauticClient
) -> None:
    (c1,), (g1, g2) = _seed(emulator, 1, 2)
    targets = {(c1, g1): 10, (c1, g2): 20}
    first = await mautic.contacts.sync_group_scores(targets)
    assert first.counts() == {"set": 2, "unchanged": 0, "failed": 0}
    before = len(_set_requests(emulator))
    second = await mautic.contacts.sync_group_scores(targets)
    assert second.counts() == {"set": 0, "unchanged": 2, "failed": 0}
    assert len(_set_requests(emulator)) == before


async def test_missing_contact_group_and_bad_rows_are_failures_not_crashes(
    emulator: MauticEmulator, mautic: MauticClient
) -> None:
    (c1,), (g1,) = _seed(emulator, 1, 1)
    rows = iter([(c1, g1, 1), (99999, g1, 2), (c1, 88888, 3), (c1, "x", 4), ("bad",)])
    totals: list[int | None] = []
    report = await mautic.contacts.sync_group_scores(
        rows, progress=lambda done, total: totals.append(total)
    )
    assert report.counts() == {"set": 1, "unchanged": 0, "failed": 4}
    assert set(totals) == {None}  # an iterator has no known length
    by_row = {(f.contact_id, f.group_id): f for f in report.failures}
    assert by_row[(99999, g1)].message == "Contact could not be found."
    assert by_row[(99999, g1)].status == 404
    assert by_row[(c1, 88888)].message == "The specified point group was not found."
    assert "group_id must be a positive int" in by_row[(c1, "x")].message
    assert "a row must be (contact_id, group_id, score)" in by_row[(("bad",), None)].message
    assert emulator.scores == {(c1, g1): 1}


async def test_dry_run_reads_but_never_writes(
    emulator: MauticEmulator, mautic: MauticClient
) -> None:
    (c1,), (g1, g2) = _seed(emulator, 1, 2)
    emulator.set_score(c1, g1, 1)
    report = await mautic.contacts.sync_group_scores([(c1, g1, 1), (c1, g2, 2)], dry_run=True)
    assert report.dry_run
    assert report.counts() == {"set": 1, "unchanged": 1, "failed": 0}
    assert _set_requests(emulator) == []
    assert emulator.scores == {(c1, g1): 1}


async def test_set_is_retried_after_an_unknown_outcome_and_applied_once(
    emulator: MauticEmulator, mautic: MauticClient
) -> None:
    """A dropped answer, a 502 and a timeout-like drop: the idempotent ``set`` is sent
    again, as a GET would be, and every row ends at its target exactly."""
    (c1, c2), (g1,) = _seed(emulator, 2, 1)
    emulator.faults.add("POST", f"/api/contacts/{c1}/points/groups/{g1}/set/5", drop="after")
    emulator.faults.add("POST", f"/api/contacts/{c2}/points/groups/{g1}/set/6", status=502)
    report = await mautic.contacts.sync_group_scores([(c1, g1, 5), (c2, g1, 6)])
    assert report.counts() == {"set": 2, "unchanged": 0, "failed": 0}
    assert emulator.scores == {(c1, g1): 5, (c2, g1): 6}
    assert len(_set_requests(emulator)) == 4  # each sent twice, applied to the same value


async def test_rows_of_one_contact_apply_in_input_order(
    emulator: MauticEmulator, mautic: MauticClient
) -> None:
    (c1, c2), (g1,) = _seed(emulator, 2, 1)
    rows = [(c1, g1, 1), (c2, g1, 1), (c1, g1, 2), (c2, g1, 3), (c1, g1, 9)]
    report = await mautic.contacts.sync_group_scores(rows, concurrency=4)
    assert report.failed == 0
    assert emulator.scores == {(c1, g1): 9, (c2, g1): 3}


async def test_memory_stays_flat_for_a_streamed_input(
    emulator: MauticEmulator, mautic: MauticClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The input is never materialised: peak memory for 10x the rows stays about the
    same (a list of all rows, or a report entry per row, would grow 10x with them)."""
    # Log records kept by handlers other tests installed, and the emulator's own
    # request log (same process), are not the sync's memory.
    monkeypatch.setattr(logging.getLogger("mautic_async"), "disabled", True)
    emulator.settings.request_log_size = 0
    (c1,), (g1,) = _seed(emulator, 1, 1)
    emulator.set_score(c1, g1, 0)

    def rows(n: int) -> Iterator[tuple[int, int, int]]:
        for _ in range(n):
            yield (c1, g1, 0)  # already at target: one read per window, no writes

    async def peak(n: int) -> int:
        gc.collect()
        tracemalloc.start()
        try:
            report = await mautic.contacts.sync_group_scores(rows(n), concurrency=2)
            assert report.unchanged == n
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    # Both runs exceed the window (2 workers, 2 units queued each, 200 rows a unit).
    small, large = await peak(3_000), await peak(30_000)
    assert large < small * 2, (small, large)


async def test_bad_arguments_are_refused(mautic: MauticClient) -> None:
    with pytest.raises(TypeError, match="not a string"):
        await mautic.contacts.sync_group_scores("1,2,3")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="concurrency must be a positive int"):
        await mautic.contacts.sync_group_scores([], concurrency=0)


async def test_a_progress_callback_that_raises_stops_the_sync_instead_of_hanging(
    emulator: MauticEmulator, mautic: MauticClient
) -> None:
    # Every worker died on the callback's error while the producer waited on a full
    # queue for them: the sync hung forever on a long input.
    contacts, (g1,) = _seed(emulator, 40, 1)

    def progress(done: int, total: int | None) -> None:
        raise RuntimeError("progress bar broke")

    rows = ((c, g1, 5) for c in contacts)
    with pytest.raises(RuntimeError, match="progress bar broke"):
        await asyncio.wait_for(
            mautic.contacts.sync_group_scores(rows, concurrency=2, progress=progress), 10
        )
