"""The error hierarchy: classes by status, what each error carries, how it prints."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable

import pytest

from mautic_async import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ClientClosedError,
    ErrorItem,
    MauticError,
    NotFoundError,
    OAuthError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)
from mautic_async.errors import status_error_class


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ValidationError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (405, APIStatusError),
        (409, APIStatusError),
        (422, ValidationError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (599, ServerError),
    ],
)
def test_status_error_class(status: int, cls: type[APIStatusError]) -> None:
    assert status_error_class(status) is cls


@pytest.mark.parametrize(
    ("cls", "bases"),
    [
        (ClientClosedError, (MauticError,)),
        (APIConnectionError, (APIError, MauticError)),
        (APITimeoutError, (APIConnectionError, APIError)),
        (UnexpectedResponseError, (APIError,)),
        (ValidationError, (APIStatusError, APIError)),
        (OAuthError, (AuthenticationError, APIStatusError)),
        (RateLimitError, (APIStatusError,)),
        (ServerError, (APIStatusError,)),
    ],
)
def test_hierarchy(cls: type[Exception], bases: tuple[type[Exception], ...]) -> None:
    assert all(issubclass(cls, base) for base in bases)


def test_status_error_str_repr_and_attributes() -> None:
    errors = [ErrorItem("Item was not found.", 404)]
    exc = NotFoundError(
        "Item was not found.",
        method="GET",
        path="/api/points/groups/5",
        status=404,
        errors=errors,
        headers={"Mautic-Version": "5.1.1"},
        body=b'{"errors": []}',
    )
    assert str(exc) == "GET /api/points/groups/5 -> 404: Item was not found."
    assert repr(exc) == "NotFoundError('GET /api/points/groups/5 -> 404: Item was not found.')"
    assert exc.errors == tuple(errors)
    assert exc.headers == {"Mautic-Version": "5.1.1"}
    assert exc.body_snippet == '{"errors": []}'
    assert exc.retry_after is None


def test_connection_error_has_no_status_in_its_text() -> None:
    exc = APIConnectionError("could not connect", method="POST", path="/api/x", request_sent=False)
    assert str(exc) == "POST /api/x: could not connect"
    assert exc.status is None
    assert exc.request_sent is False


def test_unexpected_response_shows_the_start_of_the_body() -> None:
    exc = UnexpectedResponseError(
        "expected a JSON body", method="GET", path="/api/x", status=200, body="<h1>\n\n Hi </h1>"
    )
    assert exc.body_snippet == "<h1> Hi </h1>"
    assert str(exc) == "GET /api/x -> 200: expected a JSON body (body starts: '<h1> Hi </h1>')"


def test_validation_details_are_merged_over_all_errors() -> None:
    exc = ValidationError(
        "m",
        method="POST",
        path="/api/x",
        status=400,
        errors=[
            ErrorItem("name: A name is required.", 400, None, {"name": ["A name is required."]}),
            ErrorItem("other", 400),
            ErrorItem("alias: taken", 400, None, {"alias": ["taken"]}),
        ],
    )
    assert exc.details == {"name": ["A name is required."], "alias": ["taken"]}


@pytest.mark.parametrize(
    ("errors", "error_type"),
    [
        (
            [ErrorItem("The client credentials are invalid", 400, "invalid_client")],
            "invalid_client",
        ),
        ([], None),
    ],
)
def test_oauth_error_type(errors: list[ErrorItem], error_type: str | None) -> None:
    exc = OAuthError("m", method="POST", path="/oauth/v2/token", status=400, errors=errors)
    assert exc.error_type == error_type


def test_headers_are_case_insensitive() -> None:
    exc = RateLimitError(
        "m", method="GET", path="/api/x", status=429, headers={"X-RateLimit-Reset": "1700000000"}
    )
    assert exc.headers["x-ratelimit-reset"] == "1700000000"
    assert exc.headers.get("X-RATELIMIT-RESET") == "1700000000"


ERRORS = [
    RateLimitError(
        "You exceeded the rate limit",
        method="GET",
        path="/api/points/groups",
        status=429,
        errors=[ErrorItem("You exceeded the rate limit", 429, None, {})],
        headers={"X-RateLimit-Reset": "1700000000"},
        body=b'{"errors": []}',
        retry_after=30.0,
    ),
    OAuthError(
        "The client credentials are invalid",
        method="POST",
        path="/oauth/v2/token",
        status=400,
        errors=[ErrorItem("The client credentials are invalid", 400, "invalid_client")],
    ),
    APITimeoutError("timed out", method="POST", path="/api/x", request_sent=True),
    UnexpectedResponseError("expected JSON", method="GET", path="/api/x", status=200, body="<p>"),
]


@pytest.mark.parametrize("exc", ERRORS, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize(
    "duplicate", [copy.copy, lambda e: pickle.loads(pickle.dumps(e))], ids=["copy", "pickle"]
)
def test_errors_survive_copy_and_pickle(
    exc: APIError, duplicate: Callable[[APIError], APIError]
) -> None:
    again = duplicate(exc)
    assert type(again) is type(exc)
    assert again is not exc
    assert str(again) == str(exc)
    assert again.args == exc.args
    assert vars(again) == vars(exc)
