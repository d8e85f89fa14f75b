"""Output helpers on their own: wire dicts and table cells."""

from __future__ import annotations

from datetime import datetime, timezone

from mautic_async import Contact
from mautic_async.cli._output import render_table, to_wire


def test_to_wire_keeps_every_field_and_nested_mappings() -> None:
    added = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    contact = Contact(id=3, points=0, date_added=added, fields={"all": {"email": "a@example.com"}})
    assert to_wire(contact) == {
        "id": 3,
        "points": 0,
        "dateAdded": "2024-05-01T12:00:00+00:00",
        "dateModified": None,
        "fields": {"all": {"email": "a@example.com"}},
    }
    assert to_wire(None) is None


def test_cells() -> None:
    rows = [{"a": [1, 2], "b": {}, "c": True, "d": "two\nlines", "e": "x" * 7}, {"c": False}]
    assert render_table(rows, ("a", "b", "c", "d", "e"), limit=6).splitlines() == [
        "a       b   c    d       e",
        "------  --  ---  ------  ------",
        "[1, 2]  {}  yes  two l…  xxxxx…",
        "            no",
    ]
