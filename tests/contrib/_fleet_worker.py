"""One worker of the fleet test: a process with its own MauticClient that shares the
OAuth2 token and the request budget with the others through Redis.

``python tests/contrib/_fleet_worker.py sync URL REDIS_URL MAX_IN_FLIGHT LEASE`` reads
one line of rows (``contact:group:score,...``) at a time from stdin, applies them with
the bulk score sync (one client for every line) and prints each report as a JSON
line.
"""

from __future__ import annotations

import asyncio
import json
import sys

from redis.asyncio import Redis

from mautic_async import MauticClient, OAuth2ClientCredentials
from mautic_async.contrib.redis import RedisLimiter, RedisTokenStore

CLIENT_ID, CLIENT_SECRET = "fleet-client", "fleet-S3cret"


async def main(argv: list[str]) -> None:
    mode, url, redis_url, max_in_flight, lease = argv
    redis = Redis.from_url(redis_url)
    limiter = RedisLimiter(redis, int(max_in_flight), float(lease))
    assert mode == "sync", mode
    store = RedisTokenStore(redis)
    loop = asyncio.get_running_loop()
    async with MauticClient(
        url,
        auth=OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET),
        token_store=store,
        limiter=limiter,
        max_concurrency=4,
    ) as mautic:
        while line := (await loop.run_in_executor(None, sys.stdin.readline)).strip():
            rows = [tuple(int(x) for x in part.split(":")) for part in line.split(",")]
            report = await mautic.contacts.sync_group_scores(rows)  # type: ignore[arg-type]
            failures = [f.message for f in report.failures]
            print(json.dumps({"counts": report.counts(), "failures": failures}), flush=True)
    await limiter.aclose()
    await redis.aclose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
