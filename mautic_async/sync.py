"""Bulk sync: make Mautic hold exactly the desired entities, each exactly once.

Mautic has no idempotency keys and no upsert, so a create whose answer was lost (a
timeout, a dropped connection, a truncated body) may or may not have happened. The
sync never guesses: it works in rounds, and every round starts by reading what Mautic
really holds now.

1. Scan every entity (stable paging by id) and match them to the desired items by
   ``key`` (the first, lowest id, where Mautic holds several with one key).
2. Plan: create what is missing, update what differs (only fields the caller set are
   compared, nested data by content, write-only fields never), leave equal ones
   alone, and, with ``delete_missing``, delete the rest. A change Mautic's API cannot
   make (fewer trigger events than stored) is reported failed, saying why.
3. Run the plan through batch endpoints (chunks of at most 200) with bounded
   concurrency. An item Mautic refuses (a 4xx) is final: it is reported failed and
   not tried again. An item whose outcome is unknown is left for the next round,
   whose scan shows whether it took effect.

A round with nothing left to do ends the sync; after ``max_rounds`` the items still
open are reported failed with their last error. So after any run, however many
faults, each desired entity exists once or is reported failed, and running the same
sync again reports everything unchanged.

Keys are compared exactly as Mautic stores them. Mautic trims names and strips HTML
tags, so a key with surrounding spaces or tags would never match what was stored and
would be created again on every run: such keys are refused up front.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, get_args

import attrs

from ._converter import _to_datetime, camel, converter
from ._validation import BATCH_MAX_ITEMS, form_date
from .errors import APIError, APIStatusError, ErrorItem, MauticError

if TYPE_CHECKING:
    from .resources._base import Resource

__all__ = ["ProgressCallback", "SyncAction", "SyncItem", "SyncReport", "sync_entities"]

logger = logging.getLogger("mautic_async")

ModelT = TypeVar("ModelT")

SyncAction = Literal["created", "updated", "unchanged", "deleted", "failed"]

#: Called after each item reaches its final state, with (items done, items in all).
ProgressCallback = Callable[[int, int], Awaitable[None] | None]

_TAG = re.compile(r"<[^>]*>")

#: How an item found equal to what was wanted is reported, by the last write sent.
_SETTLED_AS: dict[str | None, SyncAction] = {
    None: "unchanged",
    "create": "created",
    "update": "updated",
}


@attrs.frozen
class SyncItem(Generic[ModelT]):
    """What the sync did with one item.

    ``key`` is the item's key value; ``entity`` is the entity as Mautic holds it now
    (``None`` for failed creates and for deletions); ``error`` says why it failed.
    """

    key: Any
    action: SyncAction
    entity: ModelT | None = None
    error: MauticError | ErrorItem | None = None


@attrs.frozen
class SyncReport(Generic[ModelT]):
    """Every desired item (and every deleted entity) with what happened to it."""

    items: tuple[SyncItem[ModelT], ...]
    rounds: int

    def _with(self, action: SyncAction) -> list[SyncItem[ModelT]]:
        return [item for item in self.items if item.action == action]

    @property
    def created(self) -> list[SyncItem[ModelT]]:
        return self._with("created")

    @property
    def updated(self) -> list[SyncItem[ModelT]]:
        return self._with("updated")

    @property
    def unchanged(self) -> list[SyncItem[ModelT]]:
        return self._with("unchanged")

    @property
    def deleted(self) -> list[SyncItem[ModelT]]:
        return self._with("deleted")

    @property
    def failed(self) -> list[SyncItem[ModelT]]:
        return self._with("failed")

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed

    def counts(self) -> dict[str, int]:
        """``{"created": n, "updated": n, ...}`` for every action."""
        actions: tuple[SyncAction, ...] = ("created", "updated", "unchanged", "deleted", "failed")
        return {action: len(self._with(action)) for action in actions}


@attrs.define
class _Desired:
    key: Any
    payload: dict[str, Any]  # the wire fields the caller set, camelCase
    sent: Literal["create", "update"] | None = None  # the last write sent for it
    outcome: SyncItem[Any] | None = None
    last_error: MauticError | ErrorItem | None = None


def _prepare(
    resource: Resource[Any, Any], desired: Iterable[Any], key: str
) -> tuple[str, list[_Desired]]:
    """Validate the desired items and key them; raise before anything is sent."""
    data_class = resource.data_class
    wire_key = camel(key)
    if data_class is not None:
        fields = {camel(a.name) for a in attrs.fields(data_class)} - {"id"}
        if wire_key not in fields:
            raise ValueError(f"key must be one of {sorted(fields)}, got {key!r}")
    prepared: list[_Desired] = []
    seen: set[Any] = set()
    for index, item in enumerate(desired):
        try:
            payload = _payload(resource, item)
            value = payload.get(wire_key)
            if value is None or value == "":
                raise ValueError(f"the key field {key!r} must be set")
            if isinstance(value, str) and (value != value.strip() or _TAG.search(value)):
                raise ValueError(
                    f"key {value!r} has surrounding spaces or HTML tags, which Mautic "
                    "removes; it would never match and would be created on every run"
                )
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"desired item {index}: {exc}") from None
        if value in seen:
            raise ValueError(f"desired item {index}: key {value!r} appears more than once")
        seen.add(value)
        prepared.append(_Desired(value, payload))
    return wire_key, prepared


def _payload(resource: Resource[Any, Any], item: Any) -> dict[str, Any]:
    """The resource's own checks of caller data (as for ``create``), and no id."""
    payload = resource._payload(item, id_allowed=True, required=resource.required_fields)
    if "id" in payload:
        raise ValueError("sync matches by key; leave id out")
    return payload


def _differs(payload: Mapping[str, Any], current: Any, skip: Iterable[str] = ()) -> bool:
    """Whether ``current`` differs from the wire fields the caller set.

    Only fields the model reads back are compared (a write-only field, in ``skip`` or
    not on the model at all, would differ on every run). Nested data is compared by
    content: lists item by item in order, objects in a list on the keys the caller set,
    other objects whole. Dates are compared at minute precision, the precision Mautic
    accepts.
    """
    wire = converter.unstructure(current)
    known, dates = _wire_keys(type(current))  # type: ignore[arg-type]  # classes hash
    skipped = set(skip)
    for name, wanted in payload.items():
        if name in skipped or name not in known:
            continue
        if name in dates:
            if not _same_minute(wanted, getattr(current, dates[name])):
                return True
        elif not _same(wanted, wire.get(name), subset=False):
            return True
    return False


@functools.cache
def _wire_keys(model: type[Any]) -> tuple[frozenset[str], dict[str, str]]:
    """The model's wire keys, and wire key -> field name of its date fields."""
    fields = attrs.fields(attrs.resolve_types(model))
    dates = {camel(a.name): a.name for a in fields if datetime in (a.type, *get_args(a.type))}
    return frozenset(camel(a.name) for a in fields), dates


def _same_minute(wanted: Any, have: datetime | None) -> bool:
    if wanted in ("", None) or have is None:
        return wanted in ("", None) and have is None
    try:
        want = _to_datetime(form_date(wanted), datetime)
    except (TypeError, ValueError):
        return False
    return want is not None and want.replace(second=0, microsecond=0) == have.replace(
        second=0, microsecond=0
    )


def _same(wanted: Any, have: Any, *, subset: bool) -> bool:
    """``wanted`` equals ``have`` by content; with ``subset``, an object only on the keys
    ``wanted`` has (the fields a caller set on a nested item)."""
    if wanted in ("", None) and have in ("", None):  # Mautic stores "" as null
        return True
    if have is None and isinstance(wanted, (Mapping, list, tuple)) and not wanted:
        return True  # an empty collection is left out of the model's wire form
    empty: tuple[Any, ...] = ({}, [], ())
    if isinstance(wanted, Mapping) and (isinstance(have, Mapping) or have in empty):
        have = have or {}
        if not subset and set(wanted) != set(have):
            return False
        return all(_same(v, have.get(k), subset=False) for k, v in wanted.items())
    if isinstance(wanted, (list, tuple)) and isinstance(have, (list, tuple, Mapping)):
        if isinstance(have, Mapping):  # PHP's empty array as {} where a list is meant
            have = list(have.values())
        return len(wanted) == len(have) and all(
            _same(w, h, subset=isinstance(w, Mapping)) for w, h in zip(wanted, have, strict=True)
        )
    return bool(wanted == have)


def _cannot_apply(payload: Mapping[str, Any], current: Any) -> str | None:
    """Why no write can make ``current`` equal ``payload``, or ``None``.

    Mautic's child collections (a trigger's events) can be added to and changed, but
    not shortened through this API, so fewer desired children than stored can never
    become "unchanged": say so instead of writing on every run.
    """
    wire = converter.unstructure(current)
    for name, wanted in payload.items():
        have = wire.get(name)
        if (
            isinstance(wanted, list)
            and isinstance(have, list)
            and len(wanted) < len(have)
            and all(isinstance(h, Mapping) and "id" in h for h in have)
        ):
            return (
                f"{name}: Mautic holds {len(have)} but {len(wanted)} are desired, and Mautic "
                f"cannot remove {name} through this API; remove them in Mautic, or delete "
                "the entity so the sync creates it again"
            )
    return None


def _with_child_ids(payload: Mapping[str, Any], current: Any) -> dict[str, Any]:
    """The update to send: nested children without an id take the id of the stored
    child at their position, so Mautic changes them in place instead of adding more."""
    wire = converter.unstructure(current)
    update = dict(payload)
    for name, wanted in payload.items():
        have = wire.get(name)
        if isinstance(wanted, list) and isinstance(have, list):
            update[name] = [
                {**w, "id": h["id"]}
                if isinstance(w, Mapping)
                and "id" not in w
                and isinstance(h, Mapping)
                and h.get("id")
                else w
                for w, h in zip(wanted, [*have, *[None] * len(wanted)], strict=False)
            ]
    return update


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


async def _run_bounded(jobs: Sequence[Callable[[], Awaitable[None]]], concurrency: int) -> None:
    """Run jobs with at most ``concurrency`` at once: a fixed pool of workers, never
    an unbounded gather."""
    queue = list(reversed(jobs))

    async def worker() -> None:
        while queue:
            await queue.pop()()

    await asyncio.gather(*(worker() for _ in range(min(concurrency, len(jobs)))))


class _Sync(Generic[ModelT]):
    """The state of one sync run; :func:`sync_entities` is its public face."""

    def __init__(
        self,
        resource: Resource[ModelT, Any],
        wire_key: str,
        items: list[_Desired],
        *,
        delete_missing: bool,
        concurrency: int,
        batch_size: int,
        progress: ProgressCallback | None,
    ) -> None:
        self.resource = resource
        self.wire_key = wire_key
        self.items = items
        self.wanted = {item.key for item in items}
        self.delete_missing = delete_missing
        self.concurrency = concurrency
        self.batch_size = batch_size
        self.progress = progress
        self.deletions: dict[int, SyncItem[ModelT]] = {}  # id -> final outcome
        self.delete_sent: dict[int, tuple[Any, MauticError | ErrorItem | None]] = {}
        self.done = 0

    def key_of(self, entity: Any) -> Any:
        return converter.unstructure(entity).get(self.wire_key)

    async def settle(self, item: _Desired, outcome: SyncItem[ModelT]) -> None:
        item.outcome = outcome
        await self.tick()

    async def tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            result = self.progress(self.done, len(self.items) + len(self.delete_sent))
            if result is not None:
                await result

    async def plan(self, current: list[ModelT]) -> list[Callable[[], Awaitable[None]]]:
        """Settle what the scan shows is done; return the writes still needed."""
        matched: dict[Any, ModelT] = {}
        extras: list[ModelT] = []
        for entity in current:
            value = self.key_of(entity)
            if value in matched:
                extras.append(entity)  # Mautic allows duplicate names; keep the lowest id
            else:
                matched[value] = entity
        present = {getattr(entity, "id", None) for entity in current}
        for entity_id, (key, _error) in self.delete_sent.items():
            if entity_id not in present and entity_id not in self.deletions:
                self.deletions[entity_id] = SyncItem(key, "deleted")
                await self.tick()

        to_create: list[_Desired] = []
        to_update: list[tuple[_Desired, ModelT]] = []
        for item in self.items:
            if item.outcome is not None:
                continue
            found = matched.get(item.key)
            if found is None:
                to_create.append(item)
            elif _differs(item.payload, found, self.resource.write_only):
                problem = _cannot_apply(item.payload, found)
                if problem is not None:
                    error = MauticError(problem)
                    await self.settle(item, SyncItem(item.key, "failed", found, error))
                else:
                    to_update.append((item, found))
            else:
                # Equal now: because our earlier write took effect (its answer may have
                # been lost), or because it already was.
                await self.settle(item, SyncItem(item.key, _SETTLED_AS[item.sent], found))
        to_delete: list[ModelT] = []
        if self.delete_missing:
            to_delete = [e for k, e in matched.items() if k not in self.wanted] + extras
            to_delete = [e for e in to_delete if getattr(e, "id", None) not in self.deletions]

        return [
            *(partial(self.create, chunk) for chunk in _chunks(to_create, self.batch_size)),
            *(partial(self.update, pairs) for pairs in _chunks(to_update, self.batch_size)),
            *(partial(self.delete, chunk) for chunk in _chunks(to_delete, self.batch_size)),
        ]

    def unknown(self, items: Iterable[_Desired], error: MauticError) -> None:
        for item in items:
            item.last_error = error

    async def create(self, chunk: Sequence[_Desired]) -> None:
        for item in chunk:
            item.sent = "create"
        try:
            result = await self.resource.create_batch([item.payload for item in chunk])
        except APIError as exc:
            if _refused(exc):
                for item in chunk:
                    await self.settle(item, SyncItem(item.key, "failed", None, exc))
            else:
                self.unknown(chunk, exc)  # the next scan shows what took effect
            return
        for item, outcome in zip(chunk, result.items, strict=True):
            if outcome.ok and outcome.item is not None:
                await self.settle(item, SyncItem(item.key, "created", outcome.item))
            elif outcome.status_code is not None and 400 <= outcome.status_code < 500:
                await self.settle(item, SyncItem(item.key, "failed", None, outcome.error))
            else:
                item.last_error = outcome.error

    async def update(self, pairs: Sequence[tuple[_Desired, ModelT]]) -> None:
        for item, _entity in pairs:
            item.sent = "update"
        body = [
            {**_with_child_ids(item.payload, entity), "id": getattr(entity, "id", None)}
            for item, entity in pairs
        ]
        try:
            result = await self.resource.edit_batch(body)
        except APIError as exc:
            if _refused(exc):
                for item, _entity in pairs:
                    await self.settle(item, SyncItem(item.key, "failed", None, exc))
            else:
                self.unknown((item for item, _entity in pairs), exc)
            return
        for (item, _entity), outcome in zip(pairs, result.items, strict=True):
            if outcome.ok and outcome.item is not None:
                await self.settle(item, SyncItem(item.key, "updated", outcome.item))
            elif outcome.status_code == 404:
                item.last_error = outcome.error  # deleted meanwhile: recreated next round
            elif outcome.status_code is not None and 400 <= outcome.status_code < 500:
                await self.settle(item, SyncItem(item.key, "failed", None, outcome.error))
            else:
                item.last_error = outcome.error

    async def delete(self, entities: Sequence[ModelT]) -> None:
        ids = [getattr(entity, "id", 0) for entity in entities]
        for entity_id, entity in zip(ids, entities, strict=True):
            self.delete_sent.setdefault(entity_id, (self.key_of(entity), None))
        try:
            result = await self.resource.delete_batch(ids)
        except APIError as exc:
            for entity_id in ids:
                self.delete_sent[entity_id] = (self.delete_sent[entity_id][0], exc)
            return
        for entity_id, outcome in zip(ids, result.items, strict=True):
            key = self.delete_sent[entity_id][0]
            if outcome.ok or outcome.status_code == 404:  # 404: already gone
                self.deletions[entity_id] = SyncItem(key, "deleted", outcome.item)
                await self.tick()
            else:
                self.delete_sent[entity_id] = (key, outcome.error)

    async def fail_open(self) -> None:
        for item in self.items:
            if item.outcome is None:
                await self.settle(item, SyncItem(item.key, "failed", None, item.last_error))
        for entity_id, (key, error) in self.delete_sent.items():
            if entity_id not in self.deletions:
                self.deletions[entity_id] = SyncItem(key, "failed", None, error)
                await self.tick()

    def report(self, rounds: int) -> SyncReport[ModelT]:
        outcomes = [item.outcome for item in self.items if item.outcome is not None]
        return SyncReport(items=(*outcomes, *self.deletions.values()), rounds=rounds)


def _refused(exc: APIError) -> bool:
    """A 4xx other than 408/429: Mautic looked at the request and said no, so it did
    not take effect and repeating it would change nothing."""
    return (
        isinstance(exc, APIStatusError) and 400 <= exc.status < 500 and exc.status not in (408, 429)
    )


async def sync_entities(
    resource: Resource[ModelT, Any],
    desired: Iterable[Any],
    *,
    key: str = "name",
    delete_missing: bool = False,
    concurrency: int = 4,
    batch_size: int = BATCH_MAX_ITEMS,
    max_rounds: int = 8,
    progress: ProgressCallback | None = None,
) -> SyncReport[ModelT]:
    """Make Mautic hold exactly ``desired`` (see the module docs); return the report.

    Prefer the resource method: ``await mautic.point_groups.sync(desired, key="name")``.
    """
    if not 1 <= batch_size <= BATCH_MAX_ITEMS:
        raise ValueError(f"batch_size must be between 1 and {BATCH_MAX_ITEMS}")
    if concurrency < 1 or max_rounds < 1:
        raise ValueError("concurrency and max_rounds must be at least 1")
    wire_key, items = _prepare(resource, desired, key)
    run = _Sync(
        resource,
        wire_key,
        items,
        delete_missing=delete_missing,
        concurrency=concurrency,
        batch_size=batch_size,
        progress=progress,
    )
    rounds = 0
    while True:
        try:
            current = [entity async for entity in resource.iterate(stable=True, page_size=500)]
        except APIError as exc:
            logger.info("sync: scanning failed (%s)", exc)
            run.unknown((item for item in items if item.outcome is None), exc)
            jobs = None
        else:
            jobs = await run.plan(current)
            if not jobs:
                break
        if rounds >= max_rounds:
            break
        rounds += 1
        if jobs:
            logger.debug("sync round %d: %d write job(s)", rounds, len(jobs))
            await _run_bounded(jobs, concurrency)
    await run.fail_open()
    return run.report(rounds)
