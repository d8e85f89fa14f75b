"""``mautic-async demo``: the whole API against the embedded emulator, narrated.

Needs no Mautic, no settings and none of the optional dependencies.
"""

from __future__ import annotations

from typing import Protocol, TextIO

from ..auth import BasicAuth
from ..client import MauticClient
from ..errors import NotFoundError, ValidationError
from ..models import PointGroup, PointGroupData, PointGroupFields
from ..resources.contacts import ScoreOperator
from ..testing._emulator import DEFAULT_BASIC_AUTH

__all__ = ["run_demo"]

_USER, _PASSWORD = next(iter(DEFAULT_BASIC_AUTH.items()))
_SCORE_STEPS: tuple[tuple[ScoreOperator, int], ...] = (
    ("plus", 10),
    ("times", 3),
    ("minus", 5),
    ("divide", 5),
)


class _Say(Protocol):
    def __call__(self, step: str, text: str = "") -> None: ...


def _group(group: PointGroup) -> str:
    state = "published" if group.is_published else "unpublished"
    return f"#{group.id} {group.name!r} ({state}, description={group.description!r})"


async def run_demo(out: TextIO) -> None:
    """Start an emulator on a free loopback port and walk through every operation,
    printing each call and what came back."""
    from ..testing import MauticEmulator

    def say(step: str, text: str = "") -> None:
        out.write(f"{step:<9} {text}".rstrip() + "\n")
        out.flush()

    async with MauticEmulator(basic_auth={_USER: _PASSWORD}, host="127.0.0.1", port=0) as emu:
        say("emulator", f"Mautic emulator listening on {emu.url} (Basic auth user {_USER!r})")
        async with MauticClient(emu.url, auth=BasicAuth(_USER, _PASSWORD)) as mautic:
            await _walk(mautic, say)
    say("done", f"{len(emu.requests)} requests made; the emulator has stopped.")
    say(
        "next",
        "try your own Mautic: MAUTIC_URL=https://... MAUTIC_USERNAME=... "
        "MAUTIC_PASSWORD=... mautic-async list --format table",
    )


async def _walk(mautic: MauticClient, say: _Say) -> None:
    groups = mautic.point_groups

    say("create", 'point_groups.create({"name": "Newsletter readers", "description": "Opens"})')
    group = await groups.create({"name": "Newsletter readers", "description": "Opens"})
    assert group.id is not None
    say("", f"-> {_group(group)}")

    say("get", f"point_groups.get({group.id})")
    say("", f"-> {_group(await groups.get(group.id))}")

    made = await groups.create_batch([{"name": f"Webinar {n}"} for n in (1, 2, 3)])
    say("batch", "point_groups.create_batch([Webinar 1, Webinar 2, Webinar 3])")
    say(
        "", f"-> created {[g.id for g in made.succeeded]}, statuses {[i.status_code for i in made]}"
    )

    page = await groups.list(search="Webinar", order_by="name", limit=2)
    say("list", 'point_groups.list(search="Webinar", order_by="name", limit=2)')
    say("", f"-> {len(page)} of {page.total}: {[g.name for g in page]}")

    names = [g.name async for g in groups.iterate(stable=True, page_size=2)]
    say("iterate", "point_groups.iterate(stable=True, page_size=2): every group, page by page")
    say("", f"-> {names}")

    group = await groups.edit(group.id, PointGroupData(description="Opened 3+ newsletters"))
    assert group.id is not None
    say("edit", f"point_groups.edit({group.id}, description=...): PATCH, only what is passed")
    say("", f"-> {_group(group)}")

    group = await groups.replace(group.id, {"name": "Engaged readers"})
    say("replace", f'point_groups.replace({group.id}, {{"name": "Engaged readers"}}): PUT')
    say("", f"-> {_group(group)}: fields left out were cleared")
    assert group.id is not None

    contact = await mautic.contacts.create({"email": "ann@example.com"})
    assert contact.id is not None
    scores = mautic.contacts.point_group_scores(contact.id)
    say("scores", f"contact #{contact.id} ann@example.com in group #{group.id}:")
    for operator, value in _SCORE_STEPS:
        score = await scores.adjust(group.id, operator, value)
        say("", f"{operator} {value} -> {score.score}")
    listed = await scores.list()
    say("", f"scores.list() -> {[(s.group.name, s.score) for s in listed]}")

    desired: list[PointGroupFields] = [
        {"name": "Engaged readers"},
        {"name": "Webinar 1"},
        {"name": "Trial users"},
    ]
    report = await groups.sync(desired, delete_missing=True)
    say("sync", "point_groups.sync([Engaged readers, Webinar 1, Trial users], delete_missing=True)")
    say("", f"-> {report.counts()}")
    report = await groups.sync(desired, delete_missing=True)
    say("", f"again -> {report.counts()}: nothing left to do")

    try:
        await groups.create({"name": "<b></b>"})
    except ValidationError as exc:
        say(
            "errors",
            'create({"name": "<b></b>"}): Mautic strips the tags, leaving an empty name '
            f"-> ValidationError {exc.details}",
        )
    gone = await groups.delete(group.id)
    say("delete", f"point_groups.delete({group.id}) -> {gone.name!r}, id now {gone.id}")
    try:
        await groups.get(group.id)
    except NotFoundError as exc:
        say("errors", f"get({group.id}) after delete -> NotFoundError: {exc.message}")
