"""Point triggers and their events: ``/api/points/triggers`` (mautic-points-api.md §3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

from .._protocol import APIRequest, new_request, parse_labels, php_query
from .._response import to_raw
from .._validation import check_id
from ..errors import EventsNotDeletedError, UnexpectedResponseError
from ..models_points import PointTrigger, PointTriggerData, PointTriggerFields
from ._base import Headers, Query, Resource, ResourceWithRawResponse, Timeout

__all__ = ["PointTriggers", "PointTriggersWithRawResponse"]


def _event_types(request: APIRequest, payload: Any, _arg: Any) -> dict[str, str]:
    return parse_labels(request, payload, "eventTypes")


def _answered(request: APIRequest, payload: Any, _arg: Any) -> None:
    # The events/delete answer is read only to see that it is a trigger: its shape
    # (no serializer groups, no nulls) differs from every other answer, and the
    # trigger is read again right after anyway.
    if not isinstance(payload, Mapping) or not isinstance(payload.get("trigger"), Mapping):
        raise UnexpectedResponseError(
            'expected a JSON object with key "trigger"',
            method=request.method,
            path=request.display_path,
            status=None,
            body=repr(payload),
        )


class PointTriggers(Resource[PointTrigger, PointTriggerData | PointTriggerFields]):
    """Point triggers: when a contact reaches ``points`` (in ``group``'s score if the
    trigger has a group, else in the main points), the trigger's events run.

    >>> trigger = await mautic.point_triggers.create({
    ...     "name": "Hot lead", "points": 50, "group": group.id,
    ...     "events": [{"name": "Tag hot", "type": "lead.changetags",
    ...                 "properties": {"add_tags": ["hot"]}}],
    ... })

    ``events`` come back as a list in ``order`` (an id-keyed object from older servers
    is read too). Writing ``events`` adds the events without an id and changes those
    with one; Mautic cannot remove events through this API (see
    :meth:`delete_events`), and a PUT that leaves events out drops them from its answer
    only. ``group`` is accepted but never returned: the entity a write returns carries
    the group id sent. Deleting the group deletes its triggers too. ``sync`` compares
    events by content, in order; a desired trigger with fewer events than Mautic holds
    is reported failed, since they cannot be removed.
    """

    endpoint = "points/triggers"
    item_key = "trigger"
    list_key = "triggers"
    model = PointTrigger
    data_class = PointTriggerData
    required_fields = ("name",)
    write_only = ("group",)

    @cached_property
    def with_raw_response(self) -> PointTriggersWithRawResponse:
        """The one-request methods, returning :class:`~mautic_async.APIResponse`
        (``delete_events`` sends two requests and has no raw form)."""
        return PointTriggersWithRawResponse(self)

    async def event_types(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> dict[str, str]:
        """The trigger event types this Mautic knows, ``{key: label}``
        (``GET /api/points/triggers/events/types``). Mautic does not check an event's
        ``type`` against them."""
        request = new_request("GET", self._path("events", "types"))
        types: dict[str, str] = await self._send(
            request, _event_types, None, extra_headers, extra_query, timeout
        )
        return types

    async def delete_events(
        self,
        trigger_id: int,
        event_ids: Sequence[int],
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> PointTrigger:
        """Ask Mautic to delete events of a trigger, then check that it did.

        Mautic's ``DELETE …/{id}/events/delete`` answers with the trigger without those
        events, but does not save the deletion: the next read still has them (confirmed
        on Mautic 7.1.3; mautic-points-api.md §3.4). So this method re-reads the trigger
        and raises :class:`~mautic_async.EventsNotDeletedError`, naming the events still
        there, rather than let you believe a deletion that did not happen. Against
        Mautic 5.x to 7.x (and the emulator) it therefore always ends in that error.
        Returns the re-read trigger when the events are really gone (ids that were
        never on the trigger count as gone; Mautic ignores them).
        """
        check_id(trigger_id, "trigger_id")
        if isinstance(event_ids, (str, bytes)) or not isinstance(event_ids, Sequence):
            raise TypeError("event_ids must be a sequence of ints")
        ids = [check_id(i, f"event_ids[{n}]") for n, i in enumerate(event_ids)]
        if not ids:
            raise ValueError("event_ids is empty: name the events to delete")
        request = new_request(
            "DELETE",
            self._path(trigger_id, "events", "delete"),
            tuple(php_query("events", ids)),
        )
        options = (extra_headers, extra_query, timeout)
        await self._send(request, _answered, None, *options)
        trigger = await self.get(
            trigger_id, extra_headers=extra_headers, extra_query=extra_query, timeout=timeout
        )
        still = [e.id for e in trigger.events if e.id in ids]
        if still:
            raise EventsNotDeletedError(
                f"Mautic did not delete event(s) {', '.join(map(str, still))} of trigger "
                f"{trigger_id}: its events/delete endpoint answers as if it had, but does "
                "not save the deletion, and this API has no other way to remove events",
                trigger=trigger,
                event_ids=tuple(e for e in still if e is not None),
            )
        return trigger


class PointTriggersWithRawResponse(
    ResourceWithRawResponse[PointTrigger, PointTriggerData | PointTriggerFields]
):
    """``mautic.point_triggers.with_raw_response``: the standard methods and
    ``event_types``."""

    def __init__(self, resource: PointTriggers) -> None:
        super().__init__(resource)
        twin: PointTriggers = self._twin
        self.event_types = to_raw(twin.event_types)
