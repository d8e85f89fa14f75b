"""Mautic resources: thin classes that describe requests; the client does the I/O."""

from ._base import Resource, ResourceWithRawResponse
from .contacts import ContactPointGroupScores, ContactPointGroupScoresWithRawResponse, Contacts
from .point_groups import PointGroups

__all__ = [
    "ContactPointGroupScores",
    "ContactPointGroupScoresWithRawResponse",
    "Contacts",
    "PointGroups",
    "Resource",
    "ResourceWithRawResponse",
]
