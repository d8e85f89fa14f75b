"""Point Insights through the client over real HTTP to the emulator
(mautic-points-api.md §5): CRUD on Mautic 7, the clear error on 5.x, no publish
fields, choice validation, and evaluation read back through the contact."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from mautic_async import (
    APIRequest,
    BasicAuth,
    EndpointUnavailableError,
    MauticClient,
    NotFoundError,
    PointInsightData,
    ValidationError,
)
from mautic_async.testing import MauticEmulator

from .conftest import PASSWORD, USER


@pytest.fixture
async def mautic5() -> AsyncIterator[MauticClient]:
    async with (
        MauticEmulator(basic_auth={USER: PASSWORD}, version="5.1.1") as emu,
        MauticClient(emu.url, auth=BasicAuth(USER, PASSWORD)) as client,
    ):
        yield client


async def test_crud(mautic: MauticClient, emulator: MauticEmulator) -> None:
    emulator.add_contact_field("main_interest")
    a, b = emulator.add_point_group("A"), emulator.add_point_group("B")
    created = await mautic.point_insights.create(
        PointInsightData("Main interest", custom_field="main_interest", point_groups=[a["id"]])
    )
    assert (created.insight_type, created.insight_action) == (
        "compare_point_groups",
        "set_custom_field",
    )
    assert created.point_groups == [a["id"]]
    edited = await mautic.point_insights.edit(
        created.id,  # type: ignore[arg-type]
        {"pointGroups": [a["id"], b["id"]]},
    )
    assert edited.point_groups == [a["id"], b["id"]]
    page = await mautic.point_insights.list()
    assert [(i.name, i.custom_field) for i in page] == [("Main interest", "main_interest")]
    deleted = await mautic.point_insights.delete(created.id)  # type: ignore[arg-type]
    assert deleted.id == created.id  # Mautic sends null; the client puts the id back
    with pytest.raises(NotFoundError) as caught:
        await mautic.point_insights.get(created.id)  # type: ignore[arg-type]
    assert not isinstance(caught.value, EndpointUnavailableError)


async def test_no_publish_fields_come_back(mautic: MauticClient) -> None:
    payload = await mautic.request(
        APIRequest("POST", "api/points/insights/new", json={"name": "I", "isPublished": False})
    )
    assert not {"isPublished", "dateAdded", "createdBy"} & set(payload["insight"])


async def test_choices_are_validated(mautic: MauticClient, emulator: MauticEmulator) -> None:
    with pytest.raises(ValidationError, match="customField"):
        await mautic.point_insights.create({"name": "I", "customField": "no_such_field"})
    with pytest.raises(ValidationError, match="pointGroups"):
        await mautic.point_insights.create({"name": "I", "pointGroups": [999]})


async def test_a_5x_server_says_insights_need_mautic_7(mautic5: MauticClient) -> None:
    with pytest.raises(EndpointUnavailableError) as caught:
        await mautic5.point_insights.list()
    assert isinstance(caught.value, NotFoundError)
    assert "needs Mautic 7.0 or later" in str(caught.value)
    with pytest.raises(EndpointUnavailableError):
        await mautic5.point_insights.create({"name": "I"})


async def test_evaluation_writes_the_strongest_group(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    emulator.add_contact_field("main_interest")
    umbrellas = emulator.add_point_group("Umbrellas")
    boots = emulator.add_point_group("Boots")
    await mautic.point_insights.create(
        {
            "name": "Main interest",
            "customField": "main_interest",
            "pointGroups": [umbrellas["id"], boots["id"]],
        }
    )
    contact = emulator.add_contact("ann@example.com")
    scores = mautic.contacts.point_group_scores(contact)
    await scores.plus(boots["id"], 5)
    read = await mautic.contacts.get(contact)
    assert read.fields["all"]["main_interest"] == f"{boots['id']} (Boots)"
    await scores.plus(umbrellas["id"], 9)
    read = await mautic.contacts.get(contact)
    assert read.fields["all"]["main_interest"] == f"{umbrellas['id']} (Umbrellas)"
    # Main points never run insights.
    await mautic.contacts.add_points(contact, 100)
    assert (await mautic.contacts.get(contact)).fields["all"]["main_interest"] == (
        f"{umbrellas['id']} (Umbrellas)"
    )
