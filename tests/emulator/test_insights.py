"""Point Insights (Mautic 7, mautic-points-api.md section 5), over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from mautic_async.testing import MauticEmulator

from ._helpers import NOT_FOUND_BODY, Api

KEYS = [
    "id",
    "name",
    "category",
    "description",
    "insightType",
    "insightAction",
    "customField",
    "pointGroups",
]


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[MauticEmulator]:
    """Mautic 7 with a text field ``main_interest`` and two groups."""
    async with MauticEmulator(basic_auth={"admin": "secret"}, version="7.0.0") as emulator:
        emulator.add_contact_field("main_interest")
        emulator.add_point_group("Umbrellas")
        emulator.add_point_group("Boots")
        yield emulator


def invalid(field: str, message: str = "This value is not valid.") -> dict[str, Any]:
    return {
        "errors": [
            {
                "code": 400,
                "message": f"{field}: {message}",
                "details": {field: [message]},
                "type": None,
            }
        ]
    }


async def adjust(api: Api, contact: int, group: int, op: str, value: int) -> None:
    reply = await api("POST", f"/api/contacts/{contact}/points/groups/{group}/{op}/{value}")
    assert reply.status == 200, reply.raw


async def interest(api: Api, contact: int) -> Any:
    reply = await api("GET", f"/api/contacts/{contact}")
    return reply.json["contact"]["fields"]["all"]["main_interest"]


async def test_create_has_no_publish_fields(api: Api) -> None:
    body = {"name": "Main interest", "customField": "main_interest", "pointGroups": [1, 2]}
    reply = await api("POST", "/api/points/insights/new", json=body)
    assert reply.status == 201
    assert reply.headers["Location"] == "/api/points/insights/1"
    assert reply.json == {
        "insight": {
            "id": 1,
            "name": "Main interest",
            "category": None,
            "description": None,
            "insightType": "compare_point_groups",
            "insightAction": "set_custom_field",
            "customField": "main_interest",
            "pointGroups": [1, 2],
        }
    }
    listed = (await api("GET", "/api/points/insights")).json
    assert listed == {"total": 1, "insights": [reply.json["insight"]]}
    assert list(listed["insights"][0]) == KEYS


async def test_validation(api: Api, emu: MauticEmulator) -> None:
    emu.add_contact_field("hidden", is_published=False)
    emu.add_contact_field("age", type="number")
    reply = await api("POST", "/api/points/insights/new", json={})
    assert reply.json == invalid("name", "A name is required.")
    for field in ("nope", "hidden", "age", "email"):
        reply = await api(
            "POST", "/api/points/insights/new", json={"name": "I", "customField": field}
        )
        assert reply.json == invalid("customField"), field
    ok = await api(
        "POST", "/api/points/insights/new", json={"name": "I", "customField": "firstname"}
    )
    assert ok.status == 201
    for groups in ([1, 9], 1, "1|2"):
        reply = await api(
            "POST", "/api/points/insights/new", json={"name": "I", "pointGroups": groups}
        )
        assert reply.json == invalid("pointGroups"), groups
    reply = await api(
        "POST", "/api/points/insights/new", json={"name": "I", "insightType": "other"}
    )
    assert reply.json == invalid("insightType")
    reply = await api("POST", "/api/points/insights/new", json={"name": "I", "insightAction": ""})
    assert reply.json == invalid("insightAction", "An insight action is required.")
    reply = await api("POST", "/api/points/insights/new", json={"name": "I", "insightType": ""})
    assert reply.json == invalid("insightType", "An insight type is required.")
    form = await api("POST", "/api/points/insights/new", data={"name": "F", "pointGroups[]": "2"})
    assert form.json["insight"]["pointGroups"] == [2]


async def test_edit_delete_and_batch(api: Api) -> None:
    await api("POST", "/api/points/insights/new", json={"name": "I", "pointGroups": [1]})
    patched = await api("PATCH", "/api/points/insights/1/edit", json={"description": "d"})
    assert patched.json["insight"]["pointGroups"] == [1]
    full = {"name": "J", "insightType": "compare_point_groups", "insightAction": "set_custom_field"}
    put = await api("PUT", "/api/points/insights/1/edit", json=full)
    assert put.status == 200
    assert (put.json["insight"]["pointGroups"], put.json["insight"]["description"]) == ([], None)
    created = await api("PUT", "/api/points/insights/40/edit", json={"name": "New"})
    assert (created.status, created.json["insight"]["id"]) == (201, 2)
    await api("DELETE", "/api/points/insights/2/delete")
    deleted = await api("DELETE", "/api/points/insights/1/delete")
    assert deleted.status == 200
    assert deleted.json["insight"]["id"] is None
    assert (await api("GET", "/api/points/insights/1")).json == NOT_FOUND_BODY
    batch = await api("POST", "/api/points/insights/batch/new", json=[{"name": "A"}, {"name": ""}])
    assert batch.json["statusCodes"] == [201, 400]


async def test_put_without_type_fails_not_blank(api: Api) -> None:
    await api("POST", "/api/points/insights/new", json={"name": "I"})
    put = await api("PUT", "/api/points/insights/1/edit", json={"name": "J"})
    assert put.status == 400
    assert put.errors[0]["details"] == {
        "insightType": ["An insight type is required."],
        "insightAction": ["An insight action is required."],
    }


async def test_absent_before_mautic_7() -> None:
    async with MauticEmulator(basic_auth={"admin": "secret"}, version="5.1.1") as emu:
        import aiohttp

        from ._helpers import basic

        async with aiohttp.ClientSession() as session:
            for method, path in [
                ("GET", "/api/points/insights"),
                ("POST", "/api/points/insights/new"),
                ("GET", "/api/points/insights/1"),
            ]:
                async with session.request(method, emu.url + path, headers=basic()) as resp:
                    assert resp.status == 404
                    assert await resp.json() == {
                        "errors": [
                            {
                                "message": f"Requested URL not found: {path}",
                                "code": 404,
                                "type": None,
                            }
                        ]
                    }
        emu.add_contact_field("f")
        with pytest.raises(ValueError, match="need Mautic 7"):
            emu.add_insight("I", "f", [])


async def test_winner_is_written_and_readable_through_the_contact(
    api: Api, emu: MauticEmulator
) -> None:
    emu.add_insight("Main interest", "main_interest", [1, 2])
    contact = emu.add_contact("a@example.com")
    assert await interest(api, contact) is None
    await adjust(api, contact, 1, "plus", 5)
    assert await interest(api, contact) == "1 (Umbrellas)"
    await adjust(api, contact, 2, "plus", 8)
    assert await interest(api, contact) == "2 (Boots)"
    assert emu.contacts[contact]["fields"]["all"]["main_interest"] == "2 (Boots)"


async def test_zero_top_score_writes_nothing_and_negative_is_written(
    api: Api, emu: MauticEmulator
) -> None:
    emu.add_insight("I", "main_interest", [1, 2])
    contact = emu.add_contact()
    await adjust(api, contact, 1, "plus", 0)
    assert await interest(api, contact) is None
    await adjust(api, contact, 1, "minus", 3)  # Umbrellas -3, Boots (no score) 0
    assert await interest(api, contact) is None
    await adjust(api, contact, 2, "minus", 1)  # Umbrellas -3, Boots -1: top is -1
    assert await interest(api, contact) == "2 (Boots)"


async def test_ties_keep_a_value_or_take_the_lowest_group_id(api: Api, emu: MauticEmulator) -> None:
    emu.add_insight("I", "main_interest", [2, 1])
    fresh = emu.add_contact()
    emu.set_score(fresh, 2, 4)  # a direct write: no insight runs
    assert await interest(api, fresh) is None
    await adjust(api, fresh, 1, "set", 4)
    assert await interest(api, fresh) == "1 (Umbrellas)"
    await adjust(api, fresh, 2, "plus", 1)
    assert await interest(api, fresh) == "2 (Boots)"
    await adjust(api, fresh, 1, "plus", 1)  # tie 5/5: keep "2 (Boots)"
    assert await interest(api, fresh) == "2 (Boots)"


async def test_only_active_insights_listing_the_changed_group_run(
    api: Api, emu: MauticEmulator
) -> None:
    emu.add_contact_field("other")
    emu.add_point_group("Hats")
    emu.add_insight("Boots only", "main_interest", [2])
    emu.add_insight("Inactive", "other", [1, 3], is_published=False)
    contact = emu.add_contact()
    await adjust(api, contact, 1, "plus", 5)
    assert await interest(api, contact) is None
    await adjust(api, contact, 3, "plus", 9)
    fields = (await api("GET", f"/api/contacts/{contact}")).json["contact"]["fields"]["all"]
    assert (fields["main_interest"], fields["other"]) == (None, None)
    await adjust(api, contact, 2, "plus", 1)
    assert await interest(api, contact) == "2 (Boots)"


async def test_deleted_groups_are_ignored_and_main_points_run_nothing(
    api: Api, emu: MauticEmulator
) -> None:
    emu.add_insight("I", "main_interest", [1, 2])
    contact = emu.add_contact()
    emu.set_score(contact, 2, 50)
    await api("DELETE", "/api/points/groups/2/delete")
    assert emu.insights[1]["pointGroups"] == [1, 2]
    await api("POST", f"/api/contacts/{contact}/points/plus/10")
    assert await interest(api, contact) is None
    await adjust(api, contact, 1, "plus", 1)
    assert await interest(api, contact) == "1 (Umbrellas)"


async def test_core_text_field_and_contact_api_custom_values(api: Api, emu: MauticEmulator) -> None:
    emu.add_insight("I", "company", [1])
    reply = await api(
        "POST", "/api/contacts/new", json={"email": "c@example.com", "main_interest": "none"}
    )
    contact = reply.json["contact"]["id"]
    assert reply.json["contact"]["fields"]["all"]["main_interest"] == "none"
    await adjust(api, contact, 1, "plus", 2)
    fields = (await api("GET", f"/api/contacts/{contact}")).json["contact"]["fields"]["all"]
    assert (fields["company"], fields["main_interest"]) == ("1 (Umbrellas)", "none")


async def test_seeding(emu: MauticEmulator) -> None:
    insight = emu.add_insight("I", "main_interest", [1], description="d")
    assert list(insight) == KEYS
    assert emu.insights == {1: insight}
    with pytest.raises(ValueError, match="customField: This value is not valid"):
        emu.add_insight("I", "missing", [1])
    with pytest.raises(ValueError, match="already exists"):
        emu.add_contact_field("main_interest")
    with pytest.raises(ValueError, match="unknown contact fields: nope"):
        emu.add_contact("x@example.com", nope="1")
    field = emu.add_contact_field("color", type="select")
    assert field == {
        "id": 2,
        "label": "color",
        "alias": "color",
        "type": "select",
        "object": "lead",
        "isPublished": True,
    }
    contact = emu.add_contact("y@example.com", color="red")
    assert emu.contacts[contact]["fields"]["all"]["color"] == "red"
