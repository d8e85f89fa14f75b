"""The generic ``Resource`` base on its own, with a minimal made-up resource: what a
new entity gets from a few declarative lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import pytest
from aioresponses import aioresponses

from mautic_async import (
    UNSET,
    CreatedWithoutFieldsError,
    EndpointUnavailableError,
    MauticClient,
    NotFoundError,
    Unset,
)
from mautic_async._converter import converter
from mautic_async._validation import non_blank_str, optional_mapping, positive_id
from mautic_async.resources import Resource

from .conftest import API, calls, url_re

WIDGETS = API + "things/widgets"


@attrs.frozen
class Part:
    id: int | None = None
    label: str | None = None


@attrs.frozen
class Widget:
    id: int | None = None
    name: str | None = None
    settings: Mapping[str, Any] = attrs.field(factory=dict)
    parts: list[Part] = attrs.field(factory=list)
    owner: int | None = None


@attrs.frozen
class PartData:
    label: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)


@attrs.frozen
class WidgetData:
    name: str | Unset = attrs.field(default=UNSET, validator=non_blank_str)
    settings: Mapping[str, Any] | Unset = attrs.field(default=UNSET, validator=optional_mapping)
    parts: Sequence[PartData] | Unset = UNSET
    owner: int | Unset = attrs.field(default=UNSET, validator=positive_id)
    id: int | Unset = attrs.field(default=UNSET, validator=positive_id, kw_only=True)


class Widgets(Resource[Widget, WidgetData]):
    endpoint = "things/widgets"
    item_key = "widget"
    list_key = "widgets"
    model = Widget
    data_class = WidgetData
    required_fields = ("name",)


class FancyWidgets(Widgets):
    write_only = ("owner",)
    resend_after_create = ("settings",)
    since_version = "9.1"


def widget(id: int = 1, **extra: Any) -> dict[str, Any]:
    return {"id": id, "name": f"W{id}", **extra}


async def test_the_verbs_use_the_declared_endpoint_and_keys(
    client: MauticClient, mock_http: aioresponses
) -> None:
    widgets = Widgets(client)
    mock_http.get(f"{WIDGETS}/1", payload={"widget": widget()})
    mock_http.get(url_re("things/widgets"), payload={"total": 2, "widgets": [widget(1), widget(2)]})
    mock_http.post(f"{WIDGETS}/new", status=201, payload={"widget": widget(3)})
    mock_http.patch(f"{WIDGETS}/3/edit", payload={"widget": widget(3)})
    mock_http.put(f"{WIDGETS}/3/edit", payload={"widget": widget(3)})
    mock_http.delete(f"{WIDGETS}/3/delete", payload={"widget": {"id": None, "name": "W3"}})
    assert (await widgets.get(1)).name == "W1"
    assert [w.id for w in await widgets.list()] == [1, 2]
    assert (await widgets.create({"name": "W3"})).id == 3
    assert (await widgets.edit(3, WidgetData(name="X"))).id == 3
    assert (await widgets.replace(3, {"name": "X"})).id == 3
    assert (await widgets.delete(3)).id == 3  # the asked id, put back
    assert [(c.method, c.path) for c in calls(mock_http)] == [
        ("GET", "/api/things/widgets/1"),
        ("GET", "/api/things/widgets"),
        ("POST", "/api/things/widgets/new"),
        ("PATCH", "/api/things/widgets/3/edit"),
        ("PUT", "/api/things/widgets/3/edit"),
        ("DELETE", "/api/things/widgets/3/delete"),
    ]
    assert repr(widgets).endswith("api/things/widgets>")


async def test_batches(client: MauticClient, mock_http: aioresponses) -> None:
    widgets = Widgets(client)
    mock_http.post(
        f"{WIDGETS}/batch/new",
        status=201,
        payload={"widgets": [widget(1), widget(2)], "statusCodes": [201, 201]},
    )
    mock_http.delete(
        url_re("things/widgets/batch/delete"),
        payload={"widgets": [widget(1)]},  # serialised before the delete: ids still there
    )
    created = await widgets.create_batch([{"name": "A"}, WidgetData("B")])
    assert [w.id for w in created.succeeded] == [1, 2]
    deleted = await widgets.delete_batch([1, 9])
    assert [i.status_code for i in deleted] == [200, 404]  # Mautic skips 9 silently


async def test_raw_responses_and_per_call_options(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.get(f"{WIDGETS}/1", payload={"widget": widget()}, headers={"X-Thing": "1"})
    response = await Widgets(client).with_raw_response.get(1)
    assert (response.status, response.headers["X-Thing"], response.parse().name) == (200, "1", "W1")
    mock_http.get(url_re("things/widgets/1"), payload={"widget": widget()})
    await Widgets(client).get(1, extra_headers={"X-Trace": "t"}, extra_query={"a": "b"})
    last = calls(mock_http)[-1]
    assert (last.headers["X-Trace"], last.query["a"]) == ("t", "b")


async def test_raw_create_refuses_fields_it_would_need_a_second_request_for(
    client: MauticClient, mock_http: aioresponses
) -> None:
    with pytest.raises(ValueError, match="with_raw_response sends one request"):
        await FancyWidgets(client).with_raw_response.create({"name": "W", "settings": {"a": 1}})
    assert not mock_http.requests


async def test_stable_iterate_pages_by_id(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(url_re("things/widgets"), payload={"total": 3, "widgets": [widget(1), widget(2)]})
    mock_http.get(url_re("things/widgets"), payload={"total": 3, "widgets": [widget(5)]})
    seen = [w.id async for w in Widgets(client).iterate(page_size=2, stable=True)]
    assert seen == [1, 2, 5]
    second = calls(mock_http)[1]
    assert second.query["where[0][val]"] == "2"


def test_nested_request_classes_serialise() -> None:
    data = WidgetData("W", parts=[PartData("a"), PartData()], settings={"k": [1, {"x": None}]})
    assert converter.unstructure(data) == {
        "name": "W",
        "settings": {"k": [1, {"x": None}]},
        "parts": [{"label": "a"}, {}],
    }


async def test_required_fields_and_unknown_keys_are_refused(
    client: MauticClient, mock_http: aioresponses
) -> None:
    widgets = Widgets(client)
    with pytest.raises(ValueError, match="name is required"):
        await widgets.create({})
    with pytest.raises(ValueError, match="unknown field"):
        await widgets.create({"name": "W", "colour": "red"})
    with pytest.raises(ValueError, match="id belongs"):
        await widgets.create(WidgetData("W", id=4))
    assert not mock_http.requests


async def test_write_only_fields_are_kept_from_what_was_sent(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.patch(f"{WIDGETS}/1/edit", payload={"widget": widget(1)})
    mock_http.patch(
        f"{WIDGETS}/batch/edit",
        payload={"widgets": [widget(1), widget(2)], "statusCodes": [200, 200]},
    )
    fancy = FancyWidgets(client)
    assert (await fancy.edit(1, {"owner": 7})).owner == 7
    result = await fancy.edit_batch([{"id": 1, "owner": 8}, {"id": 2, "name": "B"}])
    assert [w.owner for w in result.succeeded] == [8, None]
    # The plain resource takes the model as Mautic sent it.
    mock_http.patch(f"{WIDGETS}/1/edit", payload={"widget": widget(1)})
    assert (await Widgets(client).edit(1, {"owner": 7})).owner is None


async def test_fields_ignored_on_create_are_patched_after_it(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(f"{WIDGETS}/new", status=201, payload={"widget": widget(4)})
    mock_http.patch(f"{WIDGETS}/4/edit", payload={"widget": widget(4, settings={"a": 1})})
    created = await FancyWidgets(client).create({"name": "W", "settings": {"a": 1}, "owner": 2})
    assert (created.settings, created.owner) == ({"a": 1}, 2)
    patch = calls(mock_http)[1]
    assert patch.json == {"settings": {"a": 1}}


async def test_a_failed_follow_up_patch_names_the_entity(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.post(f"{WIDGETS}/new", status=201, payload={"widget": widget(4)})
    mock_http.patch(f"{WIDGETS}/4/edit", status=404, payload={"errors": []})
    with pytest.raises(CreatedWithoutFieldsError, match="widget 4 was created without its"):
        await FancyWidgets(client).create({"name": "W", "settings": {"a": 1}})


async def test_since_version_turns_the_catch_all_404_into_a_clear_error(
    client: MauticClient, mock_http: aioresponses
) -> None:
    catch_all = {"errors": [{"code": 404, "message": "Requested URL not found: /x"}]}
    mock_http.get(f"{WIDGETS}/1", status=404, payload=catch_all)
    with pytest.raises(EndpointUnavailableError, match=r"needs Mautic 9\.1 or later"):
        await FancyWidgets(client).get(1)
    # Without since_version the same answer stays a plain NotFoundError.
    mock_http.get(f"{WIDGETS}/1", status=404, payload=catch_all)
    with pytest.raises(NotFoundError) as caught:
        await Widgets(client).get(1)
    assert type(caught.value) is NotFoundError
