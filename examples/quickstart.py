"""Quickstart: every Point Groups operation, and a contact's group scores.

Settings come from the environment variables the ``mautic-async`` command reads:
``MAUTIC_URL``, then either ``MAUTIC_USERNAME`` and ``MAUTIC_PASSWORD`` (Basic auth) or
``MAUTIC_CLIENT_ID`` and ``MAUTIC_CLIENT_SECRET`` (OAuth2 client credentials). Without
``MAUTIC_URL`` it runs against the embedded Mautic emulator, so it needs no Mautic at
all. Against a real Mautic (5.1+, API enabled)::

    MAUTIC_URL=https://mautic.example.com MAUTIC_USERNAME=admin MAUTIC_PASSWORD=... \\
        python examples/quickstart.py

The script creates groups and a contact and deletes them again at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator

from mautic_async import Auth, BasicAuth, MauticClient, NotFoundError, PointGroupData
from mautic_async.cli import auth_from_env


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


async def main() -> None:
    async with mautic_site() as (url, auth), MauticClient(url, auth=auth) as mautic:
        groups = mautic.point_groups

        group = await groups.create({"name": "Quickstart A", "description": "First"})
        print(f"created   #{group.id} {group.name!r} (published: {group.is_published})")

        group = await groups.edit(group.id, PointGroupData(description="Edited"))
        print(f"edited    #{group.id} description={group.description!r}")

        group = await groups.replace(group.id, {"name": "Quickstart B", "is_published": True})
        print(f"replaced  #{group.id} {group.name!r} description={group.description!r}")

        page = await groups.list(search="Quickstart", order_by="name", published_only=True)
        print(f"listed    {page.total} match(es): {[g.name for g in page.items]}")

        made = await groups.create_batch([{"name": "Quickstart C"}, {"name": "Quickstart D"}])
        batch_ids = [g.id for g in made.succeeded]
        print(f"batch     created {batch_ids}, status codes {[i.status_code for i in made]}")

        contact = await mautic.contacts.create({"email": "quickstart@example.com"})
        scores = mautic.contacts.point_group_scores(contact.id)
        await scores.plus(group.id, 10)
        await scores.times(group.id, 3)
        score = await scores.minus(group.id, 5)
        print(f"score     contact #{contact.id} in #{group.id}: {score.score}")

        gone = await groups.delete(group.id)
        print(f"deleted   #{gone.id} {gone.name!r}")
        try:
            await groups.get(group.id)
        except NotFoundError as exc:
            print(f"get after delete -> {exc}")

        removed = await groups.delete_batch(batch_ids)
        print(f"batch     deleted {[g.id for g in removed.succeeded]}")
        await mautic.contacts.delete(contact.id)


if __name__ == "__main__":
    asyncio.run(main())
