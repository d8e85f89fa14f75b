"""MauticClient: lifecycle, headers, base URL, the request loop (retries, transport
failures, error mapping) and logging."""

from __future__ import annotations

import asyncio
import base64
import logging
import re
import time
from collections.abc import Callable
from typing import Any
from unittest.mock import Mock

import aiohttp
import pytest
from aioresponses import aioresponses

from mautic_async import (
    DEFAULT_TIMEOUT,
    APIConnectionError,
    APIRequest,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BasicAuth,
    ClientClosedError,
    MauticClient,
    NotFoundError,
    OAuth2ClientCredentials,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
    __version__,
)

from .conftest import BASE, GROUPS, PASSWORD, FakeSleep, calls, group_json, only_call

GROUP_1 = f"{GROUPS}/1"
GET_1 = APIRequest("GET", "api/points/groups/1")
POST_NEW = APIRequest("POST", "api/points/groups/new", json={"name": "A"})
OK = {"pointGroup": group_json()}


def connector_error() -> aiohttp.ClientConnectorError:
    key = Mock(host="mautic.example.com", port=443, ssl=True)
    return aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "Connection refused"))


@pytest.fixture
def sessions_made(monkeypatch: pytest.MonkeyPatch) -> list[aiohttp.ClientSession]:
    """Every aiohttp.ClientSession created while the test runs."""
    made: list[aiohttp.ClientSession] = []
    real = aiohttp.ClientSession

    def record(*args: Any, **kwargs: Any) -> aiohttp.ClientSession:
        session = real(*args, **kwargs)
        made.append(session)
        return session

    monkeypatch.setattr(aiohttp, "ClientSession", record)
    return made


# -- lifecycle -----------------------------------------------------------------------------


def test_constructing_outside_a_running_loop_creates_no_session(
    sessions_made: list[aiohttp.ClientSession],
) -> None:
    for auth in (BasicAuth("admin", PASSWORD), OAuth2ClientCredentials("1_a", "secret")):
        mautic = MauticClient(BASE, auth=auth)
        assert mautic.point_groups is mautic.point_groups
        assert mautic.closed is False
    assert sessions_made == []


async def test_the_session_is_made_on_first_use_and_reused(
    mock_http: aioresponses, sessions_made: list[aiohttp.ClientSession]
) -> None:
    mock_http.get(GROUP_1, payload=OK, repeat=True)
    mautic = MauticClient(BASE)
    assert sessions_made == []
    await mautic.point_groups.get(1)
    await mautic.point_groups.get(1)
    assert len(sessions_made) == 1
    session = sessions_made[0]
    assert session.closed is False
    await mautic.close()
    assert session.closed is True


async def test_async_with_opens_and_closes(
    mock_http: aioresponses, sessions_made: list[aiohttp.ClientSession]
) -> None:
    mock_http.get(GROUP_1, payload=OK)
    async with MauticClient(BASE) as mautic:
        assert isinstance(mautic, MauticClient)
        assert (await mautic.point_groups.get(1)).id == 1
    assert mautic.closed is True
    assert [s.closed for s in sessions_made] == [True]


async def test_close_is_idempotent_and_safe_before_use(
    sessions_made: list[aiohttp.ClientSession],
) -> None:
    mautic = MauticClient(BASE)
    await mautic.close()
    await mautic.close()
    assert mautic.closed is True
    assert sessions_made == []


@pytest.mark.parametrize(
    "use",
    [
        lambda m: m.point_groups.get(1),
        lambda m: m.request(GET_1),
        lambda m: m.__aenter__(),
    ],
    ids=["resource", "request", "aenter"],
)
async def test_use_after_close_raises(
    mock_http: aioresponses, use: Callable[[MauticClient], Any]
) -> None:
    mock_http.get(GROUP_1, payload=OK)
    async with MauticClient(BASE) as mautic:
        await mautic.point_groups.get(1)
    with pytest.raises(ClientClosedError, match="closed"):
        await use(mautic)
    assert len(calls(mock_http)) == 1


async def test_a_caller_supplied_session_is_used_and_left_open(
    mock_http: aioresponses, sessions_made: list[aiohttp.ClientSession]
) -> None:
    mock_http.get(GROUP_1, payload=OK)
    async with aiohttp.ClientSession() as own:
        sessions_made.clear()
        async with MauticClient(BASE, session=own) as mautic:
            assert (await mautic.point_groups.get(1)).id == 1
        assert mautic.closed is True
        assert own.closed is False
        assert sessions_made == []  # ours was used; the client made none
        assert len(calls(mock_http)) == 1


async def test_a_caller_session_that_raises_for_status_still_gets_mautic_errors(
    mock_http: aioresponses, sleeps: FakeSleep
) -> None:
    body = {
        "errors": [{"code": 404, "message": "Item was not found.", "details": [], "type": None}]
    }
    mock_http.get(GROUP_1, status=404, payload=body)
    async with (
        aiohttp.ClientSession(raise_for_status=True) as own,
        MauticClient(BASE, session=own, sleep=sleeps) as mautic,
    ):
        with pytest.raises(NotFoundError, match=r"Item was not found\."):
            await mautic.point_groups.get(1)
    assert len(calls(mock_http)) == 1
    assert sleeps.delays == []


# -- what goes on the wire -----------------------------------------------------------------


async def test_default_headers(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.post(f"{GROUPS}/new", status=201, payload=OK)
    await client.point_groups.create({"name": "A"})
    headers = only_call(mock_http).headers
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == f"mautic-async/{__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", __version__)
    assert headers["Content-Type"] == "application/json"
    expected = base64.b64encode(f"admin:{PASSWORD}".encode()).decode()
    assert headers["Authorization"] == f"Basic {expected}"


async def test_extra_headers_are_sent(mock_http: aioresponses) -> None:
    mock_http.get(GROUP_1, payload=OK)
    async with MauticClient(BASE, headers={"X-Trace": "t1"}) as mautic:
        await mautic.point_groups.get(1)
    headers = only_call(mock_http).headers
    assert headers["X-Trace"] == "t1"
    assert headers["Accept"] == "application/json"
    assert "Authorization" not in headers


async def test_timeouts_reach_aiohttp(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(GROUP_1, payload=OK, repeat=True)
    await client.point_groups.get(1)
    await client.request(GET_1, timeout=5)
    first, second = next(iter(mock_http.requests.values()))
    # Our own session carries the default timeout; a request passes only a different one.
    assert client._ensure_session().timeout == DEFAULT_TIMEOUT
    assert "timeout" not in first.kwargs
    assert second.kwargs["timeout"] == aiohttp.ClientTimeout(total=5.0)
    assert first.kwargs["allow_redirects"] is False


async def test_a_callers_session_gets_every_option_per_request(mock_http: aioresponses) -> None:
    mock_http.get(GROUP_1, payload=OK)
    async with (
        aiohttp.ClientSession() as session,
        MauticClient(BASE, session=session, timeout=9, verify_tls=False) as mautic,
    ):
        await mautic.point_groups.get(1)
    (recorded,) = next(iter(mock_http.requests.values()))
    assert recorded.kwargs["timeout"] == aiohttp.ClientTimeout(total=9.0)
    assert recorded.kwargs["ssl"] is False
    assert recorded.kwargs["raise_for_status"] is False
    assert recorded.kwargs["allow_redirects"] is False


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [
        (7.5, aiohttp.ClientTimeout(total=7.5)),
        (3, aiohttp.ClientTimeout(total=3.0)),
        (aiohttp.ClientTimeout(connect=1), aiohttp.ClientTimeout(connect=1)),
    ],
)
async def test_client_timeout_option(
    mock_http: aioresponses, timeout: Any, expected: aiohttp.ClientTimeout
) -> None:
    mock_http.get(GROUP_1, payload=OK, repeat=True)
    async with MauticClient(BASE, timeout=timeout) as mautic:
        await mautic.point_groups.get(1)
        session_timeout = mautic._ensure_session().timeout
        assert session_timeout == expected
        await mautic.with_options(timeout=timeout).point_groups.get(1)
    _, through_copy = next(iter(mock_http.requests.values()))
    # The copy's timeout is passed per request, or left to the session when it is its own.
    assert through_copy.kwargs.get("timeout", session_timeout) == expected


@pytest.mark.parametrize(
    ("base_url", "root"),
    [
        ("https://mautic.example.com", "https://mautic.example.com/"),
        ("https://mautic.example.com/", "https://mautic.example.com/"),
        ("https://mautic.example.com/api", "https://mautic.example.com/"),
        ("https://mautic.example.com/api/", "https://mautic.example.com/"),
        ("https://mautic.example.com/mautic", "https://mautic.example.com/mautic/"),
        ("https://mautic.example.com/mautic/", "https://mautic.example.com/mautic/"),
        ("https://mautic.example.com/mautic/api", "https://mautic.example.com/mautic/"),
        ("https://mautic.example.com/mautic/api/?x=1#top", "https://mautic.example.com/mautic/"),
        ("https://mautic.example.com:8443/a/b/api", "https://mautic.example.com:8443/a/b/"),
        ("https://mautic.example.com/apis", "https://mautic.example.com/apis/"),
    ],
)
async def test_base_url_with_or_without_api_and_with_a_sub_path(
    mock_http: aioresponses, base_url: str, root: str
) -> None:
    mock_http.get(re.compile(".*"), payload=OK)
    async with MauticClient(base_url) as mautic:
        assert mautic.base_url == root
        await mautic.point_groups.get(1)
    assert str(only_call(mock_http).url) == f"{root}api/points/groups/1"


async def test_request_returns_the_raw_payload(
    client: MauticClient, mock_http: aioresponses
) -> None:
    mock_http.get(GROUP_1, payload={"pointGroup": {"id": 1}, "extra": [1, 2]})
    assert await client.request(GET_1) == {"pointGroup": {"id": 1}, "extra": [1, 2]}


# -- retries -------------------------------------------------------------------------------


async def test_retries_wait_with_the_backoff_schedule(
    client: MauticClient, mock_http: aioresponses, sleeps: FakeSleep
) -> None:
    mock_http.get(GROUP_1, status=503, payload={})
    mock_http.get(GROUP_1, status=502, body="<html>Bad gateway</html>")
    mock_http.get(GROUP_1, payload=OK)
    assert (await client.point_groups.get(1)).id == 1
    assert sleeps.delays == [0.5, 1.0]
    assert len(calls(mock_http)) == 3


async def test_retries_give_up_after_max_retries(
    client: MauticClient, mock_http: aioresponses, sleeps: FakeSleep
) -> None:
    mock_http.get(GROUP_1, status=500, payload={"errors": []}, repeat=True)
    with pytest.raises(ServerError):
        await client.point_groups.get(1)
    assert sleeps.delays == [0.5, 1.0]
    assert len(calls(mock_http)) == 3


@pytest.mark.parametrize(("max_retries", "attempts"), [(0, 1), (1, 2)])
async def test_per_call_max_retries(
    client: MauticClient,
    mock_http: aioresponses,
    sleeps: FakeSleep,
    max_retries: int,
    attempts: int,
) -> None:
    mock_http.get(GROUP_1, status=503, payload={}, repeat=True)
    with pytest.raises(ServerError):
        await client.request(GET_1, max_retries=max_retries)
    assert len(calls(mock_http)) == attempts
    assert len(sleeps.delays) == attempts - 1


async def test_client_max_retries_option(mock_http: aioresponses) -> None:
    sleeps = FakeSleep()
    mock_http.get(GROUP_1, status=503, payload={}, repeat=True)
    async with MauticClient(BASE, max_retries=0, sleep=sleeps) as mautic:
        assert mautic.retry_policy.max_retries == 0
        with pytest.raises(ServerError):
            await mautic.point_groups.get(1)
    assert len(calls(mock_http)) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("method", ["post", "put", "delete", "get"])
async def test_retry_after_is_slept_through_for_every_method_on_429(
    client: MauticClient, mock_http: aioresponses, sleeps: FakeSleep, method: str
) -> None:
    url = f"{GROUPS}/new" if method == "post" else f"{GROUPS}/1/edit"
    limited = {"errors": [{"code": 429, "message": "You exceeded the rate limit", "details": []}]}
    mock_http.add(
        url, method=method.upper(), status=429, payload=limited, headers={"Retry-After": "3"}
    )
    mock_http.add(url, method=method.upper(), payload=OK)
    assert await client.request(APIRequest(method.upper(), url.removeprefix(BASE + "/"))) == OK
    assert sleeps.delays == [3.0]


async def test_a_rate_limit_reset_far_away_is_raised_not_slept(
    client: MauticClient, mock_http: aioresponses, sleeps: FakeSleep
) -> None:
    body = (
        '{ "errors": [ { "code": 429, "message": "You exceeded the rate limit of 5 API calls'
        ' per hour.", "details": [] } ]}'
    )
    reset = int(time.time()) + 1800
    mock_http.get(GROUP_1, status=429, body=body, headers={"X-RateLimit-Reset": str(reset)})
    with pytest.raises(RateLimitError) as caught:
        await client.point_groups.get(1)
    assert 1790 < (caught.value.retry_after or 0) <= 1800
    assert sleeps.delays == []
    assert len(calls(mock_http)) == 1


@pytest.mark.parametrize(
    ("method", "exception", "retried"),
    [
        # The outcome is unknown: only GET and PATCH are sent again.
        ("POST", asyncio.TimeoutError(), False),
        ("PUT", asyncio.TimeoutError(), False),
        ("DELETE", aiohttp.ServerDisconnectedError(), False),
        ("GET", asyncio.TimeoutError(), True),
        ("PATCH", aiohttp.ServerDisconnectedError(), True),
        # The request never left: every method is sent again.
        ("POST", connector_error(), True),
        ("POST", aiohttp.ConnectionTimeoutError(), True),
        ("DELETE", connector_error(), True),
    ],
    ids=repr,
)
async def test_which_transport_failures_are_retried(
    client: MauticClient,
    mock_http: aioresponses,
    sleeps: FakeSleep,
    method: str,
    exception: Exception,
    retried: bool,
) -> None:
    mock_http.add(GROUP_1, method=method, exception=exception)
    mock_http.add(GROUP_1, method=method, payload=OK)
    request = APIRequest(method, "api/points/groups/1", json={} if method != "GET" else None)
    if retried:
        assert await client.request(request) == OK
        assert sleeps.delays == [0.5]
        assert len(calls(mock_http)) == 2
    else:
        with pytest.raises(APIConnectionError) as caught:
            await client.request(request)
        assert caught.value.request_sent is True
        assert "may" in caught.value.message  # "...may (still) have taken effect"
        assert sleeps.delays == []
        assert len(calls(mock_http)) == 1


@pytest.mark.parametrize(
    ("exception", "cls", "request_sent", "message"),
    [
        (asyncio.TimeoutError(), APITimeoutError, True, "timed out waiting for Mautic's answer"),
        (aiohttp.ServerTimeoutError("read"), APITimeoutError, True, "timed out waiting"),
        (aiohttp.ConnectionTimeoutError("connect"), APITimeoutError, False, "timed out connecting"),
        (connector_error(), APIConnectionError, False, "could not connect: Cannot connect to host"),
        (aiohttp.ServerDisconnectedError(), APIConnectionError, True, "ServerDisconnectedError"),
        (aiohttp.ClientPayloadError("cut"), APIConnectionError, True, "body was cut short"),
        (ConnectionResetError(104, "reset"), APIConnectionError, True, "ConnectionResetError"),
    ],
)
async def test_transport_failures_become_connection_errors(
    client: MauticClient,
    mock_http: aioresponses,
    exception: Exception,
    cls: type[APIConnectionError],
    request_sent: bool,
    message: str,
) -> None:
    mock_http.post(f"{GROUPS}/new", exception=exception)
    with pytest.raises(APIConnectionError) as caught:
        await client.request(POST_NEW, max_retries=0)
    exc = caught.value
    assert type(exc) is cls
    assert exc.request_sent is request_sent
    assert message in exc.message
    assert (exc.method, exc.path, exc.status) == ("POST", "/api/points/groups/new", None)
    assert exc.__cause__ is exception


# -- error mapping end to end --------------------------------------------------------------


def errors_body(code: int, message: str, **extra: Any) -> dict[str, Any]:
    return {"errors": [{"code": code, "message": message, "details": [], "type": None, **extra}]}


@pytest.mark.parametrize(
    ("method", "call", "status", "body", "cls", "message"),
    [
        (
            "GET",
            lambda m: m.point_groups.get(5),
            404,
            errors_body(404, "Item was not found."),
            NotFoundError,
            "Item was not found.",
        ),
        (
            "POST",
            lambda m: m.point_groups.create({"name": "<b></b>"}),
            400,
            errors_body(
                400, "name: A name is required.", details={"name": ["A name is required."]}
            ),
            ValidationError,
            "name: A name is required.",
        ),
        (
            "PATCH",
            lambda m: m.point_groups.edit(5, {"name": "B"}),
            403,
            errors_body(403, "You do not have access to the requested area/action."),
            PermissionDeniedError,
            "You do not have access to the requested area/action.",
        ),
        (
            "DELETE",
            lambda m: m.point_groups.delete(5),
            401,
            {
                "errors": [
                    {
                        "message": "Authorization denied, invalid credentials.",
                        "code": 401,
                        "type": "access_denied",
                    }
                ]
            },
            AuthenticationError,
            "Authorization denied, invalid credentials.",
        ),
        (
            "PUT",
            lambda m: m.point_groups.replace(5, {"name": "C"}),
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
        (
            "DELETE",
            lambda m: m.point_groups.delete_batch([5]),
            409,
            errors_body(409, "Conflict"),
            APIStatusError,
            "Conflict",
        ),
    ],
)
async def test_errors_carry_method_path_status_errors_and_message(
    client: MauticClient,
    mock_http: aioresponses,
    method: str,
    call: Callable[[MauticClient], Any],
    status: int,
    body: dict[str, Any],
    cls: type[APIStatusError],
    message: str,
) -> None:
    mock_http.add(re.compile(".*"), method=method, status=status, payload=body)
    with pytest.raises(APIStatusError) as caught:
        await call(client)
    exc = caught.value
    assert type(exc) is cls
    made = only_call(mock_http)  # none of these is retried
    assert (exc.method, exc.path, exc.status, exc.message) == (method, made.path, status, message)
    assert [(e.code, e.message) for e in exc.errors] == [(status, message)]
    if isinstance(exc, ValidationError):
        assert exc.details == {"name": ["A name is required."]}


async def test_a_redirect_is_not_followed(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(GROUP_1, status=302, headers={"Location": "https://mautic.example.com/s/login"})
    mock_http.get("https://mautic.example.com/s/login", payload=OK)
    with pytest.raises(APIStatusError) as caught:
        await client.point_groups.get(1)
    assert caught.value.status == 302
    assert "https://mautic.example.com/s/login" in caught.value.message
    assert only_call(mock_http).path == "/api/points/groups/1"


@pytest.mark.parametrize(
    "body",
    ["", "<html>Mautic is updating</html>", '{"pointGroup": {"id": 1,'],
    ids=["empty", "html", "truncated"],
)
async def test_a_success_that_is_not_json(
    client: MauticClient, mock_http: aioresponses, sleeps: FakeSleep, body: str
) -> None:
    mock_http.get(GROUP_1, body=body, content_type="text/html")
    with pytest.raises(UnexpectedResponseError) as caught:
        await client.point_groups.get(1)
    assert caught.value.status == 200
    assert caught.value.body_snippet == body
    assert sleeps.delays == []


async def test_a_success_of_the_wrong_shape(client: MauticClient, mock_http: aioresponses) -> None:
    mock_http.get(GROUP_1, payload={"pointGroups": []})
    with pytest.raises(
        UnexpectedResponseError, match="expected a JSON object with key 'pointGroup'"
    ):
        await client.point_groups.get(1)


# -- logging -------------------------------------------------------------------------------


async def test_logging_of_attempts_and_retries(
    client: MauticClient, mock_http: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="mautic_async")
    mock_http.get(GROUP_1, status=503, payload={})
    mock_http.get(GROUP_1, exception=aiohttp.ServerDisconnectedError())
    mock_http.get(GROUP_1, payload=OK)
    await client.point_groups.get(1)
    ours = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "mautic_async"]
    assert ours == [
        (logging.DEBUG, "GET /api/points/groups/1 -> 503 (attempt 1)"),
        (logging.INFO, "GET /api/points/groups/1 failed (503); retry 1 of 2 in 0.50 s"),
        (
            logging.INFO,
            "GET /api/points/groups/1 failed (the connection failed (ServerDisconnectedError:"
            " Server disconnected); the request may have taken effect); retry 2 of 2 in 1.00 s",
        ),
        (logging.DEBUG, "GET /api/points/groups/1 -> 200 (attempt 3)"),
    ]
    encoded = base64.b64encode(f"admin:{PASSWORD}".encode()).decode()
    for record in caplog.records:
        text = record.getMessage()
        assert PASSWORD not in text
        assert encoded not in text


def test_repr_shows_no_password() -> None:
    mautic = MauticClient(BASE + "/mautic/api", auth=BasicAuth("admin", PASSWORD))
    assert repr(mautic) == (
        "MauticClient('https://mautic.example.com/mautic/', "
        "auth=BasicAuth(username='admin', password='***'))"
    )
