"""The emulated database schema: entity specs and foreign keys, declared once.

Every table the API writes is described here; ``Store.delete`` applies the
``ON DELETE`` rules below generically (spec ``mautic-points-api.md`` section 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ._entities import INT_MAX, INT_MIN, ChildSpec, EntitySpec, FieldSpec

__all__ = [
    "CONTACTS",
    "CONTACT_FIELDS",
    "ENTITIES",
    "FOREIGN_KEYS",
    "INSIGHT",
    "POINT",
    "POINT_ACTION_TYPES",
    "POINT_GROUP",
    "SCORES",
    "TRIGGER",
    "TRIGGER_EVENT",
    "TRIGGER_EVENT_TYPES",
    "ForeignKey",
]

NAME_REQUIRED = "A name is required."
SCORES = "scores"
"""``point_group_contact_score``: ``Store.scores`` keyed by ``(contact, group)``."""
CONTACTS = "contacts"
CONTACT_FIELDS = "contactFields"
"""Custom contact fields (``lead_fields``): rows ``alias, type, isPublished``."""


@dataclass(frozen=True)
class ForeignKey:
    """``<table>.<column>`` references ``<references>.id`` with an ``ON DELETE`` rule."""

    table: str
    column: str
    references: str
    on_delete: Literal["cascade", "set_null"]


POINT_ACTION_TYPES = {
    "asset.download": "Downloads an asset",
    "email.open": "Opens an email",
    "email.send": "Is sent an email",
    "form.submit": "Submits a form",
    "page.hit": "Visits a landing page",
    "url.hit": "Visits specific URL",
}
"""``GET /api/points/actions/types``. The real list depends on the installed bundles
and plugins (spec 2.3); the emulator ships the core bundles' point actions."""

TRIGGER_EVENT_TYPES = {
    "campaign.changecampaign": "Modify contact's campaigns",
    "email.send": "Send an email",
    "email.send_to_user": "Send an email to user",
    "lead.changelists": "Modify contact's segments",
    "lead.changetags": "Modify contact's tags",
    "lead.scorecontactscompanies": "Add to company's score",
    "plugin.leadpush": "Push contact to integration",
}
"""``GET /api/points/triggers/events/types`` (installation-dependent; core bundles).
Event types are not validated against this list when a trigger is saved (spec 3.3)."""

POINT_GROUP = EntitySpec(
    one="pointGroup",
    multi="pointGroups",
    path="/points/groups",
    alias="pl",
    fields=(
        FieldSpec("name", "string", required=True, required_message=NAME_REQUIRED, default=""),
        FieldSpec("description", "text", default=""),
    ),
)
"""``Mautic\\PointBundle\\Entity\\Group`` as exposed by ``PointGroupsApiController``."""

POINT = EntitySpec(
    one="point",
    multi="points",
    path="/points",
    alias="p",
    fields=(
        FieldSpec("name", "string", required=True, required_message=NAME_REQUIRED),
        FieldSpec("category", "category"),
        FieldSpec(
            "type",
            "choice",
            required=True,
            required_message="A point action must be selected.",
            choices=tuple(POINT_ACTION_TYPES),
            max_length=50,
        ),
        FieldSpec("description", "text"),
        FieldSpec("publishUp", "datetime", detail=True),
        FieldSpec("publishDown", "datetime", detail=True),
        FieldSpec("delta", "int", default=0, empty=0, int_range=(INT_MIN, INT_MAX), detail=True),
        FieldSpec("properties", "json", default={}, empty={}, bind_on_create=False, detail=True),
        FieldSpec("repeatable", "bool", default=False, empty=False, detail=True),
        FieldSpec("group", "ref", references="pointGroups", on_delete="cascade", serialized=False),
    ),
)
"""``Mautic\\PointBundle\\Entity\\Point`` (``PointApiController``, spec section 2).

Emulator readings: ``group`` is written (a point-group id; unknown id: 400) but never
serialized; ``properties`` is ignored on create (the form lacks the field while the
type is unknown) and stored verbatim on edit. UNVERIFIED choices: a PUT without
``properties`` on an existing point stores ``[]``; a PUT without ``delta`` stores 0;
a ``delta`` with a fraction is rounded half up (``scale 0``); the ``type`` of an
invalid choice gets "This value is not valid.". Search matches ``name`` only (Mautic
also matches ``description``). ``minimal=1`` lists leave out the detail fields.
"""

TRIGGER_EVENT = ChildSpec(
    name="events",
    table="triggerEvents",
    parent_key="trigger",
    fields=(
        FieldSpec("name", "string", not_null=True),
        FieldSpec("description", "text"),
        FieldSpec("type", "string", not_null=True, max_length=50),
        FieldSpec("properties", "json", default={}),
    ),
)
"""``TriggerEvent``: ``id, name, description, type, order, properties``.

UNVERIFIED choices: a new event without ``name`` or ``type`` violates the NOT NULL
column (500, after the trigger itself was saved); values are stored as sent (no
cleaning, ``setName`` etc. are called raw).
"""

TRIGGER = EntitySpec(
    one="trigger",
    multi="triggers",
    path="/points/triggers",
    alias="t",
    fields=(
        FieldSpec("name", "string", required=True, required_message=NAME_REQUIRED),
        FieldSpec("category", "category"),
        FieldSpec("description", "text"),
        FieldSpec("publishUp", "datetime", detail=True),
        FieldSpec("publishDown", "datetime", detail=True),
        FieldSpec("points", "int", default=0, empty=0, detail=True),
        FieldSpec("color", "string", default="a0acb8", empty="a0acb8", max_length=7, detail=True),
        FieldSpec("triggerExistingLeads", "bool", default=False, empty=False, detail=True),
        FieldSpec(
            "group",
            "ref",
            references="pointGroups",
            on_delete="cascade",
            serialized=False,
            clear_fails=True,
        ),
    ),
    children=(TRIGGER_EVENT,),
    child_after="color",
)
"""``Mautic\\PointBundle\\Entity\\Trigger`` (``TriggerApiController``, spec section 3).

Emulator readings: ``events`` is a JSON list; ``group`` is written but never
serialized. UNVERIFIED choices: ``points`` comes back as an int; a ``color`` longer
than 7 characters is a 500 (MySQL); a PUT that clears the ``group`` of a trigger that
has one is a 500 (``setGroup(Group $group)`` is not nullable); triggers are not run
when scores change (events never fire, so no fired event is ever deleted).
"""

INSIGHT = EntitySpec(
    one="insight",
    multi="insights",
    path="/points/insights",
    alias="pi",
    fields=(
        FieldSpec(
            "name",
            "string",
            required=True,
            required_message=NAME_REQUIRED,
            default="",
            max_length=191,
        ),
        FieldSpec("category", "category"),
        FieldSpec("description", "text"),
        FieldSpec(
            "insightType",
            "choice",
            required=True,
            required_message="An insight type is required.",
            choices=("compare_point_groups",),
            default="compare_point_groups",
            detail=True,
        ),
        FieldSpec(
            "insightAction",
            "choice",
            required=True,
            required_message="An insight action is required.",
            choices=("set_custom_field",),
            default="set_custom_field",
            detail=True,
        ),
        FieldSpec("customField", "choice", choices="contactTextFields", detail=True),
        FieldSpec(
            "pointGroups", "refs", references="pointGroups", default=[], empty=[], detail=True
        ),
    ),
    publish_details=False,
)
"""``PointInsight`` (Mautic 7, ``PointInsightApiController``, spec section 5).

No publish fields are serialized (``isPublished`` is kept: only active insights run);
the list carries the detail fields too. ``customField`` must be a published text
contact field, ``pointGroups`` a JSON list of existing group ids (kept after a group
is deleted: a JSON column, no FK). UNVERIFIED choices: the NotBlank texts of
``insightType``/``insightAction`` ("An insight type is required.", "An insight action
is required."), and "This value is not valid." for every invalid choice.
"""

ENTITIES = (POINT_GROUP, POINT, TRIGGER, INSIGHT)


def _foreign_keys() -> tuple[ForeignKey, ...]:
    keys = [
        ForeignKey(spec.multi, f.name, f.references, f.on_delete)
        for spec in ENTITIES
        for f in spec.fields
        if f.kind == "ref" and f.references is not None and f.on_delete is not None
    ]
    keys += [
        ForeignKey(child.table, child.parent_key, spec.multi, "cascade")
        for spec in ENTITIES
        for child in spec.children
    ]
    keys += [
        ForeignKey(SCORES, "contact", CONTACTS, "cascade"),
        ForeignKey(SCORES, "group", POINT_GROUP.multi, "cascade"),
    ]
    return tuple(keys)


FOREIGN_KEYS = _foreign_keys()
"""Every ``ON DELETE`` rule, from the specs above plus the score table (spec 6):
points and triggers go with their group, trigger events with their trigger, scores
with their contact or group. Insights keep deleted group ids (JSON, no FK); the
points change log and action logs are not emulated. Categories do not exist in the
emulator, so their ``SET NULL`` rules never apply."""
