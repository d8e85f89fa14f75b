"""Bulk group-score sync: make each contact's score in each group equal a target.

``await mautic.contacts.sync_group_scores(rows)`` takes ``(contact_id, group_id,
score)`` rows (any iterable, streamed) or a mapping ``{(contact_id, group_id): score}``.

* For each contact it reads the current scores once (``GET
  /api/contacts/{id}/points/groups``) and skips rows already at their target.
* Every other row is written with Mautic's ``set`` operator (``POST
  …/points/groups/{group}/set/{score}``). Setting the same value twice leaves the same
  score, so these requests are retried as GETs are (after timeouts, dropped
  connections and 5xx too): a row is never lost to a transient fault, and a retry
  can never apply it twice.
* Reads and writes share the client's concurrency cap (and a fleet-wide limiter, if
  the client has one).
* Input is consumed through a bounded window: memory stays flat however many rows
  stream in, and only failed rows are kept in full.
* A missing contact, a missing group or a malformed row is a failed row in the
  report, with the server's message; it never stops the sync.

Consecutive rows of one contact are handled together (one read). Rows of one contact
are applied in input order even when they are not adjacent.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sized
from typing import TYPE_CHECKING, Any

import attrs

from ._protocol import new_request, parse_page
from .errors import APIError, MauticError, NotFoundError
from .models import GroupScore

if TYPE_CHECKING:
    from .client import MauticClient

__all__ = ["ScoreProgressCallback", "ScoreSyncFailure", "ScoreSyncReport", "sync_group_scores"]

logger = logging.getLogger("mautic_async")

#: Called as rows settle with (rows done, rows in all); the total is ``None`` when the
#: input is an iterator whose length is unknown.
ScoreProgressCallback = Callable[[int, int | None], Awaitable[None] | None]

ScoreRows = Iterable[tuple[int, int, int]] | Mapping[tuple[int, int], int]


@attrs.frozen
class ScoreSyncFailure:
    """A row that could not be applied, and why.

    ``contact_id``, ``group_id`` and ``score`` are the row as given (a malformed row
    keeps what it had); ``message`` is the server's message (e.g. "Contact could not
    be found.") or what was wrong with the row; ``status`` the HTTP status, if the
    server answered; ``error`` the exception itself.
    """

    contact_id: Any
    group_id: Any
    score: Any
    message: str
    status: int | None = None
    error: BaseException | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class ScoreSyncReport:
    """Counts for every row; full entries only for the failed ones.

    ``set`` counts rows written (or, in a dry run, rows that would be), ``unchanged``
    rows already at their target, ``failed`` rows that could not be applied;
    ``failures`` holds a :class:`ScoreSyncFailure` for each failed row, and
    ``dry_run`` says whether anything was written.
    """

    set: int
    unchanged: int
    failed: int
    failures: tuple[ScoreSyncFailure, ...] = ()
    dry_run: bool = False

    @property
    def total(self) -> int:
        """Rows seen."""
        return self.set + self.unchanged + self.failed

    @property
    def ok(self) -> bool:
        """True when no row failed."""
        return self.failed == 0

    def counts(self) -> dict[str, int]:
        """``{"set": n, "unchanged": n, "failed": n}``."""
        return {"set": self.set, "unchanged": self.unchanged, "failed": self.failed}


@attrs.define
class _Tally:
    set: int = 0
    unchanged: int = 0
    failed: int = 0
    failures: list[ScoreSyncFailure] = attrs.Factory(list)


def _rows(rows: ScoreRows) -> tuple[Iterator[Any], int | None]:
    if isinstance(rows, Mapping):
        return ((c, g, s) for (c, g), s in rows.items()), len(rows)
    if isinstance(rows, (str, bytes)):
        raise TypeError("rows must be (contact_id, group_id, score) tuples, not a string")
    total = len(rows) if isinstance(rows, Sized) else None
    return iter(rows), total


def _valid_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _check_row(row: Any) -> str | None:
    """Why ``row`` cannot be applied, or ``None`` when it can."""
    if not isinstance(row, (tuple, list)) or len(row) != 3:
        return f"a row must be (contact_id, group_id, score), got {row!r}"
    contact_id, group_id, score = row
    if not _valid_id(contact_id):
        return f"contact_id must be a positive int, got {contact_id!r}"
    if not _valid_id(group_id):
        return f"group_id must be a positive int, got {group_id!r}"
    if not isinstance(score, int) or isinstance(score, bool):
        return f"score must be an int, got {score!r}"
    return None


def _message(exc: MauticError) -> str:
    """The server's own message where it sent one."""
    return exc.message if isinstance(exc, APIError) else str(exc)


def _failure(row: Any, message: str, error: BaseException | None = None) -> ScoreSyncFailure:
    parts = tuple(row) if isinstance(row, (tuple, list)) and len(row) == 3 else (row, None, None)
    status = getattr(error, "status", None)
    return ScoreSyncFailure(
        parts[0], parts[1], parts[2], message, status if isinstance(status, int) else None, error
    )


class _Engine:
    def __init__(
        self,
        client: MauticClient,
        *,
        concurrency: int,
        dry_run: bool,
        progress: ScoreProgressCallback | None,
        total: int | None,
    ) -> None:
        self.client = client
        # ``set`` is idempotent: let it be retried as a GET would be.
        self.writer = client.with_options(
            retry_policy=attrs.evolve(client.retry_policy, retry_unsafe=True)
        )
        self.concurrency = concurrency
        self.dry_run = dry_run
        self.progress = progress
        self.total = total
        self.tally = _Tally()
        self.done = 0
        # contact id -> the latest unit of that contact still running (ordering).
        self.running: dict[int, asyncio.Event] = {}

    async def _report(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            outcome = self.progress(self.done, self.total)
            if inspect.isawaitable(outcome):
                await outcome

    def _fail(self, row: Any, message: str, error: BaseException | None = None) -> None:
        self.tally.failed += 1
        self.tally.failures.append(_failure(row, message, error))

    async def _current(self, contact_id: int) -> dict[int, int]:
        request = new_request("GET", f"api/contacts/{contact_id}/points/groups")
        payload = await self.client.request(request)
        page = parse_page(request, payload, "groupScores", GroupScore)
        return {
            item.group.id: item.score
            for item in page.items
            if item.group is not None and item.group.id is not None and item.score is not None
        }

    async def _set(self, contact_id: int, group_id: int, score: int) -> None:
        path = f"api/contacts/{contact_id}/points/groups/{group_id}/set/{score}"
        await self.writer.request(new_request("POST", path))

    async def unit(self, contact_id: int, rows: list[tuple[int, int, int]]) -> None:
        """Apply one contact's consecutive rows."""
        try:
            current = await self._current(contact_id)
        except MauticError as exc:
            for row in rows:
                self._fail(row, _message(exc), exc)
            await self._report(len(rows))
            return
        for row in rows:
            _, group_id, score = row
            if current.get(group_id) == score:
                self.tally.unchanged += 1
            elif self.dry_run:
                self.tally.set += 1
                current[group_id] = score
            else:
                try:
                    await self._set(contact_id, group_id, score)
                except MauticError as exc:
                    self._fail(row, _message(exc), exc)
                    if isinstance(exc, NotFoundError) and "Contact" in _message(exc):
                        current = {}
                else:
                    self.tally.set += 1
                    current[group_id] = score
            await self._report(1)

    async def worker(self, queue: asyncio.Queue[tuple[int, list[Any]] | None]) -> None:
        while (job := await queue.get()) is not None:
            contact_id, rows = job
            # Register before any await, so a later unit of the same contact waits.
            previous = self.running.get(contact_id)
            mine = asyncio.Event()
            self.running[contact_id] = mine
            try:
                if previous is not None:
                    await previous.wait()
                await self.unit(contact_id, rows)
            finally:
                mine.set()
                if self.running.get(contact_id) is mine:
                    del self.running[contact_id]

    async def produce(
        self, rows: Iterator[Any], queue: asyncio.Queue[tuple[int, list[Any]] | None], workers: int
    ) -> None:
        """Check rows and queue them, a contact's consecutive rows as one unit."""
        contact: int | None = None
        batch: list[Any] = []
        for row in rows:
            problem = _check_row(row)
            if problem is not None:
                self._fail(row, problem)
                await self._report(1)
                continue
            if row[0] != contact or len(batch) >= 200:
                if batch:
                    await queue.put((contact, batch))  # type: ignore[arg-type]
                contact, batch = row[0], []
            batch.append(tuple(row))
        if batch:
            await queue.put((contact, batch))  # type: ignore[arg-type]
        for _ in range(workers):
            await queue.put(None)

    async def run(self, rows: Iterator[Any]) -> ScoreSyncReport:
        queue: asyncio.Queue[tuple[int, list[Any]] | None] = asyncio.Queue(self.concurrency * 2)
        workers = [asyncio.create_task(self.worker(queue)) for _ in range(self.concurrency)]
        # The producer is a task too, watched with the workers: if they all die (a
        # progress callback that raises), it must not wait on a full queue forever.
        tasks = [asyncio.create_task(self.produce(rows, queue, len(workers))), *workers]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in tasks:
                error = task.exception() if task.done() and not task.cancelled() else None
                if error is not None:
                    raise error
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        tally = self.tally
        return ScoreSyncReport(
            tally.set, tally.unchanged, tally.failed, tuple(tally.failures), self.dry_run
        )


async def sync_group_scores(
    client: MauticClient,
    rows: ScoreRows,
    *,
    concurrency: int | None = None,
    dry_run: bool = False,
    progress: ScoreProgressCallback | None = None,
) -> ScoreSyncReport:
    """Make each ``(contact_id, group_id)`` score equal its target; see the module
    docstring. ``concurrency`` defaults to the client's ``max_concurrency``;
    ``dry_run`` reads but writes nothing (``set`` then counts rows that would be set).
    """
    if concurrency is None:
        concurrency = client.max_concurrency
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be a positive int, got {concurrency!r}")
    iterator, total = _rows(rows)
    engine = _Engine(
        client, concurrency=concurrency, dry_run=dry_run, progress=progress, total=total
    )
    report = await engine.run(iterator)
    logger.info("score sync: %s", report.counts())
    return report
