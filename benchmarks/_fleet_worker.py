"""One process of the fleet benchmark (``python -m benchmarks._fleet_worker``).

Arguments: ``URL REDIS_URL MAX_IN_FLIGHT CONCURRENCY FIRST_CONTACT CONTACTS GROUPS``.
Sets up its client (token store and limiter in Redis), fetches the token, prints
``ready`` and waits for a line on stdin; then syncs ``CONTACTS * GROUPS`` score rows and
prints ``{"rows": n, "start": t0, "end": t1}`` (wall-clock times).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from redis.asyncio import Redis

from mautic_async import MauticClient, OAuth2ClientCredentials
from mautic_async.contrib.redis import RedisLimiter, RedisTokenStore


async def main(argv: list[str]) -> None:
    url, redis_url, cap, concurrency, first, contacts, groups = argv
    redis = Redis.from_url(redis_url)
    limiter = RedisLimiter(redis, int(cap))
    rows = [
        (c, g, c + g)
        for c in range(int(first), int(first) + int(contacts))
        for g in range(1, int(groups) + 1)
    ]
    async with MauticClient(
        url,
        auth=OAuth2ClientCredentials("bench", "bench-secret"),
        token_store=RedisTokenStore(redis),
        limiter=limiter,
        max_concurrency=int(concurrency),
    ) as mautic:
        await mautic.contacts.point_group_scores(int(first)).list()  # token, connection
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        start = time.time()
        report = await mautic.contacts.sync_group_scores(rows)
        end = time.time()
    await limiter.aclose()
    await redis.aclose()
    assert report.set == len(rows), report.counts()
    print(json.dumps({"rows": len(rows), "start": start, "end": end}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
