"""The sans-I/O protocol: requests, query flattening, Retry-After, error bodies,
status mapping and the parse_* functions (mautic-api.md sections 1, 4 and 7)."""

from __future__ import annotations

import email.utils
import json
from typing import Any

import pytest

from mautic_async import (
    APIStatusError,
    AuthenticationError,
    ErrorItem,
    NotFoundError,
    PermissionDeniedError,
    PointGroup,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)
from mautic_async._protocol import (
    APIRequest,
    decode_response,
    parse_batch,
    parse_batch_delete,
    parse_entity,
    parse_errors,
    parse_page,
    php_query,
    retry_after_seconds,
)

from .conftest import group_json

NOW = 1_700_000_000.0
REQ = APIRequest("GET", "api/points/groups/5")


def decode(status: int, body: bytes | str, headers: dict[str, str] | None = None) -> Any:
    raw = body.encode() if isinstance(body, str) else body
    return decode_response(REQ, status, headers or {}, raw, now=NOW)


def dumps(payload: Any) -> bytes:
    return json.dumps(payload).encode()


# -- APIRequest and php_query -------------------------------------------------------------


def test_display_path_is_the_path_from_the_site_root() -> None:
    request = APIRequest("DELETE", "api/points/groups/batch/delete", (("ids", "1,2"),))
    assert request.display_path == "/api/points/groups/batch/delete"
    assert request.json is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("x", [("p", "x")]),
        (3, [("p", "3")]),
        (True, [("p", "1")]),
        (False, [("p", "0")]),
        (None, [("p", "")]),
        ([1, 2], [("p[0]", "1"), ("p[1]", "2")]),
        ({"a": "b"}, [("p[a]", "b")]),
        (
            [{"col": "id", "expr": "between", "val": [1, 5]}],
            [
                ("p[0][col]", "id"),
                ("p[0][expr]", "between"),
                ("p[0][val][0]", "1"),
                ("p[0][val][1]", "5"),
            ],
        ),
        (
            {"expr": "orX", "val": [{"col": "name", "expr": "eq", "val": "A & B"}]},
            [
                ("p[expr]", "orX"),
                ("p[val][0][col]", "name"),
                ("p[val][0][expr]", "eq"),
                ("p[val][0][val]", "A & B"),
            ],
        ),
        ([], []),
    ],
)
def test_php_query_flattens_to_bracket_params(value: Any, expected: list[tuple[str, str]]) -> None:
    assert php_query("p", value) == expected


# -- retry_after_seconds --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "rate_limited", "expected"),
    [
        ({"Retry-After": "7"}, False, 7.0),
        ({"Retry-After": " 2.5 "}, False, 2.5),
        ({"Retry-After": "-3"}, False, 0.0),
        ({"Retry-After": email.utils.formatdate(NOW + 30, usegmt=True)}, False, 30.0),
        ({"Retry-After": email.utils.formatdate(NOW - 30, usegmt=True)}, False, 0.0),
        ({"X-RateLimit-Reset": str(int(NOW) + 120)}, True, 120.0),
        ({"X-RateLimit-Reset": str(int(NOW) - 5)}, True, 0.0),
        # Mautic sends X-RateLimit-Reset on every answer: it only means "wait" on a 429.
        ({"X-RateLimit-Reset": str(int(NOW) + 120)}, False, None),
        # Retry-After (from a proxy) wins over Mautic's reset time.
        ({"Retry-After": "4", "X-RateLimit-Reset": str(int(NOW) + 120)}, True, 4.0),
        # Garbage Retry-After falls through to the reset header, then to None.
        ({"Retry-After": "soon", "X-RateLimit-Reset": str(int(NOW) + 9)}, True, 9.0),
        ({"Retry-After": "soon"}, True, None),
        ({"X-RateLimit-Reset": "tomorrow"}, True, None),
        ({"Retry-After": ""}, False, None),
        ({}, True, None),
    ],
)
def test_retry_after_seconds(
    headers: dict[str, str], rate_limited: bool, expected: float | None
) -> None:
    result = retry_after_seconds(headers, NOW, rate_limited=rate_limited)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


# -- parse_errors: every body shape of mautic-api.md section 4 ---------------------------


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        pytest.param(
            {
                "errors": [
                    {"code": 404, "message": "Item was not found.", "details": [], "type": None}
                ]
            },
            [ErrorItem("Item was not found.", 404, None, {})],
            id="controller",
        ),
        pytest.param(
            {
                "errors": [
                    {
                        "code": 400,
                        "message": "name: A name is required.",
                        "details": {"name": ["A name is required."]},
                        "type": None,
                    }
                ]
            },
            [ErrorItem("name: A name is required.", 400, None, {"name": ["A name is required."]})],
            id="controller-validation",
        ),
        pytest.param(
            {
                "errors": [
                    {
                        "message": "The access token provided is invalid.",
                        "code": 401,
                        "type": "invalid_grant",
                    }
                ]
            },
            [ErrorItem("The access token provided is invalid.", 401, "invalid_grant")],
            id="security",
        ),
        pytest.param(
            json.loads(
                '{ "errors": [ { "code": 429, "message": "You exceeded the rate limit of 5 API'
                ' calls per hour.", "details": [] } ]}'
            ),
            [ErrorItem("You exceeded the rate limit of 5 API calls per hour.", 429, None)],
            id="rate-limit",
        ),
        pytest.param(
            {"errors": [{"message": "Item was not found.", "code": 404, "type": "api"}]},
            [ErrorItem("Item was not found.", 404, "api")],
            id="batch-item",
        ),
        pytest.param(
            {
                "errors": {
                    "1": {"message": "Item was not found.", "code": "404", "type": "api"},
                    "3": {"message": "Oops", "code": 400, "type": None},
                }
            },
            [ErrorItem("Item was not found.", 404, "api"), ErrorItem("Oops", 400, None)],
            id="object-keyed-by-index",
        ),
        pytest.param(
            {"error": "invalid_grant", "error_description": "Refresh token has expired"},
            [ErrorItem("Refresh token has expired", 418, "invalid_grant")],
            id="raw-oauth",
        ),
        pytest.param(
            {"error": "access_denied"},
            [ErrorItem("access_denied", 418, "access_denied")],
            id="raw-oauth-without-description",
        ),
        pytest.param(
            {"error": {"message": "Legacy message", "code": 404}},
            [ErrorItem("Legacy message", 418)],
            id="legacy-error-object",
        ),
        pytest.param(
            {"errors": ["plain string"]},
            [ErrorItem("plain string", 418)],
            id="item-not-an-object",
        ),
        pytest.param({"errors": []}, [], id="empty-list"),
        pytest.param({"something": "else"}, [], id="no-errors-key"),
        pytest.param(["not", "a", "mapping"], [], id="list-body"),
        pytest.param(None, [], id="no-body"),
    ],
)
def test_parse_errors(payload: Any, expected: list[ErrorItem]) -> None:
    assert parse_errors(payload, 418) == expected


# -- decode_response ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "payload"),
    [(200, {"pointGroup": {"id": 1}}), (201, {"pointGroup": {"id": 2}}), (200, [])],
)
def test_decode_response_returns_the_json_of_a_success(status: int, payload: Any) -> None:
    assert decode(status, dumps(payload)) == payload


@pytest.mark.parametrize(
    ("body", "message", "snippet"),
    [
        (b"", "expected a JSON body, got an empty one", ""),
        (
            b"<html><body>\n  Maintenance\n</body></html>",
            "expected a JSON body",
            "<html><body> Maintenance </body></html>",
        ),
        (b'{"pointGroup": {"id": 1, "na', "expected a JSON body", '{"pointGroup": {"id": 1, "na'),
        (b"\xff\xfe not utf-8", "expected a JSON body", "\ufffd\ufffd not utf-8"),
    ],
)
def test_decode_response_rejects_a_success_that_is_not_json(
    body: bytes, message: str, snippet: str
) -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        decode(200, body)
    exc = caught.value
    assert exc.message == message
    assert exc.body_snippet == snippet
    assert (exc.method, exc.path, exc.status) == ("GET", "/api/points/groups/5", 200)
    assert repr(snippet) in str(exc)


def test_body_snippet_is_cut_to_200_characters() -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        decode(200, "<p>" + "x" * 1000)
    assert caught.value.body_snippet == ("<p>" + "x" * 1000)[:200]


@pytest.mark.parametrize("status", [301, 302, 307])
def test_decode_response_refuses_a_redirect_and_names_the_location(status: int) -> None:
    with pytest.raises(APIStatusError) as caught:
        decode(status, b"", {"Location": "https://elsewhere.example/login"})
    exc = caught.value
    assert type(exc) is APIStatusError
    assert exc.status == status
    assert "https://elsewhere.example/login" in exc.message
    assert "use the final address as base_url" in exc.message


CONTROLLER_404 = {
    "errors": [{"code": 404, "message": "Item was not found.", "details": [], "type": None}]
}
VALIDATION_400 = {
    "errors": [
        {
            "code": 400,
            "message": "name: A name is required.",
            "details": {"name": ["A name is required."]},
            "type": None,
        }
    ]
}


@pytest.mark.parametrize(
    ("status", "payload", "cls", "message"),
    [
        (400, VALIDATION_400, ValidationError, "name: A name is required."),
        (422, VALIDATION_400, ValidationError, "name: A name is required."),
        (
            401,
            {
                "errors": [
                    {"message": "API authorization denied.", "code": 401, "type": "access_denied"}
                ]
            },
            AuthenticationError,
            "API authorization denied.",
        ),
        (
            403,
            {
                "errors": [
                    {
                        "message": "API disabled. You need to enable the API in the API settings"
                        " of Mautic's Configuration.",
                        "code": 403,
                        "type": "api_disabled",
                    }
                ]
            },
            PermissionDeniedError,
            "API disabled. You need to enable the API in the API settings"
            " of Mautic's Configuration.",
        ),
        (404, CONTROLLER_404, NotFoundError, "Item was not found."),
        (
            500,
            {
                "errors": [
                    {
                        "message": "Looks like I encountered an error (error #500).",
                        "code": 500,
                        "type": None,
                    }
                ]
            },
            ServerError,
            "Looks like I encountered an error (error #500).",
        ),
        (503, {"unexpected": True}, ServerError, "HTTP 503 with an unrecognised error body"),
        (409, {"errors": [{"message": "Conflict", "code": 409}]}, APIStatusError, "Conflict"),
        (
            400,
            {"errors": [{"message": "a", "code": 400}, {"message": "b", "code": 400}]},
            ValidationError,
            "a; b",
        ),
    ],
)
def test_decode_response_maps_each_status_to_its_error(
    status: int, payload: Any, cls: type[APIStatusError], message: str
) -> None:
    with pytest.raises(APIStatusError) as caught:
        decode(status, dumps(payload))
    exc = caught.value
    assert type(exc) is cls
    assert (exc.method, exc.path, exc.status, exc.message) == (
        "GET",
        "/api/points/groups/5",
        status,
        message,
    )
    assert exc.errors == tuple(parse_errors(payload, status))
    assert str(exc) == f"GET /api/points/groups/5 -> {status}: {message}"


def test_validation_error_carries_the_per_field_details() -> None:
    with pytest.raises(ValidationError) as caught:
        decode(400, dumps(VALIDATION_400))
    assert caught.value.details == {"name": ["A name is required."]}


def test_rate_limit_error_says_when_mautic_resets() -> None:
    body = (
        '{ "errors": [ { "code": 429, "message": "You exceeded the rate limit of 5 API calls'
        ' per hour.", "details": [] } ]}'
    )
    headers = {
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(int(NOW) + 1800),
    }
    with pytest.raises(RateLimitError) as caught:
        decode(429, body, headers)
    exc = caught.value
    assert exc.retry_after == pytest.approx(1800.0)
    assert exc.message == "You exceeded the rate limit of 5 API calls per hour."
    assert exc.errors == (
        ErrorItem("You exceeded the rate limit of 5 API calls per hour.", 429, None, {}),
    )
    assert exc.headers["X-RateLimit-Limit"] == "5"


def test_x_ratelimit_reset_on_a_non_429_is_not_a_retry_after() -> None:
    with pytest.raises(ServerError) as caught:
        decode(503, b"{}", {"X-RateLimit-Reset": str(int(NOW) + 1800)})
    assert caught.value.retry_after is None


def test_retry_after_header_is_kept_on_a_5xx() -> None:
    with pytest.raises(ServerError) as caught:
        decode(503, b"{}", {"Retry-After": "12"})
    assert caught.value.retry_after == 12.0


def test_an_html_502_page_is_a_server_error_with_its_snippet() -> None:
    page = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body></html>"
    with pytest.raises(ServerError) as caught:
        decode(502, page, {"Content-Type": "text/html"})
    exc = caught.value
    assert exc.status == 502
    assert exc.errors == ()
    assert exc.message == "HTTP 502 with a non-JSON body (a proxy or server error page?)"
    assert (
        exc.body_snippet
        == "<html> <head><title>502 Bad Gateway</title></head> <body>nginx</body></html>"
    )


def test_status_error_overrides_the_class() -> None:
    from mautic_async import OAuthError

    with pytest.raises(OAuthError):
        decode_response(REQ, 400, {}, dumps(VALIDATION_400), now=NOW, status_error=OAuthError)


# -- parse_entity / parse_page --------------------------------------------------------------


def test_parse_entity_structures_the_member() -> None:
    group = parse_entity(REQ, {"pointGroup": group_json(id="7")}, "pointGroup", PointGroup)
    assert group.id == 7
    assert group.name == "Group A"


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ({"other": {}}, "expected a JSON object with key 'pointGroup'"),
        ([], "expected a JSON object with key 'pointGroup'"),
        (None, "expected a JSON object with key 'pointGroup'"),
        ({"pointGroup": "x"}, "cannot read PointGroup: expected an object for PointGroup"),
        ({"pointGroup": group_json(id="abc")}, "cannot read PointGroup: invalid value for type"),
        ({"pointGroup": {"id": 1}}, "cannot read PointGroup: required key 'name' is missing"),
    ],
)
def test_parse_entity_rejects_wrong_shapes(payload: Any, why: str) -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        parse_entity(REQ, payload, "pointGroup", PointGroup)
    exc = caught.value
    assert exc.message.startswith(why)
    assert exc.status is None
    assert (exc.method, exc.path) == ("GET", "/api/points/groups/5")
    assert exc.body_snippet == json.dumps(payload)[:200]


@pytest.mark.parametrize(
    ("collection", "ids"),
    [
        pytest.param([group_json(id=1), group_json(id=2)], (1, 2), id="list"),
        pytest.param({"3": group_json(id=3), "7": group_json(id=7)}, (3, 7), id="id-keyed"),
        pytest.param([], (), id="empty-list"),
        pytest.param({}, (), id="empty-object"),
    ],
)
def test_parse_page_accepts_a_list_or_an_id_keyed_object(
    collection: Any, ids: tuple[int, ...]
) -> None:
    page = parse_page(REQ, {"total": "12", "pointGroups": collection}, "pointGroups", PointGroup)
    assert page.total == 12
    assert tuple(g.id for g in page.items) == ids


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ({"pointGroups": []}, "expected a JSON object with key 'total'"),
        ({"total": 0}, "expected a JSON object with key 'pointGroups'"),
        ({"total": "many", "pointGroups": []}, "cannot read int"),
        ({"total": 1, "pointGroups": "x"}, "cannot read tuple: expected a list, got str"),
        ({"total": 1, "pointGroups": [1]}, "cannot read tuple"),
    ],
)
def test_parse_page_rejects_wrong_shapes(payload: Any, why: str) -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        parse_page(REQ, payload, "pointGroups", PointGroup)
    assert caught.value.message.startswith(why)


# -- parse_batch ----------------------------------------------------------------------------

BATCH = APIRequest("POST", "api/points/groups/batch/new", json=[{}, {}, {}])


def test_parse_batch_all_succeeded_as_lists() -> None:
    payload = {
        "pointGroups": [group_json(id=1, name="A"), group_json(id=2, name="B")],
        "statusCodes": [201, "201"],
    }
    result = parse_batch(BATCH, payload, "pointGroups", PointGroup, 2)
    assert [(i.index, i.status_code, i.ok, i.error) for i in result] == [
        (0, 201, True, None),
        (1, 201, True, None),
    ]
    assert [g.name for g in result.succeeded] == ["A", "B"]
    assert result.failed == []


def test_parse_batch_with_a_failed_item_and_non_sequential_keys() -> None:
    # Item 0 failed validation: PHP then sends the entities as {"1": ...} and the errors
    # as a list holding only key 0.
    payload = {
        "pointGroups": {"1": group_json(id=9, name="B")},
        "statusCodes": [400, 201],
        "errors": [
            {
                "code": 400,
                "message": "name: A name is required.",
                "details": {"name": ["A name is required."]},
                "type": None,
            }
        ],
    }
    result = parse_batch(BATCH, payload, "pointGroups", PointGroup, 2)
    failed, made = result.items
    assert (failed.index, failed.status_code, failed.item, failed.ok) == (0, 400, None, False)
    assert failed.error == ErrorItem(
        "name: A name is required.", 400, None, {"name": ["A name is required."]}
    )
    assert (made.index, made.status_code, made.ok) == (1, 201, True)
    assert made.item is not None
    assert made.item.id == 9
    assert result.failed == [failed]
    assert len(result) == 2
    assert result[1] is made


def test_parse_batch_errors_keyed_by_index_object() -> None:
    payload = {
        "pointGroups": {"0": group_json(id=4)},
        "statusCodes": {"0": 200, "1": 404},
        "errors": {"1": {"message": "Item was not found.", "code": 404, "type": "api"}},
    }
    result = parse_batch(BATCH, payload, "pointGroups", PointGroup, 2)
    assert [(i.status_code, i.ok) for i in result] == [(200, True), (404, False)]
    assert result[1].error == ErrorItem("Item was not found.", 404, "api")


def test_parse_batch_ignores_keys_that_are_not_indexes() -> None:
    payload = {
        "pointGroups": {"0": group_json(id=4), "extra": group_json(id=5)},
        "statusCodes": {"0": 201, "x": 500},
    }
    result = parse_batch(BATCH, payload, "pointGroups", PointGroup, 1)
    assert [(i.status_code, i.ok, i.item.id if i.item else None) for i in result] == [
        (201, True, 4)
    ]


def test_parse_batch_reports_indexes_mautic_said_nothing_about() -> None:
    payload = {"pointGroups": [group_json(id=1)], "statusCodes": [201]}
    result = parse_batch(BATCH, payload, "pointGroups", PointGroup, 3)
    assert len(result) == 3
    assert result[0].ok
    for index in (1, 2):
        item = result[index]
        assert (item.index, item.status_code, item.item, item.ok) == (index, None, None, False)
        assert item.error == ErrorItem(
            f"Mautic's answer has no result for item {index}", None, "missing"
        )


def test_parse_batch_without_status_codes_reports_every_item_missing() -> None:
    result = parse_batch(BATCH, {"pointGroups": []}, "pointGroups", PointGroup, 2)
    assert [i.error.type if i.error else None for i in result] == ["missing", "missing"]


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ({"statusCodes": [201]}, "expected a JSON object with key 'pointGroups'"),
        ([], "expected a JSON object with key 'pointGroups'"),
        ({"pointGroups": [{"id": "x"}], "statusCodes": [201]}, "cannot read PointGroup"),
        ({"pointGroups": [group_json()], "statusCodes": ["ok"]}, "cannot read int"),
    ],
)
def test_parse_batch_rejects_wrong_shapes(payload: Any, why: str) -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        parse_batch(BATCH, payload, "pointGroups", PointGroup, 1)
    assert caught.value.message.startswith(why)


# -- parse_batch_delete -------------------------------------------------------------------

DELETE = APIRequest("DELETE", "api/points/groups/batch/delete", (("ids", "1,2,3"),))


@pytest.mark.parametrize(
    "collection",
    [
        pytest.param([group_json(id=1), group_json(id=3)], id="list"),
        pytest.param({"0": group_json(id=1), "2": group_json(id="3")}, id="index-keyed"),
    ],
)
def test_parse_batch_delete_reports_missing_ids_as_404(collection: Any) -> None:
    result = parse_batch_delete(
        DELETE, {"pointGroups": collection}, "pointGroups", PointGroup, [1, 2, 3]
    )
    assert [(i.index, i.status_code, i.ok) for i in result] == [
        (0, 200, True),
        (1, 404, False),
        (2, 200, True),
    ]
    assert [g.id for g in result.succeeded] == [1, 3]
    assert result[1].item is None
    assert result[1].error == ErrorItem("Item was not found.", 404, "missing")


def test_parse_batch_delete_keeps_mautic_errors_at_their_index() -> None:
    payload = {
        "pointGroups": [group_json(id=1), group_json(id=2)],
        "errors": {"1": {"message": "You do not have access.", "code": 403, "type": "api"}},
    }
    result = parse_batch_delete(DELETE, payload, "pointGroups", PointGroup, [1, 2])
    denied = result[1]
    assert (denied.status_code, denied.ok) == (403, False)
    assert denied.error == ErrorItem("You do not have access.", 403, "api")
    assert denied.item is not None
    assert denied.item.id == 2
    assert result[0].ok


def test_parse_batch_delete_with_nothing_found() -> None:
    result = parse_batch_delete(DELETE, {"pointGroups": []}, "pointGroups", PointGroup, [5])
    assert [(i.status_code, i.error) for i in result] == [
        (404, ErrorItem("Item was not found.", 404, "missing"))
    ]


@pytest.mark.parametrize("payload", [{"deleted": []}, "nope", {"pointGroups": ["x"]}])
def test_parse_batch_delete_rejects_wrong_shapes(payload: Any) -> None:
    with pytest.raises(UnexpectedResponseError):
        parse_batch_delete(DELETE, payload, "pointGroups", PointGroup, [1])


@pytest.mark.parametrize(
    "value",
    [{"name": "Gruppe Ä", "isPublished": False, "description": None}, [1, 2], 2**70],
)
def test_encode_body_is_compact_json_that_reads_back(value: Any) -> None:
    from mautic_async._protocol import encode_body

    encoded = encode_body(value)
    assert isinstance(encoded, bytes)
    assert b", " not in encoded
    assert b": " not in encoded
    assert json.loads(encoded) == value


def test_encode_body_refuses_what_json_cannot_hold() -> None:
    from mautic_async._protocol import encode_body

    with pytest.raises(TypeError):
        encode_body({"when": object()})


def test_an_unreadable_batch_error_keeps_its_text_and_the_items_status() -> None:
    payload = {"pointGroups": {}, "statusCodes": [500], "errors": ["PHP Warning: oops"]}
    result = parse_batch(BATCH, payload, "pointGroups", PointGroup, 1)
    (item,) = result.items
    assert item.status_code == 500
    assert item.error is not None
    assert (item.error.message, item.error.code) == ("PHP Warning: oops", 500)
