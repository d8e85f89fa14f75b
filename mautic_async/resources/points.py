"""Point actions: ``/api/points`` (mautic-points-api.md section 2)."""

from __future__ import annotations

from .._protocol import APIRequest, parse_labels
from ..models_points import Point, PointData
from ._base import Resource

__all__ = ["Points"]


class Points(Resource[Point, PointData]):
    """Point actions: what earns a contact points (a form submit, a page hit...), and
    in which point group.

    >>> point = await mautic.points.create(
    ...     {"name": "Pricing page", "type": "page.hit", "delta": 5, "group": group.id}
    ... )

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

    async def action_types(self) -> dict[str, str]:
        """The point action types this Mautic knows, ``{key: label}``
        (``GET /api/points/actions/types``); a point's ``type`` must be one of the keys."""
        request = APIRequest("GET", self._path("actions", "types"))
        return parse_labels(request, await self._request(request), "pointActionTypes")
