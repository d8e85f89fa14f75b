"""Typed shapes of what Mautic sends and what we send it.

Response models (:class:`PointGroup`, :class:`GroupScore`, :class:`Contact`) are frozen
attrs classes whose fields are all optional: Mautic omits keys on some endpoints (the
score endpoints drop nulls) and deleted entities come back with ``id`` ``None``. Unknown
keys from newer servers are ignored. Wire keys are camelCase, fields snake_case: the
converter in :mod:`mautic_async._converter` maps them.

Request classes (:class:`PointGroupData`) default every field to :data:`UNSET`, so an
edit sends exactly the fields the caller set; ``None`` means "clear it".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Generic, TypeVar

import attrs

from ._audit import PublishDetails, publish_details_last
from ._unset import UNSET, Unset
from ._validation import is_bool, max_length, non_blank_str, optional_str, positive_id
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
    "Unset",
]

T = TypeVar("T")


@attrs.frozen(field_transformer=publish_details_last)
class PointGroup(PublishDetails):
    """A point group, as ``GET /api/points/groups/{id}`` returns it (the publish
    fields come from :class:`~mautic_async._audit.PublishDetails`)."""

    id: int | None = None
    name: str | None = None
    description: str | None = None


@attrs.frozen
class PointGroupData:
    """What to write to a point group: for ``create``, ``edit``, ``replace`` and batches.

    Fields left :data:`UNSET` are not sent. ``id`` is only for ``edit_batch`` (it says
    which group each item changes); ``create`` and ``edit`` refuse it.

    >>> PointGroupData("Group A", description="First")
    PointGroupData(name='Group A', description='First', is_published=UNSET, id=UNSET)
    """

    name: str | Unset = attrs.field(default=UNSET, validator=[non_blank_str, max_length(255)])
    description: str | Unset | None = attrs.field(default=UNSET, validator=optional_str)
    is_published: bool | Unset = attrs.field(default=UNSET, validator=is_bool)
    id: int | Unset = attrs.field(default=UNSET, validator=positive_id, kw_only=True)


@attrs.frozen
class GroupScore:
    """A contact's score in one point group.

    ``group`` carries only ``id``, ``name`` and ``description`` (the score endpoints
    send no publish fields, and leave out a ``description`` that is null).
    """

    score: int | None = None
    group: PointGroup | None = None


@attrs.frozen
class Contact:
    """A Mautic contact, reduced to what this library uses so far.

    ``fields`` is Mautic's field map as sent (``{"all": {"email": ...}, "core": ...}``).
    """

    id: int | None = None
    points: int | None = None
    date_added: datetime | None = None
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
    >>> [f.error.message for f in result.failed]
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
