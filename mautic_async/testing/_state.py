"""The in-memory database: auto-increment tables, contacts and group scores."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._entities import Row
from ._php import php_key

__all__ = ["Store", "Table"]


class Table:
    """Rows keyed by an auto-increment id that is never reused (InnoDB)."""

    def __init__(self) -> None:
        self.rows: dict[int, Row] = {}
        self.next_id = 1

    def insert(self, row: Row) -> Row:
        """Store ``row`` under a new id and return it."""
        row["id"] = self.next_id
        self.rows[self.next_id] = row
        self.next_id += 1
        return row

    def save(self, row: Row) -> Row:
        """Insert a new row (``id`` is None) or replace the stored one."""
        if row.get("id") is None:
            return self.insert(row)
        self.rows[row["id"]] = row
        return row

    def find(self, key: Any) -> Row | None:
        """Look a row up by an id taken from a request (``"5"`` finds id 5)."""
        normalized = php_key(key)
        return self.rows.get(normalized) if isinstance(normalized, int) else None

    def __iter__(self) -> Iterator[Row]:
        return iter(list(self.rows.values()))

    def __len__(self) -> int:
        return len(self.rows)


class Store:
    """All emulated data. Deleting a contact or a point group cascades to its scores
    (``point_group_contact_score`` has ``ON DELETE CASCADE`` on both keys)."""

    def __init__(self) -> None:
        self.tables: dict[str, Table] = {}
        self.contacts = Table()
        self.scores: dict[tuple[int, int], int] = {}
        self._on_delete: dict[str, Callable[[int], None]] = {
            "pointGroups": self._drop_group_scores,
        }

    def clear(self) -> None:
        """Drop every row; ids restart at 1."""
        self.tables.clear()
        self.contacts = Table()
        self.scores.clear()

    def table(self, name: str) -> Table:
        """The table of an entity collection (``pointGroups``), created on first use."""
        return self.tables.setdefault(name, Table())

    def delete(self, name: str, row_id: int) -> Row | None:
        """Delete from an entity table, running its cascade."""
        row = self.table(name).rows.pop(row_id, None)
        if row is not None and name in self._on_delete:
            self._on_delete[name](row_id)
        return row

    def delete_contact(self, contact_id: int) -> Row | None:
        """Delete a contact and its group scores."""
        row = self.contacts.rows.pop(contact_id, None)
        for key in [k for k in self.scores if k[0] == contact_id]:
            del self.scores[key]
        return row

    def _drop_group_scores(self, group_id: int) -> None:
        for key in [k for k in self.scores if k[1] == group_id]:
            del self.scores[key]
