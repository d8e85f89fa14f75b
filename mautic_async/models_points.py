"""Models of the points domain: point actions, point triggers and their events, and
Point Insights (mautic-points-api.md sections 2, 3 and 5).

Response models follow :mod:`mautic_async.models`: frozen, a field Mautic always sends
is required and plainly typed, a field it can send as ``null`` (or only in its details
serializer group, which ``minimal=1`` leaves out) is ``X | None = None``; unknown keys
are ignored. Request classes default every field to :data:`UNSET`; each has a
``TypedDict`` twin (``PointFields``...) with snake_case keys, for dict literals a type
checker can check.

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
from typing import Any, TypedDict

import attrs

from ._converter import from_caller_mapping
from ._unset import UNSET, Unset
from ._validation import (
    check_int,
    form_date,
    id_list,
    is_bool,
    is_int,
    max_length,
    non_blank_str,
    optional_id,
    optional_mapping,
    optional_str,
    positive_id,
)
from .models import Published, own_fields_first

__all__ = [
    "Point",
    "PointData",
    "PointFields",
    "PointInsight",
    "PointInsightData",
    "PointInsightFields",
    "PointTrigger",
    "PointTriggerData",
    "PointTriggerFields",
    "TriggerEvent",
    "TriggerEventData",
    "TriggerEventFields",
]


@attrs.frozen(field_transformer=own_fields_first)
class Point(Published):
    """A point action, as ``GET /api/points/{id}`` returns it (publish fields inherited).

    ``type`` is the action's key (see ``mautic.points.action_types()``), ``delta`` the
    points it gives, ``properties`` the action's own settings. ``category`` is Mautic's
    nested category object, or ``None``. The details fields (``delta`` to
    ``publish_down``) are ``None`` in a ``minimal=True`` list. ``group`` is the point
    group id the caller wrote, never read from Mautic (see the module docs).

    Fields: ``id``, ``name``, ``type``, ``description``, ``category``; ``delta``,
    ``repeatable`` (whether a contact can earn it more than once), ``properties``,
    ``publish_up``/``publish_down`` (when it is active, UTC); ``group``.
    """

    id: int
    name: str
    type: str
    description: str | None = None
    category: Mapping[str, Any] | None = None
    delta: int | None = None
    repeatable: bool | None = None
    properties: Mapping[str, Any] | None = None
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

    Fields: ``name``, ``type``, ``description`` (``None`` clears it), ``delta``,
    ``repeatable``, ``is_published``, ``properties``, ``category`` (a category id),
    ``publish_up``/``publish_down``, ``group``; ``id`` for batch edits only.
    """

    name: str | Unset = attrs.field(default=UNSET, validator=[non_blank_str, max_length(255)])
    type: str | Unset = attrs.field(default=UNSET, validator=[non_blank_str, max_length(50)])
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

    Every key is always sent: events appear only in a trigger's details group, which
    sends nulls (mautic-points-api.md §3.3). ``name`` and ``type`` are NOT NULL columns
    (Mautic's form does not require them, but saving an event without them fails), so
    they are plain ``str``; ``properties`` (``[]`` when empty) is always a mapping; only
    ``description`` can be ``None``.

    Fields: ``id``, ``order``, ``name``, ``type``, ``description``, ``properties``
    (the event type's settings, stored as sent).
    """

    id: int
    order: int
    name: str
    type: str
    description: str | None
    properties: Mapping[str, Any]


@attrs.frozen(field_transformer=own_fields_first)
class PointTrigger(Published):
    """A point trigger: when a contact reaches ``points`` (in ``group``'s score if the
    trigger has a group, else in the main points), its ``events`` run.

    ``events`` is a list, as Mautic sends it: a read lists them by ``order``; a
    write's answer lists them in the trigger's collection order (kept events first,
    then new ones, each new one with ``order`` = its position in that write's list, so
    a PATCH that adds events can repeat ``order`` values). An id-keyed object from older
    servers is read in the order sent. It is empty in a ``minimal=True`` list, which
    leaves the details out (``points`` to ``publish_down`` are then ``None``). ``group`` is
    the point group id the caller wrote, never read from Mautic (see the module docs).

    Fields: ``id``, ``name``, ``description``, ``category``, ``events``, ``points``,
    ``color`` (hex, without ``#``), ``trigger_existing_leads`` (whether saving it
    applied its events to contacts already over the threshold), ``publish_up``/
    ``publish_down``, ``group``.
    """

    id: int
    name: str
    description: str | None = None
    category: Mapping[str, Any] | None = None
    events: list[TriggerEvent] = attrs.field(factory=list)
    points: int | None = None
    color: str | None = None
    trigger_existing_leads: bool | None = None
    publish_up: datetime | None = None
    publish_down: datetime | None = None
    group: int | None = None


@attrs.frozen
class TriggerEventData:
    """One event to write with a trigger.

    Without ``id`` Mautic adds a new event; with the id of one of the trigger's events
    it changes that event. Events are stored in the order given (their ``order`` is the
    position), and Mautic does not validate ``type`` against the event types.

    Fields: ``name``, ``type``, ``description``, ``properties``; ``id`` of an existing
    event of the trigger.
    """

    name: str | Unset = attrs.field(default=UNSET, validator=[non_blank_str, max_length(255)])
    type: str | Unset = attrs.field(default=UNSET, validator=[non_blank_str, max_length(50)])
    description: str | Unset | None = attrs.field(default=UNSET, validator=optional_str)
    properties: Mapping[str, Any] | Unset = attrs.field(default=UNSET, validator=optional_mapping)
    id: int | Unset = attrs.field(default=UNSET, validator=positive_id, kw_only=True)


class TriggerEventFields(TypedDict, total=False):
    """:class:`TriggerEventData` as a dict: ``{"name": "Tag", "type": "lead.changetags"}``.

    ``order`` is accepted (Mautic's docs send it) but not sent: Mautic ignores it and
    orders events by their position in the list.
    """

    name: str
    order: int
    type: str
    description: str | None
    properties: Mapping[str, Any]
    id: int


def _events(
    value: Sequence[TriggerEventData | TriggerEventFields] | Unset,
) -> Sequence[TriggerEventData] | Unset:
    """attrs converter: a sequence of :class:`TriggerEventData` or camelCase mappings ->
    a tuple of :class:`TriggerEventData` (unknown keys in a mapping are refused)."""
    if isinstance(value, Unset):
        return value
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise TypeError(f"events must be a list of events, not {type(value).__name__}")
    events: list[TriggerEventData] = []
    for index, item in enumerate(value):
        try:
            if isinstance(item, Mapping):
                if "order" in item:
                    # Mautic ignores an event's `order` (the position in the list is
                    # the order), and Mautic's own docs and api-library send it: take it,
                    # check it, and leave it out.
                    check_int(item["order"], "order")
                fields = {key: value for key, value in item.items() if key != "order"}
                event = from_caller_mapping(TriggerEventData, fields)
            elif isinstance(item, TriggerEventData):
                event = item
            else:
                raise TypeError(
                    f"must be a TriggerEventData or a mapping, not {type(item).__name__}"
                )
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"events[{index}]: {exc}") from None
        events.append(event)
    return tuple(events)


@attrs.frozen
class PointTriggerData:
    """What to write to a point trigger.

    ``events`` (:class:`TriggerEventData` or mappings) are added, or changed when they
    carry an id. Mautic cannot remove events through this API: a PUT leaves them out
    of its answer only, and ``events/delete`` does not persist (see
    :meth:`~mautic_async.resources.point_triggers.PointTriggers.delete_events`).
    ``group`` is a point group id; the threshold then applies to that group's score.

    Fields: ``name``, ``description``, ``points`` (the threshold), ``color``,
    ``trigger_existing_leads``, ``is_published``, ``events``, ``category`` (an id),
    ``publish_up``/``publish_down``, ``group``; ``id`` for batch edits only.
    """

    name: str | Unset = attrs.field(default=UNSET, validator=[non_blank_str, max_length(255)])
    description: str | Unset | None = attrs.field(default=UNSET, validator=optional_str)
    points: int | Unset = attrs.field(default=UNSET, validator=is_int)
    color: str | Unset = attrs.field(default=UNSET, validator=[non_blank_str, max_length(7)])
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
    score in one of them changes. Mautic sends no publish fields for insights; the
    details fields (``insight_type`` to ``point_groups``) are ``None`` only in a
    ``minimal=True`` list.

    Fields: ``id``, ``name``, ``description``, ``category``, ``insight_type``
    (``compare_point_groups``), ``insight_action`` (``set_custom_field``),
    ``custom_field``, ``point_groups``.
    """

    id: int
    name: str
    description: str | None = None
    category: Mapping[str, Any] | None = None
    insight_type: str | None = None
    insight_action: str | None = None
    custom_field: str | None = None
    point_groups: list[int] | None = None


@attrs.frozen
class PointInsightData:
    """What to write to a Point Insight.

    ``custom_field`` must be the alias of a published text contact field and
    ``point_groups`` existing group ids (Mautic refuses others with a 400).
    ``insight_type`` and ``insight_action`` have one value each in Mautic 7
    (``compare_point_groups``, ``set_custom_field``), its defaults. ``is_published``
    ("active") can be written but is never returned.

    Fields: ``name``, ``description``, ``custom_field``, ``point_groups``,
    ``insight_type``, ``insight_action``, ``is_published``, ``category`` (an id);
    ``id`` for batch edits only.
    """

    name: str | Unset = attrs.field(default=UNSET, validator=[non_blank_str, max_length(255)])
    description: str | Unset | None = attrs.field(default=UNSET, validator=optional_str)
    custom_field: str | Unset | None = attrs.field(default=UNSET, validator=optional_str)
    point_groups: Sequence[int] | Unset = attrs.field(default=UNSET, converter=id_list)
    insight_type: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)
    insight_action: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)
    is_published: bool | Unset = attrs.field(default=UNSET, validator=is_bool)
    category: int | Unset | None = attrs.field(default=UNSET, validator=optional_id)
    id: int | Unset = attrs.field(default=UNSET, validator=positive_id, kw_only=True)


class PointFields(TypedDict, total=False):
    """:class:`PointData` as a dict, for writes:
    ``{"name": "Pricing page", "type": "page.hit", "delta": 5}``."""

    name: str
    type: str
    description: str | None
    delta: int
    repeatable: bool
    is_published: bool
    properties: Mapping[str, Any]
    category: int | None
    publish_up: str | datetime | None
    publish_down: str | datetime | None
    group: int | None
    id: int


class PointTriggerFields(TypedDict, total=False):
    """:class:`PointTriggerData` as a dict: ``{"name": "Hot", "points": 50, "events": [...]}``."""

    name: str
    description: str | None
    points: int
    color: str
    trigger_existing_leads: bool
    is_published: bool
    events: Sequence[TriggerEventData | TriggerEventFields]
    category: int | None
    publish_up: str | datetime | None
    publish_down: str | datetime | None
    group: int | None
    id: int


class PointInsightFields(TypedDict, total=False):
    """:class:`PointInsightData` as a dict:
    ``{"name": "Main interest", "custom_field": "main_interest", "point_groups": [1, 2]}``."""

    name: str
    description: str | None
    custom_field: str | None
    point_groups: Sequence[int]
    insight_type: str
    insight_action: str
    is_published: bool
    category: int | None
    id: int
