"""The OAuth2 token endpoint and bearer tokens (spec section 5.2)."""

from __future__ import annotations

from typing import Any

import pytest

from mautic_async.testing import MauticEmulator

from ._helpers import CLIENT_ID, CLIENT_SECRET, Api, basic, bearer


def oauth_error(message: str, error_type: str, code: int = 400) -> dict[str, Any]:
    return {"errors": [{"message": message, "code": code, "type": error_type}]}


CREDS = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}


async def token(api: Api, method: str = "POST", **kwargs: Any) -> Any:
    return await api(method, "/oauth/v2/token", headers=kwargs.pop("headers", {}), **kwargs)


async def test_client_credentials_success_body(api: Api) -> None:
    reply = await token(api, data={"grant_type": "client_credentials", **CREDS})
    assert reply.status == 200
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.headers["Pragma"] == "no-cache"
    assert reply.headers["Content-Type"] == "application/json"
    body = reply.json
    assert list(body) == ["access_token", "expires_in", "token_type", "scope"]
    assert (body["expires_in"], body["token_type"], body["scope"]) == (3600, "bearer", None)
    assert isinstance(body["access_token"], str)
    assert len(body["access_token"]) >= 20
    assert "Mautic-Version" not in reply.headers
    used = await api("GET", "/api/points/groups", headers=bearer(body["access_token"]))
    assert used.status == 200


async def test_token_request_transports(api: Api) -> None:
    form = {"grant_type": "client_credentials", **CREDS}
    assert (await token(api, json=form)).status == 200
    assert (await token(api, "GET", params=form)).status == 200
    via_basic = await token(
        api, data={"grant_type": "client_credentials"}, headers=basic(CLIENT_ID, CLIENT_SECRET)
    )
    assert via_basic.status == 200
    # on POST the query string is not read
    assert (await token(api, params=form)).status == 400


async def test_token_errors(api: Api) -> None:
    cases = [
        ({}, oauth_error("Invalid grant_type parameter or parameter missing", "invalid_request")),
        (
            {"grant_type": "magic", **CREDS},
            oauth_error("Invalid grant_type parameter or parameter missing", "invalid_request"),
        ),
        (
            {"grant_type": "client_credentials"},
            oauth_error("Client id was not found in the headers or body", "invalid_client"),
        ),
        (
            {"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
            oauth_error("The client credentials are invalid", "invalid_client"),
        ),
        (
            {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": "y"},
            oauth_error("The client credentials are invalid", "invalid_client"),
        ),
        (
            {"grant_type": "password", "username": "admin", "password": "secret", **CREDS},
            oauth_error("The grant type is unauthorized for this client_id", "unauthorized_client"),
        ),
        (
            {"grant_type": "refresh_token", **CREDS},
            oauth_error('No "refresh_token" parameter found', "invalid_request"),
        ),
        (
            {"grant_type": "refresh_token", "refresh_token": "nope", **CREDS},
            oauth_error("Invalid refresh token", "invalid_grant"),
        ),
        (
            {"grant_type": "authorization_code", **CREDS},
            oauth_error('Missing parameter. "code" is required', "invalid_request"),
        ),
        (
            {"grant_type": "authorization_code", "code": "c", **CREDS},
            oauth_error("The redirect URI parameter is required.", "invalid_request"),
        ),
        (
            {"grant_type": "authorization_code", "code": "c", "redirect_uri": "https://x", **CREDS},
            oauth_error("Code doesn't exist or is invalid for the client", "invalid_grant"),
        ),
    ]
    for form, body in cases:
        reply = await token(api, data=form)
        assert (reply.status, reply.json) == (400, body), form
        assert "Mautic-Version" not in reply.headers


async def test_refresh_rotates_tokens(api: Api, emu: MauticEmulator) -> None:
    pair = emu.issue_token_pair(CLIENT_ID)
    assert list(pair) == ["access_token", "expires_in", "token_type", "scope", "refresh_token"]
    form = {"grant_type": "refresh_token", "refresh_token": pair["refresh_token"], **CREDS}
    reply = await token(api, data=form)
    assert reply.status == 200
    fresh = reply.json
    assert list(fresh) == ["access_token", "expires_in", "token_type", "scope", "refresh_token"]
    assert fresh["refresh_token"] != pair["refresh_token"]
    reused = await token(api, data=form)
    assert reused.json == oauth_error("Invalid refresh token", "invalid_grant")
    for access in (pair["access_token"], fresh["access_token"]):
        assert (await api("GET", "/api/points/groups", headers=bearer(access))).status == 200
    # a refresh token belongs to its client
    emu.settings.oauth2_clients["other"] = "pw"
    stolen = {
        "grant_type": "refresh_token",
        "refresh_token": fresh["refresh_token"],
        "client_id": "other",
        "client_secret": "pw",
    }
    assert (await token(api, data=stolen)).json["errors"][0]["message"] == "Invalid refresh token"


async def test_authorization_code_grant(api: Api, emu: MauticEmulator) -> None:
    code = emu.issue_authorization_code(CLIENT_ID, "https://app.example/cb")
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": "https://evil.example/cb",
        **CREDS,
    }
    mismatch = await token(api, data=form)
    assert mismatch.json["errors"][0]["type"] == "redirect_uri_mismatch"
    form["redirect_uri"] = "https://app.example/cb"
    reply = await token(api, data=form)
    assert reply.status == 200
    assert "refresh_token" in reply.json
    headers = bearer(reply.json["access_token"])
    created = await api("POST", "/api/points/groups/new", json={"name": "A"}, headers=headers)
    assert created.json["pointGroup"]["createdByUser"] == "Admin User"
    again = await token(api, data=form)  # codes are single use
    assert again.json["errors"][0]["message"] == "Code doesn't exist or is invalid for the client"
    late = emu.issue_authorization_code(CLIENT_ID, "https://app.example/cb")
    emu.clock.advance(31)
    expired = await token(api, data={**form, "code": late})
    assert expired.json == oauth_error("The authorization code has expired", "invalid_grant")


async def test_authorize_endpoint_redirects_with_code(
    api: Api, session: Any, emu: MauticEmulator
) -> None:
    query = {
        "client_id": CLIENT_ID,
        "redirect_uri": "https://app.example/cb",
        "response_type": "code",
        "state": "xyz",
    }
    async with session.get(
        emu.url + "/oauth/v2/authorize", params=query, allow_redirects=False
    ) as r:
        assert r.status == 302
        location = r.headers["Location"]
    assert location.startswith("https://app.example/cb?code=")
    assert location.endswith("&state=xyz")


async def test_access_token_expiry_and_lifetime(api: Api, emu: MauticEmulator) -> None:
    emu.settings.token_lifetime = 60
    access = await api.client_token()
    emu.clock.advance(59)
    assert (await api("GET", "/api/points/groups", headers=bearer(access))).status == 200
    emu.clock.advance(2)
    reply = await api("GET", "/api/points/groups", headers=bearer(access))
    assert (reply.status, reply.json) == (
        401,
        oauth_error("The access token provided has expired.", "invalid_grant", 401),
    )
    assert "WWW-Authenticate" not in reply.headers


async def test_refresh_token_expiry(api: Api, emu: MauticEmulator) -> None:
    pair = emu.issue_token_pair(CLIENT_ID)
    emu.clock.advance(14 * 86400 + 1)
    form = {"grant_type": "refresh_token", "refresh_token": pair["refresh_token"], **CREDS}
    assert (await token(api, data=form)).json == oauth_error(
        "Refresh token has expired", "invalid_grant"
    )


async def test_access_token_in_query_and_only_one_method(api: Api) -> None:
    access = await api.client_token()
    assert (await api("GET", f"/api/points/groups?access_token={access}", headers={})).status == 200
    both = await api("GET", f"/api/points/groups?access_token={access}", headers=bearer(access))
    assert (both.status, both.json) == (
        400,
        oauth_error(
            "Only one method may be used to authenticate at a time (Auth header, GET or POST).",
            "invalid_request",
        ),
    )
    form_token = await api(
        "POST", "/api/points/groups/new", data={"name": "F", "access_token": access}, headers={}
    )
    assert form_token.status == 201


async def test_unknown_client_for_token_pair(emu: MauticEmulator) -> None:
    with pytest.raises(ValueError, match="nobody"):
        emu.issue_token_pair("nobody")
