"""mautic-points-api.md §2.2, §3.3, §5.2 (and ``FetchCommonApiController::
getEntitiesAction``): ``minimal=1`` swaps a list's ``…Details`` serializer group for
``…List``, which leaves out the detail-only fields; a single GET ignores it. Over
HTTP and through the client's ``list(minimal=True)``.
"""

from __future__ import annotations

import pytest

from mautic_async import MauticClient
from mautic_async.testing import MauticEmulator

from .conftest import Http

PUBLISH = [
    "isPublished",
    "dateAdded",
    "dateModified",
    "createdBy",
    "createdByUser",
    "modifiedBy",
    "modifiedByUser",
]


@pytest.fixture
def version() -> str:
    return "7.1.3"


async def test_minimal_point_list(http: Http, emulator: MauticEmulator) -> None:
    emulator.add_point(name="p", type="page.hit", delta=3)
    full = (await http("GET", "/api/points")).json["points"][0]
    assert {"delta", "properties", "repeatable", "publishUp", "publishDown"} <= set(full)
    reply = await http("GET", "/api/points", params={"minimal": "1"})
    assert list(reply.json["points"][0]) == [
        *PUBLISH,
        "id",
        "name",
        "category",
        "type",
        "description",
    ]
    for falsy in ("0", ""):
        again = await http("GET", "/api/points", params={"minimal": falsy})
        assert again.json["points"][0] == full
    one = await http("GET", "/api/points/1", params={"minimal": "1"})
    assert one.json["point"] == full


async def test_minimal_trigger_list_has_no_events(http: Http, emulator: MauticEmulator) -> None:
    emulator.add_trigger(name="t", points=5, events=[{"name": "e", "type": "x"}])
    reply = await http("GET", "/api/points/triggers", params={"minimal": "1"})
    assert list(reply.json["triggers"][0]) == [*PUBLISH, "id", "name", "category", "description"]


async def test_minimal_insight_list(http: Http, emulator: MauticEmulator) -> None:
    emulator.add_insight("i", None, [])
    reply = await http("GET", "/api/points/insights", params={"minimal": "1"})
    assert reply.json["insights"] == [{"id": 1, "name": "i", "category": None, "description": None}]


async def test_minimal_group_list_is_unchanged(http: Http, emulator: MauticEmulator) -> None:
    emulator.add_point_group("g")
    full = (await http("GET", "/api/points/groups")).json
    assert (await http("GET", "/api/points/groups", params={"minimal": "1"})).json == full


async def test_client_minimal_lists(mautic: MauticClient, emulator: MauticEmulator) -> None:
    emulator.add_point(name="p", type="page.hit", delta=3)
    emulator.add_trigger(name="t", points=5, events=[{"name": "e", "type": "x"}])
    emulator.add_insight("i", None, [])
    point = (await mautic.points.list(minimal=True)).items[0]
    assert (point.name, point.type, point.delta, point.repeatable) == ("p", "page.hit", None, None)
    trigger = (await mautic.point_triggers.list(minimal=True)).items[0]
    assert (trigger.name, trigger.points, trigger.events) == ("t", None, [])
    insight = (await mautic.point_insights.list(minimal=True)).items[0]
    assert (insight.name, insight.insight_type, insight.point_groups) == ("i", None, None)
    assert (await mautic.points.list()).items[0].delta == 3
