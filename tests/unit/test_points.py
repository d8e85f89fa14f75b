"""Point actions through the client, Mautic's answers faked (mautic-points-api.md §2)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from aioresponses import aioresponses

from mautic_async import (
    CreatedWithoutFieldsError,
    MauticClient,
    Point,
    PointData,
    ValidationError,
)

from .conftest import API, calls, only_call

POINTS = API + "points"


def point_json(**overrides: Any) -> dict[str, Any]:
    """A point action as Mautic 5 serialises it (17 keys, nulls present)."""
    point: dict[str, Any] = {
        "isPublished": True,
        "dateAdded": "2024-10-24T15:54:35+00:00",
        "dateModified": None,
        "createdBy": 1,
        "createdByUser": "Admin User",
        "modifiedBy": None,
        "modifiedByUser": None,
        "id": 4,
        "name": "Pricing page",
        "category": None,
        "type": "page.hit",
        "description": None,
        "publishUp": None,
        "publishDown": None,
        "delta": 5,
        "properties": [],
        "repeatable": False,
    }
    point.update(overrides)
    return point


async def test_get_reads_every_field(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(
        f"{POINTS}/4",
        payload={
            "point": point_json(
                publishUp="2024-10-24T15:00:00+00:00",
                properties={"page_url": "/pricing"},
                category={"id": 2, "title": "Web"},
            )
        },
    )
    point = await client.points.get(4)
    assert point == Point(
        id=4,
        name="Pricing page",
        type="page.hit",
        description=None,
        delta=5,
        repeatable=False,
        properties={"page_url": "/pricing"},
        category={"id": 2, "title": "Web"},
        publish_up=datetime(2024, 10, 24, 15, 0, tzinfo=timezone.utc),
        is_published=True,
        date_added=datetime(2024, 10, 24, 15, 54, 35, tzinfo=timezone.utc),
        created_by=1,
        created_by_user="Admin User",
    )
    assert point.group is None  # Mautic never sends it


async def test_empty_properties_array_reads_as_mapping(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.get(f"{POINTS}/4", payload={"point": point_json()})
    assert (await client.points.get(4)).properties == {}


async def test_create_resends_properties_with_a_patch(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(f"{POINTS}/new", status=201, payload={"point": point_json()})
    mock_http.patch(
        f"{POINTS}/4/edit", payload={"point": point_json(properties={"page_url": "/pricing"})}
    )
    point = await client.points.create(
        PointData("Pricing page", "page.hit", delta=5, properties={"page_url": "/pricing"}, group=7)
    )
    assert point.properties == {"page_url": "/pricing"}
    assert point.group == 7  # what was written, kept since Mautic never returns it
    post, patch = calls(mock_http)
    assert post.json == {
        "name": "Pricing page",
        "type": "page.hit",
        "delta": 5,
        "properties": {"page_url": "/pricing"},
        "group": 7,
    }
    assert (patch.method, patch.json) == ("PATCH", {"properties": {"page_url": "/pricing"}})


async def test_create_without_properties_sends_one_request(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(f"{POINTS}/new", status=201, payload={"point": point_json()})
    point = await client.points.create({"name": "Pricing page", "type": "page.hit"})
    assert point.id == 4
    assert only_call(mock_http).json == {"name": "Pricing page", "type": "page.hit"}


async def test_failed_properties_patch_names_the_created_point(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(f"{POINTS}/new", status=201, payload={"point": point_json(id=9)})
    mock_http.patch(
        f"{POINTS}/9/edit",
        status=400,
        payload={"errors": [{"code": 400, "message": "properties: bad", "details": {}}]},
    )
    with pytest.raises(CreatedWithoutFieldsError) as caught:
        await client.points.create({"name": "P", "type": "page.hit", "properties": {"x": 1}})
    assert caught.value.ids == (9,)
    assert caught.value.fields == ("properties",)
    assert "point 9 was created without its properties" in str(caught.value)
    assert "properties: bad" in str(caught.value)
    assert isinstance(caught.value.__cause__, ValidationError)


async def test_create_batch_resends_properties_per_created_item(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(
        f"{POINTS}/batch/new",
        status=201,
        payload={
            "points": [point_json(id=1, name="A"), point_json(id=2, name="B")],
            "statusCodes": [201, 201],
        },
    )
    mock_http.patch(f"{POINTS}/2/edit", payload={"point": point_json(id=2, properties={"x": 1})})
    result = await client.points.create_batch(
        [
            {"name": "A", "type": "page.hit", "group": 3},
            {"name": "B", "type": "page.hit", "properties": {"x": 1}},
        ]
    )
    assert [p.properties for p in result.succeeded] == [{}, {"x": 1}]
    assert [p.group for p in result.succeeded] == [3, None]
    patch = [c for c in calls(mock_http) if c.method == "PATCH"]
    assert [(c.path, c.json) for c in patch] == [("/api/points/2/edit", {"properties": {"x": 1}})]


async def test_create_batch_patch_failure_keeps_the_result(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(
        f"{POINTS}/batch/new",
        status=201,
        payload={"points": [point_json(id=1), point_json(id=2)], "statusCodes": [201, 201]},
    )
    mock_http.patch(f"{POINTS}/1/edit", status=500, payload={"errors": []})
    mock_http.patch(f"{POINTS}/2/edit", payload={"point": point_json(id=2, properties={"y": 2})})
    items = [
        {"name": "A", "type": "page.hit", "properties": {"x": 1}},
        {"name": "B", "type": "page.hit", "properties": {"y": 2}},
    ]
    with pytest.raises(CreatedWithoutFieldsError) as caught:
        await client.points.create_batch(items)
    assert caught.value.ids == (1,)
    assert [p.properties for p in caught.value.result.succeeded] == [{}, {"y": 2}]


async def test_replace_that_creates_resends_properties(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.put(f"{POINTS}/50/edit", status=201, payload={"point": point_json(id=51)})
    mock_http.patch(f"{POINTS}/51/edit", payload={"point": point_json(id=51, properties={"a": 1})})
    point = await client.points.replace(
        50, {"name": "P", "type": "page.hit", "properties": {"a": 1}}
    )
    assert (point.id, point.properties) == (51, {"a": 1})


async def test_replace_of_an_existing_point_sends_one_put(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.put(f"{POINTS}/4/edit", payload={"point": point_json(properties={"a": 1})})
    point = await client.points.replace(
        4, {"name": "P", "type": "page.hit", "properties": {"a": 1}}
    )
    assert point.properties == {"a": 1}
    assert only_call(mock_http).method == "PUT"


async def test_replace_batch_resends_only_for_created_items(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.put(
        f"{POINTS}/batch/edit",
        payload={"points": [point_json(id=4), point_json(id=60)], "statusCodes": [200, 201]},
    )
    mock_http.patch(f"{POINTS}/60/edit", payload={"point": point_json(id=60, properties={"a": 1})})
    result = await client.points.replace_batch(
        [
            {"id": 4, "name": "P", "type": "page.hit", "properties": {"a": 1}},
            {"id": 59, "name": "Q", "type": "page.hit", "properties": {"a": 1}},
        ]
    )
    assert [p.id for p in result.succeeded] == [4, 60]
    assert [c.path for c in calls(mock_http) if c.method == "PATCH"] == ["/api/points/60/edit"]


async def test_edit_keeps_the_written_group(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.patch(f"{POINTS}/4/edit", payload={"point": point_json()})
    assert (await client.points.edit(4, {"group": 8})).group == 8
    mock_http.patch(f"{POINTS}/4/edit", payload={"point": point_json()})
    assert (await client.points.edit(4, {"delta": 3})).group is None


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        pytest.param("2024-10-24 15:00", "2024-10-24 15:00", id="form-format"),
        pytest.param("2024-10-24T15:00:00+00:00", "2024-10-24 15:00", id="iso-as-returned"),
        pytest.param("2024-10-24T17:30:45+02:00", "2024-10-24 15:30", id="offset-to-utc"),
        pytest.param(datetime(2024, 10, 24, 15, 0, 59), "2024-10-24 15:00", id="naive-is-utc"),
        pytest.param(
            datetime(2024, 10, 24, 10, 0, tzinfo=timezone(timedelta(hours=-5))),
            "2024-10-24 15:00",
            id="aware",
        ),
        pytest.param(None, None, id="none-clears"),
    ],
)
async def test_publish_dates_go_in_as_form_dates(
    client: MauticClient, mock_http: aioresponses, given: Any, sent: Any
) -> None:
    mock_http.patch(f"{POINTS}/4/edit", payload={"point": point_json()})
    await client.points.edit(4, PointData(publish_up=given, publish_down=given))
    assert only_call(mock_http).json == {"publishUp": sent, "publishDown": sent}


def test_a_date_mautic_would_refuse_is_refused_before_sending() -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD HH:MM"):
        PointData(publish_up="next tuesday")
    with pytest.raises(TypeError, match="datetime"):
        PointData(publish_up=1700000000)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "error", "match"),
    [
        pytest.param({"name": "P"}, ValueError, "type is required", id="no-type"),
        pytest.param({"type": "page.hit"}, ValueError, "name is required", id="no-name"),
        pytest.param({"name": "P", "type": " "}, ValueError, "type must not", id="blank-type"),
        pytest.param(
            {"name": "P", "type": "t", "delta": "5"}, TypeError, "delta must be an int", id="str"
        ),
        pytest.param(
            {"name": "P", "type": "t", "repeatable": 1}, TypeError, "repeatable", id="int-bool"
        ),
        pytest.param({"name": "P", "type": "t", "group": 0}, ValueError, "group", id="group-0"),
        pytest.param(
            {"name": "P", "type": "t", "properties": []}, TypeError, "properties", id="list"
        ),
        pytest.param({"name": "P", "type": "t", "groupId": 3}, ValueError, "groupId", id="typo"),
    ],
)
async def test_bad_input_is_refused_before_sending(
    client: MauticClient, mock_http: aioresponses, data: dict[str, Any], error: type, match: str
) -> None:
    with pytest.raises(error, match=match):
        await client.points.create(data)
    assert not mock_http.requests


async def test_action_types(client: MauticClient, mock_http: aioresponses) -> None:
    types = {"form.submit": "Submits a form", "page.hit": "Visits a page"}
    mock_http.get(f"{POINTS}/actions/types", payload={"pointActionTypes": types})
    assert await client.points.action_types() == types
    assert only_call(mock_http).path == "/api/points/actions/types"


async def test_raw_action_types(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(f"{POINTS}/actions/types", payload={"pointActionTypes": {"a": "A"}})
    response = await client.points.with_raw_response.action_types()
    assert (response.status, response.parse()) == (200, {"a": "A"})


async def test_raw_create_refuses_properties_it_could_not_keep(
    client: MauticClient, mock_http: aioresponses
) -> None:
    with pytest.raises(ValueError, match="ignores properties on create"):
        await client.points.with_raw_response.create(
            {"name": "P", "type": "page.hit", "properties": {"a": 1}}
        )
    assert not mock_http.requests
    mock_http.post(f"{POINTS}/new", status=201, payload={"point": point_json()})
    response = await client.points.with_raw_response.create({"name": "P", "type": "page.hit"})
    assert response.status == 201


def test_with_options_rebinds_the_points_resources(client: MauticClient) -> None:
    quick = client.with_options(timeout=5)
    for name in ("points", "point_triggers", "point_insights"):
        assert getattr(quick, name)._client is quick
        assert getattr(client, name)._client is client
