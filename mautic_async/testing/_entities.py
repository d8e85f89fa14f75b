"""Entity descriptions, wire serialization and the API form (``processForm``) logic.

A CRUD entity is described once by an :class:`EntitySpec`; the generic routes in
``_crud.py`` and the list query engine in ``_query.py`` work from it. Adding another
Mautic ``FormEntity`` means writing one more ``EntitySpec`` and calling
``add_crud_routes``.

Rows are plain dicts keyed by Doctrine property name (``isPublished``, ``dateAdded``...),
dates as integer Unix seconds (the database keeps whole seconds).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

from ._php import filter_bool, strip_tags
from ._responses import ServerError

__all__ = [
    "Actor",
    "ColumnKind",
    "EntitySpec",
    "FieldSpec",
    "FormInvalid",
    "Row",
    "format_date",
    "process_form",
]

Row = dict[str, Any]
ColumnKind = Literal["int", "bool", "string", "datetime"]

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


@dataclass(frozen=True)
class Actor:
    """Who performs a save: a Mautic user, or the pseudo user of an OAuth2 client."""

    user_id: int | None
    name: str | None


@dataclass(frozen=True)
class FieldSpec:
    """One form field of an entity.

    ``kind="string"`` is a ``TextType`` on a VARCHAR(255) column whose value is cleaned
    by ``InputHelper::_`` (entities decoded, tags stripped); ``kind="text"`` is a
    ``TextareaType`` on a TEXT column cleaned by ``InputHelper::html`` (kept as sent).
    """

    name: str
    kind: Literal["string", "text"] = "string"
    required: bool = False
    default: str = ""


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
    catch_all: str = "name"
    """Column a plain ``search`` word is matched against."""
    extra_columns: Mapping[str, ColumnKind] = field(default_factory=dict)

    @property
    def columns(self) -> dict[str, ColumnKind]:
        """Every mapped Doctrine field name with its column kind."""
        own: dict[str, ColumnKind] = {"id": "int"}
        own.update({f.name: "string" for f in self.fields})
        return {**FORM_ENTITY_COLUMNS, **own, **self.extra_columns}

    def new_row(self) -> Row:
        """An unsaved row holding the PHP property defaults."""
        row: Row = dict.fromkeys(FORM_ENTITY_COLUMNS)
        row.update(id=None, isPublished=True)
        row.update({f.name: None for f in self.fields})
        return row

    def serialize(self, row: Row) -> dict[str, Any]:
        """The wire shape used by every CRUD endpoint (nulls included)."""
        out: dict[str, Any] = {}
        for key in PUBLISH_KEYS:
            value = row.get(key)
            out[key] = format_date(value) if key.startswith("date") else value
        out["id"] = row.get("id")
        for f in self.fields:
            out[f.name] = row.get(f.name)
        return out


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


_NOT_SCALAR = object()


def _submitted_text(value: Any, kind: str) -> Any:
    """What a Symfony text field makes of a submitted value (after Mautic's cleaning).

    ``false``/``null``/``""``/whitespace become ``None`` (TextType trims and maps an empty
    submission to null); arrays are a transformation failure. UNVERIFIED choice (name
    cleaning): ``string`` fields are entity-decoded and stripped of tags
    (``<b>x</b>`` gives ``x``); ``text`` fields (``InputHelper::html``) keep HTML as sent.
    """
    if isinstance(value, Mapping | list):
        return _NOT_SCALAR
    if value is None or value is False:
        return None
    if value is True:
        text = "1"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    if kind == "string":
        text = strip_tags(text)
    text = text.strip()
    return text or None


def process_form(
    spec: EntitySpec,
    current: Row | None,
    params: Mapping[int | str, Any],
    method: str,
    actor: Actor,
    now: int,
) -> tuple[Row, bool]:
    """Apply ``CommonApiController::processForm`` to ``current`` (``None``: new entity).

    Returns ``(row, is_new)``; the row is not stored yet. Raises :class:`FormInvalid`.

    * ``id`` in the body is ignored; unknown keys are ignored (``allow_extra_fields``).
    * New entities start from the PHP defaults (``name=''``, ``description=''``,
      ``isPublished=true``), merged under the submitted values.
    * PATCH keeps missing fields; POST and PUT clear them (``clearMissing=true``): an
      omitted text field becomes ``null``. UNVERIFIED choices: an omitted or empty
      ``description`` is stored as ``null`` (TextType maps ``''`` to null), and an
      omitted ``isPublished`` on PUT of an existing entity becomes ``false``.
    * ``isPublished`` accepts ``true/false/1/0/"1"/"0"/"yes"/"no"/"on"/"off"`` (form
      values are strings); anything unrecognised is ``false`` (``FILTER_VALIDATE_BOOLEAN``).
    * Timestamps (``FormModel::setTimestamps``): new rows get ``dateAdded``,
      ``createdBy``/``createdByUser``; edits always get ``modifiedBy``/``modifiedByUser``
      and get ``dateModified`` only when a value changed.
    """
    is_new = current is None
    row: Row = spec.new_row() if current is None else dict(current)
    submitted: dict[int | str, Any] = dict(params)
    submitted.pop("id", None)
    if is_new:
        defaults: dict[int | str, Any] = {f.name: f.default for f in spec.fields}
        submitted = {**defaults, "isPublished": True, **submitted}
    clear_missing = method != "PATCH"

    errors: dict[str, list[str]] = {}
    for f in spec.fields:
        if f.name in submitted:
            value = _submitted_text(submitted[f.name], f.kind)
            if value is _NOT_SCALAR:
                errors[f.name] = ["This value is not valid."]
                continue
            row[f.name] = value
        elif clear_missing:
            row[f.name] = None
        if f.required and not row.get(f.name):
            errors[f.name] = ["A name is required." if f.name == "name" else "A value is required."]
    if "isPublished" in submitted:
        row["isPublished"] = filter_bool(submitted["isPublished"])
    elif clear_missing:
        row["isPublished"] = False
    if errors:
        raise FormInvalid(errors, row)
    for f in spec.fields:
        value = row.get(f.name)
        if f.kind == "string" and isinstance(value, str) and len(value) > NAME_MAX_LENGTH:
            # UNVERIFIED choice: no Length constraint exists, so the value reaches MySQL,
            # whose default strict sql_mode rejects it ("Data too long"): an uncaught 500.
            raise ServerError(500)

    if is_new:
        row.update(dateAdded=now, createdBy=actor.user_id, createdByUser=actor.name)
    else:
        assert current is not None
        if any(row.get(key) != current.get(key) for key in spec.columns):
            row["dateModified"] = now
        row.update(modifiedBy=actor.user_id, modifiedByUser=actor.name)
    return row, is_new
