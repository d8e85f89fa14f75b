"""Point actions through the client over real HTTP to the emulator
(mautic-points-api.md §2): every verb, the write-only group, properties dropped on
create, publish dates, batches, iterate, sync, and the group-delete cascade."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from mautic_async import (
    APIRequest,
    CreatedWithoutFieldsError,
    MauticClient,
    NotFoundError,
    PointData,
    ValidationError,
)
from mautic_async.testing import MauticEmulator


async def test_create_get_edit_replace_delete(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    group = emulator.add_point_group("Umbrellas")
    created = await mautic.points.create(
        PointData(
            "Pricing page",
            "page.hit",
            delta=5,
            group=group["id"],
            properties={"page_url": "/pricing"},
            publish_up=datetime(2024, 10, 24, 15, 0, 42, tzinfo=timezone.utc),
        )
    )
    assert created.id is not None
    assert (created.type, created.delta, created.is_published) == ("page.hit", 5, True)
    # Mautic drops properties on create; the client's follow-up PATCH stored them.
    assert created.properties == {"page_url": "/pricing"}
    assert created.group == group["id"]  # kept from what was sent
    assert created.publish_up == datetime(2024, 10, 24, 15, 0, tzinfo=timezone.utc)

    fetched = await mautic.points.get(created.id)
    assert fetched.properties == {"page_url": "/pricing"}
    assert fetched.group is None  # Mautic never returns it
    assert fetched.publish_up == created.publish_up

    edited = await mautic.points.edit(created.id, {"delta": 7, "repeatable": True})
    assert (edited.delta, edited.repeatable, edited.name) == (7, True, "Pricing page")

    replaced = await mautic.points.replace(created.id, {"name": "Pricing", "type": "form.submit"})
    assert (replaced.id, replaced.type, replaced.delta) == (created.id, "form.submit", 0)

    deleted = await mautic.points.delete(created.id)
    assert (deleted.id, deleted.name) == (created.id, "Pricing")
    with pytest.raises(NotFoundError, match=r"Item was not found\."):
        await mautic.points.get(created.id)


async def test_replace_of_a_missing_id_creates_with_properties(mautic: MauticClient) -> None:
    created = await mautic.points.replace(
        999, {"name": "New", "type": "form.submit", "properties": {"form": 3}}
    )
    assert created.id != 999
    assert (await mautic.points.get(created.id)).properties == {"form": 3}


async def test_without_the_follow_up_patch_properties_are_lost(
    mautic: MauticClient,
) -> None:
    """The quirk the resource works around, shown on the raw endpoint."""
    payload = await mautic.request(
        APIRequest(
            "POST",
            "api/points/new",
            json={"name": "Raw", "type": "page.hit", "properties": {"page_url": "/x"}},
        )
    )
    assert payload["point"]["properties"] == []


async def test_validation_errors_carry_mautics_messages(mautic: MauticClient) -> None:
    with pytest.raises(ValidationError) as caught:
        await mautic.points.create({"name": "P", "type": "no.such.action"})
    assert "type" in caught.value.details
    with pytest.raises(ValidationError, match="between -2147483648 and 2147483647"):
        await mautic.points.create({"name": "P", "type": "page.hit", "delta": 2147483657})
    with pytest.raises(ValidationError, match="group"):
        await mautic.points.create({"name": "P", "type": "page.hit", "group": 12345})


async def test_action_types(mautic: MauticClient) -> None:
    types = await mautic.points.action_types()
    assert types["form.submit"] == "Submits a form"
    assert "page.hit" in types


async def test_batches_list_and_iterate(mautic: MauticClient) -> None:
    result = await mautic.points.create_batch(
        [
            {"name": f"P{i}", "type": "page.hit", "delta": i, "properties": {"n": i}}
            for i in range(1, 6)
        ]
    )
    assert [p.properties for p in result.succeeded] == [{"n": i} for i in range(1, 6)]
    ids = [p.id for p in result.succeeded]
    page = await mautic.points.list(search="P", limit=2, order_by="id")
    assert (page.total, [p.id for p in page]) == (5, ids[:2])
    assert [p.id async for p in mautic.points.iterate(page_size=2, stable=True)] == ids
    edited = await mautic.points.edit_batch([{"id": ids[0], "delta": 50}])
    assert [p.delta for p in edited.succeeded] == [50]
    deleted = await mautic.points.delete_batch(ids[:2])
    assert [i.ok for i in deleted] == [True, True]
    assert (await mautic.points.list()).total == 3


async def test_sync_is_unchanged_on_the_second_run(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    group = emulator.add_point_group("Umbrellas")
    desired = [
        {
            "name": "Pricing page",
            "type": "page.hit",
            "delta": 5,
            "group": group["id"],  # write-only: sent, never compared
            "properties": {"page_url": "/pricing"},
            "publishUp": "2024-10-24 15:00",
        },
        {"name": "Newsletter", "type": "form.submit", "delta": 2},
    ]
    first = await mautic.points.sync(desired)
    assert first.counts()["created"] == 2, first
    stored = {p.name: p async for p in mautic.points.iterate()}
    assert stored["Pricing page"].properties == {"page_url": "/pricing"}
    second = await mautic.points.sync(desired)
    assert second.counts()["unchanged"] == 2, second
    changed = [{**desired[0], "delta": 6}, desired[1]]
    third = await mautic.points.sync(changed)
    assert (third.counts()["updated"], third.counts()["unchanged"]) == (1, 1)


async def test_deleting_a_group_deletes_its_points(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    group = emulator.add_point_group("Umbrellas")
    in_group = await mautic.points.create({"name": "A", "type": "page.hit", "group": group["id"]})
    alone = await mautic.points.create({"name": "B", "type": "page.hit"})
    await mautic.point_groups.delete(group["id"])
    with pytest.raises(NotFoundError):
        await mautic.points.get(in_group.id)  # type: ignore[arg-type]
    assert (await mautic.points.get(alone.id)).name == "B"  # type: ignore[arg-type]


async def test_a_failed_follow_up_patch_names_the_point_created_without_properties(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    """§2.3 over HTTP: the create succeeds, the PATCH that re-sends ``properties``
    fails; the error says so and gives the id, and the point really exists."""
    emulator.faults.add("PATCH", "/api/points/1/edit", status=400)
    with pytest.raises(CreatedWithoutFieldsError) as caught:
        await mautic.points.create({"name": "P", "type": "page.hit", "properties": {"a": 1}})
    assert caught.value.ids == (1,)
    assert caught.value.fields == ("properties",)
    assert "1" in str(caught.value)
    assert "properties" in str(caught.value)
    stored = await mautic.points.get(1)
    assert stored.properties == {}
