"""``mautic/mautic`` ``app/bundles/PointBundle/Tests/Functional/
PointInsightsFunctionalTest.php`` (Mautic 7), with the entities seeded through the
emulator (as the PHP test persists them directly) and the scores changed through the
API (``PointGroupModel::adjustPoints`` is what ``POST /api/contacts/{id}/points/
groups/{g}/plus/{n}`` runs), then the custom field read back with
``GET /api/contacts/{id}`` (spec §5.3). Once over raw HTTP, once through
``mautic.contacts``.
"""

from __future__ import annotations

from typing import Any

import pytest

from mautic_async import MauticClient
from mautic_async.testing import MauticEmulator

from .conftest import Http


@pytest.fixture
def version() -> str:
    return "7.1.3"


def _insight(emulator: MauticEmulator, name: str, groups: list[int], alias: str) -> None:
    emulator.add_insight(
        name=name,
        description="Functional test insight",
        custom_field=alias,
        point_groups=groups,
    )


async def _plus(http: Http, contact: int, group: dict[str, Any], score: int) -> None:
    path = f"/api/contacts/{contact}/points/groups/{group['id']}/plus/{score}"
    reply = await http("POST", path)
    assert reply.status == 200, reply.text


async def _field(http: Http, contact: int, alias: str) -> Any:
    reply = await http("GET", f"/api/contacts/{contact}")
    assert reply.status == 200
    fields = reply.json["contact"]["fields"]
    # the flat map and Mautic's grouped form (``$contact->getFieldValue``) agree
    assert fields["core"][alias]["value"] == fields["all"][alias]
    return fields["all"][alias]


async def test_point_insight_execution_with_single_winner(
    http: Http, emulator: MauticEmulator
) -> None:
    group_a = emulator.add_point_group("Group A")
    group_b = emulator.add_point_group("Group B")
    contact = emulator.add_contact("winner@example.com")
    emulator.add_contact_field("winner_group")
    _insight(emulator, "Single Winner Test", [group_a["id"], group_b["id"]], "winner_group")

    await _plus(http, contact, group_a, 10)
    await _plus(http, contact, group_b, 5)

    assert await _field(http, contact, "winner_group") == f"{group_a['id']} (Group A)"


async def test_point_insight_execution_with_tie_breaker(
    http: Http, emulator: MauticEmulator
) -> None:
    group_a = emulator.add_point_group("Group A")
    group_b = emulator.add_point_group("Group B")
    group_c = emulator.add_point_group("Group C")
    contact = emulator.add_contact("tiebreaker@example.com")
    emulator.add_contact_field("tie_winner")
    ids = [group_a["id"], group_b["id"], group_c["id"]]
    _insight(emulator, "Tie Breaker Test", ids, "tie_winner")

    await _plus(http, contact, group_a, 10)
    await _plus(http, contact, group_b, 5)
    await _plus(http, contact, group_c, 10)

    winner = await _field(http, contact, "tie_winner")
    assert winner in (f"{group_a['id']} (Group A)", f"{group_c['id']} (Group C)")
    lowest = group_a if group_a["id"] < group_c["id"] else group_c
    assert winner == f"{lowest['id']} ({lowest['name']})"


async def test_point_insight_execution_for_multiple_contacts(
    http: Http, emulator: MauticEmulator
) -> None:
    group_a = emulator.add_point_group("Multi Group A")
    group_b = emulator.add_point_group("Multi Group B")
    emulator.add_contact_field("multi_winner")
    _insight(emulator, "Multiple Contacts Test", [group_a["id"], group_b["id"]], "multi_winner")
    contact1 = emulator.add_contact("multi1@example.com")
    contact2 = emulator.add_contact("multi2@example.com")
    contact3 = emulator.add_contact("multi3@example.com")

    await _plus(http, contact1, group_a, 20)
    await _plus(http, contact1, group_b, 10)
    await _plus(http, contact2, group_a, 5)
    await _plus(http, contact2, group_b, 15)
    await _plus(http, contact3, group_a, 12)
    await _plus(http, contact3, group_b, 12)

    assert await _field(http, contact1, "multi_winner") == f"{group_a['id']} (Multi Group A)"
    assert await _field(http, contact2, "multi_winner") == f"{group_b['id']} (Multi Group B)"
    lowest = group_a if group_a["id"] < group_b["id"] else group_b
    assert await _field(http, contact3, "multi_winner") == f"{lowest['id']} ({lowest['name']})"


async def test_client_single_winner_through_the_api(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    """The same scenario with every entity made through the client's names."""
    group_a = await mautic.point_groups.create({"name": "Group A"})
    group_b = await mautic.point_groups.create({"name": "Group B"})
    contact = emulator.add_contact("winner@example.com")
    emulator.add_contact_field("winner_group")
    insight = await mautic.point_insights.create(
        {
            "name": "Single Winner Test",
            "description": "Functional test insight",
            "insight_type": "compare_point_groups",
            "insight_action": "set_custom_field",
            "custom_field": "winner_group",
            "point_groups": [group_a.id, group_b.id],
        }
    )
    assert insight.point_groups == [group_a.id, group_b.id]
    scores = mautic.contacts.point_group_scores(contact)
    await scores.plus(group_a.id, 10)
    await scores.plus(group_b.id, 5)
    read = await mautic.contacts.get(contact)
    assert read.fields["all"]["winner_group"] == f"{group_a.id} (Group A)"
