"""How a typed user writes code against mautic_async: this must pass ``mypy --strict``
with no ``assert``/``cast`` narrowing, and it runs against the emulator
(tests/test_typing.py::test_the_positive_script_runs_against_the_emulator)."""

from __future__ import annotations

import asyncio
import sys

from mautic_async import (
    APIResponse,
    BasicAuth,
    BatchResult,
    GroupScore,
    MauticClient,
    Page,
    PointGroup,
    PointGroupData,
    PointGroupFields,
)


async def main(url: str, user: str, password: str) -> None:
    async with MauticClient(url, auth=BasicAuth(user, password)) as mautic:
        groups = mautic.point_groups

        # Fields Mautic always sends read without narrowing.
        group: PointGroup = await groups.create({"name": "Typed", "description": "d"})
        next_id: int = group.id + 1
        shout: str = group.name.upper()
        published: bool = group.is_published
        year: int = group.date_added.year
        maybe: str | None = group.description
        print(next_id, shout, published, year, maybe)

        # TypedDict literals, snake_case keys, and the attrs class.
        fields: PointGroupFields = {"name": "Typed 2", "is_published": False}
        group = await groups.edit(group.id, fields)
        group = await groups.replace(group.id, PointGroupData("Typed 3", description=None))
        made: BatchResult[PointGroup] = await groups.create_batch(
            [{"name": "B1"}, PointGroupData("B2"), {"name": "B3", "is_published": True}]
        )
        ids: list[int] = [g.id for g in made.succeeded]
        await groups.edit_batch([{"id": ids[0], "description": "x"}])

        page: Page[PointGroup] = await groups.list(search="Typed", limit=10)
        names: list[str] = [g.name for g in page]
        print(page.total, names)
        async for each in groups.iterate(stable=True, extra_headers={"X-Job": "typed"}):
            print(each.id + 0, each.name.lower())

        # Raw responses: status, headers, parse() typed as the plain call.
        response: APIResponse[PointGroup] = await groups.with_raw_response.get(group.id)
        status: int = response.status
        version: str | None = response.headers.get("Mautic-Version")
        parsed: PointGroup = response.parse()
        print(status, version, parsed.name, response.url, len(response.content))
        listed = await groups.with_raw_response.list(extra_query={"limit": 5}, timeout=10)
        print([g.id for g in listed.parse().items])

        contact = await mautic.contacts.create({"email": "typed@example.com"})
        scores = mautic.contacts.point_group_scores(contact.id)
        score: GroupScore = await scores.plus(group.id, 10)
        group_name: str = score.group.name
        total: int = score.score + 1
        print(group_name, total)
        raw_score = await scores.with_raw_response.get(group.id)
        current: GroupScore | None = raw_score.parse()
        print(raw_score.status, current)

        gone = await groups.delete(group.id)
        deleted_id: int = gone.id
        print(deleted_id)
        await groups.delete_batch(ids)
        await mautic.contacts.delete(contact.id)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
