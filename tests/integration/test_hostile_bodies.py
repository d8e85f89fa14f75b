"""Oversized and undecodable answers become typed errors, over real HTTP.

A body over ``max_response_size`` is refused while it streams in (or up front from
its Content-Length), never read whole; a body that cannot be decoded (100,000 ``[``,
JSON nested just below the decoder's limit, truncated JSON) is an
UnexpectedResponseError carrying the status and a snippet, on any status and from the
token endpoint too; never a bare RecursionError.
"""

from __future__ import annotations

import asyncio
import gzip
import json

import pytest
from aiohttp import web

from mautic_async import (
    BasicAuth,
    MauticClient,
    OAuth2ClientCredentials,
    ResponseTooLargeError,
    UnexpectedResponseError,
)
from mautic_async.client import DEFAULT_MAX_RESPONSE_SIZE
from mautic_async.testing import MauticEmulator

from ._hostile import group, serve
from .conftest import CLIENT_ID, CLIENT_SECRET, PASSWORD, USER, FakeSleep

LIMIT = 64 * 1024


def big_page(size: int) -> bytes:
    """A valid list answer of about ``size`` bytes."""
    filler = "x" * max(0, size - 200)
    return json.dumps({"total": 1, "pointGroups": [{**group(1), "description": filler}]}).encode()


class Streamer:
    """Streams a body without Content-Length, in 64 KiB chunks, up to ``cap`` bytes;
    records how much it managed to send before the client hung up."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.sent = 0
        self.done = asyncio.Event()

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        chunk = b"[" + b" " * (64 * 1024 - 1)
        try:
            while self.sent < self.cap:
                await response.write(chunk)
                self.sent += len(chunk)
            await response.write_eof()
        except (ConnectionError, RuntimeError):
            pass
        finally:
            self.done.set()
        return response


async def test_the_default_limit_is_32_mib() -> None:
    assert DEFAULT_MAX_RESPONSE_SIZE == 32 * 1024 * 1024
    mautic = MauticClient("https://mautic.example.com")
    assert mautic.max_response_size == DEFAULT_MAX_RESPONSE_SIZE


@pytest.mark.parametrize(("value", "error"), [(0, ValueError), (True, TypeError), ("1", TypeError)])
def test_the_limit_must_be_a_positive_int(value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="max_response_size"):
        MauticClient("https://mautic.example.com", max_response_size=value)  # type: ignore[arg-type]


async def test_a_body_whose_length_is_over_the_limit_is_refused_up_front() -> None:
    async def handle(_request: web.Request) -> web.Response:
        return web.Response(body=big_page(LIMIT * 4), content_type="application/json")

    async with (
        serve(handle) as url,
        MauticClient(url, auth=BasicAuth(USER, PASSWORD), max_response_size=LIMIT) as mautic,
    ):
        with pytest.raises(ResponseTooLargeError) as caught:
            await mautic.point_groups.list()
        # The connection was dropped, not left half-read: the next call works.
        assert isinstance(caught.value, UnexpectedResponseError)
    exc = caught.value
    assert exc.limit == LIMIT
    assert exc.status == 200
    assert str(LIMIT) in str(exc)
    assert "/api/points/groups" in str(exc)


async def test_a_streamed_body_is_cut_off_at_the_limit_not_read_whole() -> None:
    cap = 256 * 1024 * 1024  # what a naive client would buffer
    streamer = Streamer(cap)
    async with (
        serve(streamer) as url,
        MauticClient(url, auth=BasicAuth(USER, PASSWORD), max_response_size=LIMIT) as mautic,
    ):
        with pytest.raises(ResponseTooLargeError) as caught:
            await mautic.point_groups.list()
        await asyncio.wait_for(streamer.done.wait(), 5)
    assert caught.value.limit == LIMIT
    assert streamer.sent < cap // 8  # the client hung up long before the end


async def test_a_compressed_body_is_limited_by_its_decompressed_size() -> None:
    bomb = gzip.compress(big_page(LIMIT * 8))  # small on the wire, large unpacked
    assert len(bomb) < LIMIT

    async def handle(_request: web.Request) -> web.Response:
        return web.Response(
            body=bomb, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
        )

    async with (
        serve(handle) as url,
        MauticClient(url, auth=BasicAuth(USER, PASSWORD), max_response_size=LIMIT) as mautic,
    ):
        with pytest.raises(ResponseTooLargeError):
            await mautic.point_groups.list()


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_body_within_the_limit_is_read_whole(chunked: bool) -> None:
    body = big_page(LIMIT)
    assert len(body) <= LIMIT

    async def handle(request: web.Request) -> web.StreamResponse:
        if not chunked:
            return web.Response(body=body, content_type="application/json")
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        for start in range(0, len(body), 1000):
            await response.write(body[start : start + 1000])
        await response.write_eof()
        return response

    async with (
        serve(handle) as url,
        MauticClient(url, auth=BasicAuth(USER, PASSWORD), max_response_size=len(body)) as mautic,
    ):
        page = await mautic.point_groups.list()
    assert page.items[0].id == 1


async def test_the_token_endpoint_is_limited_too() -> None:
    async def handle(request: web.Request) -> web.Response:
        assert request.path == "/oauth/v2/token"
        return web.Response(body=b'{"access_token": "' + b"t" * LIMIT * 2 + b'"}')

    async with (
        serve(handle) as url,
        MauticClient(
            url, auth=OAuth2ClientCredentials("1_id", "s3cret-B"), max_response_size=LIMIT
        ) as mautic,
    ):
        with pytest.raises(ResponseTooLargeError) as caught:
            await mautic.point_groups.get(1)
    assert caught.value.path == "/oauth/v2/token"


# -- undecodable bodies -------------------------------------------------------------------

DEEP = "[" * 100_000
#: Deep enough to exhaust Python's stack in str()/json.dumps(), shallow enough that
#: orjson (limit 1024) decodes it.
JUST_DECODABLE = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize("status", [200, 201, 400, 401, 404, 500, 503])
async def test_deeply_nested_json_is_an_unexpected_response(
    mautic: MauticClient, emulator: MauticEmulator, status: int
) -> None:
    emulator.faults.add("GET", "/api/points/groups/1", status=status, body=DEEP, times=None)
    with pytest.raises(UnexpectedResponseError) as caught:
        await mautic.point_groups.get(1)
    exc = caught.value
    assert exc.status == status
    assert exc.body_snippet.startswith("[[[[")
    assert len(exc.body_snippet) <= 200
    assert str(status) in str(exc)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, '{"pointGroup": ' + JUST_DECODABLE + "}"),
        (200, '{"total": ' + JUST_DECODABLE + ', "pointGroups": []}'),
        (400, '{"errors": [' + JUST_DECODABLE + "]}"),
        (500, '{"errors": {"0": ' + JUST_DECODABLE + "}}"),
        (400, '{"errors": [{"message": "m", "code": 400, "details": ' + JUST_DECODABLE + "}]}"),
    ],
)
async def test_json_nested_just_below_the_decoder_limit_is_a_typed_error(
    mautic: MauticClient, emulator: MauticEmulator, status: int, body: str
) -> None:
    emulator.faults.add("*", "/api/points/groups*", status=status, body=body, times=None)
    call = mautic.point_groups.list() if '"total"' in body else mautic.point_groups.get(1)
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the type is what is checked
        await call
    exc = caught.value
    assert not isinstance(exc, RecursionError)
    if status >= 400:
        assert getattr(exc, "status", None) == status  # the status error class, readable
    else:
        assert isinstance(exc, UnexpectedResponseError)


@pytest.mark.parametrize("status", [200, 400, 503])
async def test_an_undecodable_token_answer_is_an_unexpected_response(
    emulator: MauticEmulator, status: int
) -> None:
    emulator.faults.add("POST", "/oauth/v2/token", status=status, body=DEEP, times=None)
    async with MauticClient(
        emulator.url, auth=OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET), sleep=FakeSleep()
    ) as mautic:
        with pytest.raises(UnexpectedResponseError) as caught:
            await mautic.point_groups.get(1)
    assert caught.value.status == status
    assert caught.value.path == "/oauth/v2/token"


async def test_a_proxy_error_page_keeps_its_status_class(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    # Not JSON at all (an HTML 502 page): still a retryable ServerError, not "unreadable".
    from mautic_async import ServerError

    emulator.faults.add("GET", "/api/points/groups/1", status=502, html=True, times=None)
    with pytest.raises(ServerError):
        await mautic.point_groups.get(1)
