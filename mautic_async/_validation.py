"""Checks on caller input, run before any request so bad input never reaches Mautic."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import attrs

from ._cleaning import stored_form
from ._converter import camel, passes_when
from ._unset import Unset
from .errors import MauticError

#: Mautic's ``api_batch_max_limit`` default: a batch of more items is answered with a 500.
BATCH_MAX_ITEMS = 200


def check_id(value: Any, what: str = "id") -> int:
    """Return ``value`` as a plain ``int`` if it is a positive ``int`` (not a ``bool``),
    else raise.

    Ids end up in URL paths, so anything else (``"1/../users"``, ``0``, ``True``)
    is refused here rather than sent, and callers put the returned plain ``int`` in
    the path: an ``int`` subclass with its own ``__str__`` or ``__format__`` cannot
    change the URL. The plain ``int`` is the value the object holds
    (``int.__int__``), so overriding ``__int__`` or ``__index__`` (to return another
    number, or the object itself) cannot change it either.

    >>> check_id(5)
    5
    """
    if value.__class__ is int and value > 0:  # the usual case, decided at once
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be a positive int, not {type(value).__name__} {value!r}")
    plain = int.__int__(value)
    if plain <= 0:
        raise ValueError(f"{what} must be a positive int, got {plain}")
    return plain


def check_int(value: Any, what: str) -> int:
    """Return ``value`` as a plain ``int`` if it is an ``int`` (not a ``bool``), else
    raise ``TypeError`` (the value it holds, as :func:`check_id` reads it)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__} {value!r}")
    return int.__int__(value)


def check_batch_size(count: int, what: str) -> None:
    """Refuse batches Mautic would reject as a whole (with a 500) before sending them."""
    if count > BATCH_MAX_ITEMS:
        raise ValueError(
            f"{what}: {count} items, but Mautic accepts at most {BATCH_MAX_ITEMS} per batch "
            f"call; split the items into chunks of {BATCH_MAX_ITEMS}"
        )


@passes_when("v.__class__ is int and v > 0")
def positive_id(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: a positive int id (or unset)."""
    if not isinstance(value, Unset):
        check_id(value, attribute.name)


@passes_when("v.__class__ is str and v and not v.isspace()")  # v.strip() is non-empty
def non_blank_str(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: a string with something in it other than spaces (or unset).

    Mautic trims form input and then requires a name, so ``"  "`` would only come
    back as a 400.
    """
    if isinstance(value, Unset):
        return
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a str, not {type(value).__name__} {value!r}")
    if not value.strip():
        raise ValueError(f"{attribute.name} must not be empty")


@passes_when("v is None or v.__class__ is str")
def optional_str(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: a str, ``None`` (clear it) or unset."""
    if not isinstance(value, (str, Unset)) and value is not None:
        raise TypeError(f"{attribute.name} must be a str or None, not {type(value).__name__}")


@passes_when("v.__class__ is bool")
def is_bool(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: a real ``bool`` (or unset); ``1`` or ``"yes"`` are refused, since
    Mautic reads anything but a few truthy spellings as false."""
    if not isinstance(value, (bool, Unset)):
        raise TypeError(f"{attribute.name} must be a bool, not {type(value).__name__} {value!r}")


@passes_when("v.__class__ is int")
def is_int(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: an ``int`` that is not a ``bool`` (or unset)."""
    if not isinstance(value, Unset):
        check_int(value, attribute.name)


@passes_when("v is None or (v.__class__ is int and v > 0)")
def optional_id(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: a positive int id, ``None`` (clear the link) or unset."""
    if value is not None and not isinstance(value, Unset):
        check_id(value, attribute.name)


@passes_when("v.__class__ is dict")
def optional_mapping(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: a mapping (sent as a JSON object) or unset."""
    if not isinstance(value, (Mapping, Unset)):
        raise TypeError(f"{attribute.name} must be a mapping, not {type(value).__name__}")


def id_list(value: Any) -> Any:
    """attrs converter: a sequence of positive int ids -> a tuple (unset stays unset)."""
    if isinstance(value, Unset):
        return value
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise TypeError(f"expected a list of ids, not {type(value).__name__}")
    return tuple(check_id(item, f"[{index}]") for index, item in enumerate(value))


#: The only format Mautic's date form fields accept (``yyyy-MM-dd HH:mm``).
FORM_DATE_FORMAT = "%Y-%m-%d %H:%M"


def form_date(value: Any) -> Any:
    """attrs converter for a publish date: a ``datetime`` (naive means UTC) or an ISO 8601
    string -> ``"YYYY-MM-DD HH:MM"`` in UTC, the only input format Mautic accepts; it sends
    dates back as ISO 8601. Seconds are dropped: Mautic stores minutes.

    >>> form_date("2024-10-24T15:00:59+02:00")
    '2024-10-24 13:00'
    """
    if value is None or isinstance(value, Unset):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expected a date as YYYY-MM-DD HH:MM, got {value!r}") from None
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime or a date string, not {type(value).__name__}")
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    return value.strftime(FORM_DATE_FORMAT)


class LimitError(MauticError, ValueError):
    """A value over a limit of Mautic's schema, refused before anything is sent.

    A ``ValueError`` like every other refusal before sending (the CLI exits 3). Without
    this check Mautic would pass the value to the database, which refuses it, and the
    caller would get an unexplained 500.

    Attributes: ``field`` (the field name), ``limit`` and ``length`` (in characters).
    """

    def __init__(self, message: str, *, field: str = "", limit: int = 0, length: int = 0) -> None:
        super().__init__(message)
        self.field = field
        self.limit = limit
        self.length = length


def stored_length(field: str, value: str) -> int:
    """How long ``value`` is in the database column: characters (Unicode code points,
    as MySQL counts a ``utf8mb4`` ``VARCHAR``) of what Mautic stores after its cleaning
    (:func:`~mautic_async._cleaning.stored_form`), so ``&amp;`` counts as one and tags
    count as nothing."""
    stored = stored_form(field, value)
    return len(stored) if isinstance(stored, str) else 0


def max_length(limit: int) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """attrs validator factory: at most ``limit`` characters as stored (or unset/None).

    Declare it on every field backed by a limited column; Doctrine's ``string`` type is
    a ``VARCHAR(255)``, so ``max_length(255)``. Raises :class:`LimitError` naming the
    field. Lengths are counted by :func:`stored_length`.
    """

    def validator(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str) or len(value) <= limit:
            # Cleaning only ever shortens (entities decode to fewer characters, tags and
            # surrounding spaces go), so a value this short cannot be too long stored.
            return
        length = stored_length(camel(attribute.name), value)
        if length > limit:
            raise LimitError(
                f"{attribute.name} is {length} characters long as Mautic would store it; "
                f"its column holds at most {limit}",
                field=attribute.name,
                limit=limit,
                length=length,
            )

    # Shorter than the limit, or no string at all (None): let through at once.
    return passes_when(f"(v.__class__ is str and len(v) <= {limit}) or v is None")(validator)
