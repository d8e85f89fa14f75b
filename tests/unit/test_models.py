"""Model helpers: Page, BatchResult/BatchItem, Contact.email, PointGroupData, UNSET."""

from __future__ import annotations

from typing import Any

import pytest

from mautic_async import (
    UNSET,
    BatchItem,
    BatchResult,
    Contact,
    ErrorItem,
    Page,
    PointGroup,
    PointGroupData,
)

from .conftest import GROUP_ADDED, make_group


def test_page_iterates_and_counts_its_items() -> None:
    page = Page(total=10, items=(make_group(1), make_group(2)))
    assert [g.id for g in page] == [1, 2]
    assert len(page) == 2
    assert page.total == 10


@pytest.mark.parametrize(
    ("item", "ok"),
    [
        (BatchItem(0, 200, make_group(1)), True),
        (BatchItem(0, 201, make_group(1)), True),
        (BatchItem(0, 404, None, ErrorItem("Item was not found.", 404)), False),
        (BatchItem(0, 200, make_group(1), ErrorItem("x")), False),
        (BatchItem(0, None, None), False),
        (BatchItem(0, 302, None), False),
    ],
)
def test_batch_item_ok(item: BatchItem[PointGroup], ok: bool) -> None:
    assert item.ok is ok


def test_batch_result_split() -> None:
    failed = BatchItem(1, 400, None, ErrorItem("name: A name is required.", 400))
    result = BatchResult(items=(BatchItem(0, 201, make_group(1)), failed, BatchItem(2, 201, None)))
    assert result.succeeded == [make_group(1)]
    assert result.failed == [failed]
    assert len(result) == 3
    assert result[1] is failed
    assert [i.index for i in result] == [0, 1, 2]


@pytest.mark.parametrize(
    ("fields", "email"),
    [
        ({"all": {"email": "a@example.com"}}, "a@example.com"),
        ({"all": {"email": None}}, None),
        ({"all": {}}, None),
        ({"all": []}, None),
        ({}, None),
    ],
)
def test_contact_email(fields: dict[str, Any], email: str | None) -> None:
    assert Contact(1, 0, GROUP_ADDED, fields=fields).email == email


def test_point_group_data_defaults_to_unset() -> None:
    data = PointGroupData()
    assert (data.name, data.description, data.is_published, data.id) == (UNSET,) * 4
    assert (
        repr(data) == "PointGroupData(name=UNSET, description=UNSET, is_published=UNSET, id=UNSET)"
    )
    assert not UNSET


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": ""}, ValueError, "name must not be empty"),
        ({"name": " \t\n"}, ValueError, "name must not be empty"),
        ({"name": None}, TypeError, "name must be a str, not NoneType None"),
        ({"name": 5}, TypeError, "name must be a str, not int 5"),
        ({"description": 5}, TypeError, "description must be a str or None, not int"),
        ({"is_published": 1}, TypeError, "is_published must be a bool, not int 1"),
        ({"is_published": "yes"}, TypeError, "is_published must be a bool, not str 'yes'"),
        ({"id": 0}, ValueError, "id must be a positive int, got 0"),
        ({"id": "1"}, TypeError, "id must be a positive int, not str '1'"),
    ],
)
def test_point_group_data_validates_its_fields(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        PointGroupData(**kwargs)
    assert str(caught.value) == message
