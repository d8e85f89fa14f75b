"""A raw TCP server on 127.0.0.1 (port 0) for answers aiohttp.web cannot send:
malformed status or header lines, bodies that never end, resets mid-body."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

Handler = Callable[[bytes, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def raw_serve(handler: Handler) -> AsyncIterator[str]:
    """Read each request's head, then let ``handler(head, writer)`` answer; yield the
    base URL."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            head = await reader.readuntil(b"\r\n\r\n")
            await handler(head, writer)
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 1)


def header(head: bytes, name: bytes) -> bytes:
    """The value of header ``name`` in a request head (b"" if absent)."""
    for line in head.split(b"\r\n"):
        key, _, value = line.partition(b":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return b""
