"""Mautic resources: thin classes that describe requests; the client does the I/O."""

from ._base import Resource, ResourceWithRawResponse
from .contacts import ContactPointGroupScores, ContactPointGroupScoresWithRawResponse, Contacts
from .point_groups import PointGroups
from .point_insights import PointInsights
from .point_triggers import PointTriggers
from .points import Points

__all__ = [
    "ContactPointGroupScores",
    "ContactPointGroupScoresWithRawResponse",
    "Contacts",
    "PointGroups",
    "PointInsights",
    "PointTriggers",
    "Points",
    "Resource",
    "ResourceWithRawResponse",
]
