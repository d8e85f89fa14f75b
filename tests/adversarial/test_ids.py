"""Probes: an id (or any number or word put in a URL) reaches the URL as the value it
holds, however its type formats itself (real HTTP to the emulator, 127.0.0.1)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from mautic_async import BasicAuth, MauticClient, NotFoundError
from mautic_async.testing import MauticEmulator


class Twisted(int):
    """An int that formats, converts and indexes as something else entirely."""

    def __str__(self) -> str:
        return "1/../../users"

    def __repr__(self) -> str:
        return "Twisted()"

    def __format__(self, spec: str) -> str:
        return "2/../x"

    def __int__(self) -> int:
        return self  # returns itself: int() would hand back a Twisted again

    def __index__(self) -> int:
        return 99


class Sneaky(str):
    def __str__(self) -> str:
        return "set/../../../users"


@pytest.fixture
async def env() -> AsyncIterator[tuple[MauticEmulator, MauticClient, int, int]]:
    async with MauticEmulator(basic_auth={"admin": "pass1234"}) as emulator:
        group_id = emulator.add_point_group(name="A")["id"]
        contact_id = emulator.add_contact("a@example.com")
        async with MauticClient(emulator.url, auth=BasicAuth("admin", "pass1234")) as mautic:
            yield emulator, mautic, group_id, contact_id


Call = Callable[[MauticClient, int, int], Awaitable[Any]]
CALLS: dict[str, tuple[Call, str]] = {
    "get": (lambda m, g, c: m.point_groups.get(Twisted(g)), "/api/points/groups/{g}"),
    "edit": (
        lambda m, g, c: m.point_groups.edit(Twisted(g), {"name": "B"}),
        "/api/points/groups/{g}/edit",
    ),
    "replace": (
        lambda m, g, c: m.point_groups.replace(Twisted(g), {"name": "B"}),
        "/api/points/groups/{g}/edit",
    ),
    "delete": (lambda m, g, c: m.point_groups.delete(Twisted(g)), "/api/points/groups/{g}/delete"),
    "contact": (lambda m, g, c: m.contacts.get(Twisted(c)), "/api/contacts/{c}"),
    "score": (
        lambda m, g, c: m.contacts.point_group_scores(Twisted(c)).get(Twisted(g)),
        "/api/contacts/{c}/points/groups/{g}",
    ),
    "adjust": (
        lambda m, g, c: m.contacts.point_group_scores(Twisted(c)).adjust(
            Twisted(g), Sneaky("plus"), Twisted(3)
        ),
        "/api/contacts/{c}/points/groups/{g}/plus/3",
    ),
    "main points": (
        lambda m, g, c: m.contacts.adjust_points(Twisted(c), Sneaky("plus"), Twisted(3)),  # type: ignore[arg-type]
        "/api/contacts/{c}/points/plus/3",
    ),
    "point": (lambda m, g, c: m.points.get(Twisted(g)), "/api/points/{g}"),
    "trigger": (lambda m, g, c: m.point_triggers.get(Twisted(g)), "/api/points/triggers/{g}"),
}


@pytest.mark.parametrize("name", list(CALLS))
async def test_the_url_holds_the_value_not_what_the_type_prints(
    env: tuple[MauticEmulator, MauticClient, int, int], name: str
) -> None:
    emulator, mautic, group_id, contact_id = env
    call, path = CALLS[name]
    with contextlib.suppress(NotFoundError):  # no such point or trigger: the path still counts
        await call(mautic, group_id, contact_id)
    assert [r.path for r in emulator.requests] == [path.format(g=group_id, c=contact_id)]


async def test_batch_ids_and_list_numbers_are_sent_as_their_value(
    env: tuple[MauticEmulator, MauticClient, int, int],
) -> None:
    emulator, mautic, group_id, _ = env
    await mautic.point_groups.list(start=Twisted(0), limit=Twisted(5))
    result = await mautic.point_groups.edit_batch([{"id": Twisted(group_id), "name": "C"}])
    assert result.items[0].item is not None
    assert result.items[0].item.name == "C"
    deleted = await mautic.point_groups.delete_batch([Twisted(group_id)])
    assert deleted.items[0].status_code == 200
    listed, edited, removed = emulator.requests
    assert (listed.query["start"], listed.query["limit"]) == ("0", "5")
    assert b'"id":%d' % group_id in edited.body.replace(b" ", b"")
    assert removed.query["ids"] == str(group_id)
