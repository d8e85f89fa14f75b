"""Contact main points ``POST /api/contacts/{id}/points/{operator}/{delta}``
(mautic-points-api.md section 4, issue #10), over real HTTP."""

from __future__ import annotations

import pytest

from mautic_async.testing import MauticEmulator

from ._helpers import GENERIC_500_BODY, Api

SUCCESS = b'{"success":1}'


def error_body(message: str, code: int) -> dict[str, object]:
    return {"errors": [{"code": code, "message": message, "details": [], "type": None}]}


async def points(api: Api, contact: int) -> int:
    reply = await api("GET", f"/api/contacts/{contact}")
    value: int = reply.json["contact"]["points"]
    assert reply.json["contact"]["fields"]["all"]["points"] == value
    return value


async def test_plus_minus_times_divide(api: Api, emu: MauticEmulator) -> None:
    contact = emu.add_contact("a@example.com")
    steps = [("plus", "10", 10), ("minus", "2", 8), ("times", "4", 32), ("divide", "2", 16)]
    for operator, delta, expected in steps:
        reply = await api("POST", f"/api/contacts/{contact}/points/{operator}/{delta}")
        assert (reply.status, reply.raw) == (200, SUCCESS)
        assert await points(api, contact) == expected
    assert emu.scores == {}  # main points never touch group scores


@pytest.mark.parametrize(
    ("start", "delta", "expected"), [(7, 2, 3), (-7, 2, -3), (7, -2, -3), (1, 3, 0)]
)
async def test_divide_truncates_toward_zero(
    api: Api, emu: MauticEmulator, start: int, delta: int, expected: int
) -> None:
    contact = emu.add_contact()
    await api("POST", f"/api/contacts/{contact}/points/plus/{start}")
    reply = await api("POST", f"/api/contacts/{contact}/points/divide/{delta}")
    assert reply.status == 200
    assert await points(api, contact) == expected


async def test_set_and_unknown_operators_are_invalid(api: Api, emu: MauticEmulator) -> None:
    contact = emu.add_contact()
    for operator in ("set", "groups", "PLUS"):
        reply = await api("POST", f"/api/contacts/{contact}/points/{operator}/5")
        assert reply.status == 400
        assert reply.json == error_body("Invalid operator", 400)
    assert await points(api, contact) == 0
    # The gotcha: a group route without operator/value lands here.
    reply = await api("POST", f"/api/contacts/{contact}/points/groups/3")
    assert reply.json == error_body("Invalid operator", 400)


async def test_delta_zero_is_a_no_op_even_for_a_bad_operator(api: Api, emu: MauticEmulator) -> None:
    contact = emu.add_contact()
    for path in ("plus/0", "set/0", "groups/0", "divide/0", "times/-0", "plus/0.9"):
        reply = await api("POST", f"/api/contacts/{contact}/points/{path}")
        assert (reply.status, reply.raw) == (200, SUCCESS), path
    assert await points(api, contact) == 0


async def test_delta_is_cast_like_php(api: Api, emu: MauticEmulator) -> None:
    contact = emu.add_contact()
    assert (await api("POST", f"/api/contacts/{contact}/points/plus/5abc")).status == 200
    assert (await api("POST", f"/api/contacts/{contact}/points/minus/-2")).status == 200
    assert await points(api, contact) == 7
    reply = await api("POST", f"/api/contacts/{contact}/points/plus/abc")
    assert (reply.status, reply.json) == (500, GENERIC_500_BODY)


async def test_missing_contact_is_contact_not_found(api: Api, emu: MauticEmulator) -> None:
    reply = await api("POST", "/api/contacts/9/points/plus/5")
    assert reply.status == 404
    assert reply.json == error_body("Contact not found.", 404)
    assert (await api("POST", "/api/contacts/9/points/set/0")).status == 404
    # The group-score routes keep their own message.
    emu.add_point_group("G")
    reply = await api("POST", "/api/contacts/9/points/groups/1/plus/5")
    assert reply.json == error_body("Contact could not be found.", 404)


async def test_int_overflow_is_a_500(api: Api, emu: MauticEmulator) -> None:
    contact = emu.add_contact()
    await api("POST", f"/api/contacts/{contact}/points/plus/2147483647")
    reply = await api("POST", f"/api/contacts/{contact}/points/plus/1")
    assert reply.status == 500
    assert await points(api, contact) == 2147483647


async def test_group_score_divide_with_remainder_stays_a_500(api: Api, emu: MauticEmulator) -> None:
    contact = emu.add_contact()
    emu.add_point_group("G")
    await api("POST", f"/api/contacts/{contact}/points/groups/1/plus/5")
    reply = await api("POST", f"/api/contacts/{contact}/points/groups/1/divide/2")
    assert (reply.status, reply.json) == (500, GENERIC_500_BODY)
    assert emu.scores == {(contact, 1): 5}
    assert await points(api, contact) == 0  # group routes never change main points
