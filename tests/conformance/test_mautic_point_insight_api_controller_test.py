"""``mautic/mautic`` ``app/bundles/PointBundle/Tests/Controller/Api/
PointInsightApiControllerTest.php`` (Mautic 7), over raw HTTP (form bodies, as
Symfony's test client sends them) and through ``mautic.point_insights``; and what a
5.x server answers instead (mautic-points-api.md §7).
"""

from __future__ import annotations

import pytest

from mautic_async import EndpointUnavailableError, MauticClient, NotFoundError

from .conftest import Http

UPDATED_NAME = "Updated Point Insight"
CREATE = {
    "name": "New Point Insight",
    "description": "Description of the new point insight",
    "insightType": "compare_point_groups",
    "insightAction": "set_custom_field",
}
UPDATE = {
    "name": UPDATED_NAME,
    "insightType": "compare_point_groups",
    "insightAction": "set_custom_field",
}


@pytest.fixture
def version() -> str:
    return "7.1.3"


async def test_point_insight_crud_actions(http: Http) -> None:
    reply = await http("POST", "/api/points/insights/new", data=CREATE)
    assert reply.status == 201, reply.text
    created = reply.json["insight"]
    assert "id" in created
    assert created["name"] == "New Point Insight"
    assert created["description"] == "Description of the new point insight"
    assert created["insightType"] == "compare_point_groups"
    assert created["insightAction"] == "set_custom_field"
    # §5.2: no publish fields at all
    assert not {"isPublished", "dateAdded", "createdBy"} & set(created)

    reply = await http("GET", "/api/points/insights")
    assert reply.status == 200
    body = reply.json
    assert "insights" in body
    assert body["total"] == 1
    assert isinstance(body["insights"], list)  # assertArrayHasKey(0, ...): a JSON array
    assert len(body["insights"]) == 1
    assert body["insights"][0]["insightType"] == "compare_point_groups"  # details in lists

    reply = await http("PATCH", f"/api/points/insights/{created['id']}/edit", data=UPDATE)
    assert reply.status == 200
    assert reply.json["insight"]["name"] == UPDATED_NAME

    reply = await http("DELETE", f"/api/points/insights/{created['id']}/delete")
    assert reply.status == 200
    assert reply.json["insight"]["name"] == UPDATED_NAME

    reply = await http("GET", f"/api/points/insights/{created['id']}")
    assert reply.status == 404
    errors = reply.json["errors"]
    assert len(errors) == 1
    assert errors[0]["code"] == 404
    assert errors[0]["message"] == "Item was not found."


async def test_client_point_insight_crud_actions(mautic: MauticClient) -> None:
    created = await mautic.point_insights.create(
        {
            "name": "New Point Insight",
            "description": "Description of the new point insight",
            "insight_type": "compare_point_groups",
            "insight_action": "set_custom_field",
        }
    )
    assert created.name == "New Point Insight"
    assert created.description == "Description of the new point insight"
    assert created.insight_type == "compare_point_groups"
    assert created.insight_action == "set_custom_field"
    page = await mautic.point_insights.list()
    assert page.total == 1
    assert [i.id for i in page.items] == [created.id]
    updated = await mautic.point_insights.edit(
        created.id,
        {
            "name": UPDATED_NAME,
            "insight_type": "compare_point_groups",
            "insight_action": "set_custom_field",
        },
    )
    assert updated.name == UPDATED_NAME
    deleted = await mautic.point_insights.delete(created.id)
    assert deleted.name == UPDATED_NAME
    with pytest.raises(NotFoundError) as caught:
        await mautic.point_insights.get(created.id)
    assert caught.value.status == 404
    assert caught.value.message == "Item was not found."
    assert not isinstance(caught.value, EndpointUnavailableError)  # Mautic 7 has the route


@pytest.mark.parametrize("version", ["5.1.1"])
async def test_mautic_5_has_no_insights(http: Http, mautic: MauticClient) -> None:
    reply = await http("POST", "/api/points/insights/new", data=CREATE)
    assert reply.status == 404
    assert reply.json["errors"][0]["message"].startswith("Requested URL not found")
    with pytest.raises(EndpointUnavailableError) as caught:
        await mautic.point_insights.list()
    assert isinstance(caught.value, NotFoundError)
    assert "Mautic 7" in str(caught.value)
    assert "/api/points/insights" in str(caught.value)
