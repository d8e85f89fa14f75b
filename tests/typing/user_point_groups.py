"""A typed user's point-group code: ``mypy --strict`` and pyright strict, no narrowing.

Run against the emulator by tests/test_typing.py::test_user_script_runs_against_the_emulator;
``assert_type`` pins what the checkers infer, so a loosened annotation turns CI red.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from typing_extensions import assert_type

from mautic_async import (
    APIResponse,
    BasicAuth,
    BatchItem,
    BatchResult,
    ErrorItem,
    MauticClient,
    NotFoundError,
    Page,
    PointGroup,
    PointGroupData,
    PointGroupFields,
    SyncItem,
    SyncReport,
    ValidationError,
)
from mautic_async.testing import MauticEmulator


def describe(group: PointGroup) -> str:
    """Reads every field as a typed user would: required ones without a check."""
    text = f"{group.id}:{group.name.strip()}"
    if group.description is not None:
        text += f" ({group.description[:20]})"
    if group.date_modified is not None:
        text += f" changed {group.date_modified.isoformat()}"
    return text + (" published" if group.is_published else " draft")


async def main(emulator: MauticEmulator) -> list[str]:
    """Every point-group verb, typed; returns lines the test checks."""
    out: list[str] = []
    seeded = emulator.add_point_group("Seeded", description=None)
    seeded_id: int = seeded["id"]  # the wire dict is dict[str, Any]: annotate what you read
    assert_type(seeded, dict[str, Any])

    async with MauticClient(emulator.url, auth=BasicAuth("admin", "secret")) as mautic:
        groups = mautic.point_groups

        # create: a TypedDict literal, a typed variable, and the attrs class.
        first = await groups.create({"name": "Product A", "description": "Shoes"})
        assert_type(first, PointGroup)
        assert_type(first.id, int)
        assert_type(first.name, str)
        assert_type(first.description, str | None)
        assert_type(first.is_published, bool)
        assert_type(first.date_added, datetime)
        assert_type(first.date_modified, datetime | None)
        assert_type(first.created_by, int | None)
        assert_type(first.created_by_user, str | None)
        fields: PointGroupFields = {"name": "Product B", "is_published": False}
        second = await groups.create(fields)
        third = await groups.create(PointGroupData("Product C", description=None))
        out.append(f"created {first.id + 1 - 1} {second.name.upper()} {third.is_published}")

        # edit and replace: partial and full.
        edited = await groups.edit(second.id, {"description": "Bags", "is_published": True})
        replaced = await groups.replace(third.id, PointGroupData("Product C2"))
        out.append(f"edited {describe(edited)}; replaced {replaced.name}")

        # get and list.
        got = await groups.get(seeded_id)
        page = await groups.list(search="Product", order_by="name", limit=10)
        assert_type(page, Page[PointGroup])
        assert_type(page.total, int)
        assert_type(page.items, tuple[PointGroup, ...])
        names: list[str] = [g.name for g in page]
        out.append(f"got {got.name}; listed {page.total} {names}")
        minimal = await groups.list(minimal=True, published_only=True)
        out.append(f"minimal {len(minimal)}")

        # iterate: every page, typed as the model.
        seen: list[int] = []
        async for group in groups.iterate(page_size=2, stable=True):
            assert_type(group, PointGroup)
            seen.append(group.id)
        out.append(f"iterated {len(seen)}")

        # batches: every item's outcome at its index.
        items: Sequence[PointGroupData | PointGroupFields] = [
            {"name": "Batch 1"},
            PointGroupData("Batch 2", is_published=False),
        ]
        made = await groups.create_batch(items)
        assert_type(made, BatchResult[PointGroup])
        assert_type(made[0], BatchItem[PointGroup])
        assert_type(made[0].status_code, int | None)
        assert_type(made[0].item, PointGroup | None)
        made_ids: list[int] = [g.id for g in made.succeeded]
        edits: list[PointGroupFields] = [{"id": made_ids[0], "description": "first"}]
        changed = await groups.edit_batch(edits)
        redone = await groups.replace_batch([PointGroupData("Batch 2b", id=made_ids[1])])
        out.append(
            f"batch {[i.status_code for i in made]} {changed[0].ok} "
            f"{[g.name for g in redone.succeeded]}"
        )
        failed = await groups.edit_batch([{"id": 999_999, "name": "ghost"}])
        for bad in failed.failed:
            error: ErrorItem | None = bad.error
            out.append(f"batch failed {bad.index} {bad.status_code} {error and error.message}")
        gone = await groups.delete_batch(made_ids)
        out.append(f"batch deleted {[g.id for g in gone.succeeded]}")

        # sync: desired state by name.
        desired: list[PointGroupFields] = [
            {"name": "Product A", "description": "Shoes"},
            {"name": "Product D"},
        ]
        report = await groups.sync(desired, progress=lambda done, total: None)
        assert_type(report, SyncReport[PointGroup])
        assert_type(report.items[0], SyncItem[PointGroup])
        assert_type(report.items[0].entity, PointGroup | None)
        counts: Mapping[str, int] = report.counts()
        created: list[int] = [i.entity.id for i in report.created if i.entity is not None]
        out.append(f"sync {counts['created']} {counts['unchanged']} {len(created)} {report.ok}")

        # errors: typed attributes, Mautic's message.
        try:
            await groups.get(999_999)
        except NotFoundError as e:
            assert_type(e.status, int)
            assert_type(e.errors, tuple[ErrorItem, ...])
            assert_type(e.errors[0].message, str)
            assert_type(e.headers, Mapping[str, str])
            out.append(f"not found {e.status} {e.errors[0].message} {e.errors[0].code}")
        try:
            await groups.edit(first.id, {"name": " "})
        except ValueError as e:  # refused before sending: a blank name
            out.append(f"refused {type(e).__name__}")
        try:
            await groups.create({"name": "x" * 300})
        except (ValueError, ValidationError) as e:
            out.append(f"too long {type(e).__name__}")

        # delete: the entity as it was, with the id that was asked for.
        deleted = await groups.delete(first.id)
        assert_type(deleted, PointGroup)
        out.append(f"deleted {deleted.id == first.id} {deleted.name}")
    return out


async def raw_and_options(emulator: MauticEmulator) -> list[str]:
    """``with_raw_response`` on every one-request verb, and the per-call options."""
    out: list[str] = []
    async with MauticClient(emulator.url, auth=BasicAuth("admin", "secret")) as mautic:
        raw = mautic.point_groups.with_raw_response
        created = await raw.create({"name": "Raw"}, extra_headers={"X-Request-Id": "r-1"})
        assert_type(created, APIResponse[PointGroup])
        assert_type(created.status, int)
        assert_type(created.url, str)
        assert_type(created.content, bytes)
        assert_type(created.headers, Mapping[str, str])
        group = created.parse()
        assert_type(group, PointGroup)
        remaining: str = created.headers["X-RateLimit-Remaining"]
        version: str | None = created.headers.get("mautic-version")  # case-insensitive
        out.append(f"raw create {created.status} {group.name} {remaining} {version}")

        got = await raw.get(group.id, extra_query={"x": "1"}, timeout=5)
        assert_type(got, APIResponse[PointGroup])
        out.append(f"raw get {got.status} {got.parse().id == group.id} {'x=1' in got.url}")
        listed = await raw.list(limit=1)
        assert_type(listed, APIResponse[Page[PointGroup]])
        out.append(f"raw list {listed.status} {listed.parse().total} {len(listed.content) > 0}")
        edited = await raw.edit(group.id, {"description": "d"})
        replaced = await raw.replace(group.id, PointGroupData("Raw 2"))
        assert_type(replaced.parse(), PointGroup)
        batch = await raw.create_batch([{"name": "RB1"}, {"name": "RB2"}])
        assert_type(batch, APIResponse[BatchResult[PointGroup]])
        ids = [g.id for g in batch.parse().succeeded]
        batch_edit = await raw.edit_batch([{"id": ids[0], "name": "RB1b"}])
        batch_replace = await raw.replace_batch([{"id": ids[1], "name": "RB2b"}])
        batch_delete = await raw.delete_batch(ids)
        deleted = await raw.delete(group.id)
        assert_type(deleted.parse(), PointGroup)
        statuses = [
            r.status for r in (edited, replaced, batch, batch_edit, batch_replace, batch_delete)
        ]
        out.append(f"raw {statuses} {deleted.status} {deleted.parse().id == group.id}")

        # Plain calls take the same options.
        page = await mautic.point_groups.list(extra_headers={"X-Job": "typed"}, timeout=30)
        out.append(f"options {page.total}")
    return out


if __name__ == "__main__":  # pragma: no cover - run by hand: python tests/typing/...

    async def _run() -> None:
        async with MauticEmulator(basic_auth={"admin": "secret"}, rate_limit=1000) as emu:
            for line in [*await main(emu), *await raw_and_options(emu)]:
                print(line)

    asyncio.run(_run())
