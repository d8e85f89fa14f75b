"""sync settles on what Mautic stores: cleaning, empty values and limits, over HTTP."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from mautic_async import MauticClient, PointGroupData, ValidationError
from mautic_async._cleaning import stored_form
from mautic_async._protocol import APIRequest
from mautic_async._validation import LimitError
from mautic_async.testing import MauticEmulator, _entities


def writes(emulator: MauticEmulator) -> list[Any]:
    return [r for r in emulator.requests if r.method != "GET"]


# -- the two copies of the rules agree: as functions, and through the server ---------

#: Messy text as real data brings it.
CORPUS: tuple[str, ...] = (
    "plain",
    "  spaced  ",
    "\t tabbed\n",
    "\r\n lines \n\n",
    "inner  spaces\tkept",
    "A &amp; B",
    "&amp;amp; twice",
    "&lt;b&gt;",
    "&lt;b&gt;x&lt;/b&gt; y",
    "<b>x</b>",
    "<script>alert(1)</script>",
    "<b><i>nested</i></b> tags",
    "<b<i>>x",
    "unclosed <b",
    "<b>open only",
    "5 < 6 > 4",
    "a<b",
    "it&#39;s",
    "it&#x27;s",
    "&#60;b&#62;y",
    "\xa0nbsp\xa0",
    "&nbsp;entity&nbsp;",
    "\u3000ideographic\u2003em\u3000",
    "émoji 🎉 ünïcode",
    "日本語の名前",
    "&unknown; &copy",
    "",
    "   ",
    "\t\n",
    "<b></b>",
    " <br/> ",
    "&nbsp;",
)


def emulator_clean(value: str, kind: str) -> Any:
    """The emulator's own copy of the rules, for a field of this ``FieldSpec.kind``."""
    return _entities._scalar_text(value, clean=kind == "string")


#: Each field's cleaning, as the emulator names it (``FieldSpec.kind``).
FIELD_KINDS = (("name", "string"), ("description", "text"))


@pytest.mark.parametrize(("field", "kind"), FIELD_KINDS)
@pytest.mark.parametrize("value", CORPUS)
def test_client_and_emulator_clean_alike(field: str, kind: str, value: str) -> None:
    assert stored_form(field, value) == emulator_clean(value, kind)


async def test_the_emulator_stores_what_stored_form_predicts(mautic: MauticClient) -> None:
    """Each corpus value sent raw (no client checks) as a name and as a description."""
    for value in CORPUS:
        name = stored_form("name", value)
        request = APIRequest("POST", "api/points/groups/new", json={"name": value})
        if name is None:
            with pytest.raises(ValidationError, match="A name is required"):
                await mautic.request(request)
        else:
            answer = await mautic.request(request)
            assert answer["pointGroup"]["name"] == name, value
        request = APIRequest(
            "POST", "api/points/groups/new", json={"name": "D", "description": value}
        )
        answer = await mautic.request(request)
        assert answer["pointGroup"]["description"] == stored_form("description", value), value


# -- a second run changes nothing --------------------------------------------------------

MESSY = [
    {"name": "  Readers  ", "description": "  Opens newsletters\n"},
    {"name": "A &amp; B", "description": "<p>html &amp; kept</p>  "},
    {"name": "<b>Bold</b> buyers", "description": "\t"},
    {"name": "it&#39;s &lt;fine&gt;", "description": ""},
    {"name": "\xa0Nbsp\xa0", "isPublished": False},
    {"name": "Ünïcode 🎉"},
]


async def test_messy_input_settles_in_one_run(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    first = await mautic.point_groups.sync(MESSY)
    assert first.counts()["created"] == len(MESSY)
    assert first.ok
    # The report names items as they were sent; Mautic holds them cleaned.
    assert [item.key for item in first.items] == [d["name"] for d in MESSY]
    assert sorted(g["name"] for g in emulator.point_groups.values()) == sorted(
        ["Readers", "A & B", "Bold buyers", "it's", "Nbsp", "Ünïcode 🎉"]
    )
    sent = len(writes(emulator))
    for _ in range(2):
        again = await mautic.point_groups.sync(MESSY)
        assert again.counts()["unchanged"] == len(MESSY), again.counts()
        assert [item.key for item in again.items] == [d["name"] for d in MESSY]
    assert len(writes(emulator)) == sent  # nothing written after the first run


async def test_messy_input_against_existing_groups_updates_once(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    for name in ("Readers", "A & B", "Bold buyers", "it's", "Nbsp", "Ünïcode 🎉"):
        emulator.add_point_group(name, description="old")
    first = await mautic.point_groups.sync(MESSY)
    assert first.counts()["created"] == 0
    assert first.counts()["updated"] == 5  # the one without description is unchanged
    second = await mautic.point_groups.sync(MESSY)
    assert (second.counts()["created"], second.counts()["updated"]) == (0, 0)
    assert len(emulator.point_groups) == len(MESSY)


async def test_a_cleaned_description_settles_after_one_update(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    emulator.add_point_group("G", description="before")
    desired = [{"name": "G", "description": "  <i>after</i> &amp; more \n"}]
    assert [i.action for i in (await mautic.point_groups.sync(desired)).items] == ["updated"]
    assert [i.action for i in (await mautic.point_groups.sync(desired)).items] == ["unchanged"]


@pytest.mark.parametrize(("wanted", "stored"), [("", None), ("", ""), (None, ""), ("  ", None)])
async def test_an_empty_description_equals_a_stored_null(
    mautic: MauticClient, emulator: MauticEmulator, wanted: str | None, stored: str | None
) -> None:
    emulator.add_point_group("G", description=stored)
    for _ in range(2):
        report = await mautic.point_groups.sync([{"name": "G", "description": wanted}])
        assert [item.action for item in report.items] == ["unchanged"]
    assert writes(emulator) == []


async def test_keys_stored_alike_are_refused_naming_both(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    with pytest.raises(ValueError, match=r"items 1 \('A &amp; B'\) and 3 \(' A & B '\)"):
        await mautic.point_groups.sync(
            [{"name": "X"}, {"name": "A &amp; B"}, {"name": "Y"}, PointGroupData(" A & B ")]
        )
    assert emulator.requests == []


@pytest.mark.parametrize("key", ["<b></b>", "   ", "&nbsp;", "<br/>\n"])
async def test_a_key_that_cleans_to_nothing_is_refused(
    mautic: MauticClient, emulator: MauticEmulator, key: str
) -> None:
    with pytest.raises(ValueError, match="desired item 1"):
        await mautic.point_groups.sync([{"name": "A"}, {"name": key}])
    assert emulator.requests == []


async def test_any_key_field_is_matched_as_stored(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    emulator.add_point_group("G", description="<p>D</p>")
    desired = [{"description": " <p>D</p> ", "name": "G"}]
    report = await mautic.point_groups.sync(desired, key="description")
    assert [item.action for item in report.items] == ["unchanged"]
    with pytest.raises(ValueError, match="empty once Mautic has cleaned it"):
        await mautic.point_groups.sync([{"name": "G", "description": " "}], key="description")


# -- limits ------------------------------------------------------------------------------

LONG = "x" * 256


async def test_an_item_over_a_limit_fails_alone_and_the_rest_go_ahead(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    seen: list[tuple[int, int]] = []
    report = await mautic.point_groups.sync(
        [{"name": "A"}, {"name": LONG}, PointGroupData("B"), {"name": "&amp;" * 255}],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [item.action for item in report.items] == ["created", "failed", "created", "created"]
    refused = report.items[1]
    assert refused.key == LONG
    assert isinstance(refused.error, LimitError)
    assert "name is 256 characters" in str(refused.error)
    assert Counter(g["name"] for g in emulator.point_groups.values()) == Counter(
        {"A": 1, "B": 1, "&" * 255: 1}
    )
    assert not any(LONG.encode() in r.body for r in emulator.requests)
    assert seen[-1] == (4, 4)
    again = await mautic.point_groups.sync([{"name": "A"}, {"name": LONG}])
    assert [item.action for item in again.items] == ["unchanged", "failed"]


async def test_delete_missing_spares_the_entity_of_a_refused_item(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    kept = emulator.add_point_group("Kept", description="old")
    emulator.add_point_group("Stale")
    report = await mautic.point_groups.sync(
        [{"name": "Kept", "description": "new"}, {"name": LONG}], delete_missing=True
    )
    assert report.counts()["deleted"] == 1
    assert list(emulator.point_groups) == [kept["id"]]


@pytest.mark.parametrize(
    "call",
    [
        lambda g: g.create({"name": LONG}),
        lambda g: g.edit(1, {"name": LONG}),
        lambda g: g.replace(1, {"name": LONG}),
        lambda g: g.create_batch([{"name": "ok"}, {"name": LONG}]),
        lambda g: g.edit_batch([{"id": 1, "name": LONG}]),
        lambda g: g.replace_batch([{"id": 1, "name": "ok"}, {"id": 2, "name": LONG}]),
    ],
)
async def test_direct_calls_refuse_a_long_name_before_sending(
    mautic: MauticClient, emulator: MauticEmulator, call: Any
) -> None:
    with pytest.raises(ValueError, match="name is 256 characters"):
        await call(mautic.point_groups)
    assert emulator.requests == []


async def test_a_name_of_255_stored_characters_reaches_mautic(
    mautic: MauticClient, emulator: MauticEmulator
) -> None:
    group = await mautic.point_groups.create({"name": " <b>" + "é" * 255 + "</b> "})
    assert group.name == "é" * 255
