"""What the CLI prints: JSON by default, readable tables on request.

Models become Mautic's wire shape (camelCase keys, ISO 8601 dates) through the
library's own converter, with every field present (``null`` when unset), so a script
reading the output always finds the same keys.
"""

from __future__ import annotations

import json
import textwrap
import unicodedata
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, Literal, TextIO

import attrs

from .._converter import camel, converter
from ..errors import ErrorItem, MauticError
from ..models import Page
from ..score_sync import ScoreSyncReport
from ..sync import SyncReport

__all__ = ["Format", "Output", "to_wire"]

Format = Literal["json", "table"]

_END: Any = object()

#: Longest cell of a list table; longer text is cut with an ellipsis.
MAX_CELL = 60


def to_wire(value: Any) -> Any:
    """A model as JSON-ready data with Mautic's camelCase keys, every field present."""
    if attrs.has(type(value)):
        data = converter.unstructure(value)
        wire = {}
        for field in attrs.fields(type(value)):
            item, key = getattr(value, field.name), camel(field.name)
            if attrs.has(type(item)) or isinstance(item, (list, tuple)):
                wire[key] = to_wire(item)  # nested models (trigger events) in full too
            else:  # a field left at its default is not in `data`
                wire[key] = data[key] if key in data else converter.unstructure(item)
        return wire
    if isinstance(value, (list, tuple)):
        return [to_wire(item) for item in value]
    return converter.unstructure(value)


def report_to_wire(report: SyncReport[Any]) -> dict[str, Any]:
    """A sync report as JSON: whether it all worked, counts, and every item."""
    return {
        "ok": report.ok,
        "dryRun": report.dry_run,
        "rounds": report.rounds,
        "counts": report.counts(),
        "items": [
            {
                "action": item.action,
                "key": item.key,
                "id": getattr(item.entity, "id", None),
                "error": None if item.error is None else _error_text(item.error),
            }
            for item in report.items
        ],
    }


def _error_text(error: MauticError | ErrorItem) -> str:
    if isinstance(error, ErrorItem):  # a batch item's error
        return error.message if error.code is None else f"{error.code}: {error.message}"
    return " ".join(str(error).split())


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"group": {"id": 1}}`` -> ``{"group.id": 1}``, for table columns."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping) and value:
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or char in "\u200b\u200d\ufe0f":
        return 0  # accents, zero-width joiners and emoji variation selectors
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def text_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: East Asian wide characters and most emoji
    take two, combining marks none."""
    return sum(_char_width(char) for char in text)


def _fit(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` columns, ending in an ellipsis if cut."""
    if text_width(text) <= limit:
        return text
    kept, width = [], 0
    for char in text:
        width += _char_width(char)
        if width > limit - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))


def _cell(value: Any, limit: int | None = MAX_CELL) -> str:
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, (Mapping, list)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = " ".join(str(value).split())
    return text if limit is None else _fit(text, limit)


def render_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *, limit: int | None = MAX_CELL
) -> str:
    """Rows as aligned text columns under a header (no trailing newline)."""
    cells = [[_cell(row.get(column), limit) for column in columns] for row in rows]
    widths = [
        max([text_width(c), *(text_width(r[i]) for r in cells)]) for i, c in enumerate(columns)
    ]
    lines = [list(columns), ["-" * w for w in widths], *cells]
    return "\n".join(
        "  ".join(_pad(text, width) for text, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


@attrs.define
class Output:
    """Writes command results to ``out`` in the chosen format."""

    out: TextIO
    format: Format = "json"

    def json(self, data: Any) -> None:
        """Print ``data`` as indented JSON."""
        self.out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def result(self, result: Any, columns: Sequence[str]) -> None:
        """Print what a command returned; ``columns`` are the table's for lists."""
        if isinstance(result, Page):
            self.page(result.items, result.total, columns)
        elif isinstance(result, list):
            self.rows([to_wire(item) for item in result], columns)
        elif isinstance(result, SyncReport):
            self.report(result)
        elif isinstance(result, ScoreSyncReport):
            self.score_report(result)
        elif hasattr(result, "verb") and hasattr(result, "counts"):  # a BatchReport
            self.batch(result)
        elif result is None or attrs.has(type(result)):
            self.entity(result)
        else:  # pragma: no cover - every command returns one of the above
            raise TypeError(f"cannot print {type(result).__name__}")

    def entity(self, entity: Any) -> None:
        """One model: JSON, or a two-column field/value table."""
        data = to_wire(entity)
        if self.format == "json":
            self.json(data)
        elif data is None:
            self.out.write("(none)\n")
        else:
            rows = [{"field": k, "value": v} for k, v in _flatten(data).items()]
            self.out.write(render_table(rows, ("field", "value"), limit=None) + "\n")

    def rows(self, rows: list[Any], columns: Sequence[str]) -> None:
        """A list of wire dicts: a JSON array, or a table of ``columns``."""
        if self.format == "json":
            self.json(rows)
        else:
            self.out.write(render_table([_flatten(r) for r in rows], columns) + "\n")

    def page(self, items: Sequence[Any], total: int, columns: Sequence[str]) -> None:
        """``{"items": [...], "total": N}``; a table ends with how many were shown."""
        wire = [to_wire(item) for item in items]
        if self.format == "json":
            self.json({"items": wire, "total": total})
            return
        self.rows(wire, columns)
        self.out.write(f"({len(wire)} of {total})\n")

    async def stream(self, items: AsyncIterator[Any], columns: Sequence[str]) -> None:
        """Every item of an async iterator. JSON is written as items arrive (constant
        memory, the same text as :meth:`page` would print); a table needs them all.
        Nothing is written before the first page has arrived, so a failing request
        leaves stdout empty."""
        if self.format == "table":
            wire = [to_wire(item) async for item in items]
            self.rows(wire, columns)
            self.out.write(f"({len(wire)} in all)\n")
            return
        count, item = 0, await anext(items, _END)
        self.out.write('{\n  "items": [')
        while item is not _END:
            text = textwrap.indent(json.dumps(to_wire(item), indent=2, ensure_ascii=False), "    ")
            self.out.write(("," if count else "") + "\n" + text)
            count, item = count + 1, await anext(items, _END)
        self.out.write(("\n  ]" if count else "]") + f',\n  "total": {count}\n}}\n')

    async def show(self, result: Any, columns: Sequence[str]) -> None:
        """Print any command's result: an async iterator is streamed."""
        if isinstance(result, AsyncIterator):
            await self.stream(result, columns)
        else:
            self.result(result, columns)

    def batch(self, report: Any) -> None:
        """A batch command's report (:class:`~._batch.BatchReport`): JSON with every
        item's outcome, or a table of them and the counts."""
        items = list(report.items)
        if self.format == "json":
            self.json({"ok": report.ok, "counts": report.counts(), "items": items})
            return
        columns = ("index", "ok", "status", "id", "name", "error")
        self.out.write(render_table(items, columns) + "\n")
        counts = report.counts()
        self.out.write(f"({counts['ok']} ok, {counts['failed']} failed)\n")

    def report(self, report: SyncReport[Any]) -> None:
        """A sync report: JSON with every item, or a summary table and the failures."""
        data = report_to_wire(report)
        if self.format == "json":
            self.json(data)
            return
        counts = [{"action": action, "items": n} for action, n in data["counts"].items()]
        self.out.write(render_table(counts, ("action", "items")) + "\n")
        failed = [item for item in data["items"] if item["action"] == "failed"]
        if failed:
            self.out.write("\nfailed:\n" + render_table(failed, ("key", "id", "error")) + "\n")
        if report.dry_run:
            changes = [i for i in data["items"] if i["action"] in ("created", "updated", "deleted")]
            if changes:
                columns = ("action", "key", "id")
                self.out.write("\nwould send:\n" + render_table(changes, columns) + "\n")
            self.out.write(f"(dry run: {len(data['items'])} items, nothing was sent)\n")
            return
        self.out.write(f"({len(data['items'])} items in {report.rounds} round(s))\n")

    def score_report(self, report: ScoreSyncReport) -> None:
        """A score sync report: counts, and every failed row with its reason."""
        failed = [
            {
                "contactId": f.contact_id,
                "groupId": f.group_id,
                "score": f.score,
                "status": f.status,
                "error": f.message,
            }
            for f in report.failures
        ]
        if self.format == "json":
            self.json(
                {
                    "ok": report.ok,
                    "dryRun": report.dry_run,
                    "counts": report.counts(),
                    "failed": failed,
                }
            )
            return
        counts = [{"rows": action, "count": n} for action, n in report.counts().items()]
        self.out.write(render_table(counts, ("rows", "count")) + "\n")
        if failed:
            columns = ("contactId", "groupId", "score", "error")
            self.out.write("\nfailed:\n" + render_table(failed, columns) + "\n")
        self.out.write(f"({report.total} rows{', dry run' if report.dry_run else ''})\n")
