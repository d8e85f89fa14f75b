"""Point triggers and their events: ``/api/points/triggers`` (mautic-points-api.md §3)."""

from __future__ import annotations

from collections.abc import Sequence

from .._protocol import APIRequest, parse_labels, php_query
from .._validation import check_id
from ..errors import EventsNotDeletedError
from ..models_points import PointTrigger, PointTriggerData
from ._base import Resource

__all__ = ["PointTriggers"]


class PointTriggers(Resource[PointTrigger, PointTriggerData]):
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

    async def event_types(self) -> dict[str, str]:
        """The trigger event types this Mautic knows, ``{key: label}``
        (``GET /api/points/triggers/events/types``). Mautic does not check an event's
        ``type`` against them."""
        request = APIRequest("GET", self._path("events", "types"))
        return parse_labels(request, await self._request(request), "eventTypes")

    async def delete_events(self, trigger_id: int, event_ids: Sequence[int]) -> PointTrigger:
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
        request = APIRequest(
            "DELETE",
            self._path(trigger_id, "events", "delete"),
            tuple(php_query("events", ids)),
        )
        await self._entity(request)
        trigger = await self.get(trigger_id)
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
