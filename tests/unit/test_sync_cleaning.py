"""The client's prediction of Mautic's cleaning, and the limits counted on it (no I/O).

The client and the emulator agreeing on one corpus: tests/integration/test_sync_cleaning.py.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from mautic_async import PointGroupData
from mautic_async._cleaning import stored_form
from mautic_async._validation import LimitError, max_length, stored_length
from mautic_async.sync import _differs, _raw_key, _stored

from .conftest import make_group


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("name", "  A &amp; <b>B</b>\t", "A & B"),
        ("name", "&lt;b&gt;x", "x"),  # decoded first, so an escaped tag goes too
        ("name", "it&#39;s &#x27;x&#x27;", "it's 'x'"),
        ("name", "\xa0x\xa0", "x"),
        ("name", "<b></b>", None),
        ("name", "   ", None),
        ("name", "", None),
        ("description", "  <p>kept &amp; as sent</p>  ", "<p>kept &amp; as sent</p>"),
        ("description", " ", None),
        ("description", None, None),
        ("isPublished", True, True),
    ],
)
def test_stored_form(field: str, value: Any, stored: Any) -> None:
    assert stored_form(field, value) == stored


# -- limits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "x" * 255,
        "&amp;" * 255,  # 1,275 sent, 255 stored
        "<b>" + "x" * 255 + "</b>",
        "  " + "x" * 255 + "\n",
        "é" * 255,
        "🎉" * 255,  # characters, not bytes: VARCHAR counts characters
    ],
)
def test_a_name_of_255_stored_characters_is_accepted(name: str) -> None:
    assert PointGroupData(name).name == name


@pytest.mark.parametrize(
    ("name", "length"),
    [("x" * 256, 256), ("&amp;" * 256, 256), ("🎉" * 300, 300), (" " + "y" * 1000, 1000)],
)
def test_a_longer_name_is_refused_naming_the_field(name: str, length: int) -> None:
    with pytest.raises(LimitError, match=r"^name is \d+ characters .* at most 255") as caught:
        PointGroupData(name)
    assert isinstance(caught.value, ValueError)
    assert (caught.value.field, caught.value.limit, caught.value.length) == ("name", 255, length)


def test_description_has_no_length_limit() -> None:
    assert PointGroupData("A", description="d" * 100_000).description == "d" * 100_000


def test_stored_length_counts_what_mautic_stores() -> None:
    assert stored_length("name", " <i>a&amp;b</i> ") == 3
    assert stored_length("description", " <i>a</i> ") == len("<i>a</i>")
    assert stored_length("name", "<b></b>") == 0


def test_max_length_is_reusable_for_other_fields() -> None:
    @attrs.frozen
    class Data:
        title: str | None = attrs.field(default=None, validator=max_length(5))

    assert Data("<b>12345</b>").title == "<b>12345</b>"
    assert Data(None).title is None
    with pytest.raises(LimitError, match=r"^title is 6 characters"):
        Data("123456")


# -- the comparison sync makes ---------------------------------------------------------


class _Resource:
    """The part of a resource ``_differs`` reads."""

    data_class = PointGroupData
    write_only = ()


def _differs_from(payload: dict[str, Any], **stored: Any) -> bool:
    return _differs(_Resource(), payload, make_group(**stored))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("wanted", "stored"), [("", None), (None, ""), ("", ""), (None, None), ("  ", None)]
)
def test_an_empty_wanted_value_equals_an_empty_stored_one(wanted: Any, stored: Any) -> None:
    # Mautic stores "" as null; a group made in the UI may hold "".
    assert not _differs_from({"description": wanted}, name="A", description=stored)


def test_values_are_compared_as_mautic_stores_them() -> None:
    assert not _differs_from({"name": " A &amp; B "}, name="A & B")
    assert not _differs_from({"description": " d "}, name="A", description="d")
    assert _differs_from({"description": "<p>d</p>"}, name="A", description="d")
    assert _differs_from({"description": "d"}, name="A", description=None)
    assert _differs_from({"description": ""}, name="A", description="d")


def test_free_form_resources_compare_values_as_sent() -> None:
    # Contacts take a mapping of any fields: no form we model, so nothing is cleaned.
    class Free:
        data_class = None

    assert _stored(Free(), "firstname", " <b>Ann</b> ") == " <b>Ann</b> "  # type: ignore[arg-type]
    assert _stored(_Resource(), "name", " <b>Ann</b> ") == "Ann"  # type: ignore[arg-type]


def test_the_key_of_a_refused_item_is_read_as_the_caller_gave_it() -> None:
    assert _raw_key({"name": "A"}, "name", "name") == "A"
    assert _raw_key({"is_published": True}, "is_published", "isPublished") is True
    assert _raw_key(PointGroupData("B"), "name", "name") == "B"
