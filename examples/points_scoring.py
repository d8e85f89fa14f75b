"""Points scoring per product line: point groups, point actions, a trigger, and a Point
Insight that writes each contact's main interest into a custom field.

A shop scores its contacts per product line. Each line has a point group and a point
action that scores in it; a trigger tags contacts who get hot on umbrellas; a Point
Insight (Mautic 7) keeps each contact's strongest product line in the custom field
``main_interest``. The script changes a few contacts' group scores and reads the
insight's result back from the contacts.

It runs against the embedded Mautic emulator (version 7.1.3), which it seeds with the
``main_interest`` contact field, so it needs no Mautic at all::

    python examples/points_scoring.py
"""

from __future__ import annotations

import asyncio

from mautic_async import (
    BasicAuth,
    MauticClient,
    NotFoundError,
    PointData,
    PointInsightData,
    PointTriggerData,
    TriggerEventData,
)
from mautic_async.testing import MauticEmulator

PRODUCT_LINES = ("Umbrellas", "Boots", "Raincoats")


async def main() -> None:
    async with MauticEmulator(version="7.1.3", basic_auth={"admin": "secret"}) as emulator:
        print(f"(using the embedded Mautic 7 emulator at {emulator.url})")
        # Custom fields are not part of this library's API: seed it in the emulator.
        emulator.add_contact_field("main_interest")
        async with MauticClient(emulator.url, auth=BasicAuth("admin", "secret")) as mautic:
            await run(mautic)


async def run(mautic: MauticClient) -> None:
    # One point group per product line; sync makes it so (and is a no-op next time).
    report = await mautic.point_groups.sync([{"name": name} for name in PRODUCT_LINES])
    groups = {item.entity.name: item.entity.id for item in report.items if item.entity}
    print(f"groups    {report.counts()['created']} created: {groups}")

    # A point action per line: visiting its pages scores 5 in its group only.
    for name, group_id in groups.items():
        point = await mautic.points.create(
            PointData(
                f"Visits {name.lower()} pages",
                "url.hit",
                delta=5,
                group=group_id,
                properties={"page_url": f"https://shop.example.com/{name.lower()}"},
            )
        )
        # Mautic drops properties on create; the client sent them again with a PATCH.
        print(f"action    #{point.id} {point.name!r}: +{point.delta} in group #{point.group}")

    # A trigger at 20 umbrella points tags the contact.
    trigger = await mautic.point_triggers.create(
        PointTriggerData(
            "Hot on umbrellas",
            points=20,
            group=groups["Umbrellas"],
            events=[
                TriggerEventData(
                    "Tag hot-umbrellas", "lead.changetags", properties={"add_tags": ["hot"]}
                )
            ],
        )
    )
    events = [(e.order, e.name) for e in trigger.events]
    print(f"trigger   #{trigger.id} {trigger.name!r} at {trigger.points} points: {events}")

    # The insight: each contact's strongest product line, into `main_interest`.
    insight = await mautic.point_insights.create(
        PointInsightData(
            "Main interest", custom_field="main_interest", point_groups=list(groups.values())
        )
    )
    print(f"insight   #{insight.id} {insight.name!r} -> {insight.custom_field}")

    # Group scores change for a few contacts; each change runs the insight.
    changes = {
        "ann@example.com": {"Umbrellas": 25, "Boots": 10},
        "bob@example.com": {"Boots": 15, "Raincoats": 15},  # a tie: the lower group id wins
        "cid@example.com": {},  # main points only: no group score, so no insight
    }
    contacts: dict[str, int] = {}
    for email, scores in changes.items():
        contact = await mautic.contacts.create({"email": email})
        contacts[email] = contact.id
        for line, points in scores.items():
            await mautic.contacts.point_group_scores(contact.id).plus(
                groups[line], points, event_name=f"{line} campaign"
            )
        if not scores:
            await mautic.contacts.add_points(contact.id, 10, event_name="Newsletter signup")
        shown = ", ".join(f"{line} {points}" for line, points in scores.items()) or "none"
        print(f"scores    {email}: {shown}")

    # The insight's result, read back from each contact.
    for email, contact_id in contacts.items():
        contact = await mautic.contacts.get(contact_id)
        interest = contact.fields["all"].get("main_interest")
        print(f"interest  {email} -> {interest or '(none)'} (main points {contact.points})")

    # Deleting a group deletes its point actions and triggers too (database cascade).
    await mautic.point_groups.delete(groups["Umbrellas"])
    try:
        await mautic.point_triggers.get(trigger.id)
    except NotFoundError:
        print("cascade   deleting 'Umbrellas' also deleted its action and trigger")
    left = [p.name async for p in mautic.points.iterate()]
    print(f"actions   left: {left}")


if __name__ == "__main__":
    asyncio.run(main())
