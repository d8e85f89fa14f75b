"""Probes: credentials cannot reach the wire around ``auth=`` (which the plain-http
refusal and the masking cover), and no header can smuggle in another."""

from __future__ import annotations

import pytest
from aiohttp import web
from integration._hostile import serve

from mautic_async import BasicAuth, MauticClient


@pytest.mark.parametrize("name", ["Authorization", "authorization", "AUTHORIZATION "])
def test_client_headers_may_not_carry_authorization(name: str) -> None:
    # Over plain http to a remote host this would send a credential in clear text,
    # past the check that refuses auth= there.
    with pytest.raises(ValueError, match="headers may not set") as caught:
        MauticClient("http://mautic.example.com", headers={name: "Basic YWRtaW46cGFzcw=="})
    assert "YWRtaW46cGFzcw" not in str(caught.value)


@pytest.mark.parametrize("where", ["client", "call"])
@pytest.mark.parametrize("header", [("X-A", "v\r\nAuthorization: Basic eA=="), ("X-B\n", "v")])
async def test_a_header_with_a_line_break_is_refused_before_sending(
    where: str, header: tuple[str, str]
) -> None:
    received: list[str] = []

    async def record(request: web.Request) -> web.Response:
        received.append(request.path)
        return web.json_response({"total": 0, "pointGroups": []})

    extra = dict([header])

    async def call(url: str) -> None:
        client_headers = extra if where == "client" else None
        auth = BasicAuth("admin", "pass1234")
        async with MauticClient(url, auth=auth, headers=client_headers) as mautic:
            await mautic.point_groups.list(extra_headers=extra)

    async with serve(record) as url:
        with pytest.raises(ValueError, match="line break"):
            await call(url)
    assert received == []
