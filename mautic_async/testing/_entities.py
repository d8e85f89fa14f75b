"""Entity descriptions, wire serialization and the API form (``processForm``) logic.

A CRUD entity is described once by an :class:`EntitySpec`; the generic routes in
``_crud.py`` and the list query engine in ``_query.py`` work from it. Adding another
Mautic ``FormEntity`` means writing one more ``EntitySpec`` (see ``_schema.py``) and
calling ``add_crud_routes``. A spec declares, per field, its kind (text, number,
boolean, date, JSON, choice, reference), its messages and defaults, its foreign key
and what deleting the referenced row does; child collections (trigger events) are a
:class:`ChildSpec`.

Rows are plain dicts keyed by Doctrine property name (``isPublished``, ``dateAdded``...),
dates as integer Unix seconds (the database keeps whole seconds).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ._php import PhpArray, filter_bool, json_encode, php_empty, php_key, strip_tags
from ._responses import ServerError

if TYPE_CHECKING:
    from ._state import Table

__all__ = [
    "Actor",
    "ChildSpec",
    "ColumnKind",
    "EntitySpec",
    "FieldKind",
    "FieldSpec",
    "FormInvalid",
    "Lookup",
    "Refused",
    "Row",
    "format_date",
    "parse_version",
    "process_form",
]

Row = dict[str, Any]
ColumnKind = Literal["int", "bool", "string", "datetime"]
FieldKind = Literal[
    "string", "text", "int", "bool", "datetime", "json", "choice", "ref", "refs", "category"
]
"""How a form field binds a submitted value and how its column behaves:

* ``string``: ``TextType`` on a VARCHAR, cleaned by ``InputHelper::_`` (entities
  decoded, tags stripped, trimmed; empty is null);
* ``text``: ``TextareaType`` on a TEXT column (``InputHelper::html``: kept as sent);
* ``int``: ``NumberType`` with ``scale 0`` (rounded half up), optional ``Range``;
* ``bool``: a YesNo field that ``RequestTrait`` sets directly with
  ``FILTER_VALIDATE_BOOLEAN``; omitted on PUT it becomes ``false``;
* ``datetime``: ``DatePickerType`` (format ``yyyy-MM-dd HH:mm``), sent back as ISO-8601;
* ``json``: a sub-form stored in a Doctrine ``array``/``json`` column (any object/list);
* ``choice``: ``ChoiceType`` over fixed values or a named source of the store;
* ``ref``: a ``ChoiceType`` over the ids of another table (a foreign key);
* ``refs``: the same with ``multiple=true``, stored as a JSON list of ids (no FK);
* ``category``: the ``category`` association, applied after validation.
"""

PUBLISH_KEYS = (
    "isPublished",
    "dateAdded",
    "dateModified",
    "createdBy",
    "createdByUser",
    "modifiedBy",
    "modifiedByUser",
)
"""``FormEntity`` fields in serialization order.

UNVERIFIED choice (key order): JMS merges class metadata parent-first, so the
``FormEntity`` fields come before the entity's own ``id, name, description``, as in the
spec's reconstructed example. Clients must not depend on key order anyway.
"""

FORM_ENTITY_COLUMNS: dict[str, ColumnKind] = {
    "isPublished": "bool",
    "dateAdded": "datetime",
    "dateModified": "datetime",
    "createdBy": "int",
    "createdByUser": "string",
    "modifiedBy": "int",
    "modifiedByUser": "string",
    "checkedOut": "datetime",
    "checkedOutBy": "int",
    "checkedOutByUser": "string",
}
"""Mapped ``FormEntity`` columns (queryable in ``where``/``orderBy``; the
``checkedOut*`` ones are never serialized)."""

NAME_MAX_LENGTH = 255
INVALID = "This value is not valid."
"""UNVERIFIED choice: the form's ``invalid_message`` (Symfony 5.4 with legacy error
messages) for every transformation failure and unknown choice."""
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
_COLUMN_KIND: dict[str, ColumnKind] = {
    "int": "int",
    "ref": "int",
    "bool": "bool",
    "datetime": "datetime",
}
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)\Z")
_DATE_INPUT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2})\Z")
_PUBLISH_DATES = frozenset(key for key in PUBLISH_KEYS if key.startswith("date"))
_CONVERTED_KINDS = frozenset({"datetime", "category", "json", "refs"})
"""Field kinds whose wire value :func:`_wire` derives from the stored one."""
OMIT = "__response__"
"""Key of a response-only view of a row (see :meth:`EntitySpec.persist`)."""


def parse_version(version: str) -> tuple[int, int]:
    """``"7.1.3"`` gives ``(7, 1)``; anything unparsable counts as the newest."""
    parts = re.findall(r"\d+", version)
    if not parts:
        return (99, 0)
    return (int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)


@dataclass(frozen=True)
class Actor:
    """Who performs a save: a Mautic user, or the pseudo user of an OAuth2 client."""

    user_id: int | None
    name: str | None


class Lookup(Protocol):
    """What a form needs from the database: other tables and named choice lists."""

    def table(self, name: str) -> Table:
        """The table of an entity collection."""

    def choices(self, source: str) -> Collection[Any]:
        """The current values of a dynamic choice list (e.g. text contact fields)."""


@dataclass(frozen=True)
class FieldSpec:
    """One form field of an entity (or of a child entity). See :data:`FieldKind`."""

    name: str
    kind: FieldKind = "string"
    required: bool = False
    """``NotBlank``: an empty value is a 400 with :attr:`required_message`."""
    required_message: str = "A value is required."
    default: Any = None
    """Entity default merged under the payload of a new entity
    (``getEntityDefaultProperties``); ``None`` means the PHP default is null."""
    empty: Any = None
    """What an empty or omitted submission stores (``empty_data`` / setter casts)."""
    invalid_message: str = INVALID
    choices: tuple[str, ...] | str = ()
    """``choice``: the allowed values, or the name of a :meth:`Lookup.choices` source."""
    references: str | None = None
    """``ref``/``refs``: the table whose ids are valid."""
    on_delete: Literal["cascade", "set_null"] | None = None
    """``ref``: what deleting the referenced row does to this row (the FK rule)."""
    int_range: tuple[int, int] | None = None
    """``int``: a ``Range`` constraint (400); without one, MySQL's INT range (500)."""
    max_length: int | None = None
    """Column length; longer values reach MySQL, whose strict mode fails (500)."""
    serialized: bool = True
    """False for fields the form accepts but the API never returns (``group``)."""
    bind_on_create: bool = True
    """False when the form only has this field for an existing entity (``properties``)."""
    clear_fails: bool = False
    """Clearing a set value throws (a non-nullable setter): a 500."""
    not_null: bool = False
    """Child fields: set raw on a NOT NULL column, so a null value is a 500."""
    detail: bool = False
    """Only in the ``…Details`` serializer group: a ``minimal=1`` list, which swaps it
    for ``…List``, leaves the field out."""

    @property
    def column_kind(self) -> ColumnKind:
        """How the list query compares this column."""
        return _COLUMN_KIND.get(self.kind, "string")


@dataclass(frozen=True)
class ChildSpec:
    """A one-to-many collection written through its parent's payload (trigger events).

    Mirrors ``TriggerApiController::preSaveEntity`` and ``TriggerModel::setEvents``:
    every payload item without ``id`` is a new child; an item with an ``id`` must name
    an existing child (of any parent); values are set raw (``set<Key>``), ``id`` and
    ``order`` are ignored and ``order`` is rewritten to the 1-based payload position.
    PUT drops the children the payload does not list from the *response only*
    (:attr:`put_removes_in_response`); PATCH never removes.
    """

    name: str
    """Key in the parent's payload and wire shape, e.g. ``events``."""
    table: str
    """Registry of the children's ids (shared auto-increment), e.g. ``triggerEvents``."""
    parent_key: str
    """Column of the registry naming the parent (FK, ON DELETE CASCADE)."""
    fields: tuple[FieldSpec, ...]
    order_key: str = "order"
    put_removes_in_response: bool = True
    """UNVERIFIED choice (spec 3.3): the removal is not persisted (no orphanRemoval)."""

    def serialize(self, child: Row) -> dict[str, Any]:
        """``id``, the fields, then ``order`` at its metadata position after ``type``."""
        out: dict[str, Any] = {"id": child["id"]}
        for f in self.fields:
            if f.name == "properties":
                out[self.order_key] = child.get(self.order_key)
            out[f.name] = _wire(f, child.get(f.name))
        out.setdefault(self.order_key, child.get(self.order_key))
        return out


@dataclass(frozen=True)
class EntitySpec:
    """A Mautic ``FormEntity`` exposed through the standard API routes."""

    one: str
    """Key of a single entity, e.g. ``pointGroup``."""
    multi: str
    """Key of a collection, e.g. ``pointGroups``."""
    path: str
    """Route path below ``/api``, e.g. ``/points/groups``."""
    alias: str
    """Repository table alias used in DQL, e.g. ``pl``."""
    fields: tuple[FieldSpec, ...]
    """Form fields, in serialization order."""
    catch_all: str = "name"
    """Column a plain ``search`` word is matched against."""
    extra_columns: Mapping[str, ColumnKind] = field(default_factory=dict)
    publish_details: bool = True
    """False when the serializer groups lack ``publishDetails`` (Point Insights)."""
    children: tuple[ChildSpec, ...] = ()
    child_after: str | None = None
    """Serialize the children right after this field (e.g. events after ``color``)."""

    @property
    def columns(self) -> dict[str, ColumnKind]:
        """Every mapped Doctrine field name with its column kind."""
        own: dict[str, ColumnKind] = {"id": "int"}
        own.update({f.name: f.column_kind for f in self.fields if f.kind != "category"})
        return {**FORM_ENTITY_COLUMNS, **own, **self.extra_columns}

    def new_row(self) -> Row:
        """An unsaved row holding the PHP property defaults."""
        row: Row = dict.fromkeys(FORM_ENTITY_COLUMNS)
        row.update(id=None, isPublished=True)
        for f in self.fields:
            row[f.name] = _fresh(f.default if f.default is not None else f.empty)
        for child in self.children:
            row[child.name] = []
        return row

    def serialize(self, row: Row, *, minimal: bool = False) -> dict[str, Any]:
        """The wire shape used by every CRUD endpoint (nulls included).

        Children come in ``order`` (ties by id), as a fresh GET loads them; a row
        returned by :meth:`persist` keeps the in-memory collection order instead and
        leaves out the children only the response drops. ``minimal`` (a list with
        ``minimal=1``: ``getEntitiesAction`` swaps the ``…Details`` group for
        ``…List``) leaves out the :attr:`FieldSpec.detail` fields and the children,
        which are in the details group only (trigger events, spec 3.3).
        """
        get = row.get
        out: dict[str, Any] = {}
        if self.publish_details:
            for key in PUBLISH_KEYS:
                value = get(key)
                out[key] = format_date(value) if key in _PUBLISH_DATES else value
        out["id"] = get("id")
        for name, f, children_after, detail in self._wire_plan:
            if minimal and detail:
                pass  # in the details serializer group only
            elif f is None:
                out[name] = get(name)  # a kind whose stored value is its wire value
            elif f.serialized:
                out[name] = _wire(f, get(name))
            if children_after and not minimal:
                self._serialize_children(row, out)
        if self.child_after is None and not minimal:
            self._serialize_children(row, out)
        return out

    @cached_property
    def _wire_plan(self) -> tuple[tuple[str, FieldSpec | None, bool, bool], ...]:
        """Per field, in order: its name, its spec when :func:`_wire` must convert the
        stored value (``None`` when it is sent as stored), whether the children come
        right after it, and whether ``minimal`` leaves it out. Worked out once: a list
        page serializes many rows."""
        return tuple(
            (
                f.name,
                None if f.serialized and f.kind not in _CONVERTED_KINDS else f,
                f.name == self.child_after,
                f.detail,
            )
            for f in self.fields
        )

    def _serialize_children(self, row: Row, out: dict[str, Any]) -> None:
        response: Mapping[str, Collection[int]] | None = row.get(OMIT)
        for child in self.children:
            items: list[Row] = list(row.get(child.name) or [])
            if response is None:
                items.sort(key=lambda c: (c.get(child.order_key) or 0, c["id"]))
            else:
                items = [c for c in items if c["id"] not in response.get(child.name, ())]
            out[child.name] = [child.serialize(c) for c in items]

    def persist(self, table: Table, row: Row) -> Row:
        """Store ``row`` and return the row to answer with.

        The stored row never carries response-only changes; the returned one does
        (for a trigger PUT: the events the payload left out, which stay stored).
        """
        omitted = row.pop(OMIT, None)
        stored = table.save(row)
        return {**stored, OMIT: omitted or {}}


def _fresh(value: Any) -> Any:
    """A copy of a mutable default, so rows never share one."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value


def _wire(spec: FieldSpec, value: Any) -> Any:
    if spec.kind == "datetime":
        return format_date(value)
    if spec.kind == "category":
        return None
    if spec.kind == "json":
        # A PHP array as the JSON it encodes to (a list when its keys are 0..n-1).
        return json.loads(json_encode(value or {}))
    if spec.kind == "refs":
        return list(value or [])
    return value


@lru_cache(maxsize=4096)  # rows saved in the same second share their stamp
def format_date(timestamp: int | None) -> str | None:
    """PHP's ``DateTime::format('c')`` in UTC, e.g. ``2024-10-24T15:54:35+00:00``."""
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


class FormInvalid(Exception):
    """Form validation failed: the ``returnError`` data for a 400 answer."""

    def __init__(self, details: dict[str, list[str]], candidate: Row) -> None:
        self.details = details
        self.message = ", ".join(f"{name}: {' '.join(msgs)}" for name, msgs in details.items())
        self.candidate = candidate
        super().__init__(self.message)


class Refused(Exception):
    """A save refused after validation, by the controller or by a thrown exception.

    ``exception=False``: a controller ``returnError`` (e.g. 7.x ``notFound()``, code
    and message per item in a batch); ``exception=True``: an uncaught exception that
    fails the whole request (5.x ``MethodNotAllowedHttpException``: 405).
    """

    def __init__(self, status: int, message: str | None = None, *, exception: bool = False):
        super().__init__(message or str(status))
        self.status = status
        self.message = message
        self.exception = exception


class _Invalid(Exception):
    """A transformation failure or an unknown choice for one field."""


def _scalar_text(value: Any, *, clean: bool) -> str | None:
    """What a Symfony text-ish field makes of a submitted scalar.

    ``false``/``null``/``""``/whitespace become ``None`` (``Form::submit`` maps false
    to null, TextType trims and maps an empty submission to null); arrays are a
    transformation failure. UNVERIFIED choice (name cleaning): ``clean`` fields are
    entity-decoded and stripped of tags (``<b>x</b>`` gives ``x``); others
    (``InputHelper::html``) keep HTML as sent.
    """
    if isinstance(value, Mapping | list):
        raise _Invalid
    if value is None or value is False:
        return None
    if value is True:
        text = "1"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    if clean:
        text = strip_tags(text)
    text = text.strip()
    return text or None


def _bind_int(value: Any) -> int | None:
    """``NumberType`` (``scale 0``): numbers and numeric strings, rounded half up."""
    if isinstance(value, bool):
        return int(value) if value else None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = _scalar_text(value, clean=False)
        if text is None:
            return None
        if not _NUMBER.match(text):
            raise _Invalid
        number = Decimal(text)
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _bind_date(value: Any) -> int | None:
    """``DatePickerType``: only ``yyyy-MM-dd HH:mm`` parses (in UTC, the API user's zone).

    UNVERIFIED choice (spec 2.3): the ISO-8601 form the API returns does not parse
    (400), nor do seconds.
    """
    text = _scalar_text(value, clean=False)
    if text is None:
        return None
    match = _DATE_INPUT.match(text)
    if match is None:
        raise _Invalid
    try:
        year, month, day, hour, minute = (int(part) for part in match.groups())
        parsed = datetime(year, month, day, hour, minute, tzinfo=timezone.utc)
    except ValueError:
        raise _Invalid from None
    return int(parsed.timestamp())


def _bind_json(value: Any) -> PhpArray:
    if value is None or value == "":
        return {}
    if isinstance(value, list):
        value = dict(enumerate(value))
    if not isinstance(value, Mapping):
        raise _Invalid
    return dict(value)


def _bind_ref(value: Any, spec: FieldSpec, lookup: Lookup | None) -> int | None:
    text = _scalar_text(value, clean=False)
    if text is None:
        return None
    key = php_key(text)
    if not isinstance(key, int) or lookup is None or spec.references is None:
        raise _Invalid
    if lookup.table(spec.references).find(key) is None:
        raise _Invalid
    return key


def _bind_refs(value: Any, spec: FieldSpec, lookup: Lookup | None) -> list[int]:
    """A ``multiple`` choice: a JSON array (or ``a[]=`` form list) of ids.

    A scalar is not converted (spec 5.2: RequestTrait skips ``GroupListType``), so it
    is a transformation failure; an empty submission is an empty list.
    """
    if value is None or value == "":
        return []
    if isinstance(value, list):
        value = dict(enumerate(value))
    if not isinstance(value, Mapping):
        raise _Invalid
    bound = (_bind_ref(item, spec, lookup) for item in value.values())
    return [ref for ref in bound if ref is not None]


def _bind(spec: FieldSpec, value: Any, lookup: Lookup | None) -> Any:
    """The model value of one submitted field; raises :class:`_Invalid`."""
    kind = spec.kind
    if kind in ("string", "text"):
        return _scalar_text(value, clean=kind == "string")
    if kind == "int":
        number = _bind_int(value)
        return spec.empty if number is None else number
    if kind == "datetime":
        return _bind_date(value)
    if kind == "json":
        return _bind_json(value)
    if kind == "ref":
        return _bind_ref(value, spec, lookup)
    if kind == "refs":
        return _bind_refs(value, spec, lookup)
    # choice
    text = _scalar_text(value, clean=False)
    if text is None:
        return spec.empty
    allowed = spec.choices
    if isinstance(allowed, str):
        allowed = tuple(lookup.choices(allowed)) if lookup is not None else ()
    if text not in allowed:
        raise _Invalid
    return text


def _is_blank(value: Any) -> bool:
    """``NotBlank``: null, false, ``''`` and ``[]`` are blank (0 is not)."""
    return value is None or value is False or value == "" or value == [] or value == {}


def process_form(
    spec: EntitySpec,
    current: Row | None,
    params: Mapping[int | str, Any],
    method: str,
    actor: Actor,
    now: int,
    *,
    lookup: Lookup | None = None,
    version: tuple[int, int] = (99, 0),
) -> tuple[Row, bool]:
    """Apply ``CommonApiController::processForm`` to ``current`` (``None``: new entity).

    Returns ``(row, is_new)``; the row is not stored yet, except that an entity with
    children is inserted before its children are processed, as
    ``TriggerApiController::preSaveEntity`` saves a new trigger to get its id (so an
    error in the children leaves it created). Raises :class:`FormInvalid` (400),
    :class:`Refused` or :class:`ServerError` (500).

    * ``id`` in the body is ignored; unknown keys are ignored (``allow_extra_fields``).
    * New entities start from the PHP defaults (``isPublished=true`` and each field's
      ``default``), merged under the submitted values.
    * PATCH keeps missing fields; POST and PUT clear them (``clearMissing=true``): an
      omitted field becomes ``null`` (or its ``empty`` value). UNVERIFIED choices: an
      omitted or empty ``description`` is stored as ``null`` (TextType maps ``''`` to
      null), and an omitted boolean (``isPublished``, ``repeatable``...) on PUT of an
      existing entity becomes ``false``.
    * Booleans accept ``true/false/1/0/"1"/"0"/"yes"/"no"/"on"/"off"`` (form values are
      strings); anything unrecognised is ``false`` (``FILTER_VALIDATE_BOOLEAN``).
    * A non-empty ``category`` (the emulator has no categories) fails after validation
      with ``UnexpectedValueException("Category N does not exist")``: a 500 showing it.
    * Timestamps (``FormModel::setTimestamps``): new rows get ``dateAdded``,
      ``createdBy``/``createdByUser``; edits always get ``modifiedBy``/``modifiedByUser``
      and get ``dateModified`` only when a value changed.
    """
    is_new = current is None
    row: Row = spec.new_row() if current is None else dict(current)
    submitted: dict[int | str, Any] = dict(params)
    submitted.pop("id", None)
    if is_new:
        defaults: dict[int | str, Any] = {
            f.name: _fresh(f.default) for f in spec.fields if f.default is not None
        }
        submitted = {**defaults, "isPublished": True, **submitted}
    clear_missing = method != "PATCH"

    errors: dict[str, list[str]] = {}
    for f in spec.fields:
        if f.kind == "category" or (is_new and not f.bind_on_create):
            continue
        if f.kind == "bool":
            # RequestTrait sets it directly; a PUT without it submits null: false.
            if f.name in submitted:
                row[f.name] = filter_bool(submitted[f.name])
            elif clear_missing:
                row[f.name] = False
            continue
        if f.name in submitted:
            try:
                value = _bind(f, submitted[f.name], lookup)
            except _Invalid:
                errors[f.name] = [f.invalid_message]
                continue
        elif clear_missing:
            value = _fresh(f.empty)
        else:
            value = row.get(f.name)
        if f.clear_fails and value is None and row.get(f.name) is not None:
            raise ServerError(500)  # TypeError from a non-nullable setter
        row[f.name] = value
        if f.required and _is_blank(value):
            errors[f.name] = [f.required_message]
        elif f.int_range is not None and isinstance(value, int):
            low, high = f.int_range
            if not low <= value <= high:
                errors[f.name] = [f"This value should be between {low} and {high}."]
    if "isPublished" in submitted:
        row["isPublished"] = filter_bool(submitted["isPublished"])
    elif clear_missing:
        row["isPublished"] = False
    if errors:
        raise FormInvalid(errors, row)
    _check_columns(spec.fields, row)
    _check_category(spec, submitted)

    if is_new:
        row.update(dateAdded=now, createdBy=actor.user_id, createdByUser=actor.name)
    else:
        assert current is not None
        if any(row.get(key) != current.get(key) for key in spec.columns):
            row["dateModified"] = now
        row.update(modifiedBy=actor.user_id, modifiedByUser=actor.name)
    if spec.children and lookup is not None:
        _process_children(spec, row, is_new, submitted, method, lookup, version)
    return row, is_new


def _check_columns(fields: tuple[FieldSpec, ...], row: Row) -> None:
    """What MySQL's strict ``sql_mode`` rejects on save: an uncaught 500.

    UNVERIFIED choice: no ``Length`` constraint exists, so an over-long string (e.g. a
    name over 255 characters) reaches MySQL ("Data too long"); the same for an INT
    out of range without a ``Range`` constraint.
    """
    for f in fields:
        value = row.get(f.name)
        limit = f.max_length or (NAME_MAX_LENGTH if f.kind == "string" else None)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            raise ServerError(500)
        if f.kind == "int" and isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
            raise ServerError(500)
        if f.not_null and value is None:
            raise ServerError(500)


def _check_category(spec: EntitySpec, submitted: Mapping[int | str, Any]) -> None:
    if not any(f.kind == "category" for f in spec.fields) or "category" not in submitted:
        return
    value = submitted["category"]
    category = 0 if isinstance(value, Mapping) else _php_int(value)
    if category:
        raise ServerError(500, f"Category {category} does not exist")


def _php_int(value: Any) -> int:
    """PHP's ``(int)`` cast of a scalar (leading digits of a string, else 0)."""
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, float):
        return int(value)
    match = re.match(r"\s*[+-]?\d+", str(value or ""))
    return int(match.group(0)) if match else 0


def _process_children(
    spec: EntitySpec,
    row: Row,
    is_new: bool,
    submitted: Mapping[int | str, Any],
    method: str,
    lookup: Lookup,
    version: tuple[int, int],
) -> None:
    """``preSaveEntity`` + ``setEvents`` for every child collection of ``spec``."""
    table = lookup.table(spec.multi)
    if is_new:
        for child in spec.children:
            row[child.name] = []
        table.save(row)  # saved first, to get an id (partial create on later errors)
    omitted: dict[str, set[int]] = {}
    for child in spec.children:
        current: list[Row] = [dict(c) for c in row.get(child.name) or []]
        # An existing trigger's collection is loaded ``orderBy order ASC`` (ties by id),
        # and the write's answer keeps that order, new children appended.
        current.sort(key=lambda c: (c.get(child.order_key) or 0, c["id"]))
        registry = lookup.table(child.table)
        payload = submitted.get(child.name)
        requested: list[Any] = []
        items: list[Mapping[Any, Any]] = []
        if not php_empty(payload) and isinstance(payload, Mapping):
            for item in payload.values():
                if not isinstance(item, Mapping):
                    raise ServerError(500)  # TypeError: array offset on a scalar
                if not php_empty(item.get("id")):
                    if registry.find(item["id"]) is None:
                        if version >= (7, 0):
                            raise Refused(404, "Item was not found.")
                        raise Refused(405, exception=True)
                    requested.append(item["id"])
                items.append(item)
            current = _set_children(child, row, current, items, registry)
        if not is_new and method == "PUT" and child.put_removes_in_response:
            wanted = {php_key(i) for i in requested}
            omitted[child.name] = {c["id"] for c in current if c["id"] not in wanted}
        row[child.name] = current
    if omitted:
        row[OMIT] = omitted


def _set_children(
    child: ChildSpec,
    parent: Row,
    current: list[Row],
    items: list[Mapping[Any, Any]],
    registry: Table,
) -> list[Row]:
    """``TriggerModel::setEvents``: update own children in place, append new ones."""
    by_id = {c["id"]: c for c in current}
    fresh: list[Row] = []
    for position, item in enumerate(items, start=1):
        existing = by_id.get(php_key(item.get("id"))) if not php_empty(item.get("id")) else None
        target: Row = existing if existing is not None else {"id": None}
        for f in child.fields:
            if f.name in item:
                target[f.name] = item[f.name]
            elif existing is None:
                target[f.name] = _fresh(f.default)
        target[child.order_key] = position
        if existing is None:
            fresh.append(target)
    result = current + fresh
    for c in result:
        _check_child(child, c)
    for c in fresh:
        c["id"] = registry.insert({"id": None, child.parent_key: parent["id"]})["id"]
    return result


def _check_child(child: ChildSpec, row: Row) -> None:
    """Raw values reach the columns: wrong types and NULLs fail in MySQL (500)."""
    for f in child.fields:
        value = row.get(f.name)
        if f.kind == "json":
            if value is None or value == "":
                row[f.name] = {}
            elif not isinstance(value, Mapping):
                raise ServerError(500)  # Doctrine `array` type serializes it, but
                # TriggerEvent::setProperties(array) rejects a scalar: TypeError
            continue
        if isinstance(value, Mapping):
            raise ServerError(500)
        if isinstance(value, bool | int | float) and not isinstance(value, str):
            row[f.name] = "1" if value is True else "" if value is False else str(value)
    _check_columns(child.fields, row)
