"""Point Insights through the client, answers faked (mautic-points-api.md §5)."""

from __future__ import annotations

import pytest
from aioresponses import aioresponses

from mautic_async import (
    EndpointUnavailableError,
    MauticClient,
    NotFoundError,
    PointInsight,
    PointInsightData,
)

from .conftest import API, only_call, url_re

INSIGHTS = API + "points/insights"
INSIGHT = {
    "id": 12,
    "name": "Main interest",
    "category": None,
    "description": None,
    "insightType": "compare_point_groups",
    "insightAction": "set_custom_field",
    "customField": "main_interest",
    "pointGroups": [47, 48],
}


async def test_create_and_read(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.post(f"{INSIGHTS}/new", status=201, payload={"insight": INSIGHT})
    insight = await client.point_insights.create(
        PointInsightData("Main interest", custom_field="main_interest", point_groups=[47, 48])
    )
    assert insight == PointInsight(
        id=12,
        name="Main interest",
        insight_type="compare_point_groups",
        insight_action="set_custom_field",
        custom_field="main_interest",
        point_groups=[47, 48],
    )
    assert only_call(mock_http).json == {
        "name": "Main interest",
        "customField": "main_interest",
        "pointGroups": [47, 48],
    }


async def test_list_is_an_array(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(url_re("points/insights"), payload={"total": 1, "insights": [INSIGHT]})
    page = await client.point_insights.list()
    assert (page.total, [i.custom_field for i in page]) == (1, ["main_interest"])


async def test_a_5x_server_says_it_needs_mautic_7(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.get(
        url_re("points/insights"),
        status=404,
        payload={
            "errors": [
                {
                    "code": 404,
                    "message": "Requested URL not found: /api/points/insights",
                    "details": [],
                    "type": None,
                }
            ]
        },
    )
    with pytest.raises(EndpointUnavailableError) as caught:
        await client.point_insights.list()
    assert isinstance(caught.value, NotFoundError)
    assert "has no /api/points/insights endpoint" in str(caught.value)
    assert "needs Mautic 7.0 or later" in str(caught.value)


async def test_a_missing_insight_is_a_plain_not_found(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.get(
        f"{INSIGHTS}/5",
        status=404,
        payload={"errors": [{"code": 404, "message": "Item was not found.", "details": []}]},
    )
    with pytest.raises(NotFoundError) as caught:
        await client.point_insights.get(5)
    assert type(caught.value) is NotFoundError


@pytest.mark.parametrize("groups", ["1,2", [0], [True], 3])
def test_point_groups_must_be_ids(groups: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        PointInsightData("I", point_groups=groups)  # type: ignore[arg-type]
