"""Per-call options and raw responses, on the request side (aioresponses)."""

from __future__ import annotations

from typing import Any

import pytest
from aioresponses import aioresponses

from mautic_async import MauticClient

from .conftest import GROUPS, calls, group_json, url_re


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ([("X-A", "1")], "extra_headers must be a mapping, not list"),
        ({"X-A": 1}, "extra_headers: 'X-A' must map a str to a str"),
    ],
)
async def test_extra_headers_must_be_a_mapping_of_str(
    client: MauticClient, mock_http: aioresponses, headers: Any, error: str
) -> None:
    with pytest.raises(TypeError, match=error):
        await client.point_groups.get(1, extra_headers=headers)
    assert mock_http.requests == {}


async def test_extra_query_must_be_a_mapping(client: MauticClient, mock_http: aioresponses) -> None:
    with pytest.raises(TypeError, match="extra_query must be a mapping, not str"):
        await client.point_groups.get(1, extra_query="a=b")  # type: ignore[arg-type]
    assert mock_http.requests == {}


async def test_extra_query_values_use_php_brackets(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.get(url_re("points/groups/1"), payload={"pointGroup": group_json()})
    await client.point_groups.get(1, extra_query={"flag": True, "f": {"a": 1}})
    (call,) = calls(mock_http)
    assert (call.path, dict(call.query)) == ("/api/points/groups/1", {"flag": "1", "f[a]": "1"})


async def test_a_bound_copy_still_shows_the_client(client: MauticClient) -> None:
    bound = client.point_groups._bind({"X-A": "1"}, None, None)
    assert bound is not client.point_groups
    assert bound._client.base_url == client.base_url
    assert client.point_groups._bind(None, None, None) is client.point_groups


async def test_a_raw_response_parses_once(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(f"{GROUPS}/1", payload={"pointGroup": group_json()}, headers={"X-A": "b"})
    response = await client.point_groups.with_raw_response.get(1)
    assert (response.status, response.headers["x-a"], response.url) == (200, "b", f"{GROUPS}/1")
    assert response.parse() is response.parse()
    assert response.parse().name == "Group A"
