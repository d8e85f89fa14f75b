"""Contacts, and their scores in point groups."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Protocol, get_args

from .._protocol import APIRequest, new_request, parse_entity, parse_page, parse_success
from .._response import RawResourceBase, to_raw
from .._validation import check_id, check_int
from ..models import Contact, GroupScore
from ._base import Endpoint, Headers, Query, Resource, Timeout

if TYPE_CHECKING:
    from ..client import MauticClient
    from ..score_sync import ScoreProgressCallback, ScoreRows, ScoreSyncReport

__all__ = [
    "ContactPointGroupScores",
    "ContactPointGroupScoresWithRawResponse",
    "Contacts",
    "PointsOperator",
    "ScoreOperator",
]

#: The adjustments Mautic allows on a contact's point-group score.
ScoreOperator = Literal["plus", "minus", "times", "divide", "set"]
SCORE_OPERATORS: tuple[str, ...] = get_args(ScoreOperator)


#: The operators Mautic's main-points endpoint knows (it has no ``set``).
PointsOperator = Literal["plus", "minus", "times", "divide"]
POINTS_OPERATORS: tuple[str, ...] = get_args(PointsOperator)


def _check_operator(operator: Any, allowed: tuple[str, ...]) -> str:
    """The operator as the plain text it holds (a ``str`` subclass's own ``__str__`` is
    not trusted in a path), if Mautic allows it."""
    if isinstance(operator, str):
        operator = str.__str__(operator)
    if operator not in allowed:
        raise ValueError(f"operator must be one of {', '.join(allowed)}, got {operator!r}")
    text: str = operator
    return text


def _log_body(event_name: str | None, action_name: str | None) -> dict[str, str] | None:
    """The optional points-log texts both adjust endpoints take."""
    body: dict[str, str] = {}
    for key, text in (("eventName", event_name), ("actionName", action_name)):
        if text is not None:
            if not isinstance(text, str):
                raise TypeError(f"{key} must be a str")
            body[key] = text
    return body or None


class _Adjust(Protocol):
    def __call__(
        self,
        group_id: int,
        value: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> Awaitable[GroupScore]: ...


class _ScoreOperation:
    """``scores.plus(group_id, value, ...)``: :meth:`ContactPointGroupScores.adjust`
    with one operator, declared once instead of five copies of the same method."""

    def __init__(self, operator: ScoreOperator, doc: str) -> None:
        self.operator: ScoreOperator = operator
        self.__doc__ = doc

    def __get__(self, scores: ContactPointGroupScores | None, _owner: Any = None) -> _Adjust:
        if scores is None:
            return self  # type: ignore[return-value]  # the class attribute, for help()
        operator = self.operator

        def adjust(
            group_id: int,
            value: int,
            *,
            event_name: str | None = None,
            action_name: str | None = None,
            extra_headers: Headers | None = None,
            extra_query: Query | None = None,
            timeout: Timeout | None = None,
        ) -> Awaitable[GroupScore]:
            return scores.adjust(
                group_id,
                operator,
                value,
                event_name=event_name,
                action_name=action_name,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
            )

        adjust.__doc__ = self.__doc__
        return adjust


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

    async def sync_group_scores(
        self,
        rows: ScoreRows,
        *,
        concurrency: int | None = None,
        dry_run: bool = False,
        progress: ScoreProgressCallback | None = None,
    ) -> ScoreSyncReport:
        """Make each contact's score in each group equal its target, skipping rows
        already there; see :mod:`mautic_async.score_sync`.

        >>> report = await mautic.contacts.sync_group_scores([(contact_id, group_id, 42)])
        >>> report.counts()   # {"set": 1, "unchanged": 0, "failed": 0}
        """
        from ..score_sync import sync_group_scores

        return await sync_group_scores(
            self._client, rows, concurrency=concurrency, dry_run=dry_run, progress=progress
        )

    async def adjust_points(
        self,
        contact_id: int,
        operator: PointsOperator,
        delta: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> None:
        """Change a contact's main points (``POST /api/contacts/{id}/points/{op}/{delta}``).

        ``operator`` is ``plus``, ``minus``, ``times`` or ``divide``; Mautic rejects
        ``set`` here (400 "Invalid operator"), so it is refused before sending. A
        ``delta`` of 0 returns at once without a request: Mautic does nothing for it.
        Mautic answers only ``{"success": 1}``; read the contact for the new points.
        A missing contact raises :class:`~mautic_async.NotFoundError` ("Contact not
        found."). Main points and point-group scores are separate: this never changes
        a group score, so it never runs Point Insights. Like every adjustment it is a
        POST that is never retried after an unknown outcome.
        """
        contact_id = check_id(contact_id, "contact_id")
        if operator == "set":  # type: ignore[comparison-overlap]  # callers without mypy
            raise ValueError(
                "Mautic's main-points endpoint has no 'set' operator (it answers 400 "
                "Invalid operator); use plus or minus with the difference"
            )
        operator = _check_operator(operator, POINTS_OPERATORS)  # type: ignore[assignment]
        delta = check_int(delta, "delta")
        body = _log_body(event_name, action_name)
        if delta == 0:
            return
        path = f"api/contacts/{contact_id}/points/{operator}/{delta}"
        request = new_request("POST", path, json=body)
        await self._send(request, _success, None, extra_headers, extra_query, timeout)

    async def add_points(
        self,
        contact_id: int,
        points: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> None:
        """Add ``points`` to a contact's main points (see :meth:`adjust_points`)."""
        await self.adjust_points(
            contact_id,
            "plus",
            points,
            event_name=event_name,
            action_name=action_name,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )

    async def subtract_points(
        self,
        contact_id: int,
        points: int,
        *,
        event_name: str | None = None,
        action_name: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> None:
        """Subtract ``points`` from a contact's main points (see :meth:`adjust_points`)."""
        await self.adjust_points(
            contact_id,
            "minus",
            points,
            event_name=event_name,
            action_name=action_name,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )


def _success(request: APIRequest, payload: Any, _arg: Any) -> None:
    parse_success(request, payload)


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
        request = new_request("GET", self._path())
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
        request = new_request("GET", self._path(check_id(group_id, "group_id")))
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
        operator = _check_operator(operator, SCORE_OPERATORS)  # type: ignore[assignment]
        value = check_int(value, "value")
        if operator == "divide":
            await self._check_divides_evenly(group_id, value, extra_headers, extra_query, timeout)
        body = _log_body(event_name, action_name)
        request = new_request("POST", self._path(group_id, operator, value), json=body)
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
        request = new_request("GET", self._path(group_id))
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

    plus = _ScoreOperation("plus", "Add ``value`` to the score.")
    minus = _ScoreOperation("minus", "Subtract ``value`` from the score.")
    times = _ScoreOperation("times", "Multiply the score by ``value``.")
    divide = _ScoreOperation(
        "divide", "Divide the score by ``value`` (it must divide evenly; see :meth:`adjust`)."
    )
    set = _ScoreOperation("set", "Set the score to ``value``.")


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
