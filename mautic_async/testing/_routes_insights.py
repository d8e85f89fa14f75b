"""Point Insights (Mautic 7): ``/api/points/insights`` CRUD and their evaluation (spec 5)."""

from __future__ import annotations

from aiohttp import web

from ._crud import add_crud_routes
from ._schema import CONTACT_FIELDS, INSIGHT, POINT_GROUP
from ._state import Store

__all__ = ["CORE_TEXT_FIELDS", "evaluate_insights", "setup_insight_routes"]

CORE_TEXT_FIELDS = ("firstname", "lastname", "company")
"""Core contact fields of type ``text`` an insight may write to."""


def evaluate_insights(store: Store, contact_id: int, group_id: int, now: int) -> None:
    """``InsightModel::executePointInsights`` after a contact's score in a group changed.

    Follows the newest Mautic 7 code (spec 5.3), synchronously:

    * only active insights of type ``compare_point_groups`` / action
      ``set_custom_field`` whose ``pointGroups`` lists the changed group run;
    * an insight without groups or without a custom field is skipped;
    * its groups that still exist are ranked by the contact's score (no score counts
      as 0), highest first, lowest group id first among equals;
    * no group left: skipped; a top score of exactly 0: nothing is written (a negative
      top score is written);
    * a tie at the top keeps a non-empty field value as it is, and otherwise writes
      the lowest-id group among the tied;
    * the value written is ``"<groupId> (<groupName>)"``, e.g. ``"47 (Umbrellas)"``;
      the contact is saved once (``dateModified`` moves when a value changed).

    The field may be a published custom text field or a core text field
    (``firstname``, ``lastname``, ``company``). Emulator choice: a custom field that
    no longer exists as a published contact field is not written.
    """
    contact = store.contacts.rows.get(contact_id)
    if contact is None:
        return
    groups = store.table(POINT_GROUP.multi).rows
    custom = {row["alias"] for row in store.table(CONTACT_FIELDS) if row["isPublished"]}
    values: dict[str, str | None] = dict(contact.get("custom") or {})
    values.update({name: contact.get(name) for name in CORE_TEXT_FIELDS})
    changed = False
    for insight in store.table(INSIGHT.multi):
        if not (
            insight["isPublished"]
            and insight["insightType"] == "compare_point_groups"
            and insight["insightAction"] == "set_custom_field"
            and group_id in insight["pointGroups"]
        ):
            continue
        alias = insight["customField"]
        if not insight["pointGroups"] or not alias or alias not in custom | set(CORE_TEXT_FIELDS):
            continue
        ranked = sorted(
            (
                (store.scores.get((contact_id, gid), 0), gid)
                for gid in insight["pointGroups"]
                if gid in groups
            ),
            key=lambda pair: (-pair[0], pair[1]),
        )
        if not ranked or ranked[0][0] == 0:
            continue
        if len(ranked) > 1 and ranked[1][0] == ranked[0][0] and values.get(alias):
            continue
        winner = ranked[0][1]
        value = f"{winner} ({groups[winner]['name']})"
        if values.get(alias) != value:
            values[alias] = value
            changed = True
    if changed:
        core = {name: values.pop(name) for name in CORE_TEXT_FIELDS}
        store.contacts.rows[contact_id] = {
            **contact,
            **core,
            "custom": values,
            "dateModified": now,
        }


def setup_insight_routes(router: web.UrlDispatcher) -> None:
    """Register the insight routes (only for Mautic 7 and later)."""
    add_crud_routes(router, INSIGHT)
