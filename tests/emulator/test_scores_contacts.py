"""Contacts and contact point-group scores (spec section 2)."""

from __future__ import annotations

import pytest

from mautic_async.testing import MauticEmulator

from ._helpers import GENERIC_500_BODY, NOT_FOUND_BODY, Api


def controller_error(message: str, code: int) -> dict[str, object]:
    return {"errors": [{"code": code, "message": message, "details": [], "type": None}]}


CONTACT_NOT_FOUND = controller_error("Contact could not be found.", 404)
GROUP_NOT_FOUND = controller_error("The specified point group was not found.", 404)
NOT_PERMITTED = controller_error("The requested operation is not permitted.", 400)


async def test_contact_create_get_delete(api: Api, emu: MauticEmulator) -> None:
    reply = await api("POST", "/api/contacts/new", json={"email": "a@example.com"})
    assert reply.status == 201
    assert reply.headers["Location"] == "/api/contacts/1"
    contact = reply.json["contact"]
    assert contact["id"] == 1
    assert contact["fields"]["all"]["email"] == "a@example.com"
    assert contact["createdByUser"] == "Admin User"
    got = await api("GET", "/api/contacts/1")
    assert (got.status, got.json) == (200, {"contact": contact})
    assert emu.contacts == {1: contact}
    deleted = await api("DELETE", "/api/contacts/1/delete")
    assert deleted.status == 200
    assert deleted.json["contact"]["id"] is None
    assert deleted.json["contact"]["fields"]["all"]["email"] == "a@example.com"
    missing = await api("GET", "/api/contacts/1")
    assert (missing.status, missing.json) == (404, NOT_FOUND_BODY)
    assert (await api("DELETE", "/api/contacts/1/delete")).status == 404


async def test_contact_with_known_email_is_updated(api: Api) -> None:
    first = await api("POST", "/api/contacts/new", json={"email": "a@example.com"})
    again = await api(
        "POST", "/api/contacts/new", data={"email": "A@example.com", "firstname": "Ann"}
    )
    assert again.status == 200
    assert again.json["contact"]["id"] == first.json["contact"]["id"]
    assert again.json["contact"]["fields"]["all"]["firstname"] == "Ann"


@pytest.fixture
def people(emu: MauticEmulator) -> MauticEmulator:
    """Contact 1, groups 1 ("Group A", description null) and 2 ("Group B", "")."""
    emu.add_contact("c@example.com")
    emu.add_point_group("Group A", None)
    emu.add_point_group("Group B", "")
    return emu


@pytest.mark.usefixtures("people")
async def test_score_arithmetic_sequence(api: Api, emu: MauticEmulator) -> None:
    steps = [("plus", "10", 10), ("minus", "2", 8), ("divide", "2", 4), ("times", "4", 16)]
    for operator, value, expected in steps:
        reply = await api("POST", f"/api/contacts/1/points/groups/1/{operator}/{value}")
        assert reply.status == 200
        assert reply.headers["Mautic-Version"] == "5.1.1"
        assert reply.json == {
            "groupScore": {"score": expected, "group": {"id": 1, "name": "Group A"}}
        }
    reply = await api("POST", "/api/contacts/1/points/groups/2/set/21")
    assert reply.json == {
        "groupScore": {"score": 21, "group": {"id": 2, "name": "Group B", "description": ""}}
    }
    reply = await api("POST", "/api/contacts/1/points/groups/2/minus/30")
    assert reply.json["groupScore"]["score"] == -9
    reply = await api("POST", "/api/contacts/1/points/groups/2/plus/-5")
    assert reply.json["groupScore"]["score"] == -14
    assert emu.scores == {(1, 1): 16, (1, 2): -14}


@pytest.mark.usefixtures("people")
async def test_score_reads(api: Api, emu: MauticEmulator) -> None:
    empty = await api("GET", "/api/contacts/1/points/groups")
    assert (empty.status, empty.json) == (200, {"total": 0, "groupScores": []})
    none = await api("GET", "/api/contacts/1/points/groups/1")
    assert (none.status, none.raw) == (200, b"[]")
    emu.set_score(1, 2, 21)
    emu.set_score(1, 1, 16)
    listing = await api("GET", "/api/contacts/1/points/groups")
    assert listing.json == {
        "total": 2,
        "groupScores": [
            {"score": 16, "group": {"id": 1, "name": "Group A"}},
            {"score": 21, "group": {"id": 2, "name": "Group B", "description": ""}},
        ],
    }
    one = await api("GET", "/api/contacts/1/points/groups/2")
    assert one.json == {
        "groupScore": {"score": 21, "group": {"id": 2, "name": "Group B", "description": ""}}
    }


@pytest.mark.usefixtures("people")
async def test_score_check_order(api: Api) -> None:
    cases = [
        ("GET", "/api/contacts/0/points/groups/0", 404, CONTACT_NOT_FOUND),
        ("GET", "/api/contacts/9/points/groups", 404, CONTACT_NOT_FOUND),
        ("GET", "/api/contacts/1/points/groups/0", 404, GROUP_NOT_FOUND),
        ("POST", "/api/contacts/9/points/groups/9/bogus/1", 404, CONTACT_NOT_FOUND),
        ("POST", "/api/contacts/1/points/groups/9/bogus/1", 404, GROUP_NOT_FOUND),
        ("POST", "/api/contacts/1/points/groups/1/bogus/1", 400, NOT_PERMITTED),
    ]
    for method, path, status, body in cases:
        reply = await api(method, path)
        assert (reply.status, reply.json) == (status, body), path


@pytest.mark.usefixtures("people")
async def test_score_uncaught_errors(api: Api, emu: MauticEmulator) -> None:
    emu.set_score(1, 1, 5)
    for path in (
        "/api/contacts/1/points/groups/1/divide/2",
        "/api/contacts/1/points/groups/1/divide/0",
        "/api/contacts/1/points/groups/1/plus/abc",
        "/api/contacts/9/points/groups/1/plus/abc",
    ):
        reply = await api("POST", path)
        assert (reply.status, reply.json) == (500, GENERIC_500_BODY), path
        assert "Mautic-Version" not in reply.headers
    assert emu.scores == {(1, 1): 5}


@pytest.mark.usefixtures("people")
async def test_old_adjust_points_route_gotcha(api: Api) -> None:
    reply = await api("POST", "/api/contacts/1/points/groups/5")
    assert (reply.status, reply.json) == (400, controller_error("Invalid operator", 400))
    reply = await api("POST", "/api/contacts/1/points/groups/0")
    assert (reply.status, reply.json) == (200, {"success": 1})
    reply = await api("POST", "/api/contacts/1/points/plus/3")
    assert (reply.status, reply.json) == (200, {"success": 1})
    assert (await api("GET", "/api/contacts/1")).json["contact"]["points"] == 3


@pytest.mark.usefixtures("people")
async def test_deleting_group_or_contact_removes_scores(api: Api, emu: MauticEmulator) -> None:
    emu.add_contact("d@example.com")
    for contact, group in [(1, 1), (1, 2), (2, 1), (2, 2)]:
        emu.set_score(contact, group, 1)
    await api("DELETE", "/api/points/groups/1/delete")
    assert emu.scores == {(1, 2): 1, (2, 2): 1}
    await api("DELETE", "/api/contacts/2/delete")
    assert emu.scores == {(1, 2): 1}
    await api("DELETE", "/api/points/groups/batch/delete?ids=2")
    assert emu.scores == {}


async def test_contact_fields_are_also_grouped_as_mautic_sends_them(
    api: Api, emu: MauticEmulator
) -> None:
    emu.add_contact_field("main_interest")
    reply = await api(
        "POST", "/api/contacts/new", json={"email": "a@example.com", "main_interest": "Boots"}
    )
    fields = reply.json["contact"]["fields"]
    assert fields["core"]["email"]["value"] == "a@example.com"
    assert fields["core"]["main_interest"] == {
        "alias": "main_interest",
        "group": "core",
        "value": "Boots",
        "normalizedValue": "Boots",
    }
    assert "id" not in fields["core"]
    assert (fields["social"], fields["personal"], fields["professional"]) == ([], [], [])
