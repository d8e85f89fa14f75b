"""Typed shapes of what Mautic sends and what we send it.

Response models (:class:`PointGroup`, :class:`GroupScore`, :class:`Contact`) are frozen
attrs classes typed as Mautic sends them (mautic-api.md §1.4, §2): a field Mautic always
sends is required and plainly typed (``PointGroup.id: int``, ``name: str``,
``is_published: bool``), so reading it needs no ``None`` check; only a field Mautic can
send as ``null`` or leave out is ``X | None = None``. An answer that lacks a required
key, or sends it as ``null``, raises :class:`~mautic_async.UnexpectedResponseError`
naming the wire key and the endpoint: the client never invents a default. Unknown keys
from newer servers are ignored. Wire keys are camelCase, fields snake_case: the
converter in :mod:`mautic_async._converter` maps them.

Fields that only a *details* serializer group carries (and ``minimal=1`` or other
reduced answers leave out) are ``X | None = None`` on the one model, rather than a
separate summary model: one type per entity keeps ``list`` and ``get`` returning the
same class. Point groups have none: Mautic sends all ten keys in every answer.

Request classes (:class:`PointGroupData`) default every field to :data:`UNSET`, so an
edit sends exactly the fields the caller set; ``None`` means "clear it". Each has a
``TypedDict`` twin (:class:`PointGroupFields`, snake_case keys, ``total=False``) so a
dict literal passed to a write is checked by the type checker too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Generic, TypedDict, TypeVar

import attrs

from ._unset import UNSET, Unset
from ._validation import is_bool as validate_bool
from ._validation import max_length, non_blank_str, positive_id
from ._validation import optional_str as validate_optional_str
from .errors import ErrorItem

__all__ = [
    "UNSET",
    "BatchItem",
    "BatchResult",
    "Contact",
    "GroupScore",
    "Page",
    "PointGroup",
    "PointGroupData",
    "PointGroupFields",
    "Published",
    "ScoreGroup",
    "Unset",
    "own_fields_first",
    "validate_bool",
    "validate_optional_str",
]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Published:
    """The publish and audit fields of every Mautic "form entity" (its ``publishDetails``
    serializer group), shared by the entity models that have them.

    ``is_published`` and ``date_added`` are always sent. ``date_modified`` and the
    ``modified_*`` fields are null until the first change; ``created_by`` is null and
    ``created_by_user`` reads ``"<Client> [<id>]"`` for entities made with an OAuth2
    client-credentials token. The fields are keyword-only, so a model that inherits
    them keeps its own fields positional.

    Attributes:
        is_published: whether it is published (``published_only`` lists only these).
        date_added: when it was created (aware ``datetime``).
        date_modified: when it was last changed, ``None`` if never.
        created_by: the creating user's id; ``None`` for entities made with an OAuth2
            client-credentials token.
        created_by_user: the creating user's name; ``"<Client> [<id>]"`` for entities
            made with an OAuth2 client-credentials token.
        modified_by: the last modifying user's id, ``None`` if never changed.
        modified_by_user: the last modifying user's name, ``None`` if never changed.
    """

    is_published: bool
    date_added: datetime
    date_modified: datetime | None = None
    created_by: int | None = None
    created_by_user: str | None = None
    modified_by: int | None = None
    modified_by_user: str | None = None


def own_fields_first(_cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """attrs ``field_transformer``: a model's own fields before the inherited (keyword-only)
    ones, so ``repr`` and the CLI's output start with ``id`` and ``name``."""
    own = [f for f in fields if not getattr(f, "inherited", False)]
    return own + [f for f in fields if getattr(f, "inherited", False)]


@attrs.frozen(field_transformer=own_fields_first)
class PointGroup(Published):
    """A point group, as ``GET /api/points/groups/{id}`` returns it.

    Every answer (list, get, write, delete, batch) carries all ten keys, so ``id``,
    ``name``, ``is_published`` and ``date_added`` are always set; ``description`` is
    ``None`` when the group has none. ``minimal=True`` changes nothing for point groups.
    The publish and audit fields are described on :class:`Published`.

    Attributes:
        id: the group's id (``delete`` returns the id that was asked for).
        name: its name (Mautic trims it, strips HTML tags and decodes entities).
        description: its description, or ``None``.
    """

    id: int
    name: str
    description: str | None = None


@attrs.frozen
class PointGroupData:
    """What to write to a point group: for ``create``, ``edit``, ``replace`` and batches.

    Fields left :data:`UNSET` are not sent. ``id`` is only for ``edit_batch`` (it says
    which group each item changes); ``create`` and ``edit`` refuse it.
    :class:`PointGroupFields` is the same as a ``TypedDict``.

    >>> PointGroupData("Group A", description="First")
    PointGroupData(name='Group A', description='First', is_published=UNSET, id=UNSET)
    """

    name: str | Unset = attrs.field(default=UNSET, validator=[non_blank_str, max_length(255)])
    description: str | Unset | None = attrs.field(default=UNSET, validator=validate_optional_str)
    is_published: bool | Unset = attrs.field(default=UNSET, validator=validate_bool)
    id: int | Unset = attrs.field(default=UNSET, validator=positive_id, kw_only=True)


class PointGroupFields(TypedDict, total=False):
    """:class:`PointGroupData` as a dict, for writes: ``{"name": "A", "is_published": True}``.

    Keys are the snake_case field names; a misspelt key or a wrong value type is a type
    error. (Mautic's camelCase keys are still accepted at run time, but are not listed
    here.) ``id`` only belongs in ``edit_batch`` and ``replace_batch`` items.
    """

    name: str
    description: str | None
    is_published: bool
    id: int


@attrs.frozen
class ScoreGroup:
    """The group of a :class:`GroupScore`. The score endpoints send only ``id``, ``name``
    and ``description``, and leave ``description`` out when it is null (they do not
    send nulls, mautic-api.md §2)."""

    id: int
    name: str
    description: str | None = None


@attrs.frozen
class GroupScore:
    """A contact's score in one point group, and that group (a :class:`ScoreGroup`:
    the score endpoints send no publish fields)."""

    score: int
    group: ScoreGroup


@attrs.frozen
class Contact:
    """A Mautic contact, reduced to what this library uses so far.

    ``id``, ``points`` and ``date_added`` are always sent; ``date_modified`` is null
    until the first change.

    Attributes:
        id: the contact's id.
        points: the contact's main points total (not its point-group scores).
        date_added: when it was created (aware ``datetime``).
        date_modified: when it was last changed, ``None`` if never.
        fields: Mautic's field map as sent (``{"all": {"email": ...}, "core": ...}``).
    """

    id: int
    points: int
    date_added: datetime
    date_modified: datetime | None = None
    fields: Mapping[str, Any] = attrs.field(factory=dict)

    @property
    def email(self) -> str | None:
        """The contact's email, from ``fields["all"]["email"]``."""
        all_fields = self.fields.get("all")
        email = all_fields.get("email") if isinstance(all_fields, Mapping) else None
        return email if isinstance(email, str) else None


@attrs.frozen
class Page(Generic[T]):
    """One page of a list: ``total`` counts every match, ``items`` holds this page."""

    total: int
    items: tuple[T, ...]

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@attrs.frozen
class BatchItem(Generic[T]):
    """The outcome of one item of a batch call, at its index in the request.

    ``status_code`` is Mautic's per-item status (201 created, 200 edited, 400, 404…);
    ``error`` is set whenever the item did not succeed.
    """

    index: int
    status_code: int | None
    item: T | None = None
    error: ErrorItem | None = None

    @property
    def ok(self) -> bool:
        """Whether Mautic reports this item as done."""
        return self.error is None and self.status_code is not None and self.status_code < 300


@attrs.frozen
class BatchResult(Generic[T]):
    """Every item of a batch call, in request order, succeeded or not.

    >>> result.succeeded       # the entities Mautic created/edited/deleted
    >>> [(f.index, f.status_code, f.error) for f in result.failed]

    Attributes:
        items: one :class:`BatchItem` per item sent, in request order.
    """

    items: tuple[BatchItem[T], ...]

    @property
    def succeeded(self) -> list[T]:
        """The entities of the items that succeeded, in request order."""
        return [i.item for i in self.items if i.ok and i.item is not None]

    @property
    def failed(self) -> list[BatchItem[T]]:
        """The items that did not succeed, with their status and error."""
        return [i for i in self.items if not i.ok]

    def __iter__(self) -> Iterator[BatchItem[T]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> BatchItem[T]:
        return self.items[index]
