"""A contact's main points over real HTTP to the emulator (mautic-points-api.md §4)."""

from __future__ import annotations

import pytest

from mautic_async import APIRequest, MauticClient, NotFoundError, ValidationError
from mautic_async.testing import MauticEmulator


async def points_of(mautic: MauticClient, contact: int) -> int | None:
    return (await mautic.contacts.get(contact)).points


async def test_add_subtract_and_adjust(mautic: MauticClient, emulator: MauticEmulator) -> None:
    contact = emulator.add_contact("ann@example.com")
    assert await mautic.contacts.add_points(contact, 10, event_name="Webinar") is None
    assert await points_of(mautic, contact) == 10
    await mautic.contacts.subtract_points(contact, 3)
    assert await points_of(mautic, contact) == 7
    await mautic.contacts.adjust_points(contact, "times", 4)
    assert await points_of(mautic, contact) == 28
    await mautic.contacts.adjust_points(contact, "divide", 2)
    assert await points_of(mautic, contact) == 14


async def test_main_points_leave_group_scores_alone(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    contact = emulator.add_contact("ann@example.com")
    group = emulator.add_point_group("Umbrellas")
    await mautic.contacts.point_group_scores(contact).plus(group["id"], 4)
    await mautic.contacts.add_points(contact, 10)
    (score,) = await mautic.contacts.point_group_scores(contact).list()
    assert score.score == 4


async def test_delta_zero_sends_no_request(mautic: MauticClient, emulator: MauticEmulator) -> None:
    contact = emulator.add_contact("ann@example.com")
    before = len(emulator.requests)
    await mautic.contacts.add_points(contact, 0)
    assert len(emulator.requests) == before


async def test_set_is_refused_and_the_server_agrees(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    contact = emulator.add_contact("ann@example.com")
    with pytest.raises(ValueError, match="no 'set' operator"):
        await mautic.contacts.adjust_points(contact, "set", 5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Invalid operator"):
        await mautic.request(APIRequest("POST", f"api/contacts/{contact}/points/set/5"))


async def test_a_missing_contact_is_not_found_with_mautics_message(
    mautic: MauticClient,
) -> None:
    with pytest.raises(NotFoundError, match=r"Contact not found\."):
        await mautic.contacts.add_points(999, 5)
