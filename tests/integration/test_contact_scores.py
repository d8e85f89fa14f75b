"""Contact point-group scores, through the client, against the emulator."""

from __future__ import annotations

import pytest

from mautic_async import GroupScore, MauticClient, NotFoundError
from mautic_async.testing import MauticEmulator


async def _contact_and_groups(mautic: MauticClient, count: int = 2) -> tuple[int, list[int]]:
    contact = await mautic.contacts.create({"email": "someone@example.com"})
    assert contact.id is not None
    groups = [await mautic.point_groups.create({"name": f"Group {i}"}) for i in range(count)]
    return contact.id, [g.id for g in groups if g.id is not None]


async def test_the_arithmetic_sequence_from_mautics_own_test(mautic: MauticClient) -> None:
    contact_id, (first, second) = await _contact_and_groups(mautic)
    scores = mautic.contacts.point_group_scores(contact_id)
    steps = [
        (scores.plus(first, 10), 10),
        (scores.minus(first, 2), 8),
        (scores.divide(first, 2), 4),
        (scores.times(first, 4), 16),
        (scores.set(second, 21), 21),
    ]
    for call, expected in steps:
        result = await call
        assert isinstance(result, GroupScore)
        assert result.score == expected
    listed = await scores.list()
    assert {(s.group.id, s.score) for s in listed if s.group} == {(first, 16), (second, 21)}
    one = await scores.get(first)
    assert one is not None
    assert one.score == 16
    assert one.group is not None
    assert one.group.name == "Group 0"


async def test_adjust_with_log_names_and_negative_results(mautic: MauticClient) -> None:
    contact_id, (group, _) = await _contact_and_groups(mautic)
    scores = mautic.contacts.point_group_scores(contact_id)
    result = await scores.adjust(group, "minus", 5, event_name="Import", action_name="sync")
    assert result.score == -5


async def test_no_score_yet_is_none(mautic: MauticClient) -> None:
    contact_id, (group, _) = await _contact_and_groups(mautic)
    assert await mautic.contacts.point_group_scores(contact_id).get(group) is None
    assert await mautic.contacts.point_group_scores(contact_id).list() == []


async def test_unknown_contact_and_group_messages(mautic: MauticClient) -> None:
    contact_id, (group, _) = await _contact_and_groups(mautic)
    with pytest.raises(NotFoundError, match=r"Contact could not be found\."):
        await mautic.contacts.point_group_scores(98765).plus(group, 1)
    with pytest.raises(NotFoundError, match=r"The specified point group was not found\."):
        await mautic.contacts.point_group_scores(contact_id).plus(98765, 1)


async def test_divide_with_a_remainder_is_refused_before_sending(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    """Mautic would answer 500 and change nothing; the client says why instead."""
    contact_id, (group, _) = await _contact_and_groups(mautic)
    scores = mautic.contacts.point_group_scores(contact_id)
    await scores.set(group, 5)
    sent = len(emulator.requests)
    with pytest.raises(ValueError, match=r"score in group \d+ is 5, which 2 does not divide"):
        await scores.divide(group, 2)
    assert [r.method for r in emulator.requests[sent:]] == ["GET"]
    assert (await scores.get(group)).score == 5  # type: ignore[union-attr]
    assert (await scores.divide(group, 5)).score == 1


async def test_deleting_a_group_removes_its_scores(mautic: MauticClient) -> None:
    contact_id, (first, second) = await _contact_and_groups(mautic)
    scores = mautic.contacts.point_group_scores(contact_id)
    await scores.plus(first, 3)
    await scores.plus(second, 4)
    await mautic.point_groups.delete(first)
    assert [(s.group.id, s.score) for s in await scores.list()] == [(second, 4)]


async def test_contacts_create_get_delete(mautic: MauticClient) -> None:
    made = await mautic.contacts.create({"email": "c@example.com"})
    assert made.id is not None
    assert made.email == "c@example.com"
    assert (await mautic.contacts.get(made.id)).email == "c@example.com"
    gone = await mautic.contacts.delete(made.id)
    assert gone.id == made.id  # Mautic sends null; the id asked for is put back
    with pytest.raises(NotFoundError):
        await mautic.contacts.get(made.id)
