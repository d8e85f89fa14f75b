"""Batch routes (spec section 7)."""

from __future__ import annotations

from mautic_async.testing import MauticEmulator

from ._helpers import Api

NAME_REQUIRED = {
    "code": 400,
    "message": "name: A name is required.",
    "details": {"name": ["A name is required."]},
    "type": None,
}
NOT_FOUND_ITEM = {"message": "Item was not found.", "code": 404, "type": "api"}
ID_MISSING_ITEM = {"message": "mautic.api.call.id_missing", "code": 400, "type": "api"}


async def test_batch_new_sequential_is_a_list(api: Api, emu: MauticEmulator) -> None:
    reply = await api("POST", "/api/points/groups/batch/new", json=[{"name": "A"}, {"name": "B"}])
    assert reply.status == 201
    assert reply.headers["Mautic-Version"] == "5.1.1"
    body = reply.json
    assert list(body) == ["pointGroups", "statusCodes"]
    assert [g["name"] for g in body["pointGroups"]] == ["A", "B"]
    assert body["statusCodes"] == [201, 201]
    assert sorted(emu.point_groups) == [1, 2]


async def test_batch_new_failed_item_turns_keys_into_object(api: Api) -> None:
    payload = [{"name": "A"}, {"description": "no name"}, {"name": "C"}]
    reply = await api("POST", "/api/points/groups/batch/new", json=payload)
    assert reply.status == 201
    body = reply.json
    assert sorted(body["pointGroups"]) == ["0", "2"]
    assert body["pointGroups"]["2"]["id"] == 2
    assert body["statusCodes"] == [201, 400, 201]
    assert body["errors"] == {"1": NAME_REQUIRED}


async def test_batch_new_first_item_failing_gives_error_list(api: Api) -> None:
    reply = await api("POST", "/api/points/groups/batch/new", json=[{}, {"name": "B"}])
    assert reply.json["errors"] == [NAME_REQUIRED]
    assert reply.json["pointGroups"] == {"1": reply.json["pointGroups"]["1"]}


async def test_batch_new_form_encoded_and_empty(api: Api) -> None:
    plain_text = await api("POST", "/api/points/groups/batch/new", data="0[name]=A")
    assert plain_text.json == {"pointGroups": [], "statusCodes": []}  # text/plain: not decoded
    form = {"0[name]": "A", "1[name]": "B", "1[isPublished]": "0"}
    reply = await api("POST", "/api/points/groups/batch/new", data=form)
    assert reply.status == 201
    assert [g["isPublished"] for g in reply.json["pointGroups"]] == [True, False]
    empty = await api("POST", "/api/points/groups/batch/new", json=[])
    assert (empty.status, empty.json) == (201, {"pointGroups": [], "statusCodes": []})


async def test_batch_limit_is_a_500_controller_error(api: Api, emu: MauticEmulator) -> None:
    too_many = [{"name": f"G{i}"} for i in range(201)]
    reply = await api("POST", "/api/points/groups/batch/new", json=too_many)
    assert reply.status == 500
    assert reply.headers["Mautic-Version"] == "5.1.1"
    assert reply.json == {
        "errors": [
            {
                "code": 500,
                "message": "A max of 200 entities are supported at a time.",
                "details": [],
                "type": None,
            }
        ]
    }
    assert emu.point_groups == {}
    exactly = await api("POST", "/api/points/groups/batch/new", json=too_many[:200])
    assert exactly.status == 201
    emu.settings.batch_max_limit = 2
    edit = await api("PATCH", "/api/points/groups/batch/edit", json=[{"id": 1}] * 3)
    assert edit.errors[0]["message"] == "A max of 2 entities are supported at a time."


async def test_batch_edit_patch(api: Api) -> None:
    await api.create("A")
    await api.create("B")
    payload = [{"id": 2, "name": "B2"}, {"id": 9, "name": "X"}, {"id": 1, "description": "d"}]
    reply = await api("PATCH", "/api/points/groups/batch/edit", json=payload)
    assert reply.status == 200
    body = reply.json
    assert sorted(body["pointGroups"]) == ["0", "2"]
    assert body["pointGroups"]["0"]["name"] == "B2"
    assert body["pointGroups"]["2"]["description"] == "d"
    assert body["statusCodes"] == [200, 404, 200]
    assert body["errors"] == {"1": NOT_FOUND_ITEM}


async def test_batch_edit_put_creates_missing_and_replaces(api: Api, emu: MauticEmulator) -> None:
    await api.create("A", description="D")
    payload = [{"id": 1, "name": "A2"}, {"id": 42, "name": "New"}]
    reply = await api("PUT", "/api/points/groups/batch/edit", json=payload)
    body = reply.json
    assert body["statusCodes"] == [200, 201]
    assert body["pointGroups"][0]["description"] is None  # full replace
    assert body["pointGroups"][1]["id"] == 2  # a new id, not 42
    assert "errors" not in body
    assert sorted(emu.point_groups) == [1, 2]


async def test_batch_edit_put_item_without_id(api: Api, emu: MauticEmulator) -> None:
    await api.create("A")
    reply = await api(
        "PUT", "/api/points/groups/batch/edit", json=[{"id": 1, "name": "A2"}, {"name": "N"}]
    )
    body = reply.json
    assert body["statusCodes"] == [200, 400]
    assert body["errors"] == {"1": ID_MISSING_ITEM}
    assert body["pointGroups"][1]["name"] == "N"
    assert emu.point_groups[2]["name"] == "N"


async def test_batch_edit_patch_item_without_id_is_not_found(api: Api) -> None:
    await api.create("A")
    reply = await api("PATCH", "/api/points/groups/batch/edit", json=[{"id": 1}, {"name": "N"}])
    assert reply.json["statusCodes"] == [200, 404]
    assert reply.json["errors"] == {"1": NOT_FOUND_ITEM}


async def test_batch_edit_validation_error_item(api: Api) -> None:
    await api.create("A")
    reply = await api("PUT", "/api/points/groups/batch/edit", json=[{"id": 1}])
    assert reply.json["statusCodes"] == [400]
    assert reply.json["errors"] == [NAME_REQUIRED]


async def test_batch_delete_serializes_before_deleting(api: Api, emu: MauticEmulator) -> None:
    a = await api.create("A")
    b = await api.create("B")
    reply = await api("DELETE", "/api/points/groups/batch/delete?ids=1,2")
    assert reply.status == 200
    assert reply.json == {"pointGroups": [a, b]}
    assert emu.point_groups == {}


async def test_batch_delete_skips_missing_ids(api: Api, emu: MauticEmulator) -> None:
    for name in "ABC":
        await api.create(name)
    reply = await api("DELETE", "/api/points/groups/batch/delete?ids=1,7,3")
    assert reply.status == 200
    body = reply.json
    assert list(body) == ["pointGroups"]
    assert {k: v["id"] for k, v in body["pointGroups"].items()} == {"0": 1, "2": 3}
    assert sorted(emu.point_groups) == [2]


async def test_batch_delete_other_id_forms(api: Api, emu: MauticEmulator) -> None:
    for name in "ABCD":
        await api.create(name)
    reply = await api("DELETE", "/api/points/groups/batch/delete?ids[]=1&ids[]=2")
    assert [g["id"] for g in reply.json["pointGroups"]] == [1, 2]
    reply = await api("DELETE", "/api/points/groups/batch/delete?ids=3")
    assert [g["id"] for g in reply.json["pointGroups"]] == [3]
    unparsable = await api("DELETE", "/api/points/groups/batch/delete?ids=abc")
    assert (unparsable.status, unparsable.json) == (200, {"pointGroups": []})
    # deleteEntitiesAction reads the query string only: a JSON body deletes nothing
    body_only = await api("DELETE", "/api/points/groups/batch/delete", json=[4])
    assert (body_only.status, body_only.json) == (200, {"pointGroups": []})
    assert sorted(emu.point_groups) == [4]


async def test_batch_edit_id_less_item_first_shifts_pairing(api: Api, emu: MauticEmulator) -> None:
    """BatchIdToEntityHelper pairs ids with request keys by position (Mautic quirk)."""
    await api.create("A")
    payload = [{"name": "N"}, {"id": 1, "name": "A2"}]
    reply = await api("PUT", "/api/points/groups/batch/edit", json=payload)
    body = reply.json
    assert body["statusCodes"] == [400, 201]
    assert body["errors"] == [ID_MISSING_ITEM]
    assert [(g["id"], g["name"]) for g in body["pointGroups"]] == [(1, "N"), (2, "A2")]
    assert {i: g["name"] for i, g in emu.point_groups.items()} == {1: "N", 2: "A2"}
