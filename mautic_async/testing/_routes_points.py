"""Point actions: ``/api/points`` CRUD and ``/api/points/actions/types`` (spec section 2)."""

from __future__ import annotations

from aiohttp import web

from ._context import respond
from ._crud import add_crud_routes
from ._schema import POINT, POINT_ACTION_TYPES

__all__ = ["setup_point_routes"]


async def action_types(request: web.Request) -> web.Response:
    """``GET /api/points/actions/types``: ``{"pointActionTypes": {key: label}}``."""
    return respond(request, {"pointActionTypes": dict(POINT_ACTION_TYPES)})


def setup_point_routes(router: web.UrlDispatcher) -> None:
    """Register the point-action routes."""
    router.add_route("GET", "/api/points/actions/types", action_types)
    add_crud_routes(router, POINT)
