"""Profile ``mautic_async`` calls against nginx: ``python -m benchmarks --profile``.

Runs ``requests`` calls of each operation at concurrency 64 under cProfile and writes the
top functions (by own time, and cumulative time for our package) to
``benchmarks/results/profile-<op>.txt``.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import pstats
from pathlib import Path

from . import _clients, _worker


async def _run(url: str, op: str, concurrency: int, requests: int) -> pstats.Stats:
    client = _clients.MauticAsync(url, concurrency)
    await client.open()
    try:
        call = client.call(op)
        await _worker.async_fixed(call, concurrency, concurrency * 4)  # warm up
        profiler = cProfile.Profile()
        profiler.enable()
        await _worker.async_fixed(call, concurrency, requests)
        profiler.disable()
    finally:
        await client.close()
    return pstats.Stats(profiler)


def profile(url: str, out_dir: Path, ops: tuple[str, ...], requests: int) -> dict[str, str]:
    reports = {}
    for op in ops:
        stats = asyncio.run(_run(url, op, 64, requests))
        ours = io.StringIO()
        stats.stream = ours  # type: ignore[attr-defined]
        # Before strip_dirs: by path, so aiohttp's client.py is not taken for ours.
        stats.sort_stats("tottime").print_stats(r"/mautic_async/|<mautic_async|<attrs|cattrs", 30)
        buffer = io.StringIO()
        stats.stream = buffer  # type: ignore[attr-defined]
        stats.strip_dirs().sort_stats("tottime").print_stats(30)
        buffer.write("\n\n==== own time, mautic_async (and attrs/cattrs) only ====\n")
        buffer.write(ours.getvalue())
        text = f"# {op}: {requests} calls at concurrency 64 under cProfile\n" + buffer.getvalue()
        path = out_dir / f"profile-{op}.txt"
        path.write_text(text)
        reports[op] = str(path)
    return reports
