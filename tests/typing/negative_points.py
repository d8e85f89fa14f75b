"""Lines that must NOT type-check, for the points domain, raw responses, options and
errors (the point-group lines are in negative.py). Each carries
``# type: ignore[<code>]`` with the error mypy must report there: with
``--warn-unused-ignores`` a line that stops failing turns the check red, and
tests/test_typing.py checks each line fails with exactly its code. Never run."""

from __future__ import annotations

from mautic_async import (
    APIResponse,
    EventsNotDeletedError,
    GroupScore,
    MauticClient,
    NotFoundError,
    Page,
    Point,
    PointData,
    PointFields,
    PointInsightFields,
    PointTrigger,
    PointTriggerData,
    PointTriggerFields,
    TriggerEventData,
    TriggerEventFields,
)
from mautic_async.testing import MauticEmulator


async def wrong_reads(mautic: MauticClient) -> None:
    point = await mautic.points.get(1)
    point_id: str = point.id  # type: ignore[assignment]
    point_type: int = point.type  # type: ignore[assignment]
    delta: int = point.delta  # type: ignore[assignment]
    trigger = await mautic.point_triggers.get(1)
    events: list[PointTrigger] = trigger.events  # type: ignore[assignment]
    event_name: int = trigger.events[0].name  # type: ignore[assignment]
    order: str = trigger.events[0].order  # type: ignore[assignment]
    threshold = trigger.points + 1  # type: ignore[operator]
    described = trigger.events[0].description.upper()  # type: ignore[union-attr]
    insight = await mautic.point_insights.get(1)
    groups: list[int] = insight.point_groups  # type: ignore[assignment]
    score = await mautic.contacts.point_group_scores(1).plus(1, 5)
    score_text: str = score.score  # type: ignore[assignment]
    group_id: str = score.group.id  # type: ignore[assignment]
    print(await mautic.contacts.add_points(1, 5))  # type: ignore[func-returns-value]
    types: list[str] = await mautic.points.action_types()  # type: ignore[assignment]
    print(point_id, point_type, delta, events, event_name, order, threshold, described)
    print(groups, score_text, group_id, types)


async def wrong_writes(mautic: MauticClient) -> None:
    # A dict literal passed straight to a write whose parameter is ``Data | Fields``:
    # mypy reports it as arg-type (it fits no member of the union).
    await mautic.points.create({"name": "P", "type": "page.hit", "detla": 5})  # type: ignore[arg-type]
    await mautic.points.create({"name": "P", "type": "page.hit", "delta": "5"})  # type: ignore[arg-type]
    await mautic.point_triggers.create({"name": "T", "evnets": []})  # type: ignore[arg-type]
    await mautic.point_triggers.create({"name": "T", "events": [{"nmae": "x"}]})  # type: ignore[arg-type]
    await mautic.point_insights.create({"name": "I", "point_groups": "1,2"})  # type: ignore[arg-type]
    await mautic.points.edit(1, {"isPublished": True})  # type: ignore[arg-type]
    await mautic.points.create_batch([{"name": "P", "typ": "x"}])  # type: ignore[list-item]
    await mautic.point_triggers.sync([{"name": "T", "points": "50"}])  # type: ignore[list-item]
    await mautic.points.create(PointTriggerData(name="T"))  # type: ignore[arg-type]

    # The same mistakes in annotated variables: TypedDict's own codes.
    point: PointFields = {"name": "P", "detla": 5}  # type: ignore[typeddict-unknown-key]
    typed: PointFields = {"delta": "5"}  # type: ignore[typeddict-item]
    nested: PointFields = {"properties": ["not", "a", "mapping"]}  # type: ignore[typeddict-item]
    trigger: PointTriggerFields = {"name": "T", "treshold": 5}  # type: ignore[typeddict-unknown-key]
    colour: PointTriggerFields = {"color": 0xFF0000}  # type: ignore[typeddict-item]
    event: TriggerEventFields = {"nmae": "Tag"}  # type: ignore[typeddict-unknown-key]
    event_type: TriggerEventFields = {"type": None}  # type: ignore[typeddict-item]
    insight: PointInsightFields = {"custom_feld": "x"}  # type: ignore[typeddict-unknown-key]
    events: PointTriggerFields = {"events": [{"name": 1}]}  # type: ignore[list-item]
    PointData(delta="5")  # type: ignore[arg-type]
    TriggerEventData(properties=["a"])  # type: ignore[arg-type]
    PointTriggerData(events=[PointData(name="x")])  # type: ignore[list-item]
    print(point, typed, nested, trigger, colour, event, event_type, insight, events)


async def wrong_raw_and_options(mautic: MauticClient) -> None:
    raw = mautic.points.with_raw_response
    listed: APIResponse[Point] = await raw.list()  # type: ignore[assignment]
    page: Page[PointTrigger] = (await raw.list()).parse()  # type: ignore[assignment]
    status: str = (await raw.get(1)).status  # type: ignore[assignment]
    body: str = (await raw.get(1)).content  # type: ignore[assignment]
    header: int = (await raw.get(1)).headers["X-RateLimit-Remaining"]  # type: ignore[assignment]
    await raw.iterate()  # type: ignore[attr-defined]
    await raw.sync([])  # type: ignore[attr-defined]
    await mautic.point_triggers.with_raw_response.delete_events(1, [2])  # type: ignore[attr-defined]
    await mautic.point_triggers.with_raw_response.event_typs()  # type: ignore[attr-defined]
    scores = mautic.contacts.point_group_scores(1).with_raw_response
    score: APIResponse[int] = await scores.plus(1, 5)  # type: ignore[assignment]
    missing: GroupScore = (await scores.get(1)).parse()  # type: ignore[assignment]
    await mautic.points.get(1, extra_query=[("a", "b")])  # type: ignore[arg-type]
    await mautic.points.list(timeout="30")  # type: ignore[arg-type]
    async for each in mautic.points.iterate(extra_headers={"X": 1}):  # type: ignore[dict-item]
        print(each)
    await mautic.points.iterate()  # type: ignore[misc]
    await mautic.contacts.adjust_points(1, "set", 5)  # type: ignore[arg-type]
    await mautic.contacts.point_group_scores(1).adjust(1, "pow", 2)  # type: ignore[arg-type]
    print(listed, page, status, body, header, score, missing)


async def wrong_errors_and_seeding(mautic: MauticClient, emulator: MauticEmulator) -> None:
    try:
        await mautic.points.get(1)
    except NotFoundError as e:
        code: str = e.status  # type: ignore[assignment]
        message: int = e.errors[0].message  # type: ignore[assignment]
        print(code, message)
    except EventsNotDeletedError as e:
        ids: list[str] = list(e.event_ids)  # type: ignore[arg-type]
        left: Point = e.trigger  # type: ignore[assignment]
        print(ids, left)
    emulator.add_point("P", delta="5")  # type: ignore[arg-type]
    emulator.add_trigger("T", points=None)  # type: ignore[arg-type]
    emulator.add_point_group(name=1)  # type: ignore[arg-type]
