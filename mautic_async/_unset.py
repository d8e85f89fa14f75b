"""The ``UNSET`` sentinel: "leave this field as it is", distinct from ``None`` ("clear it")."""

from __future__ import annotations

import enum
from typing import Final, Literal


class Unset(enum.Enum):
    """Type of :data:`UNSET`; an enum so type checkers can narrow on it."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:
        return False


#: Default of every request-class field: the field is not sent at all.
UNSET: Final = Unset.UNSET
