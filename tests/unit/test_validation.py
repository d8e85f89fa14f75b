"""Bad input is refused with ValueError/TypeError before any request is made."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aioresponses import aioresponses

from mautic_async import BasicAuth, MauticClient, OAuth2ClientCredentials, PointGroupData

BAD_IDS: list[tuple[Any, type[Exception]]] = [
    (0, ValueError),
    (-1, ValueError),
    (True, TypeError),
    (False, TypeError),
    ("1", TypeError),
    ("1/../users", TypeError),
    (1.5, TypeError),
    (1.0, TypeError),
    (None, TypeError),
]

Call = Callable[[MauticClient, Any], Awaitable[Any]]

ID_CALLS: dict[str, Call] = {
    "get": lambda c, i: c.point_groups.get(i),
    "edit": lambda c, i: c.point_groups.edit(i, {"name": "A"}),
    "replace": lambda c, i: c.point_groups.replace(i, {"name": "A"}),
    "delete": lambda c, i: c.point_groups.delete(i),
    "delete_batch": lambda c, i: c.point_groups.delete_batch([1, i]),
    "edit_batch": lambda c, i: c.point_groups.edit_batch([{"id": i, "name": "A"}]),
    "replace_batch": lambda c, i: c.point_groups.replace_batch([{"id": i, "name": "A"}]),
    "score_get": lambda c, i: c.contacts.point_group_scores(3).get(i),
    "score_plus": lambda c, i: c.contacts.point_group_scores(3).plus(i, 1),
    "score_adjust": lambda c, i: c.contacts.point_group_scores(3).adjust(i, "set", 1),
    "contact_id": lambda c, i: c.contacts.point_group_scores(i).list(),
    "contact_get": lambda c, i: c.contacts.get(i),
}


async def refused(
    mautic: MauticClient,
    mocked: aioresponses,
    call: Callable[[], Awaitable[Any]],
    error: type[Exception],
) -> Exception:
    with pytest.raises(error) as caught:
        await call()
    assert mocked.requests == {}, "a request was made for bad input"
    assert type(caught.value) is error
    return caught.value


@pytest.mark.parametrize(("bad_id", "error"), BAD_IDS, ids=repr)
@pytest.mark.parametrize("call", ID_CALLS.values(), ids=ID_CALLS.keys())
async def test_bad_ids_are_refused(
    client: MauticClient, mock_http: aioresponses, call: Call, bad_id: Any, error: type[Exception]
) -> None:
    exc = await refused(client, mock_http, lambda: call(client, bad_id), error)
    assert "must be a positive int" in str(exc)


async def test_bad_id_error_names_the_batch_item(
    client: MauticClient, mock_http: aioresponses
) -> None:
    exc = await refused(
        client,
        mock_http,
        lambda: client.point_groups.edit_batch([{"id": 1}, {"id": "2"}]),
        TypeError,
    )
    assert str(exc) == "item 1: id must be a positive int, not str '2'"


WRITE_CALLS: dict[str, Call] = {
    "create": lambda c, d: c.point_groups.create(d),
    "replace": lambda c, d: c.point_groups.replace(1, d),
    "create_batch": lambda c, d: c.point_groups.create_batch([{"name": "ok"}, d]),
    "replace_batch": lambda c, d: c.point_groups.replace_batch(
        [{"id": 1, "name": "ok"}, {"id": 2, **d} if isinstance(d, dict) else d]
    ),
}


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        ({"name": ""}, ValueError, "name must not be empty"),
        ({"name": "   "}, ValueError, "name must not be empty"),
        ({"name": "\t\n"}, ValueError, "name must not be empty"),
        ({"description": "no name"}, ValueError, "name is required"),
        ({}, ValueError, "name is required"),
        ({"name": 5}, TypeError, "name must be a str, not int 5"),
        ({"name": None}, TypeError, "name must be a str, not NoneType None"),
        ({"name": "A", "colour": "red"}, ValueError, "unknown field(s) ['colour']"),
        ({"name": "A", "isPublished": "1"}, TypeError, "isPublished"),
        ("name=A", TypeError, "data must be a PointGroupData or a mapping, not str"),
    ],
)
@pytest.mark.parametrize("call", WRITE_CALLS.values(), ids=WRITE_CALLS.keys())
async def test_bad_names_and_fields_are_refused(
    client: MauticClient,
    mock_http: aioresponses,
    call: Call,
    data: Any,
    error: type[Exception],
    message: str,
) -> None:
    exc = await refused(client, mock_http, lambda: call(client, data), error)
    assert message.replace("isPublished", "is_published") in str(exc)


@pytest.mark.parametrize(
    ("call", "message", "error"),
    [
        (
            lambda c: c.point_groups.create({"id": 3, "name": "A"}),
            "id belongs in the call's id",
            ValueError,
        ),
        (
            lambda c: c.point_groups.edit(3, PointGroupData(id=3)),
            "id belongs in the call's id",
            ValueError,
        ),
        (lambda c: c.point_groups.edit(3, {"nmae": "A"}), "unknown field(s) ['nmae']", ValueError),
        (
            lambda c: c.point_groups.create_batch([{"id": 1, "name": "A"}]),
            "item 0: id belongs",
            ValueError,
        ),
        (
            lambda c: c.point_groups.edit_batch([{"id": 1}, {"id": 2}, {"id": 1}]),
            "the same id appears more than once",
            ValueError,
        ),
        (
            lambda c: c.point_groups.replace_batch(
                [{"id": 4, "name": "A"}, {"id": 4, "name": "B"}]
            ),
            "the same id appears more than once",
            ValueError,
        ),
        (
            lambda c: c.point_groups.delete_batch([1, 2, 2]),
            "the same id appears more than once",
            ValueError,
        ),
        (
            lambda c: c.point_groups.create_batch([{"name": "A"}] * 201),
            "201 items, but Mautic accepts at most 200",
            ValueError,
        ),
        (
            lambda c: c.point_groups.edit_batch([{"id": n + 1} for n in range(201)]),
            "at most 200",
            ValueError,
        ),
        (lambda c: c.point_groups.delete_batch(list(range(1, 202))), "at most 200", ValueError),
        (lambda c: c.point_groups.list(start=-1), "start must not be negative", ValueError),
        (lambda c: c.point_groups.list(limit=-1), "limit must not be negative", ValueError),
        (
            lambda c: c.point_groups.list(order_by_dir="up"),
            "order_by_dir must be 'asc' or 'desc'",
            ValueError,
        ),
        (
            lambda c: c.point_groups.list(order_by="name; DROP TABLE"),
            "is not a field name",
            ValueError,
        ),
        (lambda c: c.point_groups.list(order_by=["name", ""]), "is not a field name", ValueError),
        (
            lambda c: c.point_groups.list(where=[{"col": "id", "val": 3}]),
            "where[0] must be",
            ValueError,
        ),
        (
            lambda c: c.point_groups.list(where=[{"expr": "eq", "val": 3}]),
            "where[0] must be",
            ValueError,
        ),
        (
            lambda c: c.point_groups.list(where=[{"col": "id", "expr": "eq"}, "id=3"]),
            "where[1] must be",
            ValueError,
        ),
        (
            lambda c: c.contacts.point_group_scores(3).adjust(1, "pow", 2),
            "operator must be one of",
            ValueError,
        ),
        (
            lambda c: c.contacts.point_group_scores(3).adjust(1, "PLUS", 2),
            "operator must be one of",
            ValueError,
        ),
        (
            lambda c: c.contacts.point_group_scores(3).divide(1, 0),
            "cannot divide a score by 0",
            ValueError,
        ),
        (lambda c: c.point_groups.list(start="0"), "start must be an int", TypeError),
        (lambda c: c.point_groups.list(limit=True), "limit must be an int", TypeError),
        (lambda c: c.point_groups.list(limit=2.0), "limit must be an int", TypeError),
        (lambda c: c.point_groups.list(search=5), "search must be a str", TypeError),
        (
            lambda c: c.point_groups.edit_batch([{"name": "A"}]),
            "item 0: id is required",
            ValueError,
        ),
        (
            lambda c: c.point_groups.create_batch({"name": "A"}),
            "items must be a sequence",
            TypeError,
        ),
        (lambda c: c.point_groups.create_batch("A"), "items must be a sequence", TypeError),
        (lambda c: c.point_groups.delete_batch("1,2"), "ids must be a sequence of ints", TypeError),
        (
            lambda c: c.contacts.point_group_scores(3).plus(1, "5"),
            "value must be an int",
            TypeError,
        ),
        (
            lambda c: c.contacts.point_group_scores(3).plus(1, 1.5),
            "value must be an int",
            TypeError,
        ),
        (
            lambda c: c.contacts.point_group_scores(3).plus(1, True),
            "value must be an int",
            TypeError,
        ),
        (
            lambda c: c.contacts.point_group_scores(3).set(1, None),
            "value must be an int",
            TypeError,
        ),
        (
            lambda c: c.contacts.point_group_scores(3).plus(1, 2, event_name=5),
            "eventName must be a str",
            TypeError,
        ),
    ],
)
async def test_bad_arguments_are_refused(
    client: MauticClient,
    mock_http: aioresponses,
    call: Callable[[MauticClient], Awaitable[Any]],
    message: str,
    error: type[Exception],
) -> None:
    exc = await refused(client, mock_http, lambda: call(client), error)
    assert message in str(exc)


# -- client construction ------------------------------------------------------------------


@pytest.mark.parametrize(
    "base_url",
    ["mautic.example.com", "//mautic.example.com", "ftp://mautic.example.com", "https://", "/api"],
)
def test_base_url_must_be_http_with_a_host(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url must be an http"):
        MauticClient(base_url)


def test_base_url_must_not_carry_credentials() -> None:
    with pytest.raises(ValueError, match="put them in auth=") as caught:
        MauticClient("https://admin:hunter2@mautic.example.com")
    assert "hunter2" not in str(caught.value)


def test_base_url_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="base_url must be a str"):
        MauticClient(b"https://mautic.example.com")  # type: ignore[arg-type]


AUTHS = [
    pytest.param(lambda: BasicAuth("admin", "pw"), id="basic"),
    pytest.param(lambda: OAuth2ClientCredentials("1_abc", "secret"), id="oauth2"),
]


@pytest.mark.parametrize("make_auth", AUTHS)
@pytest.mark.parametrize("host", ["mautic.example.com", "10.0.0.5", "mautic.local"])
def test_credentials_over_plain_http_are_refused(make_auth: Callable[[], Any], host: str) -> None:
    with pytest.raises(ValueError, match=f"refusing to send credentials over plain http to {host}"):
        MauticClient(f"http://{host}", auth=make_auth())


@pytest.mark.parametrize("make_auth", AUTHS)
def test_plain_http_is_allowed_when_asked_for(make_auth: Callable[[], Any]) -> None:
    mautic = MauticClient("http://mautic.example.com", auth=make_auth(), allow_insecure_http=True)
    assert mautic.base_url == "http://mautic.example.com/"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "127.0.0.5:8080"])
def test_plain_http_to_loopback_is_allowed(host: str) -> None:
    mautic = MauticClient(f"http://{host}", auth=BasicAuth("admin", "pw"))
    assert mautic.base_url == f"http://{host}/"


def test_plain_http_without_credentials_is_allowed() -> None:
    assert MauticClient("http://mautic.example.com").base_url == "http://mautic.example.com/"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"auth": ("admin", "pw")}, TypeError, "auth must be an Auth instance, not tuple"),
        ({"max_concurrency": 0}, ValueError, "max_concurrency must be at least 1"),
        ({"max_concurrency": True}, TypeError, "max_concurrency must be an int"),
        ({"timeout": 0}, ValueError, "timeout must be a positive number of seconds"),
        ({"timeout": -1.0}, ValueError, "timeout must be a positive number of seconds"),
        ({"timeout": "30"}, ValueError, "timeout must be a positive number of seconds"),
        ({"max_retries": -1}, ValueError, "max_retries"),
    ],
)
def test_bad_client_options(kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        MauticClient("https://mautic.example.com", **kwargs)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: BasicAuth("ad:min", "pw"), ValueError, "cannot contain ':'"),
        (lambda: BasicAuth("admin", None), TypeError, "must be str"),
        (lambda: OAuth2ClientCredentials("", "secret"), ValueError, "must not be empty"),
        (lambda: OAuth2ClientCredentials("1_abc", ""), ValueError, "must not be empty"),
        (lambda: OAuth2ClientCredentials(1, "secret"), TypeError, "must be str"),
    ],
)
def test_bad_auth_arguments(make: Callable[[], Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        make()
