"""The cattrs converter and Mautic's loose types (mautic-api.md sections 1.4, 2, 3)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from mautic_async import (
    UNSET,
    Contact,
    ErrorItem,
    GroupScore,
    PointGroup,
    PointGroupData,
    PointTrigger,
    ScoreGroup,
)
from mautic_async._converter import (
    StructureError,
    camel,
    converter,
    from_caller_mapping,
    register_verbatim,
    structure,
    wire_value,
)
from mautic_async.auth import TokenResponse

from .conftest import GROUP_ADDED, group_json, make_group

UTC = timezone.utc
CONTACT = {"id": 9, "points": 0, "dateAdded": "2024-10-24T15:54:35+00:00"}


@pytest.mark.parametrize(
    ("snake", "wire"),
    [
        ("id", "id"),
        ("is_published", "isPublished"),
        ("date_added", "dateAdded"),
        ("created_by_user", "createdByUser"),
    ],
)
def test_camel(snake: str, wire: str) -> None:
    assert camel(snake) == wire


def test_a_full_point_group_is_read_with_snake_case_fields() -> None:
    payload = group_json(
        dateModified="2024-10-25T08:00:00+00:00",
        modifiedBy=2,
        modifiedByUser="Editor",
        createdByUser="Admin User",
    )
    assert structure(payload, PointGroup) == PointGroup(
        id=1,
        name="Group A",
        description="First",
        is_published=True,
        date_added=datetime(2024, 10, 24, 15, 54, 35, tzinfo=UTC),
        date_modified=datetime(2024, 10, 25, 8, 0, tzinfo=UTC),
        created_by=1,
        created_by_user="Admin User",
        modified_by=2,
        modified_by_user="Editor",
    )


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("2024-10-24T15:54:35+00:00", datetime(2024, 10, 24, 15, 54, 35, tzinfo=UTC)),
        ("2024-10-24T15:54:35+02:00", datetime(2024, 10, 24, 13, 54, 35, tzinfo=UTC)),
        ("2024-10-24T01:00:00-05:30", datetime(2024, 10, 24, 6, 30, tzinfo=UTC)),
        ("2024-10-24T15:54:35Z", datetime(2024, 10, 24, 15, 54, 35, tzinfo=UTC)),
        ("2024-10-24T15:54:35z", datetime(2024, 10, 24, 15, 54, 35, tzinfo=UTC)),
        ("2024-10-24 15:54:35", datetime(2024, 10, 24, 15, 54, 35, tzinfo=UTC)),
        (
            "2024-10-24T15:54:35.250000+00:00",
            datetime(2024, 10, 24, 15, 54, 35, 250000, tzinfo=UTC),
        ),
        ("", None),
        (None, None),
    ],
)
def test_dates_become_aware_utc(wire: str | None, expected: datetime | None) -> None:
    value = structure(group_json(dateModified=wire), PointGroup).date_modified
    assert value == expected
    if value is not None:
        assert value.utcoffset() == timedelta(0)
        assert value.tzinfo is UTC


@pytest.mark.parametrize("wire", ["yesterday", "2024-13-40T00:00:00", 1729785275, ["2024"]])
def test_a_date_that_is_not_iso_8601_is_a_structure_error(wire: Any) -> None:
    with pytest.raises(StructureError) as caught:
        structure(group_json(dateModified=wire), PointGroup)
    assert str(caught.value) == (
        "cannot read PointGroup: invalid value for type, expected datetime.datetime | None"
        " @ $.dateModified"
    )


@pytest.mark.parametrize(
    ("wire", "message"),
    [
        (None, "key 'dateAdded' is null, which it may not be"),
        ("", "invalid value for type, expected datetime @ $.dateAdded"),
    ],
)
def test_an_always_sent_date_may_not_be_null_or_empty(wire: Any, message: str) -> None:
    with pytest.raises(StructureError) as caught:
        structure(group_json(dateAdded=wire), PointGroup)
    assert str(caught.value) == f"cannot read PointGroup: {message}"


@pytest.mark.parametrize(
    ("wire", "expected"), [(5, 5), ("5", 5), (" 12 ", 12), (3.0, 3), ("-4", -4)]
)
def test_ids_may_arrive_as_strings(wire: Any, expected: int) -> None:
    assert structure(group_json(id=wire), PointGroup).id == expected


@pytest.mark.parametrize("wire", ["abc", "1.5", 1.5, True, "", [1]])
def test_an_id_that_is_not_an_integer_is_a_structure_error(wire: Any) -> None:
    with pytest.raises(StructureError, match=r"expected int @ \$\.id$"):
        structure(group_json(id=wire), PointGroup)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("false", False),
    ],
)
def test_booleans_may_arrive_as_numbers_or_strings(wire: Any, expected: bool) -> None:
    assert structure(group_json(isPublished=wire), PointGroup).is_published is expected


@pytest.mark.parametrize("wire", [2, "maybe", [], {}])
def test_a_boolean_that_is_not_one_is_a_structure_error(wire: Any) -> None:
    with pytest.raises(StructureError, match=r"expected bool @ \$\.isPublished$"):
        structure(group_json(isPublished=wire), PointGroup)


def test_optional_keys_may_be_missing_or_null_and_unknown_keys_are_ignored() -> None:
    payload = {"id": 3, "name": "A", "isPublished": True, "dateAdded": "2024-10-24T15:54:35+00:00"}
    group = structure({**payload, "description": None, "brandNewField": {"x": 1}}, PointGroup)
    assert group == make_group(3, "A")
    assert structure(payload, PointGroup) == group


@pytest.mark.parametrize("key", ["id", "name", "isPublished", "dateAdded"])
def test_a_missing_always_sent_key_is_refused_naming_the_wire_key(key: str) -> None:
    payload = group_json()
    del payload[key]
    with pytest.raises(StructureError) as caught:
        structure(payload, PointGroup)
    assert str(caught.value) == f"cannot read PointGroup: required key {key!r} is missing"


@pytest.mark.parametrize("key", ["id", "name", "isPublished", "dateAdded"])
def test_null_for_an_always_sent_key_is_refused_never_read_as_none_or_text(key: str) -> None:
    # cattrs alone would read null as "None" for a plain str field.
    with pytest.raises(StructureError) as caught:
        structure(group_json(**{key: None}), PointGroup)
    assert str(caught.value) == f"cannot read PointGroup: key {key!r} is null, which it may not be"


def test_a_nested_missing_key_is_named_with_its_path() -> None:
    with pytest.raises(StructureError) as caught:
        structure({"score": 3, "group": {"name": "A"}}, GroupScore)
    assert str(caught.value) == "cannot read GroupScore: required key 'group.id' is missing"


def test_a_number_where_a_string_is_expected_is_read_as_text() -> None:
    assert structure(group_json(name=123), PointGroup).name == "123"


def test_a_non_object_entity_is_a_structure_error() -> None:
    with pytest.raises(StructureError) as caught:
        structure(["id", 1], PointGroup)
    assert str(caught.value) == (
        "cannot read PointGroup: expected an object for PointGroup, got ['id', 1]"
    )


@pytest.mark.parametrize(
    ("wire", "ids"),
    [
        ([group_json(id=1), group_json(id="2")], [1, 2]),
        ({"7": group_json(id=7), "3": group_json(id=3)}, [7, 3]),  # id-keyed: server's order
        ([], []),
        ({}, []),
    ],
)
def test_collections_may_be_lists_or_id_keyed_objects(wire: Any, ids: list[int]) -> None:
    assert [g.id for g in structure(wire, list[PointGroup])] == ids
    assert [g.id for g in structure(wire, tuple[PointGroup, ...])] == ids


def test_a_collection_that_is_neither_is_a_structure_error() -> None:
    with pytest.raises(StructureError, match="expected a list, got str"):
        structure("1,2", list[PointGroup])


def test_group_score_from_the_score_endpoints() -> None:
    # The score endpoints drop nulls: no description key at all.
    score = structure({"score": "16", "group": {"id": 1, "name": "Group A"}}, GroupScore)
    assert score == GroupScore(score=16, group=ScoreGroup(id=1, name="Group A"))
    assert score.group.description is None


def test_contact_fields_as_object() -> None:
    contact = structure(
        {**CONTACT, "id": "9", "points": "4", "fields": {"all": {"email": "a@example.com"}}},
        Contact,
    )
    assert (contact.id, contact.points, contact.email) == (9, 4, "a@example.com")
    assert contact.fields == {"all": {"email": "a@example.com"}}


@pytest.mark.parametrize("wire", [[], None])
def test_contact_fields_empty_array_or_missing(wire: Any) -> None:
    payload = CONTACT if wire is None else {**CONTACT, "fields": wire}
    contact = structure(payload, Contact)
    assert contact.fields == {}
    assert contact.email is None


def test_contact_fields_non_empty_array_is_a_structure_error() -> None:
    with pytest.raises(StructureError, match=r"expected Mapping @ \$\.fields$"):
        structure({**CONTACT, "fields": ["email"]}, Contact)


def test_error_item_details_empty_array_becomes_a_mapping() -> None:
    item = structure({"code": "400", "message": "m", "details": [], "type": None}, ErrorItem)
    assert item == ErrorItem("m", 400, None, {})


def test_token_response_keeps_snake_case_keys() -> None:
    token = structure(
        {"access_token": "a", "expires_in": "3600", "token_type": "bearer", "scope": None},
        TokenResponse,
    )
    assert (token.access_token, token.expires_in, token.token_type, token.refresh_token) == (
        "a",
        3600,
        "bearer",
        None,
    )


def test_token_response_without_access_token_is_a_structure_error() -> None:
    with pytest.raises(StructureError, match=r"required key 'access_token' is missing"):
        structure({"expires_in": 3600}, TokenResponse)


# -- unstructuring request classes ------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "wire"),
    [
        (PointGroupData(), {}),
        (PointGroupData("A"), {"name": "A"}),
        (PointGroupData(description=None), {"description": None}),
        (PointGroupData(is_published=False), {"isPublished": False}),
        (
            PointGroupData("A", description="", is_published=True, id=4),
            {"name": "A", "description": "", "isPublished": True, "id": 4},
        ),
    ],
)
def test_unstructure_omits_unset_and_keeps_explicit_none(
    data: PointGroupData, wire: dict[str, Any]
) -> None:
    assert converter.unstructure(data) == wire


@pytest.mark.parametrize(
    "mapping",
    [
        {"name": "A", "isPublished": False, "description": None},
        {"name": "A", "is_published": False, "description": None},
    ],
)
def test_from_caller_mapping_accepts_camel_and_snake_case(mapping: dict[str, Any]) -> None:
    data = from_caller_mapping(PointGroupData, mapping)
    assert data == PointGroupData("A", description=None, is_published=False)
    assert data.id is UNSET


def test_from_caller_mapping_rejects_unknown_keys_naming_them() -> None:
    with pytest.raises(ValueError, match=r"unknown field\(s\) \['nmae', 'color'\]") as caught:
        from_caller_mapping(PointGroupData, {"nmae": "A", "color": "red"})
    assert "known: description, id, isPublished, name" in str(caught.value)


def test_from_caller_mapping_refuses_one_field_given_twice() -> None:
    with pytest.raises(ValueError, match="'isPublished' and 'is_published' are the same field"):
        from_caller_mapping(PointGroupData, {"isPublished": True, "is_published": False})


@attrs.frozen
class _Loose:
    """Every kind of default ``wire_value`` must read as the unstructure function does."""

    required_text: str
    flag: bool = True
    count: int | None = 3
    note: str | None = None
    when: datetime | None = None
    tags: list[str] = attrs.Factory(list)
    maybe: Any = UNSET


@register_verbatim
@attrs.frozen
class _Verbatim:
    snake_key: str | None = None


def test_wire_value_reads_one_key_as_unstructuring_the_whole_model_does() -> None:
    instances: list[Any] = [
        make_group(),
        make_group(7, "G", description=None, is_published=False, modified_by=2),
        Contact(1, 0, datetime(2024, 1, 1, tzinfo=UTC), fields={"all": {"email": "a@b"}}),
        _Loose("x"),
        _Loose("", flag=False, count=None, note="n", when=datetime(2024, 1, 1, tzinfo=UTC)),
        _Loose("y", flag=1, count=3, tags=["a"], maybe="set"),  # type: ignore[arg-type]
        _Loose("z", count=True, maybe=None),  # type: ignore[arg-type]  # True == 1 != 3
        _Verbatim("v"),
        _Verbatim(),
        PointTrigger(1, "T", is_published=True, date_added=GROUP_ADDED, events=[]),
    ]
    for instance in instances:
        whole = converter.unstructure(instance)
        keys = {*whole, *(camel(a.name) for a in attrs.fields(type(instance)))}
        for key in (*keys, "snake_key", "unknown", "id"):
            assert wire_value(instance, key) == whole.get(key), (instance, key)
            assert type(wire_value(instance, key)) is type(whole.get(key)), (instance, key)
