"""Point Insights: ``/api/points/insights`` (Mautic 7; mautic-points-api.md section 5)."""

from __future__ import annotations

from ..models_points import PointInsight, PointInsightData, PointInsightFields
from ._base import Resource

__all__ = ["PointInsights"]


class PointInsights(Resource[PointInsight, PointInsightData | PointInsightFields]):
    """Point Insights: write each contact's strongest point group into a text field.

    >>> insight = await mautic.point_insights.create(
    ...     {"name": "Main interest", "custom_field": "main_interest", "point_groups": [1, 2]}
    ... )

    Mautic evaluates an insight whenever a contact's score changes in one of its
    groups (not when the insight is saved): the highest score wins, ties keep the
    value already there (or take the lowest group id), a top score of 0 writes
    nothing. The value is ``"<group id> (<group name>)"``.

    Mautic 7 only: a 5.x server answers with its catch-all 404, raised as
    :class:`~mautic_async.EndpointUnavailableError` (a ``NotFoundError``) saying the
    server needs Mautic 7. Insights carry no publish fields (no ``isPublished``, no
    dates).
    """

    endpoint = "points/insights"
    item_key = "insight"
    list_key = "insights"
    model = PointInsight
    data_class = PointInsightData
    required_fields = ("name",)
    since_version = "7.0"
