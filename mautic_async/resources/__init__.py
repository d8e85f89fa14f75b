"""Mautic resources: thin classes that describe requests; the client does the I/O."""

from ._base import Resource
from .contacts import ContactPointGroupScores, Contacts
from .point_groups import PointGroups

__all__ = ["ContactPointGroupScores", "Contacts", "PointGroups", "Resource"]
