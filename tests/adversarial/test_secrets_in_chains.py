"""Probes: credentials never surface through the exceptions a request chains, nor
through a malformed answer that quotes them as raw bytes (real HTTP, 127.0.0.1)."""

from __future__ import annotations

import asyncio
import base64
import traceback

import pytest

from mautic_async import APIConnectionError, BasicAuth, MauticClient

from ._raw import Handler, header, raw_serve

PASSWORD = "pässwörd-S3CRET/+"
BASIC = base64.b64encode(f"admin:{PASSWORD}".encode()).decode()
FORMS = [PASSWORD, BASIC, repr(PASSWORD.encode())[2:-1], PASSWORD.encode().hex()]


def every_text(exc: BaseException | None, depth: int = 0) -> list[str]:
    """What any inspection of ``exc`` and its chain can show."""
    if exc is None or depth > 8:
        return []
    texts = [str(exc), repr(exc), repr(exc.args), repr(vars(exc))]
    texts.append("".join(traceback.format_exception(exc)))
    for linked in (exc.__cause__, exc.__context__):
        texts += every_text(linked, depth + 1)
    return texts


async def bad_header_echo(head: bytes, writer: asyncio.StreamWriter) -> None:
    # A header line without a colon, quoting the request's Authorization and the
    # password: aiohttp's parser refuses it and quotes the line as bytes.
    line = b"Echo " + header(head, b"authorization") + b" " + PASSWORD.encode()
    writer.write(b"HTTP/1.1 200 OK\r\n" + line + b"\r\nContent-Length: 2\r\n\r\n{}")
    await writer.drain()


async def bad_status_line(head: bytes, writer: asyncio.StreamWriter) -> None:
    writer.write(b"NOT-HTTP\r\n\r\n")
    await writer.drain()


@pytest.mark.parametrize("answer", [bad_header_echo, bad_status_line])
async def test_a_malformed_answer_leaks_no_credential_through_the_error_chain(
    answer: Handler,
) -> None:
    async with (
        raw_serve(answer) as url,
        MauticClient(url, auth=BasicAuth("admin", PASSWORD), max_retries=0) as mautic,
    ):
        with pytest.raises(APIConnectionError) as caught:
            await mautic.point_groups.get(1)
    assert "the connection failed" in str(caught.value)
    for text in every_text(caught.value):
        for form in FORMS:
            assert form not in text, f"{form!r} leaked: {text[:300]!r}"


@pytest.mark.parametrize("padding", [" ", "\n", "\t"])
async def test_a_credential_cut_by_the_snippet_limit_leaves_no_prefix(padding: str) -> None:
    """Whitespace before the credential is collapsed in the snippet; the part of the
    credential that fell inside what was read must not come forward with it."""
    from aiohttp import web
    from integration._hostile import serve

    from mautic_async import ServerError
    from mautic_async.errors import SNIPPET_LENGTH

    async def padded_echo(request: web.Request) -> web.Response:
        read = SNIPPET_LENGTH * 2 + 2048  # what an error reads of a body
        return web.Response(text=padding * (read - 6) + PASSWORD + "!" * 5000, status=500)

    async with (
        serve(padded_echo) as url,
        MauticClient(url, auth=BasicAuth("admin", PASSWORD), max_retries=0) as mautic,
    ):
        with pytest.raises(ServerError) as caught:
            await mautic.point_groups.get(1)
    for text in [*every_text(caught.value), caught.value.body_snippet]:
        assert PASSWORD[:5] not in text  # the 6 bytes read are "pässw"
