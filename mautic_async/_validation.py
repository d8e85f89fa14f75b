"""Checks on caller input, run before any request so bad input never reaches Mautic."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import attrs

from ._unset import Unset

#: Mautic's ``api_batch_max_limit`` default: a batch of more items is answered with a 500.
BATCH_MAX_ITEMS = 200


def check_id(value: Any, what: str = "id") -> int:
    """Return ``value`` if it is a positive ``int`` (not a ``bool``), else raise.

    Ids end up in URL paths, so anything else (``"1/../users"``, ``0``, ``True``)
    is refused here rather than sent.

    >>> check_id(5)
    5
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be a positive int, not {type(value).__name__} {value!r}")
    if value <= 0:
        raise ValueError(f"{what} must be a positive int, got {value!r}")
    return value


def check_int(value: Any, what: str) -> int:
    """Return ``value`` if it is an ``int`` (not a ``bool``), else raise ``TypeError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__} {value!r}")
    return value


def check_batch_size(count: int, what: str) -> None:
    """Refuse batches Mautic would reject as a whole (with a 500) before sending them."""
    if count > BATCH_MAX_ITEMS:
        raise ValueError(
            f"{what}: {count} items, but Mautic accepts at most {BATCH_MAX_ITEMS} per batch "
            f"call; split the items into chunks of {BATCH_MAX_ITEMS}"
        )


def positive_id(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: a positive int id (or unset)."""
    if not isinstance(value, Unset):
        check_id(value, attribute.name)


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


def optional_str(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: a str, ``None`` (clear it) or unset."""
    if not isinstance(value, (str, Unset)) and value is not None:
        raise TypeError(f"{attribute.name} must be a str or None, not {type(value).__name__}")


def is_bool(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: a real ``bool`` (or unset); ``1`` or ``"yes"`` are refused, since
    Mautic reads anything but a few truthy spellings as false."""
    if not isinstance(value, (bool, Unset)):
        raise TypeError(f"{attribute.name} must be a bool, not {type(value).__name__} {value!r}")


def is_int(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: an ``int`` that is not a ``bool`` (or unset)."""
    if not isinstance(value, Unset):
        check_int(value, attribute.name)


def optional_id(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: a positive int id, ``None`` (clear the link) or unset."""
    if value is not None and not isinstance(value, Unset):
        check_id(value, attribute.name)


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
