"""Fields every published Mautic entity shares, declared once.

Mautic's ``publishDetails`` serializer group adds the same seven keys to every entity
that has it (point groups, points, triggers...). Response models inherit them from
:class:`PublishDetails`. They are keyword-only, so a subclass's own fields keep their
positions (``PointGroup(5, "A")``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

__all__ = ["PublishDetails", "publish_details_last"]


@attrs.frozen
class PublishDetails:
    """``isPublished`` and who created and last changed the entity, and when.

    ``created_by`` is ``None`` and ``created_by_user`` reads ``"<Client> [<id>]"`` for
    entities made with an OAuth2 client-credentials token.
    """

    is_published: bool | None = attrs.field(default=None, kw_only=True)
    date_added: datetime | None = attrs.field(default=None, kw_only=True)
    date_modified: datetime | None = attrs.field(default=None, kw_only=True)
    created_by: int | None = attrs.field(default=None, kw_only=True)
    created_by_user: str | None = attrs.field(default=None, kw_only=True)
    modified_by: int | None = attrs.field(default=None, kw_only=True)
    modified_by_user: str | None = attrs.field(default=None, kw_only=True)


_NAMES = frozenset(a.name for a in attrs.fields(PublishDetails))


def publish_details_last(
    _cls: type[Any], fields: list[attrs.Attribute[Any]]
) -> list[attrs.Attribute[Any]]:
    """attrs ``field_transformer``: the inherited publish fields after the entity's own."""
    return [f for f in fields if f.name not in _NAMES] + [f for f in fields if f.name in _NAMES]
