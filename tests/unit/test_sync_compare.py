"""How sync compares desired items with what Mautic holds: nested data by content,
write-only fields never, dates at minute precision, and children it cannot remove."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from mautic_async import Point, PointInsight, PointTrigger, TriggerEvent
from mautic_async._converter import converter
from mautic_async.models_points import PointData, PointInsightData, PointTriggerData
from mautic_async.resources import PointInsights, Points, PointTriggers
from mautic_async.sync import _cannot_apply, _differs, _with_child_ids

ADDED = datetime(2024, 10, 1, tzinfo=timezone.utc)
STORED = PointTrigger(
    id=3,
    name="Hot",
    points=50,
    events=[
        TriggerEvent(10, 1, "Tag", "lead.changetags", None, {"add_tags": ["hot"]}),
        TriggerEvent(11, 2, "Mail", "email.send", "x", {}),
    ],
    publish_up=datetime(2024, 10, 24, 15, 0, 0, tzinfo=timezone.utc),
    is_published=True,
    date_added=ADDED,
)


def point(**fields: Any) -> Point:
    return Point(id=1, name="P", type="page.hit", is_published=True, date_added=ADDED, **fields)


TRIGGERS = PointTriggers(None)  # type: ignore[arg-type]  # no requests: class settings only
POINTS = Points(None)  # type: ignore[arg-type]
INSIGHTS = PointInsights(None)  # type: ignore[arg-type]


def wire(data: Any) -> dict[str, Any]:
    payload: dict[str, Any] = converter.unstructure(data)
    return payload


def events(*items: dict[str, Any]) -> PointTriggerData:
    return PointTriggerData("Hot", events=list(items))


def test_equal_nested_events_are_unchanged() -> None:
    desired = events(
        {"name": "Tag", "type": "lead.changetags", "properties": {"add_tags": ["hot"]}},
        {"name": "Mail", "type": "email.send"},
    )
    assert not _differs(TRIGGERS, wire(desired), STORED)


@pytest.mark.parametrize(
    "second",
    [
        {"name": "Mail", "type": "email.open"},
        {"name": "Mail", "type": "email.send", "properties": {"email": 4}},
        {"name": "Mail", "type": "email.send", "description": "y"},
    ],
)
def test_a_changed_event_differs(second: dict[str, Any]) -> None:
    desired = events(
        {"name": "Tag", "type": "lead.changetags", "properties": {"add_tags": ["hot"]}}, second
    )
    assert _differs(TRIGGERS, wire(desired), STORED)


def test_events_in_another_order_differ() -> None:
    desired = events({"name": "Mail"}, {"name": "Tag"})
    assert _differs(TRIGGERS, wire(desired), STORED)


def test_more_events_differ_and_can_be_applied() -> None:
    desired = events({"name": "Tag"}, {"name": "Mail"}, {"name": "New", "type": "email.send"})
    assert _differs(TRIGGERS, wire(desired), STORED)
    assert _cannot_apply(wire(desired), STORED) is None


def test_fewer_events_cannot_be_applied() -> None:
    desired = events({"name": "Tag"})
    assert _differs(TRIGGERS, wire(desired), STORED)
    problem = _cannot_apply(wire(desired), STORED)
    assert problem is not None
    assert "Mautic holds 2 but 1 are desired" in problem
    assert "cannot remove events through this API" in problem


def test_updates_change_stored_events_in_place() -> None:
    desired = events({"name": "Tag2"}, {"name": "Mail"}, {"name": "New"})
    update = _with_child_ids(wire(desired), STORED)
    assert update["events"] == [
        {"name": "Tag2", "id": 10},
        {"name": "Mail", "id": 11},
        {"name": "New"},
    ]


def test_write_only_group_is_never_compared() -> None:
    desired = wire(PointTriggerData("Hot", points=50, group=4))
    assert not _differs(TRIGGERS, desired, STORED)
    assert PointTriggers.write_only == ("group",)


def test_fields_the_model_never_reads_back_are_not_compared() -> None:
    insight = PointInsight(1, "I", custom_field="f", point_groups=[1, 2])  # no publish fields
    assert not _differs(
        INSIGHTS, wire(PointInsightData("I", point_groups=[1, 2], is_published=False)), insight
    )
    assert _differs(INSIGHTS, wire(PointInsightData("I", point_groups=[2, 1])), insight)


@pytest.mark.parametrize(
    ("given", "differs"),
    [
        ("2024-10-24 15:00", False),
        (datetime(2024, 10, 24, 15, 0, 42), False),
        ("2024-10-24T17:00:00+02:00", False),
        ("2024-10-24 15:01", True),
        (None, True),
    ],
)
def test_dates_at_minute_precision(given: Any, differs: bool) -> None:
    assert _differs(TRIGGERS, wire(PointTriggerData("Hot", publish_up=given)), STORED) is differs


def test_a_date_set_where_none_is_stored_differs() -> None:
    assert _differs(POINTS, wire(PointData(publish_down="2024-10-24 15:00")), point())
    assert not _differs(POINTS, wire(PointData(publish_down=None)), point())


def test_nested_names_compare_as_mautic_stores_them() -> None:
    desired = events(
        {"name": " Tag &amp; <b>hot</b>", "type": "lead.changetags"},
        {"name": "Mail", "type": "email.send"},
    )
    stored = PointTrigger(
        id=3,
        name="Hot",
        events=[
            TriggerEvent(10, 1, "Tag & hot", "lead.changetags", None, {}),
            TriggerEvent(11, 2, "Mail", "email.send", None, {}),
        ],
        is_published=True,
        date_added=ADDED,
    )
    assert not _differs(TRIGGERS, wire(desired), stored)


def test_properties_compare_whole_and_empty_equals_php_empty_array() -> None:
    stored = point(properties={"a": 1, "b": 2})
    assert _differs(POINTS, wire(PointData(properties={"a": 1})), stored)
    assert not _differs(POINTS, wire(PointData(properties={"b": 2, "a": 1})), stored)
    assert not _differs(POINTS, wire(PointData(properties={})), point())
