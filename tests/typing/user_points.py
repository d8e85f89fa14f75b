"""A typed user's points-domain code: point actions, triggers and their events, Point
Insights, contact main points and group scores. ``mypy --strict`` and pyright strict,
no narrowing of fields Mautic always sends; run against the emulator by
tests/test_typing.py::test_user_script_runs_against_the_emulator."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from typing_extensions import assert_type

from mautic_async import (
    APIResponse,
    BasicAuth,
    BatchResult,
    Contact,
    EndpointUnavailableError,
    EventsNotDeletedError,
    GroupScore,
    MauticClient,
    NotFoundError,
    Page,
    Point,
    PointData,
    PointFields,
    PointInsight,
    PointInsightData,
    PointInsightFields,
    PointTrigger,
    PointTriggerData,
    PointTriggerFields,
    ScoreGroup,
    ScoreSyncReport,
    SyncReport,
    TriggerEvent,
    TriggerEventData,
    TriggerEventFields,
)
from mautic_async.testing import MauticEmulator


async def points(mautic: MauticClient, group_id: int) -> list[str]:
    """Point actions: create with a literal and with PointData, edit, list, sync."""
    out: list[str] = []
    point = await mautic.points.create(
        {
            "name": "Pricing page",
            "type": "page.hit",
            "delta": 5,
            "group": group_id,
            "properties": {"page": [1, 2]},
            "publish_up": datetime(2030, 1, 2, 3, 4, tzinfo=timezone.utc),
        }
    )
    assert_type(point, Point)
    assert_type(point.id, int)
    assert_type(point.name, str)
    assert_type(point.type, str)
    assert_type(point.description, str | None)
    assert_type(point.is_published, bool)
    assert_type(point.delta, int | None)  # details only: minimal=True leaves it out
    assert_type(point.properties, Mapping[str, Any] | None)
    assert_type(point.publish_up, datetime | None)
    assert_type(point.group, int | None)
    out.append(f"point {point.name.lower()} {point.type} {point.delta} {point.group}")
    out.append(f"properties {dict(point.properties or {})} {point.publish_up}")

    data = PointData(name="Form", type="form.submit", delta=10, repeatable=True)
    second = await mautic.points.create(data)
    fields: PointFields = {"delta": 20, "description": None, "is_published": False}
    second = await mautic.points.edit(second.id, fields)
    out.append(f"edited {second.delta} {second.is_published} {second.repeatable}")

    types = await mautic.points.action_types()
    assert_type(types, dict[str, str])
    listed = await mautic.points.list(minimal=True)
    assert_type(listed, Page[Point])
    out.append(f"types {'page.hit' in types}; minimal {[p.delta for p in listed]}")

    desired: list[PointFields] = [
        {"name": "Pricing page", "type": "page.hit", "delta": 5},
        {"name": "Download", "type": "asset.download", "delta": 1},
    ]
    report = await mautic.points.sync(desired)
    assert_type(report, SyncReport[Point])
    out.append(f"points sync {report.counts()}")
    batch = await mautic.points.delete_batch([second.id])
    assert_type(batch, BatchResult[Point])
    return out


async def triggers(mautic: MauticClient, group_id: int) -> list[str]:
    """Triggers with typed events, in writes and in answers."""
    out: list[str] = []
    tag: TriggerEventFields = {
        "name": "Tag hot",
        "type": "lead.changetags",
        "properties": {"add_tags": ["hot"]},
    }
    trigger = await mautic.point_triggers.create(
        {"name": "Hot lead", "points": 50, "group": group_id, "color": "ff0000", "events": [tag]}
    )
    assert_type(trigger, PointTrigger)
    assert_type(trigger.events, list[TriggerEvent])
    assert_type(trigger.points, int | None)
    first: TriggerEvent = trigger.events[0]
    assert_type(first.id, int)
    assert_type(first.order, int)
    assert_type(first.name, str)
    assert_type(first.type, str)
    assert_type(first.description, str | None)
    assert_type(first.properties, Mapping[str, Any])
    out.append(
        f"trigger {trigger.name} {trigger.points} {trigger.group} "
        f"{first.order} {first.name.upper()} {first.type} {dict(first.properties)}"
    )

    events: Sequence[TriggerEventData | TriggerEventFields] = [
        {"id": first.id, "name": "Tag very hot"},
        TriggerEventData(name="Mail", type="email.send", properties={"email": 1}),
    ]
    update: PointTriggerFields = {"events": events, "trigger_existing_leads": True}
    trigger = await mautic.point_triggers.edit(trigger.id, update)
    out.append(f"events {[(e.order, e.name) for e in trigger.events]}")

    again = PointTriggerData(name="Warm", points=10, events=[TriggerEventData(name="n", type="t")])
    warm = await mautic.point_triggers.create(again)
    types = await mautic.point_triggers.event_types()
    assert_type(types, dict[str, str])
    out.append(f"warm {warm.events[0].name} {'email.send' in types}")

    try:
        await mautic.point_triggers.delete_events(trigger.id, [trigger.events[-1].id])
    except EventsNotDeletedError as e:  # Mautic never saves the deletion
        assert_type(e.trigger, PointTrigger)
        assert_type(e.event_ids, tuple[int, ...])
        out.append(f"not deleted {list(e.event_ids)} {len(e.trigger.events)}")

    raw = await mautic.point_triggers.with_raw_response.get(trigger.id)
    assert_type(raw, APIResponse[PointTrigger])
    out.append(f"raw trigger {raw.status} {raw.parse().events[0].name}")
    raw_types = await mautic.point_triggers.with_raw_response.event_types()
    assert_type(raw_types, APIResponse[dict[str, str]])
    await mautic.point_triggers.delete(warm.id)
    return out


async def insights(mautic: MauticClient, group_ids: list[int]) -> list[str]:
    """Point Insights (Mautic 7)."""
    fields: PointInsightFields = {
        "name": "Main interest",
        "custom_field": "main_interest",
        "point_groups": group_ids,
    }
    insight = await mautic.point_insights.create(fields)
    assert_type(insight, PointInsight)
    assert_type(insight.point_groups, list[int] | None)
    assert_type(insight.custom_field, str | None)
    renamed = await mautic.point_insights.edit(insight.id, PointInsightData(name="Interest"))
    raw = await mautic.point_insights.with_raw_response.list()
    assert_type(raw, APIResponse[Page[PointInsight]])
    return [f"insight {renamed.name} {insight.point_groups} {raw.parse().total}"]


async def contacts(mautic: MauticClient, group_id: int) -> list[str]:
    """Main points and group scores of one contact."""
    out: list[str] = []
    contact = await mautic.contacts.create({"email": "typed@example.com"})
    assert_type(contact, Contact)
    assert_type(contact.points, int)
    assert_type(contact.email, str | None)
    await mautic.contacts.add_points(contact.id, 7, event_name="Import")
    await mautic.contacts.subtract_points(contact.id, 2)
    await mautic.contacts.adjust_points(contact.id, "times", 3)
    contact = await mautic.contacts.get(contact.id)
    out.append(f"main points {contact.points + 0}")

    scores = mautic.contacts.point_group_scores(contact.id)
    score = await scores.plus(group_id, 30)
    assert_type(score, GroupScore)
    assert_type(score.score, int)
    assert_type(score.group, ScoreGroup)
    assert_type(score.group.name, str)
    assert_type(score.group.description, str | None)
    score = await scores.set(group_id, 40, action_name="typed")
    out.append(f"score {score.score + 1} {score.group.name.lower()} {score.group.id}")
    current = await scores.get(group_id)
    assert_type(current, GroupScore | None)
    every = await scores.list()
    assert_type(every, list[GroupScore])
    raw = await scores.with_raw_response.minus(group_id, 5)
    assert_type(raw, APIResponse[GroupScore])
    out.append(f"scores {[s.score for s in every]} raw {raw.status} {raw.parse().score}")

    report = await mautic.contacts.sync_group_scores([(contact.id, group_id, 42)])
    assert_type(report, ScoreSyncReport)
    out.append(f"score sync {report.counts()} {report.ok}")
    read = await mautic.contacts.get(contact.id)
    interest: object = read.fields.get("all", {}).get("main_interest")
    out.append(f"main interest {interest}")

    try:
        await mautic.contacts.add_points(999_999, 1)
    except NotFoundError as e:
        out.append(f"no contact {e.status} {e.errors[0].message}")
    return out


async def main(emulator: MauticEmulator) -> list[str]:
    """The whole points domain against one emulator (version 7)."""
    emulator.add_contact_field("main_interest")
    seeded = emulator.add_point("Seeded", "form.submit", delta=3)
    seeded_trigger = emulator.add_trigger("Seeded", events=[{"name": "e", "type": "t"}])
    async with MauticClient(emulator.url, auth=BasicAuth("admin", "secret")) as mautic:
        group = await mautic.point_groups.create({"name": "Product A"})
        other = await mautic.point_groups.create({"name": "Product B"})
        point_id: int = seeded["id"]
        read = await mautic.points.get(point_id)
        trigger_id: int = seeded_trigger["id"]
        read_trigger = await mautic.point_triggers.get(trigger_id)
        out = [f"seeded {read.name} {read.delta} {read_trigger.events[0].name}"]
        out += await points(mautic, group.id)
        out += await triggers(mautic, group.id)
        out += await insights(mautic, [group.id, other.id])
        out += await contacts(mautic, group.id)
    return out


async def five(emulator: MauticEmulator) -> list[str]:
    """Insights against a 5.x server: a typed NotFoundError subclass."""
    async with MauticClient(emulator.url, auth=BasicAuth("admin", "secret")) as mautic:
        try:
            await mautic.point_insights.list()
        except EndpointUnavailableError as e:
            assert_type(e, EndpointUnavailableError)
            return [f"unavailable {e.status} {e.errors[0].message}"]
    return []


if __name__ == "__main__":  # pragma: no cover - run by hand: python tests/typing/...

    async def _run() -> None:
        async with MauticEmulator(basic_auth={"admin": "secret"}) as emu:
            for line in await main(emu):
                print(line)
        async with MauticEmulator(basic_auth={"admin": "secret"}, version="5.1.1") as emu:
            for line in await five(emu):
                print(line)

    asyncio.run(_run())
