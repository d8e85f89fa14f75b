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

Mautic cleans what it stores: it trims text, and decodes entities and strips tags in
names (``A &amp; B`` is stored as ``A & B``). Keys are therefore matched, and values
compared, in the form Mautic stores them (:func:`mautic_async._cleaning.stored_form`),
while what is sent, and ``SyncItem.key``, stay what the caller gave. Two desired items
whose keys are stored alike, or a key that cleans to nothing (``"<b></b>"``), raise
``ValueError`` before any request. A wanted ``""`` equals a stored ``null``. The
cleaning applies to resources whose form we model (those with a ``data_class``); the
fields of a free-form mapping resource (contacts) are compared as sent.

A batch that fails as a whole (a 500, or a 400/413/422 for the whole batch: one bad
item can sink a batch that way) is never sent again as it was: it is split in halves,
and the halves go out in the next round, after the scan has shown what of the failed
batch took effect. Splitting goes on until the bad items are alone; every good item is
applied, and an item that fails alone is reported failed with the server's message.
Rounds that split a batch do not count against ``max_rounds``; there are at most as
many splits as items per verb, so a run still ends.

Known limits of Mautic's schema (a name is a ``VARCHAR(255)``) are checked before
anything is sent: an item over a limit is reported failed with a
:class:`~mautic_async._validation.LimitError` and the other items go ahead.

``dry_run=True`` scans and plans once and sends no write: the report's ``created``,
``updated`` and ``deleted`` items are what the first round would send (created items
have no entity, updated ones carry the entity as Mautic holds it now, deleted ones the
entity that would go), and ``SyncReport.dry_run`` is true. A real run may still differ:
Mautic can refuse an item, or change between the two.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, get_args

import attrs

from ._cleaning import stored_form
from ._converter import _to_datetime, camel, converter, wire_value
from ._validation import BATCH_MAX_ITEMS, LimitError, form_date
from .errors import APIError, APIStatusError, ErrorItem, MauticError

if TYPE_CHECKING:
    from .resources._base import Resource

__all__ = ["ProgressCallback", "SyncAction", "SyncItem", "SyncReport", "sync_entities"]

logger = logging.getLogger("mautic_async")

ModelT = TypeVar("ModelT")

SyncAction = Literal["created", "updated", "unchanged", "deleted", "failed"]

#: ``progress=`` of ``sync()``: called after each item reaches its final state with
#: (items done, items in all); a plain function or a coroutine function.
ProgressCallback = Callable[[int, int], Awaitable[None] | None]

#: How an item found equal to what was wanted is reported, by the last write sent.
_SETTLED_AS: dict[str | None, SyncAction] = {
    None: "unchanged",
    "create": "created",
    "update": "updated",
}


@attrs.frozen
class SyncItem(Generic[ModelT]):
    """What the sync did with one item.

    ``key`` is the item's key value as the caller sent it (matching uses the form
    Mautic stores, see :mod:`mautic_async.sync`).

    Attributes:
        key: the item's key value, as the caller sent it.
        action: ``"created"``, ``"updated"``, ``"unchanged"``, ``"deleted"`` or
            ``"failed"``.
        entity: the entity as Mautic holds it now (``None`` for failed creates and
            for deletions).
        error: why it failed (``None`` unless ``action`` is ``"failed"``).
    """

    key: Any
    action: SyncAction
    entity: ModelT | None = None
    error: MauticError | ErrorItem | None = None


@attrs.frozen
class SyncReport(Generic[ModelT]):
    """Every desired item (and every deleted entity) with what happened to it.

    Attributes:
        items: one :class:`SyncItem` per desired item, then one per deleted entity.
        rounds: how many read-then-write rounds the sync took (a round re-reads
            Mautic, so an answer lost in one is found in the next); 0 for a dry run.
        dry_run: true when nothing was sent: ``created``, ``updated`` and ``deleted``
            then say what a real run would do.
    """

    items: tuple[SyncItem[ModelT], ...]
    rounds: int
    dry_run: bool = False

    def _with(self, action: SyncAction) -> list[SyncItem[ModelT]]:
        return [item for item in self.items if item.action == action]

    @property
    def created(self) -> list[SyncItem[ModelT]]:
        """The items Mautic did not hold and now does."""
        return self._with("created")

    @property
    def updated(self) -> list[SyncItem[ModelT]]:
        """The items whose entity differed and was changed."""
        return self._with("updated")

    @property
    def unchanged(self) -> list[SyncItem[ModelT]]:
        """The items Mautic already held as wanted (nothing was sent for them)."""
        return self._with("unchanged")

    @property
    def deleted(self) -> list[SyncItem[ModelT]]:
        """The entities ``delete_missing`` removed."""
        return self._with("deleted")

    @property
    def failed(self) -> list[SyncItem[ModelT]]:
        """The items Mautic refused, each with its ``error`` (never retried)."""
        return self._with("failed")

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed

    def counts(self) -> dict[str, int]:
        """``{"created": n, "updated": n, ...}`` for every action."""
        actions: tuple[SyncAction, ...] = ("created", "updated", "unchanged", "deleted", "failed")
        return {action: len(self._with(action)) for action in actions}


Verb = Literal["create", "update"]


@attrs.define(eq=False)
class _Desired:
    key: Any  # as the caller sent it
    match: Any  # the key as Mautic stores it: what entities are matched by
    payload: dict[str, Any]  # the wire fields the caller set, camelCase
    sent: Verb | None = None  # the last write sent for it
    outcome: SyncItem[Any] | None = None
    last_error: MauticError | ErrorItem | None = None
    # The batch group it is sent in, per verb: items sharing a token go out together.
    # A group that fails as a whole is split, so the same batch is never sent twice.
    group: dict[Verb, object] = attrs.Factory(dict)
    # Its batch failed as a whole with it alone in it: never sent again.
    poisoned: MauticError | None = None
    # Over a limit of Mautic's schema: reported failed, never sent.
    refusal: LimitError | None = None


def _prepare(
    resource: Resource[Any, Any], desired: Iterable[Any], key: str
) -> tuple[str, list[_Desired]]:
    """Validate the desired items and key them; raise before anything is sent.

    An item over a limit of Mautic's schema does not raise: it carries its
    ``refusal``, to be reported failed while the others go ahead.
    """
    data_class = resource.data_class
    wire_key = camel(key)
    if data_class is not None:
        fields = {camel(a.name) for a in attrs.fields(data_class)} - {"id"}
        if wire_key not in fields:
            raise ValueError(f"key must be one of {sorted(fields)}, got {key!r}")
    prepared: list[_Desired] = []
    seen: dict[Any, int] = {}  # stored key -> index (prepared[index].key: as sent)
    for index, item in enumerate(desired):
        try:
            try:
                payload = _payload(resource, item)
            except LimitError as exc:
                value = _raw_key(item, key, wire_key)
                # Its key still counts as wanted, so delete_missing spares its entity.
                match = _stored(resource, wire_key, value)
                prepared.append(_Desired(value, match, {}, refusal=exc))
                continue
            value = payload.get(wire_key)
            if value is None or value == "":
                raise ValueError(f"the key field {key!r} must be set")
            match = _stored(resource, wire_key, value)
            if match is None:
                raise ValueError(
                    f"key {value!r} is empty once Mautic has cleaned it (trimmed, tags "
                    "stripped), so it could never match"
                )
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"desired item {index}: {exc}") from None
        if match in seen:
            other = seen[match]
            other_value = prepared[other].key
            raise ValueError(
                f"key {match!r} appears more than once: desired items {other} "
                f"({other_value!r}) and {index} ({value!r}) are stored as the same key"
            )
        seen[match] = index  # no tuple per item: fewer long-lived objects for the GC
        prepared.append(_Desired(value, match, payload))
    return wire_key, prepared


def _raw_key(item: Any, key: str, wire_key: str) -> Any:
    """The key of an item whose payload could not be built, as the caller gave it."""
    if isinstance(item, Mapping):
        return item.get(wire_key, item.get(key))
    return getattr(item, key, None)


def _stored(resource: Resource[Any, Any], field: str, value: Any) -> Any:
    """``value`` as Mautic stores it in ``field``: cleaned by the form of an entity we
    model (a ``data_class``); as sent for a free-form mapping such as a contact."""
    if resource.data_class is None:
        return value
    if isinstance(value, Mapping):  # nested objects (trigger events): by their keys
        return {key: _stored(resource, key, item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_stored(resource, field, item) for item in value]
    return stored_form(field, value)


def _payload(resource: Resource[Any, Any], item: Any) -> dict[str, Any]:
    """The resource's own checks of caller data (as for ``create``), and no id."""
    payload = resource._payload(item, id_allowed=True, required=resource.required_fields)
    if "id" in payload:
        raise ValueError("sync matches by key; leave id out")
    return payload


def _differs(resource: Resource[Any, Any], payload: Mapping[str, Any], current: Any) -> bool:
    """Whether ``current`` (as Mautic holds it) differs from what ``payload`` would
    store; only the fields the caller set are compared, in their stored form.

    Only fields the model reads back are compared (a ``write_only`` field of the
    resource, or one not on the model at all, would differ on every run). Nested data is compared by
    content: lists item by item in order, objects in a list on the keys the caller set,
    other objects whole. Dates are compared at minute precision, the precision Mautic
    accepts.
    """
    known, dates = _wire_keys(type(current))  # type: ignore[arg-type]  # classes hash
    skipped = resource.write_only
    for name, sent in payload.items():
        if name in skipped or name not in known:
            continue
        wanted = _stored(resource, name, sent)
        if name in dates:
            if not _same_minute(wanted, getattr(current, dates[name])):
                return True
        elif not _same(wanted, wire_value(current, name), subset=False):
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
    for name, wanted in payload.items():
        if not isinstance(wanted, list):
            continue
        have = wire_value(current, name)
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


@attrs.define(eq=False)
class _Scan(Generic[ModelT]):
    """What one scan found that :meth:`_Sync.plan` needs."""

    matched: dict[Any, ModelT] = attrs.Factory(dict)  # key -> its lowest-id entity
    extras: list[ModelT] = attrs.Factory(list)  # further entities with a matched key
    present: set[Any] = attrs.Factory(set)  # the id of every entity


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
        self.wanted = {item.match for item in items}
        self.delete_missing = delete_missing
        self.concurrency = concurrency
        self.batch_size = batch_size
        self.progress = progress
        self.deletions: dict[int, SyncItem[ModelT]] = {}  # id -> final outcome
        self.delete_sent: dict[int, tuple[Any, MauticError | ErrorItem | None]] = {}
        self.done = 0
        self.splits = 0  # batches split after failing as a whole
        # What the last plan would send: creates, (update, its entity) pairs, deletes.
        self.planned: tuple[list[_Desired], list[tuple[_Desired, ModelT]], list[ModelT]] = (
            [],
            [],
            [],
        )

    def key_of(self, entity: Any) -> Any:
        return wire_value(entity, self.wire_key)

    async def settle(self, item: _Desired, outcome: SyncItem[ModelT]) -> None:
        item.outcome = outcome
        await self.tick()

    async def tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            result = self.progress(self.done, len(self.items) + len(self.delete_sent))
            if result is not None:
                await result

    async def scan(self) -> _Scan[ModelT]:
        """Read every entity (stable paging by id), keeping only what :meth:`plan` reads.

        Each key is matched to its first (lowest id) entity. An entity is kept if an
        open item has its key, or, with ``delete_missing``, if no item wants its key or
        it is a duplicate; the others (every entity of a final confirming scan) are
        dropped as they are read. Holding the whole table of models would promote them
        all into the garbage collector's oldest generation, whose full collections then
        cost more than linearly on large tables.
        """
        open_keys = {item.match for item in self.items if item.outcome is None}
        seen: set[Any] = set()
        scan = _Scan[ModelT]()
        async for entity in self.resource.iterate(stable=True, page_size=500):
            scan.present.add(getattr(entity, "id", None))
            value = self.key_of(entity)
            if value in seen:
                if self.delete_missing:  # Mautic allows duplicate names; keep the lowest id
                    scan.extras.append(entity)
                continue
            seen.add(value)
            if value in open_keys or (self.delete_missing and value not in self.wanted):
                scan.matched[value] = entity
        return scan

    async def plan(self, scan: _Scan[ModelT]) -> list[Callable[[], Awaitable[None]]]:
        """Settle what the scan shows is done; return the writes still needed."""
        matched, extras, present = scan.matched, scan.extras, scan.present
        for entity_id, (key, _error) in self.delete_sent.items():
            if entity_id not in present and entity_id not in self.deletions:
                self.deletions[entity_id] = SyncItem(key, "deleted")
                await self.tick()

        to_create: list[_Desired] = []
        to_update: list[_Desired] = []
        targets: dict[int, ModelT] = {}  # id(item) -> the entity its update goes to
        for item in self.items:
            if item.outcome is not None:
                continue
            found = matched.get(item.match)
            problem = None if found is None else _cannot_apply(item.payload, found)
            if (
                found is not None
                and problem is None
                and not _differs(self.resource, item.payload, found)
            ):
                # Equal now: because our earlier write took effect (its answer may have
                # been lost), or because it already was.
                await self.settle(item, SyncItem(item.key, _SETTLED_AS[item.sent], found))
            elif problem is not None:
                # A change Mautic's API cannot make (fewer trigger events than stored):
                # failed with the reason, never "updated" on every run.
                await self.settle(item, SyncItem(item.key, "failed", found, MauticError(problem)))
            elif item.poisoned is not None:
                # Its batch failed with it alone in it, and the scan shows it did not
                # take effect: a bad item, never sent again.
                await self.settle(item, SyncItem(item.key, "failed", None, item.poisoned))
            elif found is None:
                to_create.append(item)
            else:
                to_update.append(item)
                targets[id(item)] = found
        to_delete: list[ModelT] = []
        if self.delete_missing:
            to_delete = [e for k, e in matched.items() if k not in self.wanted] + extras
            to_delete = [e for e in to_delete if getattr(e, "id", None) not in self.deletions]
        self.planned = (to_create, [(item, targets[id(item)]) for item in to_update], to_delete)

        return [
            *(partial(self.create, batch) for batch in self.batches(to_create, "create")),
            *(
                partial(self.update, [(item, targets[id(item)]) for item in batch])
                for batch in self.batches(to_update, "update")
            ),
            *(partial(self.delete, chunk) for chunk in _chunks(to_delete, self.batch_size)),
        ]

    def batches(self, items: Sequence[_Desired], verb: Verb) -> list[list[_Desired]]:
        """The batches ``items`` go out in: by their groups, new ones in fresh groups of
        ``batch_size``. A group only ever shrinks (items settle, groups split)."""
        fresh = [item for item in items if verb not in item.group]
        for chunk in _chunks(fresh, self.batch_size):
            token = object()
            for item in chunk:
                item.group[verb] = token
        grouped: dict[object, list[_Desired]] = {}
        for item in items:
            grouped.setdefault(item.group[verb], []).append(item)
        return list(grouped.values())

    async def failed_whole(self, batch: Sequence[_Desired], verb: Verb, exc: APIError) -> None:
        """A batch failed as a whole: one bad item may have sunk it, so never send it
        again as it was. Split it in halves for the next round, whose scan first shows
        what of it took effect (a 5xx may have applied some items)."""
        if len(batch) == 1:
            (item,) = batch
            if _refused(exc):  # nothing took effect: final now
                await self.settle(item, SyncItem(item.key, "failed", None, exc))
            else:  # settled by the next scan: created after all, or failed
                item.poisoned = exc
                item.last_error = exc
            return
        self.splits += 1
        middle = (len(batch) + 1) // 2
        for half in (batch[:middle], batch[middle:]):
            token = object()
            for item in half:
                item.group[verb] = token
                item.last_error = exc

    def unknown(self, items: Iterable[_Desired], error: MauticError) -> None:
        for item in items:
            item.last_error = error

    async def create(self, chunk: Sequence[_Desired]) -> None:
        for item in chunk:
            item.sent = "create"
        try:
            result = await self.resource.create_batch([item.payload for item in chunk])
        except APIError as exc:
            if _item_caused(exc):
                await self.failed_whole(chunk, "create", exc)
            elif _refused(exc):
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
            if _item_caused(exc):
                await self.failed_whole([item for item, _entity in pairs], "update", exc)
            elif _refused(exc):
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

    def dry_report(self) -> SyncReport[ModelT]:
        """What the first round would send, in the items' order, as a report."""
        to_create, to_update, to_delete = self.planned
        would: dict[int, SyncItem[ModelT]] = {
            **{id(item): SyncItem(item.key, "created") for item in to_create},
            **{id(item): SyncItem(item.key, "updated", entity) for item, entity in to_update},
        }
        items = [item.outcome or would[id(item)] for item in self.items]
        deletions = [SyncItem(self.key_of(entity), "deleted", entity) for entity in to_delete]
        return SyncReport(items=(*items, *deletions), rounds=0, dry_run=True)


def _refused(exc: APIError) -> bool:
    """A 4xx other than 408/429: Mautic looked at the request and said no, so it did
    not take effect and repeating it would change nothing."""
    return (
        isinstance(exc, APIStatusError) and 400 <= exc.status < 500 and exc.status not in (408, 429)
    )


def _item_caused(exc: APIError) -> bool:
    """An answer for the whole batch that one bad item can cause: a 500 (an item that
    makes PHP or the database throw sinks the whole batch that way), or a refusal of
    the input as a whole (400, 413, 422). Not 401/403/404 and the like, which no
    splitting would change, nor 408/429 (the client's retries already waited), nor
    502/503/504: those come from a gateway or a server that is down, not from an item,
    so the batch's outcome is unknown and the next round's scan settles it."""
    if not isinstance(exc, APIStatusError):
        return False
    return exc.status in (400, 413, 422, 500)


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
    dry_run: bool = False,
) -> SyncReport[ModelT]:
    """Make Mautic hold exactly ``desired`` (see the module docs); return the report.
    With ``dry_run``, send no write and report what would be sent.

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
    for item in items:
        if item.refusal is not None:
            logger.info("sync: an item is refused before sending: %s", item.refusal)
            await run.settle(item, SyncItem(item.key, "failed", None, item.refusal))
    if dry_run:  # one scan, one plan, no write; a failed scan raises
        await run.plan(await run.scan())
        return run.dry_report()
    rounds = 0
    split_rounds = 0  # rounds that split a failed batch: not counted against max_rounds
    while True:
        try:
            scan = await run.scan()
        except APIError as exc:
            logger.info("sync: scanning failed (%s)", exc)
            run.unknown((item for item in items if item.outcome is None), exc)
            jobs = None
        else:
            jobs = await run.plan(scan)
            if not jobs:
                break
        if rounds >= max_rounds + split_rounds:
            break
        rounds += 1
        if jobs:
            logger.debug("sync round %d: %d write job(s)", rounds, len(jobs))
            splits = run.splits
            await _run_bounded(jobs, concurrency)
            if run.splits > splits:
                split_rounds += 1
    await run.fail_open()
    return run.report(rounds)
