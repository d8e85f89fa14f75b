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
