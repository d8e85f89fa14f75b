"""Point actions ``/api/points`` (mautic-points-api.md section 2), over real HTTP.

Ports the behaviours of Mautic's ``PointApiControllerFunctionalTest`` and the PHP
api-library's ``PointsTest`` as the spec describes them.
"""

from __future__ import annotations

import pytest

from mautic_async.testing import MauticEmulator
from mautic_async.testing._emulator import DEFAULT_VERSION

from ._helpers import GENERIC_500, NOT_FOUND_BODY, Api

KEYS = [
    "isPublished",
    "dateAdded",
    "dateModified",
    "createdBy",
    "createdByUser",
    "modifiedBy",
    "modifiedByUser",
    "id",
    "name",
    "category",
    "type",
    "description",
    "publishUp",
    "publishDown",
    "delta",
    "properties",
    "repeatable",
]
PAYLOAD = {"name": "Visit", "description": "created as a API test", "type": "page.hit"}


#: The newest version the emulator models (the conftest ``emu`` reads it).
EMULATOR_VERSION = DEFAULT_VERSION


async def create(api: Api, **fields: object) -> dict[str, object]:
    reply = await api("POST", "/api/points/new", json={**PAYLOAD, **fields})
    assert reply.status == 201, reply.raw
    point: dict[str, object] = reply.json["point"]
    return point


def error_body(message: str, details: dict[str, list[str]] | list[str]) -> dict[str, object]:
    return {"errors": [{"code": 400, "message": message, "details": details, "type": None}]}


async def test_create_201_with_location_all_keys_and_defaults(api: Api) -> None:
    reply = await api("POST", "/api/points/new", json=PAYLOAD)
    assert reply.status == 201
    assert reply.headers["Location"] == "/api/points/1"
    assert reply.headers["Mautic-Version"] == "7.1.3"
    assert b"error" not in reply.raw
    point = reply.json["point"]
    assert list(point) == KEYS
    assert {k: point[k] for k in KEYS if k != "dateAdded"} == {
        "isPublished": True,
        "dateModified": None,
        "createdBy": 1,
        "createdByUser": "Admin User",
        "modifiedBy": None,
        "modifiedByUser": None,
        "id": 1,
        "name": "Visit",
        "category": None,
        "type": "page.hit",
        "description": "created as a API test",
        "publishUp": None,
        "publishDown": None,
        "delta": 0,
        "properties": [],
        "repeatable": False,
    }


async def test_empty_body_names_both_required_fields(api: Api) -> None:
    reply = await api("POST", "/api/points/new", json={})
    assert reply.status == 400
    assert reply.json == error_body(
        "name: A name is required., type: A point action must be selected.",
        {"name": ["A name is required."], "type": ["A point action must be selected."]},
    )
    assert (await api("GET", "/api/points/1")).json == NOT_FOUND_BODY
    assert (await api("GET", "/api/points")).json == {"total": 0, "points": []}


async def test_unknown_type_and_group_are_invalid_choices(api: Api) -> None:
    reply = await api("POST", "/api/points/new", json={**PAYLOAD, "type": "nope"})
    assert reply.status == 400
    assert reply.json == error_body(
        "type: This value is not valid.", {"type": ["This value is not valid."]}
    )
    reply = await api("POST", "/api/points/new", json={**PAYLOAD, "group": 99})
    assert reply.json == error_body(
        "group: This value is not valid.", {"group": ["This value is not valid."]}
    )


@pytest.mark.parametrize("delta", [2147483647, -2147483648, 0, "12", 7])
async def test_delta_inside_the_int_range_is_accepted(api: Api, delta: object) -> None:
    point = await create(api, delta=delta)
    assert point["delta"] == int(str(delta))


@pytest.mark.parametrize("delta", [2147483657, -2147483658])
async def test_delta_outside_the_int_range_is_400(api: Api, delta: int) -> None:
    reply = await api("POST", "/api/points/new", json={**PAYLOAD, "delta": delta})
    assert reply.status == 400
    assert "This value should be between -2147483648 and 2147483647." in reply.raw.decode()
    assert reply.errors[0]["details"] == {
        "delta": ["This value should be between -2147483648 and 2147483647."]
    }


async def test_delta_not_a_number_is_400_and_fraction_rounds_half_up(api: Api) -> None:
    reply = await api("POST", "/api/points/new", json={**PAYLOAD, "delta": "ten"})
    assert reply.json == error_body(
        "delta: This value is not valid.", {"delta": ["This value is not valid."]}
    )
    assert (await create(api, delta=2.5))["delta"] == 3
    assert (await create(api, delta="-2.5"))["delta"] == -3


async def test_group_is_accepted_but_never_returned(api: Api, emu: MauticEmulator) -> None:
    group = emu.add_point_group("Umbrellas")
    point = await create(api, group=group["id"])
    assert "group" not in point
    got = await api("GET", f"/api/points/{point['id']}")
    assert "group" not in got.json["point"]
    assert (await create(api, group=str(group["id"])))["id"] == 2


async def test_properties_are_dropped_on_create_and_kept_on_edit(api: Api) -> None:
    point = await create(api, properties={"page": 3})
    assert point["properties"] == []
    path = f"/api/points/{point['id']}/edit"
    patched = await api("PATCH", path, json={"properties": {"page": 3}})
    assert patched.json["point"]["properties"] == {"page": 3}
    assert (await api("GET", f"/api/points/{point['id']}")).json["point"]["properties"] == {
        "page": 3
    }
    put = await api("PUT", "/api/points/50/edit", json={**PAYLOAD, "properties": {"a": 1}})
    assert put.status == 201
    assert put.json["point"]["properties"] == []


async def test_publish_dates_go_in_as_minutes_and_come_back_iso(api: Api) -> None:
    point = await create(api, publishUp="2024-10-24 15:00", publishDown="2025-01-02 03:04")
    assert point["publishUp"] == "2024-10-24T15:00:00+00:00"
    assert point["publishDown"] == "2025-01-02T03:04:00+00:00"
    for bad in ("2024-10-24T15:00:00+00:00", "2024-10-24 15:00:00", "tomorrow", "2024-13-01 00:00"):
        reply = await api("POST", "/api/points/new", json={**PAYLOAD, "publishUp": bad})
        assert reply.json == error_body(
            "publishUp: This value is not valid.", {"publishUp": ["This value is not valid."]}
        )


async def test_booleans_go_through_filter_validate_boolean(api: Api) -> None:
    point = await create(api, repeatable="yes", isPublished="0")
    assert (point["repeatable"], point["isPublished"]) == (True, False)
    form = {**PAYLOAD, "repeatable": "on", "delta": "4"}
    reply = await api("POST", "/api/points/new", data=form)
    assert (reply.json["point"]["repeatable"], reply.json["point"]["delta"]) == (True, 4)


async def test_unknown_category_is_a_500_showing_its_message(api: Api) -> None:
    reply = await api("POST", "/api/points/new", json={**PAYLOAD, "category": 3})
    assert reply.status == 500
    assert reply.json == {
        "errors": [{"message": "Category 3 does not exist", "code": 500, "type": None}]
    }
    assert (await api("GET", "/api/points")).json["total"] == 0
    assert (await create(api, category=0))["category"] is None


async def test_too_long_name_is_a_generic_500(api: Api) -> None:
    reply = await api("POST", "/api/points/new", json={**PAYLOAD, "name": "x" * 256})
    assert reply.status == 500
    assert reply.errors[0]["message"] == GENERIC_500


async def test_list_is_a_json_array_with_total_and_search(api: Api) -> None:
    await create(api, name="Alpha")
    await create(api, name="Beta")
    listed = (await api("GET", "/api/points")).json
    assert listed["total"] == 2
    assert [p["name"] for p in listed["points"]] == ["Alpha", "Beta"]
    found = (await api("GET", "/api/points", params={"search": "ids:2"})).json
    assert [p["id"] for p in found["points"]] == [2]
    found = (await api("GET", "/api/points", params={"search": "alp"})).json
    assert [p["id"] for p in found["points"]] == [1]


async def test_get_patch_put_delete(api: Api) -> None:
    point = await create(api, delta=5, repeatable=True)
    path = f"/api/points/{point['id']}"
    assert (await api("GET", "/api/points/9")).json == NOT_FOUND_BODY
    assert (await api("PATCH", "/api/points/9/edit", json={"name": "x"})).json == NOT_FOUND_BODY

    patched = await api("PATCH", path + "/edit", json={"name": "Renamed"})
    assert patched.status == 200
    assert (patched.json["point"]["name"], patched.json["point"]["delta"]) == ("Renamed", 5)
    assert patched.json["point"]["modifiedByUser"] == "Admin User"

    put = await api("PUT", path + "/edit", json={"name": "Full", "type": "form.submit"})
    assert put.status == 200
    body = put.json["point"]
    assert (body["delta"], body["repeatable"], body["isPublished"]) == (0, False, False)
    assert body["description"] is None

    missing_type = await api("PUT", path + "/edit", json={"name": "Full"})
    assert missing_type.json == error_body(
        "type: A point action must be selected.", {"type": ["A point action must be selected."]}
    )

    created = await api("PUT", "/api/points/77/edit", json=PAYLOAD)
    assert created.status == 201
    assert created.json["point"]["id"] == 2
    assert created.headers["Location"] == "/api/points/2"

    deleted = await api("DELETE", path + "/delete")
    assert deleted.status == 200
    assert deleted.json["point"]["id"] is None
    assert deleted.json["point"]["name"] == "Full"
    assert (await api("GET", path)).json == NOT_FOUND_BODY
    assert (await api("DELETE", path + "/delete")).json == NOT_FOUND_BODY


async def test_batch_endpoints(api: Api) -> None:
    reply = await api("POST", "/api/points/batch/new", json=[PAYLOAD, {"name": "No type"}, PAYLOAD])
    assert reply.status == 201
    assert reply.json["statusCodes"] == [201, 400, 201]
    assert set(reply.json["points"]) == {"0", "2"}
    assert reply.json["errors"]["1"]["message"] == "type: A point action must be selected."

    edits = [{"id": 1, "delta": 3}, {"id": 99, "name": "x"}]
    reply = await api("PATCH", "/api/points/batch/edit", json=edits)
    assert reply.status == 200
    assert reply.json["statusCodes"] == [200, 404]
    assert reply.json["points"][0]["delta"] == 3

    reply = await api("DELETE", "/api/points/batch/delete", params={"ids": "1,2,42"})
    assert reply.status == 200
    assert [p["id"] for p in reply.json["points"]] == [1, 2]
    assert (await api("GET", "/api/points")).json["total"] == 0


async def test_action_types(api: Api) -> None:
    reply = await api("GET", "/api/points/actions/types")
    assert reply.status == 200
    types = reply.json["pointActionTypes"]
    assert {"form.submit", "page.hit", "email.send", "email.open"} <= set(types)
    assert all(isinstance(label, str) and label for label in types.values())
    assert (await api("GET", "/api/points/actions/types", headers={})).status == 401


async def test_seeding_and_inspection(emu: MauticEmulator) -> None:
    group = emu.add_point_group("G")
    point = emu.add_point(
        "Seeded",
        "email.open",
        delta=4,
        group=group["id"],
        properties={"emails": [1]},
        publish_up="2024-01-02 03:04",
    )
    assert list(point) == KEYS
    assert (point["id"], point["createdBy"], point["delta"]) == (1, None, 4)
    assert point["properties"] == {"emails": [1]}
    assert point["publishUp"] == "2024-01-02T03:04:00+00:00"
    assert emu.points == {1: point}
    with pytest.raises(ValueError, match="A point action must be selected"):
        emu.add_point("Bad", "")
    with pytest.raises(ValueError, match="group: This value is not valid"):
        emu.add_point("Bad", group=42)
