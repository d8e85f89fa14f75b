"""Point-group CRUD routes: shapes, status codes, timestamps (spec sections 1.4, 1.5)."""

from __future__ import annotations

import re

from mautic_async.testing import MauticEmulator

from ._helpers import NOT_FOUND_BODY, Api

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
    "description",
]
PHP_DATE_C = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\Z")


async def test_create_returns_201_location_version_and_all_ten_keys(api: Api) -> None:
    reply = await api("POST", "/api/points/groups/new", json={"name": "A", "description": "D"})
    assert reply.status == 201
    assert reply.headers["Location"] == "/api/points/groups/1"
    assert reply.headers["Mautic-Version"] == "5.1.1"
    assert reply.headers["Content-Type"] == "application/json"
    group = reply.json["pointGroup"]
    assert list(group) == KEYS
    assert PHP_DATE_C.match(group["dateAdded"])
    assert {k: v for k, v in group.items() if k != "dateAdded"} == {
        "isPublished": True,
        "dateModified": None,
        "createdBy": 1,
        "createdByUser": "Admin User",
        "modifiedBy": None,
        "modifiedByUser": None,
        "id": 1,
        "name": "A",
        "description": "D",
    }


async def test_create_defaults_ignores_id_and_extra_keys(api: Api) -> None:
    reply = await api("POST", "/api/points/groups/new", json={"name": "A", "id": 99, "x": 1})
    group = reply.json["pointGroup"]
    assert (group["id"], group["description"], group["isPublished"]) == (1, None, True)


async def test_create_form_encoded_with_string_booleans(api: Api) -> None:
    for value, expected in [("0", False), ("no", False), ("false", False), ("yes", True)]:
        form = {"name": "F", "description": "", "isPublished": value}
        reply = await api("POST", "/api/points/groups/new", data=form)
        assert reply.status == 201
        assert reply.json["pointGroup"]["isPublished"] is expected
        assert reply.json["pointGroup"]["description"] is None


async def test_create_without_name_is_400_with_details(api: Api) -> None:
    for body in ({}, {"name": ""}, {"name": "   "}, {"name": "<b></b>"}):
        reply = await api("POST", "/api/points/groups/new", json=body)
        assert reply.status == 400
        assert reply.headers["Mautic-Version"] == "5.1.1"
        assert reply.json == {
            "errors": [
                {
                    "code": 400,
                    "message": "name: A name is required.",
                    "details": {"name": ["A name is required."]},
                    "type": None,
                }
            ]
        }


async def test_name_tags_are_stripped_and_description_kept(api: Api) -> None:
    group = await api.create("<b>Bold</b> &amp; co", description="<p>keep</p>")
    assert group["name"] == "Bold & co"
    assert group["description"] == "<p>keep</p>"


async def test_name_over_255_characters_is_a_500(api: Api) -> None:
    reply = await api("POST", "/api/points/groups/new", json={"name": "x" * 256})
    assert reply.status == 500
    assert await api.create("y" * 255)


async def test_get_one_and_missing(api: Api) -> None:
    created = await api.create("A")
    reply = await api("GET", "/api/points/groups/1")
    assert (reply.status, reply.json) == (200, {"pointGroup": created})
    missing = await api("GET", "/api/points/groups/2")
    assert (missing.status, missing.json) == (404, NOT_FOUND_BODY)
    assert missing.headers["Mautic-Version"] == "5.1.1"


async def test_patch_updates_partially_and_sets_modified(api: Api, emu: MauticEmulator) -> None:
    await api.create("A", description="D")
    emu.clock.advance(60)
    reply = await api("PATCH", "/api/points/groups/1/edit", json={"name": "B"})
    assert reply.status == 200
    group = reply.json["pointGroup"]
    assert (group["name"], group["description"], group["isPublished"]) == ("B", "D", True)
    assert (group["modifiedBy"], group["modifiedByUser"]) == (1, "Admin User")
    assert PHP_DATE_C.match(group["dateModified"])
    assert group["dateModified"] > group["dateAdded"]


async def test_patch_without_change_keeps_date_modified_null(api: Api) -> None:
    await api.create("A")
    reply = await api("PATCH", "/api/points/groups/1/edit", json={"name": "A"})
    group = reply.json["pointGroup"]
    assert group["dateModified"] is None
    assert group["modifiedByUser"] == "Admin User"


async def test_patch_missing_is_404(api: Api) -> None:
    reply = await api("PATCH", "/api/points/groups/7/edit", json={"name": "B"})
    assert (reply.status, reply.json) == (404, NOT_FOUND_BODY)


async def test_put_is_a_full_replace(api: Api) -> None:
    await api.create("A", description="D")
    reply = await api("PUT", "/api/points/groups/1/edit", json={"name": "B"})
    assert reply.status == 200
    group = reply.json["pointGroup"]
    assert (group["id"], group["name"], group["description"], group["isPublished"]) == (
        1,
        "B",
        None,
        False,
    )
    no_name = await api("PUT", "/api/points/groups/1/edit", json={"description": "x"})
    assert no_name.status == 400
    assert no_name.errors[0]["message"] == "name: A name is required."


async def test_put_on_missing_id_creates_with_new_id(api: Api) -> None:
    await api.create("A")
    reply = await api("PUT", "/api/points/groups/50/edit", json={"name": "New"})
    assert reply.status == 201
    assert reply.headers["Location"] == "/api/points/groups/2"
    group = reply.json["pointGroup"]
    assert (group["id"], group["isPublished"], group["description"]) == (2, True, None)


async def test_delete_returns_entity_with_null_id(api: Api, emu: MauticEmulator) -> None:
    created = await api.create("A", description="D")
    reply = await api("DELETE", "/api/points/groups/1/delete")
    assert reply.status == 200
    assert reply.json == {"pointGroup": {**created, "id": None}}
    assert emu.point_groups == {}
    again = await api("DELETE", "/api/points/groups/1/delete")
    assert (again.status, again.json) == (404, NOT_FOUND_BODY)
    assert (await api("GET", "/api/points/groups/1")).status == 404


async def test_ids_are_never_reused(api: Api) -> None:
    await api.create("A")
    await api("DELETE", "/api/points/groups/1/delete")
    assert (await api.create("B"))["id"] == 2


async def test_client_credentials_token_creates_as_pseudo_user(api: Api) -> None:
    token = await api.client_token()
    headers = {"Authorization": f"Bearer {token}"}
    reply = await api("POST", "/api/points/groups/new", json={"name": "A"}, headers=headers)
    group = reply.json["pointGroup"]
    assert (group["createdBy"], group["createdByUser"]) == (None, "client-id [client-id]")
    edit = await api("PATCH", "/api/points/groups/1/edit", json={"name": "B"}, headers=headers)
    group = edit.json["pointGroup"]
    assert (group["modifiedBy"], group["modifiedByUser"]) == (None, "client-id [client-id]")


async def test_list_has_same_keys_and_int_total(api: Api) -> None:
    assert (await api("GET", "/api/points/groups")).json == {"total": 0, "pointGroups": []}
    a = await api.create("A")
    b = await api.create("B")
    reply = await api("GET", "/api/points/groups")
    assert reply.status == 200
    assert reply.headers["Mautic-Version"] == "5.1.1"
    assert reply.json == {"total": 2, "pointGroups": [a, b]}


async def test_json_is_compact_with_escaped_slashes_and_unicode(api: Api) -> None:
    reply = await api("POST", "/api/points/groups/new", json={"name": "a/b é"})
    assert b'"name":"a\\/b \\u00e9"' in reply.raw
    assert b": " not in reply.raw
