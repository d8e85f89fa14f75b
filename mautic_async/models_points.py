"""Models of the points domain: point actions, point triggers and their events, and
Point Insights (mautic-points-api.md sections 2, 3 and 5).

Response models follow :mod:`mautic_async.models`: frozen, every field optional,
unknown keys ignored. Request classes default every field to :data:`UNSET`.

Quirks of Mautic the models carry:

- ``group`` (a point group id) can be written on points and triggers but Mautic never
  sends it back. The resources keep the value the caller wrote on the entity they
  return; an entity read with ``get``/``list`` has ``group`` ``None`` (unknown).
- ``publish_up``/``publish_down`` are written as ``"YYYY-MM-DD HH:MM"`` (a ``datetime``
  or an ISO 8601 string is converted, to UTC, to that form) and come back as ISO 8601.
- Point Insights carry no publish fields at all (``is_published`` can be written, but
  is never returned).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from ._audit import PublishDetails, publish_details_last
from ._converter import from_caller_mapping
from ._unset import UNSET, Unset
from ._validation import (
    form_date,
    id_list,
    is_bool,
    is_int,
    non_blank_str,
    optional_id,
    optional_mapping,
    optional_str,
    positive_id,
)

__all__ = [
    "Point",
    "PointData",
    "PointInsight",
    "PointInsightData",
    "PointTrigger",
    "PointTriggerData",
    "TriggerEvent",
    "TriggerEventData",
]


@attrs.frozen(field_transformer=publish_details_last)
class Point(PublishDetails):
    """A point action, as ``GET /api/points/{id}`` returns it (publish fields inherited).

    ``type`` is the action's key (see ``mautic.points.action_types()``), ``delta`` the
    points it gives, ``properties`` the action's own settings. ``category`` is Mautic's
    nested category object, or ``None``. ``group`` is the point group id the caller
    wrote, never read from Mautic (see the module docs).
    """

    id: int | None = None
    name: str | None = None
    description: str | None = None
    type: str | None = None
    delta: int | None = None
    repeatable: bool | None = None
    properties: Mapping[str, Any] = attrs.field(factory=dict)
    category: Mapping[str, Any] | None = None
    publish_up: datetime | None = None
    publish_down: datetime | None = None
    group: int | None = None


@attrs.frozen
class PointData:
    """What to write to a point action: for ``create``, ``edit``, ``replace``, batches.

    ``name`` and ``type`` are required to create one. ``group`` is a point group id
    (``None`` clears it): the action then scores in that group only, not the main
    points. ``properties`` are dropped by Mautic on create; the client sends them again
    with a PATCH right after (see :class:`~mautic_async.resources.points.Points`).
    """

    name: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)
    type: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)
    description: str | Unset | None = attrs.field(default=UNSET, validator=optional_str)
    delta: int | Unset = attrs.field(default=UNSET, validator=is_int)
    repeatable: bool | Unset = attrs.field(default=UNSET, validator=is_bool)
    is_published: bool | Unset = attrs.field(default=UNSET, validator=is_bool)
    properties: Mapping[str, Any] | Unset = attrs.field(default=UNSET, validator=optional_mapping)
    category: int | Unset | None = attrs.field(default=UNSET, validator=optional_id)
    publish_up: str | datetime | Unset | None = attrs.field(default=UNSET, converter=form_date)
    publish_down: str | datetime | Unset | None = attrs.field(default=UNSET, converter=form_date)
    group: int | Unset | None = attrs.field(default=UNSET, validator=optional_id)
    id: int | Unset = attrs.field(default=UNSET, validator=positive_id, kw_only=True)


@attrs.frozen
class TriggerEvent:
    """One event of a point trigger (what happens when the threshold is reached).

    ``order`` is its 1-based position; Mautic rewrites it from the position in the last
    write. No publish fields.
    """

    id: int | None = None
    name: str | None = None
    description: str | None = None
    type: str | None = None
    order: int | None = None
    properties: Mapping[str, Any] = attrs.field(factory=dict)


def _in_order(events: Any) -> Any:
    # Mautic sends a list in `order`; older servers an id-keyed object, whose values
    # the converter already turned into a list. Sort by `order` either way.
    if isinstance(events, list) and all(isinstance(e, TriggerEvent) for e in events):
        return sorted(events, key=lambda e: (e.order is None, e.order or 0))
    return events


@attrs.frozen(field_transformer=publish_details_last)
class PointTrigger(PublishDetails):
    """A point trigger: when a contact reaches ``points`` (in ``group`` if the trigger
    has one, else in the main points), its ``events`` run.

    ``events`` is a list in ``order``. ``group`` is the point group id the caller wrote,
    never read from Mautic (see the module docs).
    """

    id: int | None = None
    name: str | None = None
    description: str | None = None
    points: int | None = None
    color: str | None = None
    trigger_existing_leads: bool | None = None
    events: list[TriggerEvent] = attrs.field(factory=list, converter=_in_order)
    category: Mapping[str, Any] | None = None
    publish_up: datetime | None = None
    publish_down: datetime | None = None
    group: int | None = None


@attrs.frozen
class TriggerEventData:
    """One event to write with a trigger.

    Without ``id`` Mautic adds a new event; with the id of one of the trigger's events
    it changes that event. Events are stored in the order given (their ``order`` is the
    position), and Mautic does not validate ``type`` against the event types.
    """

    name: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)
    type: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)
    description: str | Unset | None = attrs.field(default=UNSET, validator=optional_str)
    properties: Mapping[str, Any] | Unset = attrs.field(default=UNSET, validator=optional_mapping)
    id: int | Unset = attrs.field(default=UNSET, validator=positive_id, kw_only=True)


def _events(value: Any) -> Any:
    """attrs converter: a sequence of :class:`TriggerEventData` or camelCase mappings ->
    a tuple of :class:`TriggerEventData` (unknown keys in a mapping are refused)."""
    if isinstance(value, Unset):
        return value
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise TypeError(f"events must be a list of events, not {type(value).__name__}")
    events = []
    for index, item in enumerate(value):
        try:
            if isinstance(item, Mapping):
                item = from_caller_mapping(TriggerEventData, item)
            elif not isinstance(item, TriggerEventData):
                raise TypeError(
                    f"must be a TriggerEventData or a mapping, not {type(item).__name__}"
                )
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"events[{index}]: {exc}") from None
        events.append(item)
    return tuple(events)


@attrs.frozen
class PointTriggerData:
    """What to write to a point trigger.

    ``events`` (:class:`TriggerEventData` or mappings) are added, or changed when they
    carry an id. Mautic cannot remove events through this API: a PUT leaves them out
    of its answer only, and ``events/delete`` does not persist (see
    :meth:`~mautic_async.resources.point_triggers.PointTriggers.delete_events`).
    ``group`` is a point group id; the threshold then applies to that group's score.
    """

    name: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)
    description: str | Unset | None = attrs.field(default=UNSET, validator=optional_str)
    points: int | Unset = attrs.field(default=UNSET, validator=is_int)
    color: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)
    trigger_existing_leads: bool | Unset = attrs.field(default=UNSET, validator=is_bool)
    is_published: bool | Unset = attrs.field(default=UNSET, validator=is_bool)
    events: Sequence[TriggerEventData] | Unset = attrs.field(default=UNSET, converter=_events)
    category: int | Unset | None = attrs.field(default=UNSET, validator=optional_id)
    publish_up: str | datetime | Unset | None = attrs.field(default=UNSET, converter=form_date)
    publish_down: str | datetime | Unset | None = attrs.field(default=UNSET, converter=form_date)
    group: int | Unset | None = attrs.field(default=UNSET, validator=optional_id)
    id: int | Unset = attrs.field(default=UNSET, validator=positive_id, kw_only=True)


@attrs.frozen
class PointInsight:
    """A Point Insight (Mautic 7): writes, into the contact field ``custom_field``, the
    contact's strongest group among ``point_groups`` as ``"<id> (<name>)"`` whenever a
    score in one of them changes. Mautic sends no publish fields for insights.
    """

    id: int | None = None
    name: str | None = None
    description: str | None = None
    insight_type: str | None = None
    insight_action: str | None = None
    custom_field: str | None = None
    point_groups: list[int] = attrs.field(factory=list)
    category: Mapping[str, Any] | None = None


@attrs.frozen
class PointInsightData:
    """What to write to a Point Insight.

    ``custom_field`` must be the alias of a published text contact field and
    ``point_groups`` existing group ids (Mautic refuses others with a 400).
    ``insight_type`` and ``insight_action`` have one value each in Mautic 7
    (``compare_point_groups``, ``set_custom_field``), its defaults. ``is_published``
    ("active") can be written but is never returned.
    """

    name: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)
    description: str | Unset | None = attrs.field(default=UNSET, validator=optional_str)
    custom_field: str | Unset | None = attrs.field(default=UNSET, validator=optional_str)
    point_groups: Sequence[int] | Unset = attrs.field(default=UNSET, converter=id_list)
    insight_type: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)
    insight_action: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)
    is_published: bool | Unset = attrs.field(default=UNSET, validator=is_bool)
    category: int | Unset | None = attrs.field(default=UNSET, validator=optional_id)
    id: int | Unset = attrs.field(default=UNSET, validator=positive_id, kw_only=True)
