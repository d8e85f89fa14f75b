"""Checks on caller input, run before any request so bad input never reaches Mautic."""

from __future__ import annotations

from typing import Any

import attrs

from ._unset import Unset

#: Mautic's ``api_batch_max_limit`` default: a batch of more items is answered with a 500.
BATCH_MAX_ITEMS = 200


def check_id(value: Any, what: str = "id") -> int:
    """Return ``value`` as a plain ``int`` if it is a positive ``int`` (not a ``bool``),
    else raise.

    Ids end up in URL paths, so anything else (``"1/../users"``, ``0``, ``True``)
    is refused here rather than sent, and callers put the returned plain ``int`` in
    the path: an ``int`` subclass with its own ``__str__`` or ``__format__`` cannot
    change the URL.

    >>> check_id(5)
    5
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be a positive int, not {type(value).__name__} {value!r}")
    plain = int(value)
    if plain <= 0:
        raise ValueError(f"{what} must be a positive int, got {plain}")
    return plain


def check_int(value: Any, what: str) -> int:
    """Return ``value`` as a plain ``int`` if it is an ``int`` (not a ``bool``), else
    raise ``TypeError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__} {value!r}")
    return int(value)


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
