"""Ids reach the URL as plain ints, credentials never go over plain http however they
are set, and with_options rebinds every resource: over real HTTP."""

from __future__ import annotations

import json
import socket
from functools import cached_property
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from mautic_async import BasicAuth, MauticClient, OAuth2ClientCredentials, Resource
from mautic_async.testing import MauticEmulator

from ._hostile import group, serve


class Sneaky(int):
    """An int that prints as something else, as a hostile caller might pass."""

    def __str__(self) -> str:
        return "1/../../users"

    def __format__(self, spec: str) -> str:
        return "1/../../users"

    def __repr__(self) -> str:
        return "1/../../users"


def paths(emulator: MauticEmulator) -> list[str]:
    return [r.path for r in emulator.requests]


async def test_an_int_subclass_cannot_change_the_url(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    first = emulator.add_point_group("A")["id"]
    second = emulator.add_point_group("B")["id"]
    groups = mautic.point_groups
    await groups.get(Sneaky(first))
    await groups.edit(Sneaky(first), {"name": "A2"})
    await groups.replace(Sneaky(first), {"name": "A3"})
    await groups.edit_batch([{"id": Sneaky(second), "name": "B2"}])
    await groups.delete(Sneaky(first))
    await groups.delete_batch([Sneaky(second)])
    assert paths(emulator) == [
        f"/api/points/groups/{first}",
        f"/api/points/groups/{first}/edit",
        f"/api/points/groups/{first}/edit",
        "/api/points/groups/batch/edit",
        f"/api/points/groups/{first}/delete",
        "/api/points/groups/batch/delete",
    ]
    assert json.loads(emulator.requests[3].body) == [{"id": second, "name": "B2"}]
    assert emulator.requests[5].query["ids"] == str(second)


async def test_an_int_subclass_cannot_change_a_score_url(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    contact = emulator.add_contact("a@example.com")
    group_id = emulator.add_point_group("G")["id"]
    scores = mautic.contacts.point_group_scores(Sneaky(contact))
    await scores.plus(Sneaky(group_id), Sneaky(3))
    await scores.get(Sneaky(group_id))
    assert paths(emulator) == [
        f"/api/contacts/{contact}/points/groups/{group_id}/plus/3",
        f"/api/contacts/{contact}/points/groups/{group_id}",
    ]


@pytest.mark.parametrize("bad", [True, False])
async def test_bool_ids_stay_refused(mautic: MauticClient, bad: bool) -> None:
    with pytest.raises(TypeError, match="bool"):
        await mautic.point_groups.get(bad)


# -- plain http -----------------------------------------------------------------------------


class ToLoopback(AbstractResolver):
    """Resolves every name to 127.0.0.1, so a non-loopback host name reaches the test
    server (and the client's plain-http check sees a remote host)."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        return None


async def test_credentials_set_later_never_go_over_plain_http() -> None:
    seen: list[str | None] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization"))
        return web.json_response({"pointGroup": group(1)})

    async with serve(handle) as url:
        remote = url.replace("127.0.0.1", "mautic.example.org")
        connector = aiohttp.TCPConnector(resolver=ToLoopback())
        async with aiohttp.ClientSession(connector=connector) as session:
            mautic = MauticClient(remote, session=session)
            copy = mautic.with_options(timeout=5)
            for client in (mautic, copy):
                for auth in (BasicAuth("admin", "s3cret-H"), OAuth2ClientCredentials("1", "s-H")):
                    with pytest.raises(ValueError, match="plain http"):
                        client.auth = auth
                    assert client.auth is None
                await client.point_groups.get(1)
            # Opting in is still possible, and then the header is sent.
            allowed = MauticClient(remote, session=session, allow_insecure_http=True)
            allowed.auth = BasicAuth("admin", "s3cret-H")
            await allowed.point_groups.get(1)
    assert seen[:2] == [None, None]  # nothing was sent with credentials
    assert seen[2] is not None
    assert seen[2].startswith("Basic ")


def test_base_url_is_read_only() -> None:
    mautic = MauticClient("https://mautic.example.com", auth=BasicAuth("admin", "s3cret-H"))
    with pytest.raises(AttributeError):
        mautic.base_url = "http://mautic.example.com"  # type: ignore[misc]


# -- with_options rebinds every resource ---------------------------------------------------


def every_resource(client: MauticClient) -> dict[str, Any]:
    """Every cached property of the client (however declared) whose value is a
    resource: found independently of the registry with_options uses."""
    found = {}
    for klass in type(client).__mro__:
        for name, value in vars(klass).items():
            if isinstance(value, cached_property):
                resource = getattr(client, name)
                if isinstance(resource, Resource) or hasattr(resource, "_client"):
                    found[name] = resource
    return found


async def test_with_options_rebinds_every_resource(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    originals = every_resource(mautic)
    assert {"point_groups", "contacts"} <= set(originals)
    copy = mautic.with_options(max_retries=0, timeout=7)
    copies = every_resource(copy)
    assert set(copies) == set(originals)
    for name in originals:
        assert originals[name]._client is mautic, name
        assert copies[name]._client is copy, name
    # And the copy's calls use the copy's options, over HTTP.
    emulator.faults.add("GET", "/api/points/groups/1", status=503)
    with pytest.raises(Exception, match="503"):
        await copy.point_groups.get(1)
    assert len(emulator.requests) == 1  # max_retries=0 on the copy: no retry


async def test_a_resource_declared_later_is_rebound_too() -> None:
    from mautic_async.client import _resource
    from mautic_async.resources.point_groups import PointGroups

    class MoreClient(MauticClient):
        @_resource
        def more_groups(self) -> PointGroups:
            return PointGroups(self)

    client = MoreClient("https://mautic.example.com")
    assert client.more_groups._client is client
    copy = client.with_options(timeout=3)
    assert copy.more_groups._client is copy
