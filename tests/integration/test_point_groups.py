"""Every Point Groups operation, through the client, over HTTP to the emulator."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from mautic_async import (
    APIRequest,
    MauticClient,
    NotFoundError,
    PointGroup,
    PointGroupData,
    ValidationError,
)
from mautic_async.testing import MauticEmulator


async def test_create_get_and_the_ten_fields(mautic: MauticClient) -> None:
    made = await mautic.point_groups.create({"name": "Group A", "description": "First"})
    assert made.id is not None
    assert made.id > 0
    assert (made.name, made.description, made.is_published) == ("Group A", "First", True)
    assert isinstance(made.date_added, datetime)
    assert made.date_added.tzinfo is not None
    assert made.date_added.utcoffset() == timezone.utc.utcoffset(None)
    assert made.date_modified is None
    assert made.created_by_user  # the Basic user's full name
    fetched = await mautic.point_groups.get(made.id)
    assert fetched == made


async def test_create_with_the_attrs_class(mautic: MauticClient) -> None:
    made = await mautic.point_groups.create(
        PointGroupData("Unpublished", description=None, is_published=False)
    )
    assert (made.name, made.description, made.is_published) == ("Unpublished", None, False)


async def test_get_missing_raises_not_found_with_mautic_message(mautic: MauticClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await mautic.point_groups.get(999)
    exc = caught.value
    assert (exc.status, exc.method, exc.path) == (404, "GET", "/api/points/groups/999")
    assert exc.errors[0].message == "Item was not found."
    assert exc.errors[0].code == 404


async def test_list_filters_pages_and_orders(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    for name, published in [("Beta", True), ("Alpha", True), ("Gamma", False), ("Other", True)]:
        await mautic.point_groups.create({"name": name, "isPublished": published})

    everything = await mautic.point_groups.list()
    assert everything.total == 4
    assert len(everything.items) == 4

    page = await mautic.point_groups.list(search="a", order_by="name", order_by_dir="asc")
    assert [g.name for g in page.items] == ["Alpha", "Beta", "Gamma"]

    published = await mautic.point_groups.list(search="a", published_only=True)
    assert sorted(g.name for g in published.items) == ["Alpha", "Beta"]
    assert published.total == 2

    second = await mautic.point_groups.list(order_by="name", start=1, limit=2)
    assert second.total == 4  # total ignores start/limit
    assert [g.name for g in second.items] == ["Beta", "Gamma"]

    desc = await mautic.point_groups.list(order_by=["name"], order_by_dir="desc", limit=0)
    assert [g.name for g in desc.items] == ["Other", "Gamma", "Beta", "Alpha"]


async def test_search_by_ids_command(mautic: MauticClient) -> None:
    made = [await mautic.point_groups.create({"name": f"G{i}"}) for i in range(4)]
    page = await mautic.point_groups.list(search=f"ids:{made[1].id},{made[3].id}")
    assert sorted(g.id for g in page.items if g.id) == sorted([made[1].id, made[3].id])  # type: ignore[type-var]


async def test_published_only_still_filters_when_where_is_given(mautic: MauticClient) -> None:
    # Mautic drops its published filter whenever `where` is present; the client moves it
    # into `where` so the filter holds.
    for name, published in [("W1", True), ("W2", False), ("W3", True)]:
        await mautic.point_groups.create({"name": name, "isPublished": published})
    page = await mautic.point_groups.list(
        where=[{"col": "name", "expr": "like", "val": "W%"}], published_only=True
    )
    assert sorted(g.name for g in page.items) == ["W1", "W3"]


async def test_search_with_special_characters(mautic: MauticClient) -> None:
    await mautic.point_groups.create({"name": "A+B & C"})
    await mautic.point_groups.create({"name": "A B"})
    page = await mautic.point_groups.list(search="A+B")
    assert [g.name for g in page.items] == ["A+B & C"]


async def test_edit_is_partial(mautic: MauticClient) -> None:
    made = await mautic.point_groups.create({"name": "Keep", "description": "Old"})
    assert made.id is not None
    edited = await mautic.point_groups.edit(made.id, {"description": "New"})
    assert (edited.name, edited.description, edited.is_published) == ("Keep", "New", True)
    assert edited.date_modified is not None


async def test_edit_missing_id_is_not_found(mautic: MauticClient) -> None:
    with pytest.raises(NotFoundError):
        await mautic.point_groups.edit(4242, {"name": "X"})


async def test_replace_clears_what_is_left_out(mautic: MauticClient) -> None:
    made = await mautic.point_groups.create({"name": "Full", "description": "Goes away"})
    assert made.id is not None
    replaced = await mautic.point_groups.replace(made.id, {"name": "Replaced"})
    assert replaced.id == made.id
    assert (replaced.name, replaced.description, replaced.is_published) == (
        "Replaced",
        None,
        False,
    )


async def test_replace_on_a_missing_id_creates_with_a_new_id(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    await mautic.point_groups.create({"name": "First"})
    created = await mautic.point_groups.replace(777, {"name": "Made by PUT"})
    assert created.id not in (None, 777)
    assert (await mautic.point_groups.get(created.id)).name == "Made by PUT"  # type: ignore[arg-type]


async def test_delete_returns_the_group_with_the_id_asked_for(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    made = await mautic.point_groups.create({"name": "Doomed", "description": "Bye"})
    response = await mautic.point_groups.with_raw_response.delete(made.id)
    assert json.loads(response.content)["pointGroup"]["id"] is None  # as Mautic answers
    assert response.parse().id == made.id  # the model keeps id: int
    with pytest.raises(NotFoundError):
        await mautic.point_groups.get(made.id)
    made = await mautic.point_groups.create({"name": "Doomed", "description": "Bye"})
    gone = await mautic.point_groups.delete(made.id)
    assert gone.id == made.id
    assert (gone.name, gone.description) == ("Doomed", "Bye")
    with pytest.raises(NotFoundError):
        await mautic.point_groups.get(made.id)


async def test_server_validation_error_carries_details(mautic: MauticClient) -> None:
    # The client refuses a nameless create itself; a raw request shows what Mautic says.
    request = APIRequest("POST", "api/points/groups/new", json={"description": "no name"})
    with pytest.raises(ValidationError) as caught:
        await mautic.request(request)
    assert caught.value.status == 400
    assert caught.value.details == {"name": ["A name is required."]}
    assert str(caught.value) == "POST /api/points/groups/new -> 400: name: A name is required."


async def test_batch_create_reports_every_item(mautic: MauticClient) -> None:
    result = await mautic.point_groups.create_batch([{"name": "A"}, {"name": "B"}])
    assert [i.status_code for i in result] == [201, 201]
    assert [g.name for g in result.succeeded] == ["A", "B"]
    assert not result.failed


async def test_batch_edit_reports_missing_ids(mautic: MauticClient) -> None:
    made = await mautic.point_groups.create({"name": "Batch"})
    result = await mautic.point_groups.edit_batch(
        [{"id": 9999, "name": "Nope"}, {"id": made.id, "name": "Batch 2"}]
    )
    assert [i.status_code for i in result] == [404, 200]
    assert result[0].error is not None
    assert result[0].error.message == "Item was not found."
    assert result[1].item is not None
    assert result[1].item.name == "Batch 2"


async def test_batch_replace_creates_missing_ids(mautic: MauticClient) -> None:
    made = await mautic.point_groups.create({"name": "Old"})
    result = await mautic.point_groups.replace_batch(
        [{"id": made.id, "name": "New"}, {"id": 8888, "name": "Created"}]
    )
    assert [i.status_code for i in result] == [200, 201]
    assert result[1].item is not None
    assert result[1].item.id not in (None, 8888)


async def test_batch_delete_accounts_for_every_id(mautic: MauticClient) -> None:
    a = await mautic.point_groups.create({"name": "A"})
    b = await mautic.point_groups.create({"name": "B"})
    assert a.id is not None
    assert b.id is not None
    result = await mautic.point_groups.delete_batch([a.id, 5555, b.id])
    assert [i.status_code for i in result] == [200, 404, 200]
    assert [i.item.id if i.item else None for i in result] == [a.id, None, b.id]
    assert result[1].error is not None
    assert result[1].error.type == "missing"
    assert (await mautic.point_groups.list()).total == 0


async def test_oversized_batch_is_refused_before_sending(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    with pytest.raises(ValueError, match="200"):
        await mautic.point_groups.create_batch([{"name": f"G{i}"} for i in range(201)])
    assert emulator.requests == []


async def test_models_equal_across_list_and_get(mautic: MauticClient) -> None:
    made = await mautic.point_groups.create({"name": "Same"})
    listed = (await mautic.point_groups.list()).items[0]
    assert isinstance(listed, PointGroup)
    assert listed == made == await mautic.point_groups.get(made.id)  # type: ignore[arg-type]


async def test_an_unknown_order_by_column_is_refused_before_sending(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    with pytest.raises(ValueError, match=r"^order_by: 'nmae' is not a field Mautic can sort by"):
        await mautic.point_groups.list(order_by="nmae")
    assert emulator.requests == []
