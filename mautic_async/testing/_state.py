"""The in-memory database: auto-increment tables, contacts and group scores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._entities import Row
from ._php import php_key
from ._schema import CONTACT_FIELDS, CONTACTS, FOREIGN_KEYS, SCORES

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
    """All emulated data.

    Deleting a row applies the ``ON DELETE`` rules of :data:`FOREIGN_KEYS`
    generically: deleting a point group deletes its points, triggers (with their
    events) and scores; deleting a contact deletes its scores.
    """

    def __init__(self) -> None:
        self.tables: dict[str, Table] = {}
        self.contacts = Table()
        self.scores: dict[tuple[int, int], int] = {}
        self._foreign_keys = FOREIGN_KEYS

    def clear(self) -> None:
        """Drop every row; ids restart at 1."""
        self.tables.clear()
        self.contacts = Table()
        self.scores.clear()

    def table(self, name: str) -> Table:
        """The table of an entity collection (``pointGroups``), created on first use."""
        if name == CONTACTS:
            return self.contacts
        return self.tables.setdefault(name, Table())

    def choices(self, source: str) -> list[Any]:
        """Dynamic choice lists of the forms.

        ``contactTextFields``: aliases of the published text-type contact fields, the
        core ``firstname``, ``lastname`` and ``company`` included (``FieldList``).
        """
        if source == "contactTextFields":
            custom = [
                row["alias"]
                for row in self.table(CONTACT_FIELDS)
                if row["isPublished"] and row["type"] == "text"
            ]
            return ["firstname", "lastname", "company", *custom]
        raise KeyError(source)

    def delete(self, name: str, row_id: int) -> Row | None:
        """Delete from an entity table, applying the foreign keys' ``ON DELETE`` rules."""
        row = self.table(name).rows.pop(row_id, None)
        if row is not None:
            self._cascade(name, row_id)
        return row

    def delete_contact(self, contact_id: int) -> Row | None:
        """Delete a contact and its group scores."""
        return self.delete(CONTACTS, contact_id)

    def _cascade(self, name: str, row_id: int) -> None:
        for key in self._foreign_keys:
            if key.references != name:
                continue
            if key.table == SCORES:
                position = 0 if key.column == "contact" else 1
                for pair in [k for k in self.scores if k[position] == row_id]:
                    del self.scores[pair]
                continue
            child = self.table(key.table)
            for dependent in [r for r in child if r.get(key.column) == row_id]:
                if key.on_delete == "cascade":
                    self.delete(key.table, dependent["id"])
                else:
                    child.rows[dependent["id"]] = {**dependent, key.column: None}
