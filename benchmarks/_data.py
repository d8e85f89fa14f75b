"""The canned Mautic answers every scenario uses: one point group with all ten keys,
a page of 100, a create answer, and pages of any size made on demand."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

USER = "bench"
PASSWORD = "bench-password"
CREATE_BODY = {"name": "Group A", "description": "Created by the benchmark"}
PAGE_SIZE = 100

_EPOCH = datetime(2024, 10, 24, 15, 54, 35, tzinfo=timezone.utc)


def _date(seconds: int) -> str:
    # PHP's 'c' format, which is what Mautic's serializer writes.
    return (_EPOCH + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def group(group_id: int) -> dict[str, Any]:
    """A point group as Mautic 5.1 serialises it (key order as JMS likely writes it)."""
    return {
        "isPublished": group_id % 7 != 0,
        "dateAdded": _date(group_id * 61),
        "dateModified": _date(group_id * 61 + 3600),
        "createdBy": 1,
        "createdByUser": "Admin User",
        "modifiedBy": 2,
        "modifiedByUser": "Editor User",
        "id": group_id,
        "name": f"Point group {group_id}",
        "description": f"Contacts scored for campaign {group_id % 13}",
    }


def dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def entity_body(group_id: int = 1) -> bytes:
    return dumps({"pointGroup": group(group_id)})


def page_body(first_id: int = 1, size: int = PAGE_SIZE, total: int = PAGE_SIZE) -> bytes:
    groups = [group(i) for i in range(first_id, first_id + size)]
    return dumps({"total": total, "pointGroups": groups})
