"""A large group-score sync split over arq workers that share one Mautic token and one
rate budget through Redis (see README.md beside this file).

Producer: ``python scores_fleet.py produce scores.csv`` reads the CSV
(``contact_id,group_id,score``) as a stream and enqueues chunks of rows.

Workers: ``arq scores_fleet.WorkerSettings`` (start as many as you like, on as many
machines as you like); each applies its chunks with ``sync_group_scores`` through
``RedisTokenStore`` and ``RedisLimiter``.

Settings come from the environment: ``REDIS_URL`` (default
``redis://localhost:6379/0``), ``MAUTIC_URL``, ``MAUTIC_CLIENT_ID``,
``MAUTIC_CLIENT_SECRET``, ``MAUTIC_MAX_IN_FLIGHT`` (fleet-wide cap, default 20).
"""

from __future__ import annotations

import asyncio
import csv
import os
import sys
from collections.abc import Iterator
from typing import Any

from arq import create_pool
from arq.connections import RedisSettings
from redis.asyncio import Redis

from mautic_async import MauticClient, OAuth2ClientCredentials
from mautic_async.contrib.redis import RedisLimiter, RedisTokenStore

REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
#: Rows per job: big enough that a job's overhead is small, small enough that a
#: retried job (arq retries a job whose worker died) redoes little.
CHUNK = 1000

Row = tuple[int, int, int]


def read_rows(path: str) -> Iterator[Row]:
    """The CSV's rows, one at a time."""
    with open(path, newline="", encoding="utf-8") as f:
        for record in csv.DictReader(f):
            yield int(record["contact_id"]), int(record["group_id"]), int(record["score"])


def chunks(rows: Iterator[Row], size: int = CHUNK) -> Iterator[list[Row]]:
    """``rows`` in lists of at most ``size``."""
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def produce(path: str, redis_url: str = REDIS_URL, chunk_size: int = CHUNK) -> int:
    """Enqueue every chunk of ``path`` as an ``apply_scores`` job; return how many."""
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    jobs = 0
    try:
        for chunk in chunks(read_rows(path), chunk_size):
            await pool.enqueue_job("apply_scores", chunk)
            jobs += 1
    finally:
        await pool.aclose()
    return jobs


async def startup(ctx: dict[str, Any]) -> None:
    """One Mautic client per worker process, sharing token and budget through Redis."""
    redis = Redis.from_url(os.environ.get("REDIS_URL", REDIS_URL))
    ctx["redis"] = redis
    ctx["limiter"] = RedisLimiter(redis, int(os.environ.get("MAUTIC_MAX_IN_FLIGHT", "20")))
    ctx["mautic"] = MauticClient(
        os.environ["MAUTIC_URL"],
        auth=OAuth2ClientCredentials(
            os.environ["MAUTIC_CLIENT_ID"], os.environ["MAUTIC_CLIENT_SECRET"]
        ),
        token_store=RedisTokenStore(redis),
        limiter=ctx["limiter"],
        max_concurrency=10,
    )


async def shutdown(ctx: dict[str, Any]) -> None:
    """Close the client, the limiter's lease renewals and the Redis connection."""
    await ctx["mautic"].close()
    await ctx["limiter"].aclose()
    await ctx["redis"].aclose()


async def apply_scores(ctx: dict[str, Any], rows: list[list[int]]) -> dict[str, Any]:
    """One job: set these scores (JSON turned the tuples into lists)."""
    mautic: MauticClient = ctx["mautic"]
    report = await mautic.contacts.sync_group_scores((c, g, s) for c, g, s in rows)
    failures = [[f.contact_id, f.group_id, f.message] for f in report.failures]
    return {"counts": report.counts(), "failures": failures}


class WorkerSettings:
    """``arq scores_fleet.WorkerSettings``."""

    functions = [apply_scores]  # noqa: RUF012 - arq reads these class attributes
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = RedisSettings.from_dsn(REDIS_URL)
    max_jobs = 4  # jobs at once per worker; the fleet-wide cap is the limiter's


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "produce":
        sys.exit("usage: python scores_fleet.py produce FILE.csv")
    print(f"enqueued {asyncio.run(produce(sys.argv[2]))} jobs")
