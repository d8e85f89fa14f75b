"""RetryPolicy: which failures are tried again, per method, and after how long."""

from __future__ import annotations

import pytest

from mautic_async import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    RetryPolicy,
    UnexpectedResponseError,
)
from mautic_async.errors import status_error_class

METHODS = ["GET", "PATCH", "POST", "PUT", "DELETE"]
SAFE = {"GET", "PATCH"}
POLICY = RetryPolicy(max_retries=3, jitter=0.0)


def zero() -> float:
    return 0.0


def status(code: int, retry_after: float | None = None) -> APIStatusError:
    cls = status_error_class(code)
    return cls("x", method="GET", path="/api/x", status=code, retry_after=retry_after)


def connection(*, sent: bool, timeout: bool = False) -> APIConnectionError:
    cls = APITimeoutError if timeout else APIConnectionError
    return cls("x", method="GET", path="/api/x", request_sent=sent)


UNKNOWN_OUTCOME: list[APIError] = [
    connection(sent=True),
    connection(sent=True, timeout=True),
    status(500),
    status(502),
    status(504),
    status(408),
]
NOT_PROCESSED: list[APIError] = [
    connection(sent=False),
    connection(sent=False, timeout=True),
    status(429),
    status(503),
]
NEVER: list[APIError] = [
    status(400),
    status(401),
    status(403),
    status(404),
    status(409),
    status(422),
    UnexpectedResponseError("x", method="GET", path="/api/x", status=200, body=b"<html>"),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("error", UNKNOWN_OUTCOME, ids=repr)
def test_unknown_outcome_is_retried_only_for_get_and_patch(method: str, error: APIError) -> None:
    expected = 0.5 if method in SAFE else None
    assert POLICY.delay(method, error, 0, rand=zero) == expected


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("error", UNKNOWN_OUTCOME, ids=repr)
def test_retry_unsafe_retries_every_method(method: str, error: APIError) -> None:
    policy = RetryPolicy(jitter=0.0, retry_unsafe=True)
    assert policy.delay(method, error, 0, rand=zero) == 0.5


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("error", NOT_PROCESSED, ids=repr)
def test_requests_that_did_not_take_effect_are_retried_for_every_method(
    method: str, error: APIError
) -> None:
    assert POLICY.delay(method, error, 1, rand=zero) == 1.0


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("error", NEVER, ids=repr)
@pytest.mark.parametrize("retry_unsafe", [False, True])
def test_client_errors_are_never_retried(method: str, error: APIError, retry_unsafe: bool) -> None:
    policy = RetryPolicy(jitter=0.0, retry_unsafe=retry_unsafe)
    assert policy.delay(method, error, 0, rand=zero) is None


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("code", [429, 503])
def test_retry_after_is_honoured_up_to_max_retry_after(method: str, code: int) -> None:
    policy = RetryPolicy(max_retry_after=60.0)
    assert policy.delay(method, status(code, retry_after=42.0), 0) == 42.0
    assert policy.delay(method, status(code, retry_after=60.0), 0) == 60.0
    assert policy.delay(method, status(code, retry_after=0.0), 0) == 0.0
    assert policy.delay(method, status(code, retry_after=60.5), 0) is None
    assert policy.delay(method, status(code, retry_after=3600.0), 0) is None


def test_retry_after_on_a_500_still_needs_a_repeatable_method() -> None:
    assert POLICY.delay("GET", status(500, retry_after=3.0), 0) == 3.0
    assert POLICY.delay("POST", status(500, retry_after=3.0), 0) is None


def test_backoff_schedule_doubles_up_to_the_cap() -> None:
    policy = RetryPolicy(max_retries=10, backoff_base=0.5, backoff_max=8.0, jitter=0.25)
    error = status(503)
    assert [policy.delay("GET", error, n, rand=zero) for n in range(7)] == [
        0.5,
        1.0,
        2.0,
        4.0,
        8.0,
        8.0,
        8.0,
    ]
    # Jitter takes up to 25% off each delay.
    assert [policy.delay("GET", error, n, rand=lambda: 1.0) for n in range(3)] == [
        0.375,
        0.75,
        1.5,
    ]
    assert policy.delay("GET", error, 2, rand=lambda: 0.5) == 1.75


def test_retries_stop_after_max_retries() -> None:
    policy = RetryPolicy(max_retries=2, jitter=0.0)
    error = status(503)
    assert policy.delay("GET", error, 0) == 0.5
    assert policy.delay("GET", error, 1) == 1.0
    assert policy.delay("GET", error, 2) is None


@pytest.mark.parametrize("error", [*UNKNOWN_OUTCOME, *NOT_PROCESSED], ids=repr)
def test_max_retries_zero_disables_retries(error: APIError) -> None:
    policy = RetryPolicy(max_retries=0, retry_unsafe=True)
    assert policy.delay("GET", error, 0) is None


def test_max_retries_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)


def test_default_policy() -> None:
    policy = RetryPolicy()
    assert (policy.max_retries, policy.max_retry_after, policy.retry_unsafe) == (2, 60.0, False)
