"""Contacts, and their scores in point groups."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, get_args

from .._protocol import APIRequest, parse_entity, parse_page
from .._response import RawResourceBase, to_raw
from .._validation import check_id, check_int
from ..models import Contact, GroupScore
from ._base import Endpoint, Headers, Query, Resource, Timeout

if TYPE_CHECKING:
    from ..client import MauticClient

__all__ = [
    "ContactPointGroupScores",
    "ContactPointGroupScoresWithRawResponse",
    "Contacts",
    "ScoreOperator",
]

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


class ContactPointGroupScores(Endpoint):
    """One contact's scores in point groups: ``/api/contacts/{id}/points/groups``.

    Each adjustment returns the new score. A contact with no score in a group starts
    from 0; results may go negative. Mautic checks, in order: the contact exists
    (404 "Contact could not be found."), the group exists (404 "The specified point
    group was not found."), the operator is allowed.

    Adjustments are POSTs and change state, so they are never retried after an
    unknown outcome (a repeated ``plus`` would add twice).

    Every method takes ``extra_headers``, ``extra_query`` and ``timeout`` and has a raw
    form under ``with_raw_response`` (see :class:`~mautic_async.Resource`).
    """

    def __init__(self, client: MauticClient, contact_id: int) -> None:
        self._client = client
        self.contact_id = contact_id

    def __repr__(self) -> str:
        return f"<ContactPointGroupScores contact_id={self.contact_id}>"

    @cached_property
    def with_raw_response(self) -> ContactPointGroupScoresWithRawResponse:
        """The same methods, returning :class:`~mautic_async.APIResponse`."""
        return ContactPointGroupScoresWithRawResponse(self)

    def _path(self, *parts: object) -> str:
        return "/".join(("api/contacts", str(self.contact_id), "points/groups", *map(str, parts)))

    @staticmethod
    def _scores(request: APIRequest, payload: Any, _arg: Any) -> list[GroupScore]:
        return list(parse_page(request, payload, "groupScores", GroupScore).items)

    @staticmethod
    def _score_or_none(request: APIRequest, payload: Any, _arg: Any) -> GroupScore | None:
        if payload == []:  # Mautic serialises "no score" as an empty array
            return None
        return parse_entity(request, payload, "groupScore", GroupScore)

    @staticmethod
    def _score(request: APIRequest, payload: Any, _arg: Any) -> GroupScore:
        return parse_entity(request, payload, "groupScore", GroupScore)

    async def list(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> list[GroupScore]:
        """Every score this contact has, one per group (groups it has no score in are
        not listed)."""
        request = APIRequest("GET", self._path())
        scores: list[GroupScore] = await self._send(
            request, self._scores, None, extra_headers, extra_query, timeout
        )
        return scores

    async def get(
        self,
        group_id: int,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> GroupScore | None:
        """The contact's score in one group, or ``None`` if it has none there yet."""
        request = APIRequest("GET", self._path(check_id(group_id, "group_id")))
        score: GroupScore | None = await self._send(
            request, self._score_or_none, None, extra_headers, extra_query, timeout
        )
        return score

    async def adjust(
        self,
        group_id: int,
        operator: ScoreOperator,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> GroupScore:
        """Apply ``operator`` with ``value`` to the score and return the new score.

        ``event_name`` and ``action_name`` are written to the contact's points log.
        Mautic stores scores as integers and answers a ``divide`` that leaves a
        remainder with a 500, changing nothing (mautic-api.md §2.3). So ``divide``
        first reads the current score (one GET) and raises :class:`ValueError`
        instead of sending a division by 0 or one that would leave a remainder. A
        score changed by someone else between that read and the POST can still
        get Mautic's 500 (:class:`~mautic_async.ServerError`).
        """
        group_id = check_id(group_id, "group_id")
        if isinstance(operator, str):  # the text itself: a str subclass's __str__ is not
            operator = str.__str__(operator)  # type: ignore[assignment]  # trusted in a path
        if operator not in SCORE_OPERATORS:
            raise ValueError(
                f"operator must be one of {', '.join(SCORE_OPERATORS)}, got {operator!r}"
            )
        value = check_int(value, "value")
        if operator == "divide":
            await self._check_divides_evenly(group_id, value, extra_headers, extra_query, timeout)
        body: dict[str, str] = {}
        for key, text in (("eventName", event_name), ("actionName", action_name)):
            if text is not None:
                if not isinstance(text, str):
                    raise TypeError(f"{key} must be a str")
                body[key] = text
        request = APIRequest("POST", self._path(group_id, operator, value), json=body or None)
        score: GroupScore = await self._send(
            request, self._score, None, extra_headers, extra_query, timeout
        )
        return score

    async def _check_divides_evenly(
        self,
        group_id: int,
        value: int,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: Timeout | None,
    ) -> None:
        if value == 0:
            raise ValueError("value: cannot divide a score by 0")
        # Read through the client, never through ``self.get``: on the raw twin that
        # would return an APIResponse, and the raw answer must be the division's.
        request = APIRequest("GET", self._path(group_id))
        payload = await self._client.request(
            request, timeout=timeout, extra_headers=extra_headers, extra_query=extra_query
        )
        current = self._score_or_none(request, payload, None)
        score = 0 if current is None or current.score is None else current.score
        if score % value:
            raise ValueError(
                f"value: contact {self.contact_id}'s score in group {group_id} is {score}, "
                f"which {value} does not divide evenly; Mautic stores whole numbers and "
                "would refuse the division (500) without changing anything"
            )

    async def plus(
        self,
        group_id: int,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> GroupScore:
        """Add ``value`` to the score."""
        return await self.adjust(
            group_id,
            "plus",
            value,
            event_name=event_name,
            action_name=action_name,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )

    async def minus(
        self,
        group_id: int,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> GroupScore:
        """Subtract ``value`` from the score."""
        return await self.adjust(
            group_id,
            "minus",
            value,
            event_name=event_name,
            action_name=action_name,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )

    async def times(
        self,
        group_id: int,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> GroupScore:
        """Multiply the score by ``value``."""
        return await self.adjust(
            group_id,
            "times",
            value,
            event_name=event_name,
            action_name=action_name,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )

    async def divide(
        self,
        group_id: int,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> GroupScore:
        """Divide the score by ``value`` (it must divide evenly; see :meth:`adjust`)."""
        return await self.adjust(
            group_id,
            "divide",
            value,
            event_name=event_name,
            action_name=action_name,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )

    async def set(
        self,
        group_id: int,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> GroupScore:
        """Set the score to ``value``."""
        return await self.adjust(
            group_id,
            "set",
            value,
            event_name=event_name,
            action_name=action_name,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )


class ContactPointGroupScoresWithRawResponse(RawResourceBase):
    """``scores.with_raw_response``: every method of :class:`ContactPointGroupScores`,
    returning :class:`~mautic_async.APIResponse`."""

    def __init__(self, scores: ContactPointGroupScores) -> None:
        super().__init__(scores)
        twin: ContactPointGroupScores = self._twin
        self.list = to_raw(twin.list)
        self.get = to_raw(twin.get)
        self.adjust = to_raw(twin.adjust)
        self.plus = to_raw(twin.plus)
        self.minus = to_raw(twin.minus)
        self.times = to_raw(twin.times)
        self.divide = to_raw(twin.divide)
        self.set = to_raw(twin.set)
