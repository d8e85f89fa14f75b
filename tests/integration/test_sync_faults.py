"""The exactly-once proof: a 1,000-group sync through about 20% injected faults.

Run with ``pytest tests/integration/test_sync_faults.py -s`` to see the figures.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from mautic_async import BasicAuth, MauticClient, RetryPolicy
from mautic_async.testing import MauticEmulator

from .conftest import PASSWORD, USER, FakeSleep

GROUPS = 1000
FAULT_RATE = 0.2
EVERY_KIND = ("status", "html", "drop_before", "drop_after", "truncate")


@pytest.mark.parametrize(("seed", "batch_size"), [(11, 200), (12, 25), (13, 10)])
async def test_sync_under_faults_loses_and_duplicates_nothing(seed: int, batch_size: int) -> None:
    desired = [{"name": f"Group {i:04}", "description": f"d{i % 7}"} for i in range(GROUPS)]
    async with MauticEmulator(basic_auth={USER: PASSWORD}) as emulator:
        # Some groups exist already, a few of them out of date.
        for i in range(0, GROUPS, 10):
            emulator.add_point_group(
                f"Group {i:04}", description="stale" if i % 20 else f"d{i % 7}"
            )
        emulator.faults.fail_rate(
            FAULT_RATE,
            kinds=EVERY_KIND,
            statuses=(500, 502, 503, 504, 429),
            retry_after=1,
            seed=seed,
        )
        # Slow answers past the client's timeout, applied before they time out.
        emulator.faults.add("POST", "/api/points/groups/batch/new", delay=1.2, times=1)
        emulator.faults.add("PATCH", "/api/points/groups/batch/edit", delay=1.2, times=1)
        sleep = FakeSleep()
        async with MauticClient(
            emulator.url,
            auth=BasicAuth(USER, PASSWORD),
            timeout=1.0,
            retry_policy=RetryPolicy(max_retries=2),
            sleep=sleep,
        ) as mautic:
            started = time.perf_counter()
            first = await mautic.point_groups.sync(desired, concurrency=4, batch_size=batch_size)
            elapsed = time.perf_counter() - started
            second = await mautic.point_groups.sync(desired, concurrency=4, batch_size=batch_size)

        on_server = Counter(group["name"] for group in emulator.point_groups.values())
        faults = Counter(r.fault for r in emulator.requests if r.fault)
        total_requests = len(emulator.requests)

    print(
        f"\nseed {seed}, batches of {batch_size}: {GROUPS} groups, {total_requests} requests, "
        f"{sum(faults.values())} faulted ({dict(faults)}), {len(sleep.delays)} client retries; "
        f"first run {first.counts()} in {first.rounds} rounds, {elapsed:.2f} s; "
        f"second run {second.counts()}"
    )
    failed = {item.key for item in first.failed}
    # Nothing duplicated: no name on the server more than once.
    assert max(on_server.values()) == 1
    # Nothing lost: every desired group is there, or reported failed (and not there).
    assert {d["name"] for d in desired} == set(on_server) | failed
    assert not failed & set(on_server)
    # Every desired item is accounted for exactly once in the report.
    assert sorted(item.key for item in first.items) == sorted(d["name"] for d in desired)
    assert sum(faults.values()) >= 0.1 * total_requests  # the faults really happened
    # The second run changes nothing: everything that landed is unchanged.
    assert second.counts()["created"] + second.counts()["updated"] == len(failed)
    assert len(second.unchanged) == GROUPS - len(failed)
    assert first.ok, [(i.key, i.error) for i in first.failed][:5]
