"""Serialization worked out once per entity spec writes what the per-field walk wrote."""

from __future__ import annotations

from typing import Any

from mautic_async.testing import MauticEmulator
from mautic_async.testing._entities import PUBLISH_KEYS, EntitySpec, _wire, format_date
from mautic_async.testing._schema import INSIGHT, POINT, POINT_GROUP, TRIGGER


def reference(spec: EntitySpec, row: dict[str, Any]) -> dict[str, Any]:
    """The serialization as it was written before the per-spec plan."""
    out: dict[str, Any] = {}
    if spec.publish_details:
        for key in PUBLISH_KEYS:
            value = row.get(key)
            out[key] = format_date(value) if key.startswith("date") else value
    out["id"] = row.get("id")
    for f in spec.fields:
        if f.serialized:
            out[f.name] = _wire(f, row.get(f.name))
        if f.name == spec.child_after:
            spec._serialize_children(row, out)
    if spec.child_after is None:
        spec._serialize_children(row, out)
    return out


async def test_every_spec_serializes_as_the_field_walk_did(emu: MauticEmulator) -> None:
    emu.settings.version = "7.1.3"
    group = emu.add_point_group("G/1", "d")
    emu.add_point_group("G2", None, is_published=False)
    emu.add_point(
        "P",
        "url.hit",
        delta=3,
        group=group["id"],
        properties={"page_url": "x"},
        publish_up="2024-01-02 03:04",
    )
    emu.add_trigger(
        "T",
        points=5,
        events=[
            {"name": "e1", "type": "email.send"},
            {"name": "e2", "type": "x", "properties": {}},
        ],
        publish_down="2030-01-01 00:00",
    )
    emu.add_contact_field("interest")
    emu.add_insight("I", "interest", [group["id"]])
    store = emu._ctx.store
    checked = 0
    for spec in (POINT_GROUP, POINT, TRIGGER, INSIGHT):
        for row in store.table(spec.multi):
            assert list(spec.serialize(row).items()) == list(reference(spec, row).items())
            checked += 1
    assert checked == 5
