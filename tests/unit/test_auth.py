"""Authentication: Basic, OAuth2 client credentials and refresh tokens, on their own
(with a fake token endpoint) and through the client (mautic-api.md section 5)."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aioresponses import CallbackResult, aioresponses

from mautic_async import (
    Auth,
    AuthenticationError,
    BasicAuth,
    MauticClient,
    OAuth2ClientCredentials,
    OAuth2Token,
    OAuthError,
    ServerError,
    TokenResponse,
    UnexpectedResponseError,
)
from mautic_async.auth import TokenEndpoint

from .conftest import (
    BASE,
    CLIENT_ID,
    CLIENT_SECRET,
    GROUPS,
    TOKEN_URL,
    FakeClock,
    FakeSleep,
    FakeTokenEndpoint,
    calls,
    group_json,
)

GROUP_1 = f"{GROUPS}/1"
OK = {"pointGroup": group_json()}
CC_FORM = {
    "grant_type": "client_credentials",
    "client_id": CLIENT_ID,
    "client_secret": CLIENT_SECRET,
}
UNAUTHORIZED = {
    "errors": [
        {"message": "The access token provided is invalid.", "code": 401, "type": "invalid_grant"}
    ]
}


def token(access: str, refresh: str | None = None, expires_in: int = 3600) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "access_token": access,
        "expires_in": expires_in,
        "token_type": "bearer",
        "scope": None,
    }
    if refresh is not None:
        answer["refresh_token"] = refresh
    return answer


def credentials(**kwargs: Any) -> OAuth2ClientCredentials:
    return OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET, **kwargs)


def authorizations(mocked: aioresponses, url: str = GROUP_1, method: str = "GET") -> list[str]:
    """The Authorization header of each request to ``url``, in order."""
    return [
        c.headers.get("Authorization", "")
        for c in calls(mocked)
        if str(c.url) == url and c.method == method
    ]


def token_forms(mocked: aioresponses, url: str = TOKEN_URL) -> list[dict[str, str]]:
    return [c.form for c in calls(mocked) if str(c.url) == url]


# -- Basic -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "password"),
    [("admin", "Maut1cR0cks!"), ("ann@example.com", "pässwörd:with:colons"), ("u", "p")],
)
async def test_basic_auth_header(username: str, password: str) -> None:
    header = await BasicAuth(username, password).authorization(FakeTokenEndpoint())
    assert header == "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
    assert base64.b64decode(header.removeprefix("Basic ")).decode() == f"{username}:{password}"


async def test_basic_auth_is_not_replayed_after_a_401(mock_http: aioresponses) -> None:
    mock_http.get(GROUP_1, status=401, payload=UNAUTHORIZED, repeat=True)
    async with MauticClient(BASE, auth=BasicAuth("admin", "pw")) as mautic:
        with pytest.raises(AuthenticationError):
            await mautic.point_groups.get(1)
    assert len(calls(mock_http)) == 1


# -- OAuth2 client credentials, on its own ----------------------------------------------------


async def test_token_is_fetched_lazily_and_cached() -> None:
    endpoint = FakeTokenEndpoint()
    auth = credentials()
    assert endpoint.forms == []
    assert await auth.authorization(endpoint) == "Bearer tok1"
    assert await auth.authorization(endpoint) == "Bearer tok1"
    assert endpoint.forms == [CC_FORM]
    assert auth.token_requests == 1


@pytest.mark.parametrize(
    ("expires_in", "margin", "refresh_after"),
    [
        (3600, 60.0, 3540.0),  # a minute early
        (60, 60.0, 30.0),  # never more than half a short lifetime early
        (10, 60.0, 5.0),
        (3600, 0.0, 3600.0),
    ],
)
async def test_token_is_refreshed_before_it_expires(
    expires_in: int, margin: float, refresh_after: float
) -> None:
    clock = FakeClock(1000.0)
    endpoint = FakeTokenEndpoint(expires_in=expires_in)
    auth = credentials(refresh_margin=margin, clock=clock)
    assert await auth.authorization(endpoint) == "Bearer tok1"
    clock.now = 1000.0 + refresh_after - 0.01
    assert await auth.authorization(endpoint) == "Bearer tok1"
    clock.now = 1000.0 + refresh_after
    assert await auth.authorization(endpoint) == "Bearer tok2"
    assert len(endpoint.forms) == 2


async def test_a_token_without_expiry_is_kept_until_a_401() -> None:
    clock = FakeClock()
    endpoint = FakeTokenEndpoint(expires_in=None)
    auth = credentials(clock=clock)
    assert await auth.authorization(endpoint) == "Bearer tok1"
    clock.now += 10**9
    assert await auth.authorization(endpoint) == "Bearer tok1"
    assert await auth.on_unauthorized("Bearer tok1") is True
    assert await auth.authorization(endpoint) == "Bearer tok2"


async def test_many_coroutines_without_a_token_make_one_request() -> None:
    endpoint = FakeTokenEndpoint(pause=5)
    auth = credentials()
    headers = await asyncio.gather(*(auth.authorization(endpoint) for _ in range(100)))
    assert set(headers) == {"Bearer tok1"}
    assert len(endpoint.forms) == 1
    assert auth.token_requests == 1


async def test_a_401_drops_the_token_only_if_it_is_still_cached() -> None:
    endpoint = FakeTokenEndpoint()
    auth = credentials()
    # Coroutines A and B both sent tok1 and both got a 401.
    assert await auth.authorization(endpoint) == "Bearer tok1"
    assert await auth.on_unauthorized("Bearer tok1") is True  # A drops tok1...
    assert await auth.authorization(endpoint) == "Bearer tok2"  # ...and fetches tok2
    assert await auth.on_unauthorized("Bearer tok1") is True  # B must not drop tok2
    assert await auth.authorization(endpoint) == "Bearer tok2"
    assert len(endpoint.forms) == 2


async def test_cancelling_the_coroutine_holding_the_lock_does_not_wedge_waiters() -> None:
    endpoint = FakeTokenEndpoint()
    endpoint.gate = asyncio.Event()  # the first token request never answers
    auth = credentials()
    holder = asyncio.create_task(auth.authorization(endpoint))
    await asyncio.sleep(0)
    waiters = [asyncio.create_task(auth.authorization(endpoint)) for _ in range(3)]
    await asyncio.sleep(0)
    assert len(endpoint.forms) == 1  # the waiters queue on the lock
    holder.cancel()
    with pytest.raises(asyncio.CancelledError):
        await holder
    headers = await asyncio.wait_for(asyncio.gather(*waiters), timeout=2)
    assert headers == ["Bearer tok2"] * 3
    assert len(endpoint.forms) == 2


async def test_a_failed_token_request_is_not_cached() -> None:
    endpoint = FakeTokenEndpoint()
    endpoint.fail = [
        OAuthError(
            "The client credentials are invalid", method="POST", path="/oauth/v2/token", status=400
        )
    ]
    auth = credentials()
    with pytest.raises(OAuthError):
        await auth.authorization(endpoint)
    assert await auth.authorization(endpoint) == "Bearer tok2"


@pytest.mark.parametrize(
    "answer",
    [{"expires_in": 3600}, {"access_token": None}, [], "tok"],
    ids=["no-token", "null-token", "list", "string"],
)
async def test_a_token_answer_without_a_token_is_unexpected(answer: Any) -> None:
    async def endpoint(form: Any) -> Any:
        return answer

    with pytest.raises(UnexpectedResponseError) as caught:
        await credentials().authorization(endpoint)
    exc = caught.value
    assert exc.message.startswith("the token endpoint's answer has no usable access token")
    assert (exc.method, exc.path, exc.status) == ("POST", "/oauth/v2/token", 200)
    assert exc.body_snippet == "(not shown: it may hold a token)"


# -- OAuth2 client credentials, through the client --------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "token_url", "api_url"),
    [
        (BASE, TOKEN_URL, GROUP_1),
        (BASE + "/api/", TOKEN_URL, GROUP_1),
        (
            BASE + "/mautic/api",
            BASE + "/mautic/oauth/v2/token",
            BASE + "/mautic/api/points/groups/1",
        ),
    ],
)
async def test_client_credentials_flow(
    mock_http: aioresponses, base_url: str, token_url: str, api_url: str
) -> None:
    mock_http.post(token_url, payload=token("tok1"))
    mock_http.get(api_url, payload=OK, repeat=True)
    auth = credentials()
    async with MauticClient(base_url, auth=auth) as mautic:
        assert calls(mock_http) == []  # nothing before the first call
        await mautic.point_groups.get(1)
        await mautic.point_groups.get(1)
    (token_call,) = [c for c in calls(mock_http) if str(c.url) == token_url]
    assert token_call.method == "POST"
    assert token_call.form == CC_FORM
    assert token_call.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert token_call.headers["Accept"] == "application/json"
    assert "Authorization" not in token_call.headers
    assert authorizations(mock_http, api_url) == ["Bearer tok1", "Bearer tok1"]
    assert auth.token_requests == 1


async def test_one_token_request_for_100_concurrent_calls(mock_http: aioresponses) -> None:
    mock_http.post(TOKEN_URL, payload=token("tok1"))  # a second request would be refused
    mock_http.get(GROUP_1, payload=OK, repeat=True)
    auth = credentials()
    async with MauticClient(BASE, auth=auth) as mautic:
        groups = await asyncio.gather(*(mautic.point_groups.get(1) for _ in range(100)))
    assert len(groups) == 100
    assert len(token_forms(mock_http)) == 1
    assert auth.token_requests == 1
    assert set(authorizations(mock_http)) == {"Bearer tok1"}


async def test_a_401_gets_a_new_token_and_replays_once(
    mock_http: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mautic_async")
    mock_http.post(TOKEN_URL, payload=token("tok1"))
    mock_http.post(TOKEN_URL, payload=token("tok2"))
    mock_http.get(GROUP_1, status=401, payload=UNAUTHORIZED)
    mock_http.get(GROUP_1, payload=OK)
    sleeps = FakeSleep()
    async with MauticClient(BASE, auth=credentials(), sleep=sleeps) as mautic:
        assert (await mautic.point_groups.get(1)).id == 1
    assert authorizations(mock_http) == ["Bearer tok1", "Bearer tok2"]
    assert token_forms(mock_http) == [CC_FORM, CC_FORM]
    assert sleeps.delays == []
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.INFO, "GET /api/points/groups/1 -> 401; replaying once with fresh credentials")
    ]


async def test_concurrent_401s_fetch_one_new_token(mock_http: aioresponses) -> None:
    mock_http.post(TOKEN_URL, payload=token("tok1"))
    mock_http.post(TOKEN_URL, payload=token("tok2"))  # a third would be refused

    def reject_tok1(url: Any, headers: dict[str, str], **kwargs: Any) -> CallbackResult:
        if headers["Authorization"] == "Bearer tok1":
            return CallbackResult(status=401, payload=UNAUTHORIZED)
        return CallbackResult(payload=OK)

    mock_http.get(GROUP_1, callback=reject_tok1, repeat=True)
    auth = credentials()
    async with MauticClient(BASE, auth=auth) as mautic:
        groups = await asyncio.gather(mautic.point_groups.get(1), mautic.point_groups.get(1))
    assert [g.id for g in groups] == [1, 1]
    assert auth.token_requests == 2
    sent = authorizations(mock_http)  # how many went out with tok1 depends on scheduling
    assert sent.count("Bearer tok2") == 2
    assert set(sent) == {"Bearer tok1", "Bearer tok2"}


async def test_a_second_401_is_raised(mock_http: aioresponses) -> None:
    mock_http.post(TOKEN_URL, payload=token("tok1"))
    mock_http.post(TOKEN_URL, payload=token("tok2"))
    mock_http.get(GROUP_1, status=401, payload=UNAUTHORIZED, repeat=True)
    async with MauticClient(BASE, auth=credentials()) as mautic:
        with pytest.raises(AuthenticationError) as caught:
            await mautic.point_groups.get(1)
    exc = caught.value
    assert type(exc) is AuthenticationError
    assert (exc.status, exc.message, exc.errors[0].type) == (
        401,
        "The access token provided is invalid.",
        "invalid_grant",
    )
    assert authorizations(mock_http) == ["Bearer tok1", "Bearer tok2"]


@pytest.mark.parametrize(
    ("status", "error_type", "message"),
    [
        (400, "invalid_client", "The client credentials are invalid"),
        (400, "unauthorized_client", "The grant type is unauthorized for this client_id"),
        (401, "access_denied", "API authorization denied."),
        (429, None, "Too many requests"),
    ],
)
async def test_a_refused_token_request_is_an_oauth_error_never_retried(
    mock_http: aioresponses, status: int, error_type: str | None, message: str
) -> None:
    body = {"errors": [{"message": message, "code": status, "type": error_type}]}
    mock_http.post(TOKEN_URL, status=status, payload=body, repeat=True)
    sleeps = FakeSleep()
    async with MauticClient(BASE, auth=credentials(), sleep=sleeps) as mautic:
        with pytest.raises(OAuthError) as caught:
            await mautic.point_groups.get(1)
    exc = caught.value
    assert type(exc) is OAuthError
    assert exc.error_type == error_type
    assert (exc.method, exc.path, exc.status, exc.message) == (
        "POST",
        "/oauth/v2/token",
        status,
        message,
    )
    assert len(token_forms(mock_http)) == 1
    assert authorizations(mock_http) == []  # the API call was never made
    assert sleeps.delays == []


async def test_token_endpoint_5xx_is_retried(mock_http: aioresponses) -> None:
    mock_http.post(TOKEN_URL, status=503, body="<html>busy</html>")
    mock_http.post(TOKEN_URL, status=500, payload={"errors": []})
    mock_http.post(TOKEN_URL, payload=token("tok3"))
    mock_http.get(GROUP_1, payload=OK)
    sleeps = FakeSleep()
    async with MauticClient(BASE, auth=credentials(), sleep=sleeps) as mautic:
        await mautic.point_groups.get(1)
    assert len(token_forms(mock_http)) == 3
    assert authorizations(mock_http) == ["Bearer tok3"]
    first, second = sleeps.delays
    assert 0.375 <= first <= 0.5
    assert 0.75 <= second <= 1.0


async def test_token_endpoint_5xx_gives_up_after_two_retries(mock_http: aioresponses) -> None:
    mock_http.post(TOKEN_URL, status=502, body="<html>bad gateway</html>", repeat=True)
    sleeps = FakeSleep()
    async with MauticClient(BASE, auth=credentials(), sleep=sleeps) as mautic:
        with pytest.raises(ServerError) as caught:
            await mautic.point_groups.get(1)
    assert (caught.value.path, caught.value.status) == ("/oauth/v2/token", 502)
    assert len(token_forms(mock_http)) == 3
    assert len(sleeps.delays) == 2
    assert authorizations(mock_http) == []


# -- OAuth2 refresh tokens ----------------------------------------------------------------------


def refresh_form(refresh_token: str) -> dict[str, str]:
    return {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }


async def test_an_access_token_given_is_used_until_it_expires() -> None:
    clock = FakeClock(0.0)
    endpoint = FakeTokenEndpoint(rotate=True)
    auth = OAuth2Token(
        CLIENT_ID,
        CLIENT_SECRET,
        access_token="acc0",
        refresh_token="ref1",
        expires_in=600,
        clock=clock,
    )
    assert await auth.authorization(endpoint) == "Bearer acc0"
    assert endpoint.forms == []
    clock.now = 540.0
    assert await auth.authorization(endpoint) == "Bearer tok1"
    clock.now = 540.0 + 3540.0
    assert await auth.authorization(endpoint) == "Bearer tok2"
    # Mautic rotates refresh tokens: the second refresh uses the one the first returned.
    assert endpoint.forms == [refresh_form("ref1"), refresh_form("ref2")]


async def test_without_an_access_token_the_first_call_refreshes() -> None:
    endpoint = FakeTokenEndpoint()
    auth = OAuth2Token(CLIENT_ID, CLIENT_SECRET, refresh_token="ref1")
    assert await auth.authorization(endpoint) == "Bearer tok1"
    assert endpoint.forms == [refresh_form("ref1")]


async def test_a_refresh_without_a_new_refresh_token_keeps_the_old_one() -> None:
    endpoint = FakeTokenEndpoint(rotate=False)
    auth = OAuth2Token(CLIENT_ID, CLIENT_SECRET, refresh_token="ref1")
    await auth.authorization(endpoint)
    await auth.on_unauthorized("Bearer tok1")
    await auth.authorization(endpoint)
    assert endpoint.forms == [refresh_form("ref1"), refresh_form("ref1")]


def sync_saver(saved: list[TokenResponse]) -> Callable[[TokenResponse], None]:
    return saved.append


def async_saver(saved: list[TokenResponse]) -> Callable[[TokenResponse], Awaitable[None]]:
    async def save(answer: TokenResponse) -> None:
        await asyncio.sleep(0)
        saved.append(answer)

    return save


@pytest.mark.parametrize("make_saver", [sync_saver, async_saver], ids=["sync", "async"])
async def test_on_refresh_receives_each_new_pair(
    make_saver: Callable[[list[TokenResponse]], Any],
) -> None:
    saved: list[TokenResponse] = []
    endpoint = FakeTokenEndpoint(rotate=True)
    auth = OAuth2Token(CLIENT_ID, CLIENT_SECRET, refresh_token="ref1", on_refresh=make_saver(saved))
    await auth.authorization(endpoint)
    await auth.on_unauthorized("Bearer tok1")
    await auth.authorization(endpoint)
    assert [(t.access_token, t.refresh_token, t.expires_in) for t in saved] == [
        ("tok1", "ref2", 3600),
        ("tok2", "ref3", 3600),
    ]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_a_failing_on_refresh_propagates_and_keeps_the_new_pair(is_async: bool) -> None:
    class StoreDown(Exception):
        pass

    def fail(answer: TokenResponse) -> None:
        raise StoreDown(answer.token_type)

    async def fail_async(answer: TokenResponse) -> None:
        raise StoreDown(answer.token_type)

    endpoint = FakeTokenEndpoint(rotate=True)
    auth = OAuth2Token(
        CLIENT_ID, CLIENT_SECRET, refresh_token="ref1", on_refresh=fail_async if is_async else fail
    )
    with pytest.raises(StoreDown, match="bearer"):
        await auth.authorization(endpoint)
    # The new access token is in use, with no second refresh...
    assert await auth.authorization(endpoint) == "Bearer tok1"
    assert len(endpoint.forms) == 1
    # ...and the rotated refresh token is the one used next.
    await auth.on_unauthorized("Bearer tok1")
    with pytest.raises(StoreDown):
        await auth.authorization(endpoint)
    assert endpoint.forms[1] == refresh_form("ref2")


async def test_refresh_token_flow_through_the_client(mock_http: aioresponses) -> None:
    saved: list[TokenResponse] = []
    mock_http.post(TOKEN_URL, payload=token("acc1", "ref2"))
    mock_http.get(GROUP_1, status=401, payload=UNAUTHORIZED)
    mock_http.get(GROUP_1, payload=OK)
    auth = OAuth2Token(
        CLIENT_ID, CLIENT_SECRET, access_token="acc0", refresh_token="ref1", on_refresh=saved.append
    )
    async with MauticClient(BASE, auth=auth) as mautic:
        await mautic.point_groups.get(1)
    assert authorizations(mock_http) == ["Bearer acc0", "Bearer acc1"]
    assert token_forms(mock_http) == [refresh_form("ref1")]
    assert [(t.access_token, t.refresh_token) for t in saved] == [("acc1", "ref2")]


async def test_an_expired_refresh_token_is_an_oauth_error(mock_http: aioresponses) -> None:
    body = {
        "errors": [{"message": "Refresh token has expired", "code": 400, "type": "invalid_grant"}]
    }
    mock_http.post(TOKEN_URL, status=400, payload=body)
    auth = OAuth2Token(CLIENT_ID, CLIENT_SECRET, refresh_token="ref1")
    async with MauticClient(BASE, auth=auth) as mautic:
        with pytest.raises(OAuthError) as caught:
            await mautic.point_groups.get(1)
    assert (caught.value.error_type, caught.value.message) == (
        "invalid_grant",
        "Refresh token has expired",
    )


def test_oauth2_token_needs_a_refresh_token() -> None:
    with pytest.raises(ValueError, match="refresh_token must be a non-empty str"):
        OAuth2Token(CLIENT_ID, CLIENT_SECRET, refresh_token="")


# -- a custom strategy ------------------------------------------------------------------------


class StaticToken(Auth):
    def __init__(self) -> None:
        self.seen: list[str] = []

    async def authorization(self, token_endpoint: TokenEndpoint) -> str:
        return "Token xyz"

    async def on_unauthorized(self, used: str) -> bool:
        self.seen.append(used)
        return await super().on_unauthorized(used)


async def test_a_custom_auth_is_applied_and_not_replayed_by_default(
    mock_http: aioresponses,
) -> None:
    mock_http.get(GROUP_1, status=401, payload=UNAUTHORIZED, repeat=True)
    auth = StaticToken()
    async with MauticClient(BASE, auth=auth) as mautic:
        with pytest.raises(AuthenticationError):
            await mautic.point_groups.get(1)
    assert authorizations(mock_http) == ["Token xyz"]
    assert auth.seen == ["Token xyz"]
