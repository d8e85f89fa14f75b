"""Every Point Groups verb through the client, with Mautic's answers faked
(mautic-api.md sections 1, 3 and 7)."""

from __future__ import annotations

from typing import Any

import pytest
from aioresponses import aioresponses

from mautic_async import MauticClient, PointGroup, PointGroupData

from .conftest import GROUPS, group_json, only_call, url_re

LIST_RE = url_re("points/groups")


def query_pairs(mocked: aioresponses) -> list[tuple[str, str]]:
    return sorted(only_call(mocked).query.items())


async def test_get(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(f"{GROUPS}/5", payload={"pointGroup": group_json(id=5)})
    group = await client.point_groups.get(5)
    assert group == PointGroup(
        id=5,
        name="Group A",
        description="First",
        is_published=True,
        date_added=group.date_added,
        created_by=1,
        created_by_user="Admin User",
    )
    assert group.date_added is not None
    assert group.date_added.isoformat() == "2024-10-24T15:54:35+00:00"
    call = only_call(mock_http)
    assert (call.method, str(call.url), call.body) == ("GET", f"{GROUPS}/5", None)
    assert "Content-Type" not in call.headers


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({}, [], id="no-params"),
        pytest.param({"search": "Group"}, [("search", "Group")], id="search"),
        pytest.param({"start": 30, "limit": 10}, [("limit", "10"), ("start", "30")], id="paging"),
        pytest.param({"limit": 0}, [("limit", "0")], id="limit-0-means-all"),
        pytest.param({"start": 0}, [("start", "0")], id="start-0"),
        pytest.param({"order_by": "name"}, [("orderBy", "name")], id="order-by"),
        pytest.param({"order_by": "date_added"}, [("orderBy", "dateAdded")], id="order-by-snake"),
        pytest.param(
            {"order_by": ["is_published", "pl.date_added", "id"]},
            [("orderBy", "isPublished,pl.dateAdded,id")],
            id="order-by-list",
        ),
        pytest.param({"order_by_dir": "desc"}, [("orderByDir", "DESC")], id="dir-upper-cased"),
        pytest.param({"order_by_dir": "ASC"}, [("orderByDir", "ASC")], id="dir-asc"),
        pytest.param({"published_only": True}, [("published", "1")], id="published"),
        pytest.param({"published_only": False}, [], id="not-published-only"),
        pytest.param({"minimal": True}, [("minimal", "1")], id="minimal"),
        pytest.param(
            {"where": [{"col": "id", "expr": "gt", "val": 3}]},
            [("where[0][col]", "id"), ("where[0][expr]", "gt"), ("where[0][val]", "3")],
            id="where",
        ),
        pytest.param(
            {"where": [{"column": "id", "expr": "in", "value": "1,2"}]},
            [("where[0][column]", "id"), ("where[0][expr]", "in"), ("where[0][value]", "1,2")],
            id="where-long-keys",
        ),
        pytest.param(
            {
                "published_only": True,
                "where": [{"col": "name", "expr": "like", "val": "G%"}],
            },
            # Mautic skips its published filter when where is present: say it in where.
            [
                ("where[0][col]", "name"),
                ("where[0][expr]", "like"),
                ("where[0][val]", "G%"),
                ("where[1][col]", "isPublished"),
                ("where[1][expr]", "eq"),
                ("where[1][val]", "1"),
            ],
            id="published-with-where",
        ),
    ],
)
async def test_list_parameters(
    client: MauticClient,
    mock_http: aioresponses,
    kwargs: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    mock_http.get(LIST_RE, payload={"total": 0, "pointGroups": []})
    await client.point_groups.list(**kwargs)
    assert query_pairs(mock_http) == expected
    call = only_call(mock_http)
    assert call.path == "/api/points/groups"
    assert "publishedOnly" not in call.query


async def test_list_every_parameter_at_once(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(LIST_RE, payload={"total": 0, "pointGroups": []})
    await client.point_groups.list(
        search="Group",
        start=0,
        limit=30,
        order_by="name",
        order_by_dir="asc",
        published_only=True,
        minimal=True,
    )
    assert query_pairs(mock_http) == [
        ("limit", "30"),
        ("minimal", "1"),
        ("orderBy", "name"),
        ("orderByDir", "ASC"),
        ("published", "1"),
        ("search", "Group"),
        ("start", "0"),
    ]


async def test_search_with_plus_ampersand_and_percent_survives_encoding(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.get(LIST_RE, payload={"total": 0, "pointGroups": []})
    text = "a+b & c%20d=e#f"
    await client.point_groups.list(search=text)
    call = only_call(mock_http)
    assert call.query.getall("search") == [text]
    raw = call.url.raw_query_string
    assert "%2B" in raw  # a bare "+" would reach PHP as a space
    assert "%26" in raw
    assert "%2520" in raw
    assert "%23" in raw


@pytest.mark.parametrize(
    "collection",
    [
        pytest.param([group_json(id=1, name="A"), group_json(id=2, name="B")], id="array"),
        pytest.param(
            {"1": group_json(id=1, name="A"), "2": group_json(id=2, name="B")}, id="id-keyed"
        ),
    ],
)
async def test_list_returns_a_page(
    client: MauticClient, mock_http: aioresponses, collection: Any
) -> None:
    mock_http.get(LIST_RE, payload={"total": "7", "pointGroups": collection})
    page = await client.point_groups.list(limit=2)
    assert page.total == 7
    assert [(g.id, g.name) for g in page.items] == [(1, "A"), (2, "B")]


@pytest.mark.parametrize(
    "data",
    [
        PointGroupData("Group A", description="First"),
        {"name": "Group A", "description": "First"},
    ],
    ids=["attrs", "mapping"],
)
async def test_create(client: MauticClient, mock_http: aioresponses, data: Any) -> None:
    mock_http.post(f"{GROUPS}/new", status=201, payload={"pointGroup": group_json(id=11)})
    group = await client.point_groups.create(data)
    assert (group.id, group.name, group.description) == (11, "Group A", "First")
    call = only_call(mock_http)
    assert (call.method, str(call.url)) == ("POST", f"{GROUPS}/new")
    assert call.body == b'{"name":"Group A","description":"First"}'
    assert call.headers["Content-Type"] == "application/json"


async def test_create_with_camel_case_mapping_keys(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(f"{GROUPS}/new", status=201, payload={"pointGroup": group_json()})
    await client.point_groups.create({"name": "G", "isPublished": False, "description": None})
    assert only_call(mock_http).json == {"name": "G", "isPublished": False, "description": None}


@pytest.mark.parametrize(
    ("data", "body"),
    [
        ({"name": "Group B"}, {"name": "Group B"}),
        (PointGroupData(description=None), {"description": None}),
        ({"isPublished": False}, {"isPublished": False}),
        ({}, {}),
    ],
)
async def test_edit_sends_only_the_fields_set(
    client: MauticClient, mock_http: aioresponses, data: Any, body: dict[str, Any]
) -> None:
    mock_http.patch(f"{GROUPS}/5/edit", payload={"pointGroup": group_json(id=5, name="Group B")})
    group = await client.point_groups.edit(5, data)
    assert (group.id, group.name) == (5, "Group B")
    call = only_call(mock_http)
    assert (call.method, str(call.url)) == ("PATCH", f"{GROUPS}/5/edit")
    assert call.json == body
    assert call.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(("status", "new_id"), [(200, 5), (201, 42)])
async def test_replace_puts_the_whole_entity(
    client: MauticClient, mock_http: aioresponses, status: int, new_id: int
) -> None:
    # A PUT on a missing id creates a group with a new id, answered with 201.
    mock_http.put(
        f"{GROUPS}/5/edit",
        status=status,
        payload={"pointGroup": group_json(id=new_id, name="Group C", description=None)},
    )
    group = await client.point_groups.replace(5, PointGroupData("Group C"))
    assert (group.id, group.name, group.description) == (new_id, "Group C", None)
    call = only_call(mock_http)
    assert (call.method, str(call.url), call.json) == (
        "PUT",
        f"{GROUPS}/5/edit",
        {"name": "Group C"},
    )


async def test_delete_returns_the_group_with_the_id_asked_for(
    client: MauticClient, mock_http: aioresponses
) -> None:
    # Mautic sends the deleted entity with "id": null; the model's id: int holds.
    mock_http.delete(f"{GROUPS}/5/delete", payload={"pointGroup": group_json(id=None)})
    gone = await client.point_groups.delete(5)
    assert (gone.id, gone.name) == (5, "Group A")
    call = only_call(mock_http)
    assert (call.method, str(call.url), call.body) == ("DELETE", f"{GROUPS}/5/delete", None)


@pytest.mark.parametrize(
    "items",
    [
        [{"name": "A"}, PointGroupData("B", description="b")],
        [PointGroupData("A"), {"name": "B", "description": "b"}],
    ],
    ids=["mapping-first", "attrs-first"],
)
async def test_create_batch(client: MauticClient, mock_http: aioresponses, items: Any) -> None:
    mock_http.post(
        f"{GROUPS}/batch/new",
        status=201,
        payload={
            "pointGroups": [group_json(id=1, name="A"), group_json(id=2, name="B")],
            "statusCodes": [201, 201],
        },
    )
    result = await client.point_groups.create_batch(items)
    assert [(i.index, i.status_code, i.ok) for i in result] == [(0, 201, True), (1, 201, True)]
    assert [g.id for g in result.succeeded] == [1, 2]
    call = only_call(mock_http)
    assert (call.method, str(call.url)) == ("POST", f"{GROUPS}/batch/new")
    assert call.json == [{"name": "A"}, {"name": "B", "description": "b"}]


async def test_create_batch_reports_a_failed_item(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(
        f"{GROUPS}/batch/new",
        status=201,
        payload={
            "pointGroups": {"1": group_json(id=8, name="B")},
            "statusCodes": [400, 201],
            "errors": [
                {"code": 400, "message": "name: bad", "details": {"name": ["bad"]}, "type": None}
            ],
        },
    )
    result = await client.point_groups.create_batch([{"name": "<b></b>"}, {"name": "B"}])
    assert [(i.status_code, i.ok) for i in result] == [(400, False), (201, True)]
    assert result.failed[0].error is not None
    assert result.failed[0].error.details == {"name": ["bad"]}


@pytest.mark.parametrize(
    ("method", "items", "body"),
    [
        (
            "PATCH",
            [{"id": 1, "name": "A2"}, PointGroupData(id=2, is_published=False)],
            [{"name": "A2", "id": 1}, {"isPublished": False, "id": 2}],
        ),
        (
            "PUT",
            [PointGroupData("A3", id=1), {"id": 2, "name": "B3"}],
            [{"name": "A3", "id": 1}, {"name": "B3", "id": 2}],
        ),
    ],
    ids=["edit_batch", "replace_batch"],
)
async def test_edit_and_replace_batch(
    client: MauticClient, mock_http: aioresponses, method: str, items: Any, body: Any
) -> None:
    mock_http.add(
        f"{GROUPS}/batch/edit",
        method=method,
        payload={
            "pointGroups": {"0": group_json(id=1), "1": group_json(id=2)},
            "statusCodes": {"0": 200, "1": 200},
        },
    )
    resource = client.point_groups
    call_it = resource.edit_batch if method == "PATCH" else resource.replace_batch
    result = await call_it(items)
    assert [(i.status_code, i.ok) for i in result] == [(200, True), (200, True)]
    call = only_call(mock_http)
    assert (call.method, str(call.url), call.json) == (method, f"{GROUPS}/batch/edit", body)


async def test_edit_batch_missing_id_is_a_404_item(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.patch(
        f"{GROUPS}/batch/edit",
        payload={
            "pointGroups": [group_json(id=1)],
            "statusCodes": [200, 404],
            "errors": {"1": {"message": "Item was not found.", "code": 404, "type": "api"}},
        },
    )
    result = await client.point_groups.edit_batch([{"id": 1, "name": "A"}, {"id": 99, "name": "Z"}])
    assert [(i.status_code, i.ok) for i in result] == [(200, True), (404, False)]
    assert result[1].error is not None
    assert (result[1].error.message, result[1].error.type) == ("Item was not found.", "api")


async def test_delete_batch(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.delete(
        url_re("points/groups/batch/delete"),
        payload={"pointGroups": {"0": group_json(id=1), "2": group_json(id=3)}},
    )
    result = await client.point_groups.delete_batch([1, 2, 3])
    call = only_call(mock_http)
    assert (call.method, call.path, call.body) == (
        "DELETE",
        "/api/points/groups/batch/delete",
        None,
    )
    assert call.query.getall("ids") == ["1,2,3"]
    assert call.url.raw_query_string in ("ids=1,2,3", "ids=1%2C2%2C3")
    assert [(i.index, i.status_code, i.ok) for i in result] == [
        (0, 200, True),
        (1, 404, False),
        (2, 200, True),
    ]
    assert result[1].error is not None
    assert result[1].error.type == "missing"


@pytest.mark.parametrize("verb", ["create_batch", "edit_batch", "replace_batch", "delete_batch"])
async def test_empty_batches_send_nothing(
    client: MauticClient, mock_http: aioresponses, verb: str
) -> None:
    result = await getattr(client.point_groups, verb)([])
    assert len(result) == 0
    assert mock_http.requests == {}


async def test_a_batch_of_200_is_sent(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.post(
        f"{GROUPS}/batch/new",
        status=201,
        payload={
            "pointGroups": [group_json(id=n + 1) for n in range(200)],
            "statusCodes": [201] * 200,
        },
    )
    result = await client.point_groups.create_batch([{"name": f"G{n}"} for n in range(200)])
    assert len(result.succeeded) == 200
    assert len(only_call(mock_http).json) == 200


def test_resource_repr() -> None:
    mautic = MauticClient("https://mautic.example.com/mautic")
    assert (
        repr(mautic.point_groups)
        == "<PointGroups https://mautic.example.com/mautic/api/points/groups>"
    )
