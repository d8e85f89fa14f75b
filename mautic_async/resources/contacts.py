"""Contacts, and their scores in point groups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, get_args

from .._protocol import APIRequest, parse_entity, parse_page
from .._validation import check_id, check_int
from ..models import Contact, GroupScore
from ._base import Resource

if TYPE_CHECKING:
    from ..client import MauticClient

__all__ = ["ContactPointGroupScores", "Contacts", "ScoreOperator"]

#: The adjustments Mautic allows on a contact's point-group score.
ScoreOperator = Literal["plus", "minus", "times", "divide", "set"]
SCORE_OPERATORS: tuple[str, ...] = get_args(ScoreOperator)


class Contacts(Resource[Contact, Mapping[str, Any]]):
    """Contacts: ``/api/contacts``. Data is a mapping of Mautic field aliases
    (``{"email": "a@example.com", "firstname": "Ann"}``), sent as given.

    Mautic lists contacts as an object keyed by id; :meth:`list` takes that as well.
    """

    endpoint = "contacts"
    item_key = "contact"
    list_key = "contacts"
    model = Contact

    def point_group_scores(self, contact_id: int) -> ContactPointGroupScores:
        """The point-group scores of one contact (no request is made yet).

        >>> scores = mautic.contacts.point_group_scores(contact.id)
        >>> await scores.plus(group.id, 10)       # -> GroupScore(score=10, ...)
        >>> [s.score for s in await scores.list()]
        """
        return ContactPointGroupScores(self._client, check_id(contact_id, "contact_id"))


class ContactPointGroupScores:
    """One contact's scores in point groups: ``/api/contacts/{id}/points/groups``.

    Each adjustment returns the new score. A contact with no score in a group starts
    from 0; results may go negative. Mautic checks, in order: the contact exists
    (404 "Contact could not be found."), the group exists (404 "The specified point
    group was not found."), the operator is allowed.

    Adjustments are POSTs and change state, so they are never retried after an
    unknown outcome (a repeated ``plus`` would add twice).
    """

    __slots__ = ("_client", "contact_id")

    def __init__(self, client: MauticClient, contact_id: int) -> None:
        self._client = client
        self.contact_id = contact_id

    def __repr__(self) -> str:
        return f"<ContactPointGroupScores contact_id={self.contact_id}>"

    def _path(self, *parts: object) -> str:
        return "/".join(("api/contacts", str(self.contact_id), "points/groups", *map(str, parts)))

    async def list(self) -> list[GroupScore]:
        """Every score this contact has, one per group (groups it has no score in are
        not listed)."""
        request = APIRequest("GET", self._path())
        payload = await self._client.request(request)
        return list(parse_page(request, payload, "groupScores", GroupScore).items)

    async def get(self, group_id: int) -> GroupScore | None:
        """The contact's score in one group, or ``None`` if it has none there yet."""
        request = APIRequest("GET", self._path(check_id(group_id, "group_id")))
        payload = await self._client.request(request)
        if payload == []:  # Mautic serialises "no score" as an empty array
            return None
        return parse_entity(request, payload, "groupScore", GroupScore)

    async def adjust(
        self,
        group_id: int,
        operator: ScoreOperator,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
    ) -> GroupScore:
        """Apply ``operator`` with ``value`` to the score and return the new score.

        ``event_name`` and ``action_name`` are written to the contact's points log.
        Mautic stores scores as integers: a ``divide`` that leaves a remainder makes
        it fail with a 500 (:class:`~mautic_async.ServerError`), and ``divide`` by 0
        is refused here.
        """
        group_id = check_id(group_id, "group_id")
        if operator not in SCORE_OPERATORS:
            raise ValueError(
                f"operator must be one of {', '.join(SCORE_OPERATORS)}, got {operator!r}"
            )
        value = check_int(value, "value")
        if operator == "divide" and value == 0:
            raise ValueError("cannot divide a score by 0")
        body: dict[str, str] = {}
        for key, text in (("eventName", event_name), ("actionName", action_name)):
            if text is not None:
                if not isinstance(text, str):
                    raise TypeError(f"{key} must be a str")
                body[key] = text
        request = APIRequest("POST", self._path(group_id, operator, value), json=body or None)
        payload = await self._client.request(request)
        return parse_entity(request, payload, "groupScore", GroupScore)

    async def plus(
        self,
        group_id: int,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
    ) -> GroupScore:
        """Add ``value`` to the score."""
        return await self.adjust(
            group_id, "plus", value, event_name=event_name, action_name=action_name
        )

    async def minus(
        self,
        group_id: int,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
    ) -> GroupScore:
        """Subtract ``value`` from the score."""
        return await self.adjust(
            group_id, "minus", value, event_name=event_name, action_name=action_name
        )

    async def times(
        self,
        group_id: int,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
    ) -> GroupScore:
        """Multiply the score by ``value``."""
        return await self.adjust(
            group_id, "times", value, event_name=event_name, action_name=action_name
        )

    async def divide(
        self,
        group_id: int,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
    ) -> GroupScore:
        """Divide the score by ``value`` (it must divide evenly; see :meth:`adjust`)."""
        return await self.adjust(
            group_id, "divide", value, event_name=event_name, action_name=action_name
        )

    async def set(
        self,
        group_id: int,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
    ) -> GroupScore:
        """Set the score to ``value``."""
        return await self.adjust(
            group_id, "set", value, event_name=event_name, action_name=action_name
        )
