"""A small hostile server for the tests that need one: a real aiohttp app on
127.0.0.1, port 0, answering however the test's handler likes."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@contextlib.asynccontextmanager
async def serve(handler: Handler) -> AsyncIterator[str]:
    """Serve every method and path with ``handler``; yield the base URL."""

    async def handle(request: web.Request) -> web.StreamResponse:
        return await handler(request)  # any callable, not only a coroutine function

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def group(group_id: int) -> dict[str, object]:
    """A point group as Mautic lists it."""
    return {
        "id": group_id,
        "name": f"G{group_id}",
        "isPublished": True,
        "description": None,
        "dateAdded": "2024-10-24T15:54:35+00:00",
    }
