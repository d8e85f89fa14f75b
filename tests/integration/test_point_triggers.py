"""Point triggers and their events through the client over real HTTP to the emulator
(mautic-points-api.md §3): events as a list in order, the write-only group, the
events/delete quirk, event types, batches, sync with nested events, cascades."""

from __future__ import annotations

import pytest

from mautic_async import (
    EventsNotDeletedError,
    MauticClient,
    NotFoundError,
    PointTriggerData,
    TriggerEventData,
    ValidationError,
)
from mautic_async.testing import MauticEmulator

TAG = {"name": "Tag hot", "type": "lead.changetags", "properties": {"add_tags": ["hot"]}}
MAIL = {"name": "Mail sales", "type": "email.send", "properties": {"email": 4}}


async def test_create_with_events_and_read_back(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    group = emulator.add_point_group("Umbrellas")
    created = await mautic.point_triggers.create(
        PointTriggerData(
            "Hot lead",
            points=50,
            group=group["id"],
            events=[
                TriggerEventData("Tag hot", "lead.changetags", properties={"add_tags": ["hot"]}),
                MAIL,
            ],
        )
    )
    assert created.group == group["id"]
    assert [(e.name, e.order) for e in created.events] == [("Tag hot", 1), ("Mail sales", 2)]
    fetched = await mautic.point_triggers.get(created.id)  # type: ignore[arg-type]
    assert fetched.group is None  # never returned
    assert fetched.points == 50
    assert fetched.color == "a0acb8"
    assert [(e.name, e.type, e.order) for e in fetched.events] == [
        ("Tag hot", "lead.changetags", 1),
        ("Mail sales", "email.send", 2),
    ]
    assert fetched.events[0].properties == {"add_tags": ["hot"]}


async def test_patch_adds_and_changes_events(mautic: MauticClient) -> None:
    trigger = await mautic.point_triggers.create({"name": "T", "events": [TAG]})
    (tag,) = trigger.events
    edited = await mautic.point_triggers.edit(
        trigger.id,  # type: ignore[arg-type]
        {"events": [{"id": tag.id, "name": "Tag warm"}, MAIL]},
    )
    assert [(e.id == tag.id, e.name) for e in edited.events] == [
        (True, "Tag warm"),
        (False, "Mail sales"),
    ]
    again = await mautic.point_triggers.get(trigger.id)  # type: ignore[arg-type]
    assert [e.name for e in again.events] == ["Tag warm", "Mail sales"]


async def test_put_without_events_drops_them_from_the_answer_only(
    mautic: MauticClient,
) -> None:
    trigger = await mautic.point_triggers.create({"name": "T", "events": [TAG, MAIL]})
    replaced = await mautic.point_triggers.replace(trigger.id, {"name": "T2"})  # type: ignore[arg-type]
    assert replaced.events == []
    again = await mautic.point_triggers.get(trigger.id)  # type: ignore[arg-type]
    assert [e.name for e in again.events] == ["Tag hot", "Mail sales"]


async def test_delete_events_ends_in_a_clear_error(mautic: MauticClient) -> None:
    trigger = await mautic.point_triggers.create({"name": "T", "events": [TAG, MAIL]})
    first = trigger.events[0].id
    assert first is not None
    with pytest.raises(EventsNotDeletedError) as caught:
        await mautic.point_triggers.delete_events(trigger.id, [first])  # type: ignore[arg-type]
    assert caught.value.event_ids == (first,)
    assert f"did not delete event(s) {first}" in str(caught.value)
    assert [e.name for e in caught.value.trigger.events] == ["Tag hot", "Mail sales"]


async def test_delete_events_of_a_missing_trigger(mautic: MauticClient) -> None:
    with pytest.raises(NotFoundError, match=r"Item was not found\."):
        await mautic.point_triggers.delete_events(999, [1])


async def test_event_types(mautic: MauticClient) -> None:
    types = await mautic.point_triggers.event_types()
    assert types["lead.changetags"] == "Modify contact's tags"
    assert "email.send" in types


async def test_validation_error_carries_the_message(mautic: MauticClient) -> None:
    with pytest.raises(ValidationError, match="group"):
        await mautic.point_triggers.create({"name": "T", "group": 999})


async def test_batches_and_iterate(mautic: MauticClient) -> None:
    result = await mautic.point_triggers.create_batch(
        [{"name": f"T{i}", "points": i * 10, "events": [TAG]} for i in range(1, 4)]
    )
    assert [t.points for t in result.succeeded] == [10, 20, 30]
    assert [len(t.events) for t in result.succeeded] == [1, 1, 1]
    names = [t.name async for t in mautic.point_triggers.iterate(page_size=2, stable=True)]
    assert names == ["T1", "T2", "T3"]
    deleted = await mautic.point_triggers.delete_batch([t.id for t in result.succeeded])  # type: ignore[misc]
    assert all(i.ok for i in deleted)


async def test_sync_compares_events_by_content(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    group = emulator.add_point_group("Umbrellas")
    desired = [
        {"name": "Hot", "points": 50, "group": group["id"], "events": [TAG, MAIL]},
        {"name": "Warm", "points": 20, "publishUp": "2030-01-01 09:30"},
    ]
    first = await mautic.point_triggers.sync(desired)
    assert first.counts()["created"] == 2, first
    second = await mautic.point_triggers.sync(desired)
    assert second.counts()["unchanged"] == 2, second

    # A changed event is changed in place (not added), then reads as unchanged.
    renamed = [{**desired[0], "events": [TAG, {**MAIL, "name": "Mail boss"}]}, desired[1]]
    third = await mautic.point_triggers.sync(renamed)
    assert third.counts()["updated"] == 1, third
    stored = {t.name: t async for t in mautic.point_triggers.iterate()}
    assert [e.name for e in stored["Hot"].events] == ["Tag hot", "Mail boss"]
    assert (await mautic.point_triggers.sync(renamed)).counts()["unchanged"] == 2

    # Fewer events than stored: failed with the reason, on every run.
    fewer = [{**desired[0], "events": [TAG]}, desired[1]]
    for _ in range(2):
        report = await mautic.point_triggers.sync(fewer)
        (failed,) = report.failed
        assert failed.key == "Hot"
        assert "cannot remove events through this API" in str(failed.error)
        assert report.counts()["unchanged"] == 1


async def test_deleting_a_group_deletes_its_triggers(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    group = emulator.add_point_group("Umbrellas")
    trigger = await mautic.point_triggers.create(
        {"name": "T", "group": group["id"], "events": [TAG]}
    )
    await mautic.point_groups.delete(group["id"])
    with pytest.raises(NotFoundError):
        await mautic.point_triggers.get(trigger.id)  # type: ignore[arg-type]


async def test_the_api_library_payload(mautic: MauticClient) -> None:
    """PointTriggersTest's payload (events with `order`): create, then PATCH the same
    events again, which adds them (no ids), in list order."""
    events = [
        {**TAG, "description": "created as a API test", "order": 1},
        {**MAIL, "description": "created as a API test", "order": 2},
    ]
    payload = {
        "name": "test",
        "description": "created as a API test",
        "points": 5,
        "color": "4e5d9d",
        "triggerExistingLeads": False,
        "events": events,
    }
    created = await mautic.point_triggers.create(payload)
    assert [e.name for e in created.events] == ["Tag hot", "Mail sales"]
    assert (created.color, created.trigger_existing_leads) == ("4e5d9d", False)
    edited = await mautic.point_triggers.edit(created.id, {"name": "test2", "events": events})
    assert edited.name == "test2"
    # Mautic's answer lists the kept events, then the new ones; `order` is the
    # position in this write's list, so it repeats (what api-library reads by index).
    assert [(e.order, e.name) for e in edited.events] == [
        (1, "Tag hot"),
        (2, "Mail sales"),
        (1, "Tag hot"),
        (2, "Mail sales"),
    ]
    assert edited.events[1].name == "Mail sales"
    again = await mautic.point_triggers.get(created.id)  # type: ignore[arg-type]
    assert [e.order for e in again.events] == [1, 1, 2, 2]  # read back by `order`
