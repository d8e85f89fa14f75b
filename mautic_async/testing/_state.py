"""The in-memory database: auto-increment tables, contacts and group scores."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any

from ._entities import Row
from ._php import php_key
from ._schema import CONTACT_FIELDS, CONTACTS, FOREIGN_KEYS, SCORES

__all__ = ["Rows", "Store", "Table"]


class Rows(MutableMapping[int, Row]):
    """Rows by id, with every id also kept in an ascending list (the primary key index).

    List pages find an id range with ``bisect`` in O(log n) and read only the rows they
    need (``fetch``), instead of scanning the table. Ids come from a counter, so an
    insert is an append; a delete removes one entry of the list.
    """

    def __init__(self) -> None:
        self._data: dict[int, Row] = {}
        self.ids: list[int] = []
        """Every id, ascending."""
        self.reads = 0
        """How many rows :meth:`fetch` has returned: the rows list queries examined."""

    def __getitem__(self, key: int) -> Row:
        return self._data[key]

    def __setitem__(self, key: int, row: Row) -> None:
        if key not in self._data:
            ids = self.ids
            if not ids or key > ids[-1]:
                ids.append(key)
            else:
                insort(ids, key)
        self._data[key] = row

    def __delitem__(self, key: int) -> None:
        del self._data[key]
        ids = self.ids
        del ids[bisect_left(ids, key)]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids.copy())  # callers may delete while iterating

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        """Remove every row (ids are not reset: that is the table's counter)."""
        self._data.clear()
        self.ids.clear()

    def fetch(self, ids: Iterable[int]) -> list[Row]:
        """The rows of ``ids`` (which must exist), counted in :attr:`reads`."""
        data = self._data
        found = [data[key] for key in ids]
        self.reads += len(found)
        return found


class Table:
    """Rows keyed by an auto-increment id that is never reused (InnoDB)."""

    def __init__(self) -> None:
        self.rows = Rows()
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
        table = self.tables.get(name)
        if table is None:
            table = self.tables[name] = Table()
        return table

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
