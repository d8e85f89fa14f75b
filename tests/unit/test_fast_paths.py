"""The request path's shortcuts give exactly what the general path gives.

Each shortcut (benchmarks/README.md, "Where each microsecond of a get goes") is checked
against the path it skips: the generated structure function against cattrs' own
function, ``parse_entity``/``parse_page``'s dict shortcut against the general path,
slot assignment against attrs' ``__init__``, the length shortcut of ``max_length``
against counting, and the remembered headers against building them anew.
"""

from __future__ import annotations

import html
import html.entities
import random
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import attrs
import pytest
from aioresponses import aioresponses

from mautic_async import BasicAuth, MauticClient, PointGroup, PointGroupData
from mautic_async import _converter as conv
from mautic_async._protocol import APIRequest, new_request, parse_entity, parse_page
from mautic_async._validation import LimitError, check_id, stored_length
from mautic_async.errors import UnexpectedResponseError
from mautic_async.models_points import (
    PointData,
    PointInsightData,
    PointTriggerData,
    TriggerEventData,
)

from .conftest import API, BASE, GROUPS, calls, group_json

GET = APIRequest("GET", "api/points/groups/1")
LIST = APIRequest("GET", "api/points/groups")
MISSING = object()

#: Per wire key, values the server might send: the usual, the loose and the wrong.
CHOICES: dict[str, list[Any]] = {
    "id": [5, 7, "5", " 12", "-3", 5.0, 5.5, True, None, "x", [], MISSING],
    "name": ["A", "", 3, 2.5, None, True, {}, MISSING],
    "description": ["d", "", None, 4, [], MISSING],
    "isPublished": [True, False, 1, 0, "1", "yes", "off", 2, None, "maybe", MISSING],
    "dateAdded": [
        "2024-10-24T15:54:35+00:00",
        "2024-10-24T15:54:35Z",
        "2024-10-24 15:54:35",
        "2024-10-24T17:54:35+02:00",
        "2024-10-24T15:54:35.123456+00:00",
        " 2024-10-24T15:54:35+00:00 ",
        "",
        None,
        "bad+00:00",
        5,
        MISSING,
    ],
    "dateModified": ["2024-10-24T15:54:35+00:00", "2024-10-24T15:54:35-05:00", "", None, 3],
    "createdBy": [1, "2", None, "x", False, MISSING],
    "createdByUser": ["Admin", 7, None, [], MISSING],
    "modifiedBy": [2, None, 2.0, MISSING],
    "modifiedByUser": ["Editor", None, MISSING],
}


def random_group(rng: random.Random, usual: float) -> dict[str, Any]:
    """A group; each key is the usual value with probability ``usual``, else any choice."""
    out: dict[str, Any] = {}
    for key, choices in CHOICES.items():
        value = choices[0] if rng.random() < usual else rng.choice(choices)
        if value is not MISSING:
            out[key] = value
    return out


def outcome(fn: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(*args)
    except Exception as exc:  # the kind is compared, the message is the general path's
        return "error", type(exc).__name__


@pytest.fixture
def cattrs_only(monkeypatch: pytest.MonkeyPatch) -> Callable[[Any], Any]:
    """PointGroup's structure hook as it would be without a fast function: the required-key
    check, then cattrs' generated function."""
    fast = conv.fast_structure_fn(PointGroup)
    assert fast is not None
    monkeypatch.setitem(conv._FAST, PointGroup, None)
    hook = conv._attrs_structure_hook(PointGroup)
    hook(group_json(), PointGroup)  # made while the fast function is hidden: it keeps none
    monkeypatch.setitem(conv._FAST, PointGroup, fast)
    return lambda value: hook(value, PointGroup)


def test_the_fast_function_agrees_with_cattrs_on_random_groups(
    cattrs_only: Callable[[Any], Any],
) -> None:
    fast = conv.fast_structure_fn(PointGroup)
    assert fast is not None
    rng = random.Random(20261203)
    accepted = 0
    for _ in range(3000):
        value = random_group(rng, usual=rng.choice([0.5, 0.8, 0.95]))
        got, expected = outcome(fast, value), outcome(cattrs_only, value)
        if got[0] == "ok":  # what the fast function accepts, cattrs reads the same way
            accepted += 1
            assert expected == got, value
            for field in attrs.fields(PointGroup):
                a, b = getattr(got[1], field.name), getattr(expected[1], field.name)
                assert type(a) is type(b), (field.name, value)
                assert getattr(a, "tzinfo", None) == getattr(b, "tzinfo", None)
        # Whatever it refuses goes to cattrs: parse_entity gives cattrs' answer either way.
        parsed = outcome(parse_entity, GET, {"pointGroup": value}, "pointGroup", PointGroup)
        if expected[0] == "ok":
            assert parsed == expected, value
        else:
            assert parsed == ("error", "UnexpectedResponseError"), value
    assert accepted > 300  # the shortcut was really exercised


def test_parse_shortcuts_agree_with_the_general_path() -> None:
    rng = random.Random(7)
    for _ in range(400):
        items = [random_group(rng, usual=0.97) for _ in range(rng.randint(0, 6))]
        total: Any = rng.choice([len(items), str(len(items)), True, None, 3.0])
        page = {"total": total, "pointGroups": items}
        if rng.random() < 0.2:
            page["pointGroups"] = {str(i): item for i, item in enumerate(items)}
        # A mapping that is not a dict takes the general path.
        general = outcome(parse_page, LIST, MappingProxyType(page), "pointGroups", PointGroup)
        shortcut = outcome(parse_page, LIST, page, "pointGroups", PointGroup)
        assert shortcut == general, page
        one = {"pointGroup": items[0] if items else rng.choice([None, [], "x"])}
        general = outcome(parse_entity, GET, MappingProxyType(one), "pointGroup", PointGroup)
        shortcut = outcome(parse_entity, GET, one, "pointGroup", PointGroup)
        assert shortcut == general, one


def test_a_refused_entity_still_names_the_wire_key_and_endpoint() -> None:
    body = group_json()
    del body["dateAdded"]
    with pytest.raises(UnexpectedResponseError) as caught:
        parse_entity(GET, {"pointGroup": body}, "pointGroup", PointGroup)
    assert "dateAdded" in str(caught.value)
    assert "/api/points/groups/1" in str(caught.value)


def test_slot_assignment_builds_what_attrs_init_builds() -> None:
    fast = conv.fast_structure_fn(PointGroup)
    assert fast is not None
    built = fast(group_json())
    expected = PointGroup(**{f.alias: getattr(built, f.name) for f in attrs.fields(PointGroup)})
    assert built == expected
    assert hash(built) == hash(expected)
    assert repr(built) == repr(expected)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.name = "changed"  # type: ignore[misc]
    assert not hasattr(built, "__dict__")


@pytest.mark.parametrize(
    "make",
    [
        lambda: attrs.make_class("V", {"a": attrs.field(validator=attrs.validators.gt(0))}),
        lambda: attrs.make_class("C", {"a": attrs.field(converter=int)}),
        lambda: attrs.make_class("D", {"a": attrs.field()}, slots=False),
        lambda: attrs.make_class("H", {"a": attrs.field()}, frozen=True, cache_hash=True),
        lambda: type(
            "P",
            (attrs.make_class("B", {"a": attrs.field()}, frozen=True),),
            {"__attrs_post_init__": lambda self: None},
        ),
    ],
    ids=["validator", "converter", "no slots", "cached hash", "post init"],
)
def test_slot_assignment_is_only_used_where_attrs_init_only_assigns(make: Any) -> None:
    cls = make()
    assert conv._plain_slots(cls, attrs.fields(cls)) is None


def test_plain_frozen_slotted_classes_get_slot_assignment() -> None:
    assert conv._plain_slots(PointGroup, attrs.fields(PointGroup)) is not None


def test_cleaning_never_lengthens_a_value() -> None:
    # max_length skips counting a value no longer than its limit: sound only if what
    # Mautic stores is never longer than what was sent.
    for name in html.entities.html5:
        reference = "&" + name
        assert len(html.unescape(reference)) <= len(reference), name
    for number in (0, 1, 0x80, 0x9F, 0xD800, 0x10FFFF, 0x110000, 10**20):
        for reference in (f"&#{number};", f"&#x{number:x};", f"&#{number}"):
            assert len(html.unescape(reference)) <= len(reference), reference
    for value in ("  a &amp; <b>b</b> ", "&lt;b&gt;", "x" * 300, "\u00a0y\u2003"):
        for field in ("name", "description"):
            assert stored_length(field, value) <= len(value)


def test_max_length_still_counts_what_is_too_long() -> None:
    PointGroupData(name="&amp;" * 255)  # 1,275 characters sent, 255 stored
    with pytest.raises(LimitError):
        PointGroupData(name="&amp;" * 256)


def test_check_id_shortcut_keeps_its_refusals() -> None:
    assert check_id(5) == 5
    assert type(check_id(True + 4)) is int
    for bad in (0, -1, True):
        with pytest.raises((TypeError, ValueError)):
            check_id(bad)


def test_from_caller_mapping_single_pass_keeps_its_errors() -> None:
    built = conv.from_caller_mapping(PointGroupData, {"name": "A", "isPublished": True})
    assert built == PointGroupData(name="A", is_published=True)
    with pytest.raises(ValueError, match=r"unknown field\(s\) \['nmae'\]"):
        conv.from_caller_mapping(PointGroupData, {"name": "A", "nmae": "B"})
    with pytest.raises(ValueError, match="'is_published' and 'isPublished' are the same"):
        conv.from_caller_mapping(PointGroupData, {"is_published": True, "isPublished": False})


async def test_remembered_headers_follow_the_credentials(mock_http: aioresponses) -> None:
    mock_http.get(f"{GROUPS}/1", payload={"pointGroup": group_json()}, repeat=True)
    mock_http.post(f"{GROUPS}/new", status=201, payload={"pointGroup": group_json()}, repeat=True)
    async with MauticClient(BASE, auth=BasicAuth("admin", "one")) as mautic:
        await mautic.point_groups.get(1)
        await mautic.point_groups.create({"name": "A"})
        mautic.auth = BasicAuth("admin", "two")
        await mautic.point_groups.get(1)
        copy = mautic.with_options(timeout=5)
        copy.auth = None
        await copy.point_groups.get(1, extra_headers={"X-Trace": "t"})
        await copy.point_groups.get(1)
        await mautic.point_groups.create({"name": "B"})
    made = sorted(calls(mock_http), key=lambda c: c.method)  # GETs, then POSTs, in order
    gets = [c.headers for c in made if c.method == "GET"]
    posts = [c.headers for c in made if c.method == "POST"]
    one, two = (BasicAuth("admin", p)._header for p in ("one", "two"))
    assert [h.get("Authorization") for h in gets] == [one, two, None, None]
    assert [h.get("X-Trace") for h in gets] == [None, None, "t", None]
    assert all("Content-Type" not in h for h in gets)
    assert [h["Authorization"] for h in posts] == [one, two]
    assert all(h["Content-Type"] == "application/json" for h in posts)
    assert str(made[0].url).startswith(API)


async def test_an_auth_that_overrides_basic_authorization_is_asked_every_time(
    mock_http: aioresponses,
) -> None:
    # The client sends a plain BasicAuth's header without awaiting authorization(); a
    # subclass that computes its header must still be asked on every request.
    class Rotating(BasicAuth):
        __slots__ = ("count",)

        async def authorization(self, token_endpoint: Any) -> str:
            self.count = getattr(self, "count", 0) + 1
            return f"Basic rotated-{self.count}"

    mock_http.get(f"{GROUPS}/1", payload={"pointGroup": group_json()}, repeat=True)
    async with MauticClient(BASE, auth=Rotating("admin", "pw")) as mautic:
        await mautic.point_groups.get(1)
        await mautic.point_groups.get(1)
    sent = [c.headers["Authorization"] for c in calls(mock_http)]
    assert sent == ["Basic rotated-1", "Basic rotated-2"]


def test_built_models_are_plain_instances_of_their_class() -> None:
    import copy
    import pickle

    fast = conv.fast_structure_fn(PointGroup)
    assert fast is not None
    built = fast(group_json())
    assert type(built) is PointGroup  # not the builder subclass it was filled as
    assert pickle.loads(pickle.dumps(built)) == built
    assert copy.deepcopy(built) == built
    assert attrs.evolve(built, name="B").name == "B"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del built.name  # type: ignore[misc]


def test_the_builder_trick_is_refused_where_it_cannot_work() -> None:
    cls = attrs.make_class("S", {"a": attrs.field()}, frozen=True)
    assert conv._builder_class(cls, ["a"]) is not None
    assert conv._builder_class(cls, ["__a"]) is None  # generated code could not name it
    assert conv._builder_class(cls, ["not a name"]) is None


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("GET", "api/points/groups/1"), {}),
        (("GET", "api/points/groups"), {"params": (("limit", "5"),)}),
        (("POST", "api/points/groups/new"), {"json": {"name": "A"}}),
        ((), {"method": "DELETE", "path": "api/x/1/delete", "json": None, "params": ()}),
    ],
)
def test_new_request_builds_what_apirequest_builds(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    built = new_request(*args, **kwargs)
    expected = APIRequest(*args, **kwargs)
    assert type(built) is APIRequest
    assert built == expected
    if not isinstance(built.json, dict):  # a dict body makes the request unhashable
        assert hash(built) == hash(expected)
    assert repr(built) == repr(expected)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.path = "elsewhere"  # type: ignore[misc]
    with pytest.raises(TypeError):
        new_request("GET")  # path is required, as for APIRequest


@pytest.mark.parametrize(
    "make",
    [
        lambda: attrs.make_class("V", {"a": attrs.field(validator=attrs.validators.gt(0))}),
        lambda: attrs.make_class("F", {"a": attrs.field(factory=list)}, frozen=True),
        lambda: attrs.make_class("K", {"a": attrs.field(kw_only=True)}, frozen=True),
        lambda: attrs.make_class("N", {"a": attrs.field(init=False, default=1)}, frozen=True),
    ],
    ids=["validator", "factory default", "keyword only", "not in init"],
)
def test_fast_init_leaves_other_classes_to_their_own_init(make: Any) -> None:
    cls = make()
    assert conv.fast_init(cls) is cls


def _long_way(cls: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = conv.converter.unstructure(conv.from_caller_mapping(cls, data))
    return result


def _payload_outcome(fn: Callable[..., Any], cls: type[Any], data: dict[str, Any]) -> Any:
    try:
        result = fn(cls, data)
    except Exception as exc:
        return ("error", type(exc), str(exc))
    return ("ok", list(result.items()))  # key order is what goes on the wire


@pytest.mark.parametrize(
    "cls",
    [PointGroupData, PointData, TriggerEventData, PointTriggerData, PointInsightData],
    ids=lambda c: c.__name__,
)
def test_caller_payload_agrees_with_building_the_class(cls: type[Any]) -> None:
    rng = random.Random(cls.__name__)
    fields = attrs.fields(cls)
    keys = [f.name for f in fields] + [conv.camel(f.name) for f in fields]
    keys += ["nmae", "isPublised"]  # misspelt
    values: list[Any] = [
        "A",
        " padded ",
        "",
        "   ",
        "x" * 256,
        "&amp;" * 60,
        None,
        True,
        0,
        5,
        -1,
        2.5,
        {"a": 1},
        [1],
        conv.UNSET,
        "2026-12-03 10:00:00",
    ]
    ok = 0
    for _ in range(1500):
        data = {rng.choice(keys): rng.choice(values) for _ in range(rng.randint(0, 4))}
        fast, slow = (
            _payload_outcome(conv.caller_payload, cls, data),
            _payload_outcome(_long_way, cls, data),
        )
        assert fast == slow, data
        ok += fast[0] == "ok"
    assert ok > 100  # the shortcut was really exercised, not only its refusals


def test_caller_payload_takes_the_long_way_where_its_shortcut_would_differ() -> None:
    def refuse_unset(_instance: Any, attribute: Any, value: Any) -> None:
        if value is conv.UNSET:
            raise ValueError(f"{attribute.name} is required")

    def accept(_instance: Any, attribute: Any, value: Any) -> None:
        pass

    def make(validator: Any) -> type[Any]:
        field = attrs.field(default=conv.UNSET, validator=validator, type=str | conv.Unset)
        return attrs.make_class("Data", {"a": field}, frozen=True)

    assert conv._payload_fn(make(accept)) is not None
    strict = make(refuse_unset)
    assert conv._payload_fn(strict) is None  # its validator refuses UNSET
    with pytest.raises(ValueError, match="a is required"):
        conv.caller_payload(strict, {})
    # With attrs' validators switched off, nothing is checked, as cls(**data) would not.
    with attrs.validators.disabled():
        assert conv.caller_payload(PointGroupData, {"name": ""}) == {"name": ""}
    with pytest.raises(ValueError, match="name must not be empty"):
        conv.caller_payload(PointGroupData, {"name": ""})


class _Str(str):
    pass


class _Int(int):
    pass


#: Values each inline condition is tried on: the usual, the edge and the wrong.
_VALUES: list[Any] = [
    "A",
    "",
    " ",
    "\u00a0",
    "\u2003x",
    " x ",
    "x" * 7,
    "x" * 8,
    "x" * 50,
    "x" * 51,
    "x" * 255,
    "x" * 256,
    "&amp;" * 60,
    _Str("x" * 300),
    _Str(""),
    0,
    1,
    -3,
    True,
    False,
    _Int(5),
    2.5,
    None,
    {},
    {"a": 1},
    MappingProxyType({}),
    [],
    conv.UNSET,
]


def test_every_inline_condition_only_lets_through_what_its_validator_accepts() -> None:
    # Make sure every request class has registered its validators' conditions.
    for cls in (PointGroupData, PointData, TriggerEventData, PointTriggerData, PointInsightData):
        conv.caller_payload(cls, {})
    assert len(conv._PASSES_WHEN) >= 8
    field = attrs.fields(PointGroupData).name
    for validator, condition in conv._PASSES_WHEN.items():
        check = eval(f"lambda v: {condition}")
        for value in _VALUES:
            if check(value):
                validator(None, field, value)  # must not raise
