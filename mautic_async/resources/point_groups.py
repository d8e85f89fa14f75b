"""Point groups: ``/api/points/groups`` (Mautic 5.1+)."""

from __future__ import annotations

from ..models import PointGroup, PointGroupData, PointGroupFields
from ._base import Resource

__all__ = ["PointGroups"]


class PointGroups(Resource[PointGroup, PointGroupData | PointGroupFields]):
    """Point groups: buckets of contact points, scored separately from the main points.

    Writes take a :class:`~mautic_async.PointGroupData` or a
    :class:`~mautic_async.PointGroupFields` dict.

    >>> group = await mautic.point_groups.create({"name": "Group A", "is_published": True})
    >>> page = await mautic.point_groups.list(search="Group", published_only=True)

    Mautic lists point groups as a JSON array (most other entities come id-keyed);
    names need not be unique.
    """

    endpoint = "points/groups"
    item_key = "pointGroup"
    list_key = "pointGroups"
    model = PointGroup
    data_class = PointGroupData
    required_fields = ("name",)
    #: The entity's columns (mautic-api.md §1.3); snake_case names are accepted too.
    order_by_fields = frozenset(
        {
            "id",
            "name",
            "description",
            "isPublished",
            "dateAdded",
            "createdBy",
            "createdByUser",
            "dateModified",
            "modifiedBy",
            "modifiedByUser",
            "checkedOut",
            "checkedOutBy",
            "checkedOutByUser",
        }
    )
