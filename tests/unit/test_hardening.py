"""Unit checks of the hardening in issue 10 that need no server."""

from __future__ import annotations

import pickle

from mautic_async import BasicAuth, ErrorItem, ValidationError
from mautic_async.errors import mask


def test_error_items_hash_and_compare_by_value() -> None:
    a = ErrorItem("name: required", 400, None, {"name": ["A name is required."]})
    b = ErrorItem("name: required", 400, None, {"name": ["A name is required."]})
    c = ErrorItem("name: required", 400, None, {"name": ["Other."]})
    assert hash(a) == hash(b)
    assert a == b
    assert a != c  # details still take part in equality
    assert len({a, b, c}) == 2
    assert pickle.loads(pickle.dumps(a)) == a


def test_a_validation_error_with_items_pickles_and_hashes_its_items() -> None:
    item = ErrorItem("bad", 400, details={"f": ["x"]})
    exc = ValidationError("bad", method="GET", path="/api/x", status=400, errors=[item])
    assert {exc.errors[0]} == {item}
    assert pickle.loads(pickle.dumps(exc)).details == {"f": ["x"]}


def test_mask_covers_every_form_of_a_live_credential() -> None:
    auth = BasicAuth("someone", "Pa/ss wörd+&")
    text = mask(
        "raw Pa/ss wörd+& url Pa%2Fss%20w%C3%B6rd%2B%26 plus Pa%2Fss+w%C3%B6rd%2B%26 "
        "json Pa\\/ss w\\u00f6rd+& html Pa/ss wörd+&amp; lower Pa%2fss%20w%c3%b6rd%2b%26"
    )
    assert "Pa" not in text.replace("***", "")
    assert text.count("***") == 6
    del auth


def test_short_credentials_are_not_masked_into_every_word() -> None:
    auth = BasicAuth("someone", "pw")
    assert mask("a pwd; pw") == "a pwd; pw"
    del auth


def deep(depth: int) -> list[object]:
    """A list nested ``depth`` levels deep, built without recursion."""
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


def test_a_deep_error_entry_is_read_without_recursing() -> None:
    from mautic_async._protocol import parse_errors

    (item,) = parse_errors({"errors": [deep(100_000)]}, 400)
    assert item.code == 400
    assert "nested too deeply" in item.message


def test_a_deep_value_that_cannot_be_structured_is_an_unexpected_response() -> None:
    import pytest

    from mautic_async import PointGroup, UnexpectedResponseError
    from mautic_async._protocol import APIRequest, parse_entity

    request = APIRequest("GET", "api/points/groups/1")
    with pytest.raises(UnexpectedResponseError) as caught:
        parse_entity(request, {"pointGroup": deep(100_000)}, "pointGroup", PointGroup)
    assert "nested too deeply" in caught.value.body_snippet


def test_recursion_while_structuring_is_a_structure_error() -> None:
    import attrs
    import pytest

    from mautic_async._converter import StructureError, converter, structure

    @attrs.frozen
    class Loop:
        value: int

    def recurse(_value: object, _type: object) -> Loop:
        raise RecursionError("maximum recursion depth exceeded")

    converter.register_structure_hook(Loop, recurse)
    with pytest.raises(StructureError, match="nested too deeply"):
        structure({"value": 1}, Loop)


def test_deep_details_with_a_live_credential_do_not_recurse() -> None:
    auth = BasicAuth("someone", "Deep-s3cret")
    item = ErrorItem("Deep-s3cret", 400, details={"f": deep(100_000)})
    assert item.message == "***"
    assert item.details == {"details": "(nested too deeply to show)"}
    del auth
