"""``mautic/api-library`` ``tests/Api/ContactsTest.php``: ``testAddPoints`` and
``testSubtractPoints`` (the main-points endpoint, mautic-points-api.md §4), over raw
HTTP and through ``mautic.contacts.add_points``/``subtract_points``/``adjust_points``.
"""

from __future__ import annotations

import pytest

from mautic_async import MauticClient, NotFoundError
from mautic_async.testing import MauticEmulator

from .conftest import Http, assert_errors

PAYLOAD = {"firstname": "test", "lastname": "test", "email": "test@mautic.api"}


async def _contact(http: Http) -> dict[str, object]:
    reply = await http("POST", "/api/contacts/new", json=PAYLOAD)
    assert reply.status == 201, reply.text
    contact: dict[str, object] = reply.json["contact"]
    return contact


@pytest.mark.parametrize(("operator", "sign"), [("plus", 1), ("minus", -1)])
async def test_add_and_subtract_points(http: Http, operator: str, sign: int) -> None:
    contact = await _contact(http)
    reply = await http("POST", f"/api/contacts/{contact['id']}/points/{operator}/5")
    assert reply.status == 200
    assert_errors(reply)
    assert reply.json == {"success": 1}
    reply = await http("GET", f"/api/contacts/{contact['id']}")
    assert_errors(reply)
    assert reply.json["contact"]["points"] == contact["points"] + sign * 5  # type: ignore[operator]
    assert_errors(await http("DELETE", f"/api/contacts/{contact['id']}/delete"))


async def test_main_points_endpoint_rules(http: Http) -> None:
    """The checklist (§8.5): no ``set``; delta 0 is a no-op even for a bad operator;
    a missing contact is "Contact not found."."""
    contact = await _contact(http)
    reply = await http("POST", f"/api/contacts/{contact['id']}/points/set/5")
    assert reply.status == 400
    assert reply.json["errors"][0]["message"] == "Invalid operator"
    reply = await http("POST", f"/api/contacts/{contact['id']}/points/set/0")
    assert reply.status == 200
    assert reply.json == {"success": 1}
    reply = await http("POST", "/api/contacts/999/points/plus/5")
    assert reply.status == 404
    assert reply.json["errors"][0]["message"] == "Contact not found."
    # the group scores are untouched by main points (and the reverse)
    assert (await http("GET", f"/api/contacts/{contact['id']}/points/groups")).json == {
        "total": 0,
        "groupScores": [],
    }


async def test_client_add_and_subtract_points(mautic: MauticClient) -> None:
    contact = await mautic.contacts.create(PAYLOAD)
    assert await mautic.contacts.add_points(contact.id, 5) is None
    assert (await mautic.contacts.get(contact.id)).points == contact.points + 5
    assert await mautic.contacts.subtract_points(contact.id, 5, event_name="e") is None
    assert (await mautic.contacts.get(contact.id)).points == contact.points
    await mautic.contacts.adjust_points(contact.id, "plus", 3)
    await mautic.contacts.adjust_points(contact.id, "times", 4)
    await mautic.contacts.adjust_points(contact.id, "divide", 2)
    await mautic.contacts.adjust_points(contact.id, "minus", 1)
    assert (await mautic.contacts.get(contact.id)).points == contact.points + 5


async def test_client_main_points_rules(mautic: MauticClient, emulator: MauticEmulator) -> None:
    contact = await mautic.contacts.create(PAYLOAD)
    with pytest.raises(ValueError, match="set"):
        await mautic.contacts.adjust_points(contact.id, "set", 5)  # type: ignore[arg-type]
    with pytest.raises(NotFoundError) as caught:
        await mautic.contacts.add_points(999, 5)
    assert caught.value.message == "Contact not found."
    sent = len(emulator.requests)
    assert await mautic.contacts.add_points(999, 0) is None  # delta 0: Mautic does nothing
    assert len(emulator.requests) == sent  # so nothing is sent
