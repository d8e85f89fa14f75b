"""Batch commands (``create --file``, ``edit --file``, ``delete --ids``) and the notes
the CLI prints when Mautic stored something other than what was sent."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TextIO

import attrs

from .._cleaning import HTML_FIELDS
from .._converter import camel
from .._validation import BATCH_MAX_ITEMS
from ..errors import ErrorItem, ValidationError
from ..models import BatchItem, BatchResult
from ._output import to_wire

__all__ = ["BatchReport", "changed_by_mautic", "run_batch", "run_delete_batch"]

BatchVerb = Literal["create", "edit", "delete"]

_TAG = re.compile(r"<[^>]*>")  # as mautic_async._cleaning strips them


@attrs.frozen
class BatchReport:
    """What a batch command did with each item, in the order given.

    Attributes:
        verb: ``create``, ``edit`` or ``delete``.
        items: one row per item: ``index`` (0-based, in the file or ``--ids``),
            ``ok``, ``status`` (Mautic's per-item status; ``None`` when refused before
            sending), ``id``, ``name`` and ``error``.
    """

    verb: BatchVerb
    items: tuple[dict[str, Any], ...]

    @property
    def ok(self) -> bool:
        """True when every item succeeded."""
        return all(item["ok"] for item in self.items)

    def counts(self) -> dict[str, int]:
        """``{"ok": n, "failed": n}``."""
        done = sum(1 for item in self.items if item["ok"])
        return {"ok": done, "failed": len(self.items) - done}


def _error_text(error: ErrorItem | BaseException | None) -> str | None:
    if error is None:
        return None
    if isinstance(error, ErrorItem):
        return error.message if error.code is None else f"{error.code}: {error.message}"
    return " ".join(str(error).split())


def _row(
    index: int, outcome: BatchItem[Any] | None, sent: Mapping[str, Any], error: Any = None
) -> dict[str, Any]:
    entity = None if outcome is None else outcome.item
    return {
        "index": index,
        "ok": outcome is not None and outcome.ok,
        "status": None if outcome is None else outcome.status_code,
        "id": getattr(entity, "id", None) or sent.get("id"),
        "name": getattr(entity, "name", None) or sent.get("name"),
        "error": _error_text(error if outcome is None else outcome.error),
    }


async def run_batch(
    resource: Any, verb: Literal["create", "edit"], items: Sequence[Mapping[str, Any]], err: TextIO
) -> BatchReport:
    """Send ``items`` through ``create_batch`` or ``edit_batch``, 200 a request.

    Each item is checked on its own first: one the library refuses is reported failed
    (status ``None``) and the others are sent. A whole chunk Mautic refuses (400/422)
    is reported failed item by item; other errors (credentials, connection) end the
    command as usual. Notes on what Mautic changed go to ``err``.
    """
    rows: dict[int, dict[str, Any]] = {}
    valid: list[tuple[int, Mapping[str, Any]]] = []
    required = resource.required_fields if verb == "create" else ()
    for index, item in enumerate(items):
        try:
            resource._batch_payload([item], with_ids=verb == "edit", required=required)
        except (TypeError, ValueError) as exc:
            message = str(exc).removeprefix("item 0: ")
            rows[index] = _row(index, None, item, f"refused before sending: {message}")
        else:
            valid.append((index, item))
    send = resource.create_batch if verb == "create" else resource.edit_batch
    for start in range(0, len(valid), BATCH_MAX_ITEMS):
        chunk = valid[start : start + BATCH_MAX_ITEMS]
        try:
            result: BatchResult[Any] = await send([item for _index, item in chunk])
        except ValidationError as exc:  # the chunk refused as a whole
            for index, item in chunk:
                rows[index] = _row(index, None, item, exc)
            continue
        for (index, item), outcome in zip(chunk, result.items, strict=True):
            rows[index] = _row(index, outcome, item)
            if outcome.ok and outcome.item is not None:
                for note in changed_by_mautic(item, outcome.item):
                    err.write(f"mautic-async: note: item {index}: {note}\n")
    return BatchReport(verb, tuple(rows[index] for index in sorted(rows)))


async def run_delete_batch(resource: Any, ids: Sequence[int]) -> BatchReport:
    """Delete ``ids``, 200 a request; an id Mautic does not hold is a failed 404 item."""
    rows = []
    for start in range(0, len(ids), BATCH_MAX_ITEMS):
        chunk = ids[start : start + BATCH_MAX_ITEMS]
        result: BatchResult[Any] = await resource.delete_batch(chunk)
        for offset, (entity_id, outcome) in enumerate(zip(chunk, result.items, strict=True)):
            rows.append(_row(start + offset, outcome, {"id": entity_id}))
    return BatchReport("delete", tuple(rows))


def changed_by_mautic(sent: Mapping[str, Any], entity: Any) -> list[str]:
    """One line per text field Mautic stored differently from how it was sent (tags
    stripped, entities decoded, whitespace trimmed), naming what it did; compares what
    was sent with what came back. Write-only fields (not in the answer) are skipped,
    and so is ``""`` stored as null (how Mautic clears a field)."""
    wire = to_wire(entity)
    if not isinstance(wire, Mapping):
        return []
    notes = []
    for key, value in sent.items():
        field = camel(key)
        if not isinstance(value, str) or value == "" or field not in wire:
            continue
        stored = wire[field]
        if stored == value:
            continue
        notes.append(
            f"Mautic stored {field} as {_shown(stored)}, not {value!r} ({_why(field, value)})"
        )
    return notes


def _shown(value: Any) -> str:
    return "null" if value is None else repr(value)


def _why(field: str, value: str) -> str:
    """What Mautic's cleaning did to ``value`` (see :mod:`mautic_async._cleaning`)."""
    reasons = []
    if field not in HTML_FIELDS:
        decoded = html.unescape(value)
        if decoded != value:
            reasons.append("HTML entities decoded")
        if _TAG.search(decoded):
            reasons.append("tags stripped")
    if value != value.strip():
        reasons.append("surrounding whitespace trimmed")
    return ", ".join(reasons) or "changed by Mautic"
