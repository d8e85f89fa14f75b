"""Authentication against the emulator: Basic, client credentials, refresh tokens."""

from __future__ import annotations

import asyncio

import pytest

from mautic_async import (
    AuthenticationError,
    BasicAuth,
    MauticClient,
    OAuth2ClientCredentials,
    OAuth2Token,
    OAuthError,
    PermissionDeniedError,
    TokenResponse,
)
from mautic_async.testing import MauticEmulator

from .conftest import CLIENT_ID, CLIENT_SECRET, PASSWORD, USER


def token_requests(emulator: MauticEmulator) -> int:
    return sum(1 for r in emulator.requests if r.path == "/oauth/v2/token")


async def test_wrong_basic_password(emulator: MauticEmulator) -> None:
    async with MauticClient(emulator.url, auth=BasicAuth(USER, "wrong")) as mautic:
        with pytest.raises(AuthenticationError) as caught:
            await mautic.point_groups.list()
    assert caught.value.status == 401
    assert caught.value.errors[0].message == "Authorization denied, invalid credentials."
    assert "wrong" not in str(caught.value) + repr(caught.value)


async def test_no_credentials(emulator: MauticEmulator) -> None:
    async with MauticClient(emulator.url) as mautic:
        with pytest.raises(AuthenticationError, match=r"API authorization denied\."):
            await mautic.point_groups.list()


@pytest.mark.parametrize(
    ("switch", "message"),
    [
        ("api_enabled", "API disabled."),
        ("basic_auth_enabled", "Basic Auth disabled."),
    ],
)
async def test_disabled_api_or_basic_auth(switch: str, message: str) -> None:
    options = {switch: False}
    async with (
        MauticEmulator(basic_auth={USER: PASSWORD}, **options) as emulator,  # type: ignore[arg-type]
        MauticClient(emulator.url, auth=BasicAuth(USER, PASSWORD)) as mautic,
    ):
        with pytest.raises(PermissionDeniedError, match=message) as caught:
            await mautic.point_groups.list()
    assert caught.value.status == 403


async def test_client_credentials_one_token_for_many_coroutines(
    emulator: MauticEmulator,
) -> None:
    auth = OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET)
    async with MauticClient(emulator.url, auth=auth, max_concurrency=20) as mautic:
        await mautic.point_groups.create({"name": "G"})
        results = await asyncio.gather(*(mautic.point_groups.list() for _ in range(100)))
        assert all(page.total == 1 for page in results)
        assert token_requests(emulator) == 1

        # The server's clock runs past the token's lifetime; our cache still thinks it
        # fresh. 100 coroutines then meet 401 together: exactly one new token.
        emulator.clock.advance(3600 + 1)
        results = await asyncio.gather(*(mautic.point_groups.list() for _ in range(100)))
        assert all(page.total == 1 for page in results)
        assert token_requests(emulator) == 2
    group = (await _first_group(emulator)) or {}
    assert group.get("createdBy") is None  # a client-credentials token has no user


async def _first_group(emulator: MauticEmulator) -> dict[str, object] | None:
    async with MauticClient(emulator.url, auth=BasicAuth(USER, PASSWORD)) as mautic:
        page = await mautic.point_groups.list()
    return {"createdBy": page.items[0].created_by} if page.items else None


async def test_invalid_client_raises_oauth_error(emulator: MauticEmulator) -> None:
    auth = OAuth2ClientCredentials(CLIENT_ID, "not-the-secret")
    async with MauticClient(emulator.url, auth=auth) as mautic:
        with pytest.raises(OAuthError) as caught:
            await mautic.point_groups.list()
    assert caught.value.error_type == "invalid_client"
    assert caught.value.errors[0].message == "The client credentials are invalid"
    assert "not-the-secret" not in str(caught.value) + repr(caught.value)
    assert token_requests(emulator) == 1  # a refused client is not retried


async def test_refresh_token_rotation_reaches_the_callback(emulator: MauticEmulator) -> None:
    pair = emulator.issue_token_pair(CLIENT_ID)
    stored: list[TokenResponse] = []
    auth = OAuth2Token(
        CLIENT_ID,
        CLIENT_SECRET,
        access_token=pair["access_token"],
        refresh_token=pair["refresh_token"],
        on_refresh=stored.append,
    )
    async with MauticClient(emulator.url, auth=auth) as mautic:
        await mautic.point_groups.list()
        assert stored == []
        emulator.clock.advance(3601)  # the access token expires on the server
        await mautic.point_groups.list()
        assert len(stored) == 1
        assert stored[0].refresh_token not in (None, pair["refresh_token"])

    # Mautic deleted the old refresh token when it issued the new pair.
    stale = OAuth2Token(CLIENT_ID, CLIENT_SECRET, refresh_token=pair["refresh_token"])
    async with MauticClient(emulator.url, auth=stale) as mautic:
        with pytest.raises(OAuthError) as caught:
            await mautic.point_groups.list()
    assert caught.value.error_type == "invalid_grant"


async def test_expired_token_on_server_is_replayed_once_only(emulator: MauticEmulator) -> None:
    # A token that keeps failing: the replay gets a new token, which is accepted.
    pair = emulator.issue_token_pair(CLIENT_ID)
    auth = OAuth2Token(
        CLIENT_ID, CLIENT_SECRET, access_token="not-a-token", refresh_token=pair["refresh_token"]
    )
    async with MauticClient(emulator.url, auth=auth) as mautic:
        assert (await mautic.point_groups.list()).total == 0
    assert token_requests(emulator) == 1
