"""Bulk sync: make Mautic hold a few hundred point groups, each exactly once.

``point_groups.sync`` creates what is missing, updates what differs and leaves the
rest alone, in batches of up to 200 and in rounds that re-read Mautic, so a create
whose answer was lost is never sent twice. Running it again changes nothing.

Settings come from the environment variables the ``mautic-async`` command reads:
``MAUTIC_URL``, then either ``MAUTIC_USERNAME`` and ``MAUTIC_PASSWORD`` (Basic auth) or
``MAUTIC_CLIENT_ID`` and ``MAUTIC_CLIENT_SECRET`` (OAuth2 client credentials). Without
``MAUTIC_URL`` it runs against the embedded Mautic emulator, so it needs no Mautic at
all. Against a real Mautic (5.1+, API enabled)::

    MAUTIC_URL=https://mautic.example.com MAUTIC_USERNAME=admin MAUTIC_PASSWORD=... \\
        python examples/bulk_sync.py

It creates groups named "Bulk sync example NNN" and deletes them again at the end.
(It never passes ``delete_missing=True``, which deletes every group not listed.)
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator

from mautic_async import Auth, BasicAuth, MauticClient, PointGroup, PointGroupFields, SyncReport
from mautic_async.cli import auth_from_env

COUNT = 300


@contextlib.asynccontextmanager
async def mautic_site() -> AsyncIterator[tuple[str, Auth]]:
    """The Mautic to talk to: $MAUTIC_URL with the credentials the CLI would use (Basic
    or OAuth2, see the module docs), or an emulator started just for this run."""
    url = os.environ.get("MAUTIC_URL")
    if url:
        yield url, auth_from_env()
        return
    from mautic_async.testing import MauticEmulator

    async with MauticEmulator(basic_auth={"admin": "secret"}) as emulator:
        print(f"(no MAUTIC_URL set: using the embedded emulator at {emulator.url})")
        yield emulator.url, BasicAuth("admin", "secret")


def show_progress(done: int, total: int) -> None:
    """The ``progress`` callback: called as each item reaches its final state."""
    if done == total or done % 100 == 0:
        print(f"  {done:>4}/{total} items done")


def summary(report: SyncReport[PointGroup]) -> str:
    counts = ", ".join(f"{n} {action}" for action, n in report.counts().items() if n)
    return f"{counts or 'nothing'} in {report.rounds} round(s)"


async def main() -> None:
    async with mautic_site() as (url, auth), MauticClient(url, auth=auth) as mautic:
        groups = mautic.point_groups
        desired: list[PointGroupFields] = [
            {"name": f"Bulk sync example {n:03}", "description": f"Segment {n % 7}"}
            for n in range(COUNT)
        ]

        started = time.perf_counter()
        report = await groups.sync(desired, progress=show_progress)
        print(f"first sync:  {summary(report)} ({time.perf_counter() - started:.2f} s)")
        for item in report.failed:
            print(f"  failed {item.key!r}: {item.error}")

        report = await groups.sync(desired)
        print(f"second sync: {summary(report)}")

        desired[0]["description"] = "Changed"
        desired[1]["is_published"] = False
        report = await groups.sync(desired)
        print(f"after edits: {summary(report)}")
        print(f"  updated: {sorted(item.key for item in report.updated)}")

        ids = [item.entity.id for item in report.items if item.entity]
        for start in range(0, len(ids), 200):  # batches take at most 200 ids
            await groups.delete_batch(ids[start : start + 200])
        print(f"cleaned up:  deleted {len(ids)} groups")


if __name__ == "__main__":
    asyncio.run(main())
