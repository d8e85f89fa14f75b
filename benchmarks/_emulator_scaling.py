"""How the embedded emulator scales: ``iterate(stable=True)`` and a 10 %-changed ``sync``.

One size per process (``python -m benchmarks._emulator_scaling N`` prints one JSON line),
so the sizes do not share a heap. The client and the emulator share one event loop and
one core, as in users' tests, so the times are the whole cost: client and emulator.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from typing import Any

from mautic_async import BasicAuth, MauticClient
from mautic_async.testing import MauticEmulator

USER, PASSWORD = "admin", "bench"
CHANGED_EVERY = 10  # one group in ten gets a new description: 10 % changed


async def measure(total: int) -> dict[str, Any]:
    """Seed ``total`` groups, then time a stable iteration and a sync."""
    async with MauticEmulator(basic_auth={USER: PASSWORD}) as emu:
        started = time.perf_counter()
        for n in range(total):
            emu.add_point_group(f"Group {n:06d}", f"description {n}")
        seed = time.perf_counter() - started
        async with MauticClient(emu.url, auth=BasicAuth(USER, PASSWORD)) as mautic:
            gc.collect()
            started, cpu = time.perf_counter(), time.process_time()
            seen = 0
            async for _ in mautic.point_groups.iterate(stable=True):
                seen += 1
            iterate = time.perf_counter() - started
            iterate_cpu = time.process_time() - cpu
            desired = [
                {
                    "name": f"Group {n:06d}",
                    "description": f"changed {n}" if n % CHANGED_EVERY == 0 else f"description {n}",
                }
                for n in range(total)
            ]
            gc.collect()
            started, cpu = time.perf_counter(), time.process_time()
            report = await mautic.point_groups.sync(desired)
            sync = time.perf_counter() - started
            sync_cpu = time.process_time() - cpu
    counts = report.counts()
    if seen != total or counts["updated"] != len(range(0, total, CHANGED_EVERY)):
        raise RuntimeError(f"unexpected outcome: iterated {seen}, sync {counts}")
    return {
        "groups": total,
        "seed_s": seed,
        "iterate_s": iterate,
        "iterate_cpu_s": iterate_cpu,
        "sync_s": sync,
        "sync_cpu_s": sync_cpu,
        "sync_counts": counts,
    }


def main() -> None:
    """Measure the size given on the command line and print the result as JSON."""
    print(json.dumps(asyncio.run(measure(int(sys.argv[1])))))


if __name__ == "__main__":
    main()
