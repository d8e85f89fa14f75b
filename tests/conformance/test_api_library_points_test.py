"""``mautic/api-library`` ``tests/Api/PointsTest.php`` (with ``MauticApiTestCase``'s
``standardTest*`` helpers), over raw HTTP and through ``mautic.points``.

The PHP test sends JSON bodies, lists with ``where``/``search``, batch-deletes with
``ids[0]=..``, and compares every payload key with ``assertSame``.
"""

from __future__ import annotations

from typing import Any

import pytest

from mautic_async import MauticClient, NotFoundError, PointData
from mautic_async.testing import MauticEmulator

from .conftest import Http, assert_errors, assert_payload

PAYLOAD: dict[str, Any] = {
    "name": "test",
    "delta": 5,
    "type": "page.hit",
    "description": "created as a API test",
}


async def _create(http: Http, payload: dict[str, Any] = PAYLOAD) -> dict[str, Any]:
    reply = await http("POST", "/api/points/new", json=payload)
    assert reply.status == 201, reply.text
    assert_errors(reply)
    point: dict[str, Any] = reply.json["point"]
    return point


# --- over HTTP, as the PHP test sends it -------------------------------------------


async def test_get_list(http: Http) -> None:
    await _create(http)
    reply = await http("GET", "/api/points")
    assert_errors(reply)
    assert "total" in reply.json
    assert "points" in reply.json
    # getCustomList with a WhereBuilder isNotEmpty on the payload's first key (name)
    query = {"where[0][col]": "name", "where[0][expr]": "isNotEmpty"}
    reply = await http("GET", "/api/points", params=query)
    assert_errors(reply)
    body = reply.json
    assert body["total"] == 1
    assert body["points"][0]["name"]


async def test_get_list_of_specific_ids(http: Http) -> None:
    ids = [(await _create(http))["id"] for _ in range(3)]
    await _create(http, {**PAYLOAD, "name": "not asked for"})
    reply = await http("GET", "/api/points", params={"search": "ids:" + ",".join(map(str, ids))})
    assert_errors(reply)
    assert reply.json["total"] == len(ids)
    for item in reply.json["points"]:
        assert item["id"] in ids
        assert_errors(await http("DELETE", f"/api/points/{item['id']}/delete"))


async def test_create_get_and_delete(http: Http) -> None:
    created = await _create(http)
    assert created["id"]
    assert_payload(created, PAYLOAD)
    reply = await http("GET", f"/api/points/{created['id']}")
    assert_errors(reply)
    assert_payload(reply.json["point"], PAYLOAD)
    reply = await http("DELETE", f"/api/points/{created['id']}/delete")
    assert reply.status == 200
    assert_errors(reply)
    assert reply.json["point"]["id"] is None
    assert (await http("GET", f"/api/points/{created['id']}")).status == 404


async def test_edit_patch(http: Http) -> None:
    reply = await http("PATCH", "/api/points/10000/edit", json=PAYLOAD)
    assert reply.status == 404
    assert reply.json["errors"][0]["message"] == "Item was not found."
    created = await _create(http)
    reply = await http("PATCH", f"/api/points/{created['id']}/edit", json={"name": "test2"})
    assert reply.status == 200
    assert_errors(reply)
    assert_payload(reply.json["point"], {"name": "test2"})
    assert_errors(await http("DELETE", f"/api/points/{created['id']}/delete"))


async def test_edit_put(http: Http) -> None:
    reply = await http("PUT", "/api/points/10000/edit", json=PAYLOAD)
    assert reply.status == 201
    assert_errors(reply)
    point = reply.json["point"]
    assert point["id"]
    assert point["id"] != 10000
    assert_payload(point, PAYLOAD)
    assert_errors(await http("DELETE", f"/api/points/{point['id']}/delete"))


async def test_get_point_action_types(http: Http) -> None:
    reply = await http("GET", "/api/points/actions/types")
    assert_errors(reply)
    types = reply.json["pointActionTypes"]
    assert types
    # the payload's type must be one of them, or every create above would fail
    assert PAYLOAD["type"] in types


async def test_batch_endpoints(http: Http) -> None:
    batch = [dict(PAYLOAD) for _ in range(3)]
    reply = await http("POST", "/api/points/batch/new", json=batch)
    assert reply.status == 201
    assert_errors(reply)
    created = reply.json["points"]
    assert len(created) == 3
    assert created[0]["id"]
    for item, payload in zip(created, batch, strict=True):
        assert_payload(item, payload)
    for item, payload in zip(created, batch, strict=True):
        payload["id"] = item["id"]
    reply = await http("PATCH", "/api/points/batch/edit", json=batch)
    assert reply.status == 200
    assert_errors(reply)
    assert len(reply.json["points"]) == 3
    for item, payload in zip(reply.json["points"], batch, strict=True):
        assert_payload(item, payload)
    ids = [p["id"] for p in batch]
    params = {f"ids[{n}]": str(i) for n, i in enumerate(ids)}
    reply = await http("DELETE", "/api/points/batch/delete", params=params)
    assert reply.status == 200
    assert_errors(reply)
    assert len(reply.json["points"]) == 3
    for item, payload in zip(reply.json["points"], batch, strict=True):
        assert_payload(item, payload)  # the ids too: serialized before deletion
    assert (await http("GET", "/api/points")).json["total"] == 0


# --- the same through mautic.points --------------------------------------------------


def _check(point: Any) -> None:
    assert point.id
    assert (point.name, point.delta, point.type, point.description) == (
        "test",
        5,
        "page.hit",
        "created as a API test",
    )


async def test_client_get_list(mautic: MauticClient) -> None:
    await mautic.points.create(PAYLOAD)  # type: ignore[arg-type]
    page = await mautic.points.list(where=[{"col": "name", "expr": "isNotEmpty"}])
    assert page.total == 1
    assert page.items[0].name == "test"


async def test_client_get_list_of_specific_ids(mautic: MauticClient) -> None:
    ids = [(await mautic.points.create(PointData(**PAYLOAD))).id for _ in range(3)]
    await mautic.points.create(PointData("other", "page.hit"))
    page = await mautic.points.list(search="ids:" + ",".join(map(str, ids)))
    assert page.total == 3
    assert sorted(p.id for p in page.items) == sorted(ids)


async def test_client_create_get_and_delete(mautic: MauticClient) -> None:
    created = await mautic.points.create(PAYLOAD)  # type: ignore[arg-type]
    _check(created)
    _check(await mautic.points.get(created.id))
    deleted = await mautic.points.delete(created.id)
    assert deleted.name == "test"
    with pytest.raises(NotFoundError) as caught:
        await mautic.points.get(created.id)
    assert caught.value.message == "Item was not found."


async def test_client_edit_patch(mautic: MauticClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await mautic.points.edit(10000, PAYLOAD)  # type: ignore[arg-type]
    assert caught.value.status == 404
    assert caught.value.message == "Item was not found."
    created = await mautic.points.create(PAYLOAD)  # type: ignore[arg-type]
    edited = await mautic.points.edit(created.id, {"name": "test2"})
    assert edited.name == "test2"
    assert edited.delta == 5
    await mautic.points.delete(edited.id)


async def test_client_edit_put(mautic: MauticClient) -> None:
    replaced = await mautic.points.replace(10000, PAYLOAD)  # type: ignore[arg-type]
    _check(replaced)
    assert replaced.id != 10000
    await mautic.points.delete(replaced.id)


async def test_client_get_point_action_types(mautic: MauticClient) -> None:
    types = await mautic.points.action_types()
    assert types
    assert "page.hit" in types


async def test_client_batch_endpoints(mautic: MauticClient, emulator: MauticEmulator) -> None:
    created = await mautic.points.create_batch([PAYLOAD] * 3)  # type: ignore[list-item]
    assert [i.status_code for i in created.items] == [201, 201, 201]
    points = [i.item for i in created.items]
    for point in points:
        _check(point)
    ids = [p.id for p in points if p is not None]
    edited = await mautic.points.edit_batch([{**PAYLOAD, "id": i} for i in ids])  # type: ignore[list-item]
    assert [i.status_code for i in edited.items] == [200, 200, 200]
    for item in edited.items:
        _check(item.item)
    deleted = await mautic.points.delete_batch(ids)
    assert sorted(i.item.id for i in deleted.items if i.item is not None) == sorted(ids)
    assert (await mautic.points.list()).total == 0
