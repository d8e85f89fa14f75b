"""No password, client secret, access token or refresh token ever shows: not in a
repr, not in an error (its text, repr or formatted traceback), not in a log record."""

from __future__ import annotations

import asyncio
import base64
import logging
import traceback
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest
from aioresponses import aioresponses

from mautic_async import (
    BasicAuth,
    MauticClient,
    MauticError,
    OAuth2ClientCredentials,
    OAuth2Token,
    TokenResponse,
)
from mautic_async._converter import structure

from .conftest import BASE, CLIENT_ID, CLIENT_SECRET, GROUPS, PASSWORD, TOKEN_URL, FakeSleep

GROUP_1 = f"{GROUPS}/1"
ACCESS = "ACCESS-token-never-shown"
REFRESH = "REFRESH-token-never-shown"
SECRETS = [
    PASSWORD,
    CLIENT_SECRET,
    ACCESS,
    REFRESH,
    base64.b64encode(f"admin:{PASSWORD}".encode()).decode(),
]
UNAUTHORIZED = {
    "errors": [
        {"message": "The access token provided is invalid.", "code": 401, "type": "invalid_grant"}
    ]
}


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked into {text!r}"


def assert_error_shows_no_secret(exc: BaseException) -> None:
    assert_no_secret(str(exc))
    assert_no_secret(repr(exc))
    assert_no_secret("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


def basic() -> BasicAuth:
    return BasicAuth("admin", PASSWORD)


def client_credentials() -> OAuth2ClientCredentials:
    return OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET)


def refresh_token() -> OAuth2Token:
    return OAuth2Token(CLIENT_ID, CLIENT_SECRET, access_token=ACCESS, refresh_token=REFRESH)


AUTHS = [basic, client_credentials, refresh_token]


@pytest.mark.parametrize("make_auth", AUTHS)
def test_auth_and_client_reprs_hide_secrets(make_auth: Callable[[], Any]) -> None:
    auth = make_auth()
    mautic = MauticClient(BASE, auth=auth)
    for text in (repr(auth), str(auth), repr(mautic), str(mautic)):
        assert_no_secret(text)
    assert "***" in repr(auth)
    assert repr(auth) in repr(mautic)


def test_token_response_repr_hides_both_tokens() -> None:
    answer = structure(
        {
            "access_token": ACCESS,
            "refresh_token": REFRESH,
            "expires_in": 3600,
            "token_type": "bearer",
        },
        TokenResponse,
    )
    assert repr(answer) == str(answer)
    assert repr(answer) == "TokenResponse(expires_in=3600, token_type='bearer', scope=None)"


Setup = Callable[[aioresponses], None]


def api_401(mocked: aioresponses) -> None:
    mocked.get(GROUP_1, status=401, payload=UNAUTHORIZED, repeat=True)


def token_then_api_401(mocked: aioresponses) -> None:
    answer = {"access_token": ACCESS, "refresh_token": REFRESH, "expires_in": 3600}
    mocked.post(TOKEN_URL, payload=answer, repeat=True)
    api_401(mocked)


def invalid_client(mocked: aioresponses) -> None:
    body = {
        "errors": [
            {"message": "The client credentials are invalid", "code": 400, "type": "invalid_client"}
        ]
    }
    mocked.post(TOKEN_URL, status=400, payload=body)


def refresh_refused(mocked: aioresponses) -> None:
    api_401(mocked)  # the access token given is refused, and so is the refresh
    invalid_client(mocked)


def token_server_error(mocked: aioresponses) -> None:
    mocked.post(TOKEN_URL, status=500, body="<html>Fatal error</html>", repeat=True)


def token_without_access_token(mocked: aioresponses) -> None:
    mocked.post(TOKEN_URL, payload={"refresh_token": REFRESH, "expires_in": 3600})


def token_timeout(mocked: aioresponses) -> None:
    mocked.post(TOKEN_URL, exception=asyncio.TimeoutError(), repeat=True)


def api_connection_refused(mocked: aioresponses) -> None:
    mocked.get(GROUP_1, exception=aiohttp.ClientOSError(111, "Connection refused"), repeat=True)


@pytest.mark.parametrize(
    ("make_auth", "setup"),
    [
        (basic, api_401),
        (basic, api_connection_refused),
        (refresh_token, token_then_api_401),
        (refresh_token, refresh_refused),
        (client_credentials, token_then_api_401),
        (client_credentials, invalid_client),
        (client_credentials, token_server_error),
        (client_credentials, token_without_access_token),
        (client_credentials, token_timeout),
    ],
)
async def test_errors_and_logs_show_no_secret(
    mock_http: aioresponses,
    caplog: pytest.LogCaptureFixture,
    make_auth: Callable[[], Any],
    setup: Setup,
) -> None:
    caplog.set_level(logging.DEBUG)
    setup(mock_http)
    async with MauticClient(BASE, auth=make_auth(), sleep=FakeSleep()) as mautic:
        with pytest.raises(MauticError) as caught:
            await mautic.point_groups.get(1)
    assert_error_shows_no_secret(caught.value)
    for record in caplog.records:
        assert_no_secret(record.getMessage())


async def test_a_garbled_token_answer_does_not_show_the_token(mock_http: aioresponses) -> None:
    body = (
        f'{{"access_token":"{ACCESS}","expires_in":3600,"token_type":"bearer","scope":null,'
        f'"refresh_token":"{REFRESH}"}}<br />\n<b>Deprecated</b>: something in x.php'
    )
    mock_http.post(TOKEN_URL, body=body, content_type="text/html")
    auth = OAuth2Token(CLIENT_ID, CLIENT_SECRET, refresh_token="ref0")
    async with MauticClient(BASE, auth=auth, sleep=FakeSleep()) as mautic:
        with pytest.raises(MauticError) as caught:
            await mautic.point_groups.get(1)
    assert_error_shows_no_secret(caught.value)


def test_a_refused_base_url_does_not_echo_its_password() -> None:
    with pytest.raises(ValueError, match="base_url") as caught:
        MauticClient(f"ftp://admin:{PASSWORD}@mautic.example.com")
    assert_error_shows_no_secret(caught.value)


async def test_a_refresh_callback_that_formats_the_answer_shows_no_token(
    mock_http: aioresponses,
) -> None:
    async def store(answer: TokenResponse) -> None:
        raise RuntimeError(f"could not store {answer!r}")

    mock_http.post(TOKEN_URL, payload={"access_token": ACCESS, "refresh_token": REFRESH})
    auth = OAuth2Token(CLIENT_ID, CLIENT_SECRET, refresh_token="ref0", on_refresh=store)
    async with MauticClient(BASE, auth=auth) as mautic:
        with pytest.raises(RuntimeError) as caught:
            await mautic.point_groups.get(1)
    assert_error_shows_no_secret(caught.value)
