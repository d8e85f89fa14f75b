"""Point actions: ``/api/points`` (mautic-points-api.md section 2)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from .._protocol import APIRequest, new_request, parse_labels
from .._response import to_raw
from ..models_points import Point, PointData, PointFields
from ._base import Headers, Query, Resource, ResourceWithRawResponse, Timeout

__all__ = ["Points", "PointsWithRawResponse"]


def _action_types(request: APIRequest, payload: Any, _arg: Any) -> dict[str, str]:
    return parse_labels(request, payload, "pointActionTypes")


class Points(Resource[Point, PointData | PointFields]):
    """Point actions: what earns a contact points (a form submit, a page hit...), and
    in which point group.

    >>> point = await mautic.points.create(
    ...     {"name": "Pricing page", "type": "page.hit", "delta": 5, "group": group.id}
    ... )

    Writes take a :class:`~mautic_async.PointData` or a
    :class:`~mautic_async.PointFields` dict.

    Mautic's quirks, handled here:

    - ``group`` is accepted but never returned: the entity a write returns carries the
      group id sent; ``get``/``list`` show ``None``. Deleting the group deletes every
      point action in it (and its triggers and scores).
    - ``properties`` are dropped on create, so every create (also each item of
      ``create_batch``, and a ``replace`` that creates) is followed by a PATCH that
      sends them again. If it fails, :class:`~mautic_async.CreatedWithoutFieldsError`
      gives the id of the point created without them.
    - ``publish_up``/``publish_down`` are sent as ``YYYY-MM-DD HH:MM`` and come back
      as ISO 8601.
    """

    endpoint = "points"
    item_key = "point"
    list_key = "points"
    model = Point
    data_class = PointData
    required_fields = ("name", "type")
    write_only = ("group",)
    resend_after_create = ("properties",)

    @cached_property
    def with_raw_response(self) -> PointsWithRawResponse:
        """The one-request methods, returning :class:`~mautic_async.APIResponse`."""
        return PointsWithRawResponse(self)

    async def action_types(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | None = None,
    ) -> dict[str, str]:
        """The point action types this Mautic knows, ``{key: label}``
        (``GET /api/points/actions/types``); a point's ``type`` must be one of the keys."""
        request = new_request("GET", self._path("actions", "types"))
        types: dict[str, str] = await self._send(
            request, _action_types, None, extra_headers, extra_query, timeout
        )
        return types


class PointsWithRawResponse(ResourceWithRawResponse[Point, PointData | PointFields]):
    """``mautic.points.with_raw_response``: the standard methods and ``action_types``."""

    def __init__(self, resource: Points) -> None:
        super().__init__(resource)
        twin: Points = self._twin
        self.action_types = to_raw(twin.action_types)
