"""Lines that must NOT type-check. Each carries ``# type: ignore[<code>]`` with the
error mypy must report there; mypy runs with ``--warn-unused-ignores`` (part of
``--strict``), so if an annotation is loosened and a line stops failing, the unused
ignore turns the check red. Checked by tests/test_typing.py and .ci/run; never run."""

from __future__ import annotations

from mautic_async import (
    APIResponse,
    GroupScore,
    MauticClient,
    Page,
    PointGroup,
    PointGroupData,
    PointGroupFields,
)


async def wrong(mautic: MauticClient) -> None:
    groups = mautic.point_groups
    group = await groups.get(1)

    # Response fields are typed as sent.
    group_id: str = group.id  # type: ignore[assignment]
    name: int = group.name  # type: ignore[assignment]
    description: str = group.description  # type: ignore[assignment]
    modified = group.date_modified.year  # type: ignore[union-attr]
    score = await mautic.contacts.point_group_scores(1).get(1)
    points: int = score.score  # type: ignore[union-attr]
    adjusted = await mautic.contacts.point_group_scores(1).plus(1, 1)
    group_description: str = adjusted.group.description  # type: ignore[assignment]

    # Write parameters: a misspelt key, a wrong value type, a camelCase key.
    # (mypy reports a dict literal that fits no member of the union as arg-type.)
    await groups.create({"nmae": "x"})  # type: ignore[arg-type]
    await groups.create({"name": 5})  # type: ignore[arg-type]
    await groups.edit(1, {"isPublished": True})  # type: ignore[arg-type]
    fields: PointGroupFields = {"is_published": "yes"}  # type: ignore[typeddict-item]
    bad_key: PointGroupFields = {"nmae": "x"}  # type: ignore[typeddict-unknown-key]
    await groups.create_batch([{"name": "A"}, {"name": None}])  # type: ignore[list-item]
    await groups.sync([{"nmae": "A"}])  # type: ignore[list-item]
    await groups.create("A")  # type: ignore[arg-type]
    PointGroupData(name=3)  # type: ignore[arg-type]

    # Per-call options.
    await groups.get(1, extra_headers={"X-A": 1})  # type: ignore[dict-item]
    await groups.get(1, timeout="5")  # type: ignore[arg-type]
    await groups.get(1, {"X-A": "1"})  # type: ignore[call-arg]

    # Raw responses are typed as the plain call.
    raw: APIResponse[GroupScore] = await groups.with_raw_response.get(1)  # type: ignore[assignment]
    parsed: Page[PointGroup] = (await groups.with_raw_response.get(1)).parse()  # type: ignore[assignment]
    status: str = (await groups.with_raw_response.delete(1)).status  # type: ignore[assignment]
    await groups.with_raw_response.iterate()  # type: ignore[attr-defined]
    await groups.with_raw_response.sync([])  # type: ignore[attr-defined]
    await groups.with_raw_response.get("1")  # type: ignore[arg-type]
    print(group_id, name, description, modified, points, group_description, fields, raw)
    print(parsed, status, bad_key)
