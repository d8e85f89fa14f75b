"""Error layers, API/Basic switches and authentication (spec sections 3.6, 4, 5)."""

from __future__ import annotations

from mautic_async.testing import MauticEmulator

from ._helpers import Api, basic, bearer


def security(message: str, code: int, error_type: str | None) -> dict[str, object]:
    return {"errors": [{"message": message, "code": code, "type": error_type}]}


API_DISABLED = security(
    "API disabled. You need to enable the API in the API settings of Mautic's Configuration.",
    403,
    "api_disabled",
)
BASIC_DISABLED = security(
    "Basic Auth disabled. You need to enable HTTP basic auth in the API settings of "
    "Mautic's Configuration.",
    403,
    "access_denied",
)
NO_CREDENTIALS = security("API authorization denied.", 401, "access_denied")
BAD_BASIC = security("Authorization denied, invalid credentials.", 401, "access_denied")


async def test_api_disabled_for_api_and_oauth(api: Api, emu: MauticEmulator) -> None:
    emu.settings.api_enabled = False
    for method, path in [
        ("GET", "/api/points/groups"),
        ("GET", "/api/nope"),
        ("POST", "/oauth/v2/token"),
    ]:
        reply = await api(method, path)
        assert (reply.status, reply.json) == (403, API_DISABLED)
        assert "Mautic-Version" not in reply.headers
    assert b"Mautic\\u0027s" in reply.raw  # Symfony JsonResponse hex-escapes quotes


async def test_basic_header_while_basic_disabled(api: Api, emu: MauticEmulator) -> None:
    emu.settings.basic_auth_enabled = False
    reply = await api("GET", "/api/points/groups", headers=basic("admin", "wrong"))
    assert (reply.status, reply.json) == (403, BASIC_DISABLED)
    token = await api.client_token()
    assert (await api("GET", "/api/points/groups", headers=bearer(token))).status == 200


async def test_credentials_failures_are_401_without_www_authenticate(api: Api) -> None:
    cases = [
        ({}, NO_CREDENTIALS),
        (basic("admin", "wrong"), BAD_BASIC),
        (basic("ghost", "secret"), BAD_BASIC),
        ({"Authorization": "Basic !!!"}, BAD_BASIC),
        ({"Authorization": "Token abc"}, NO_CREDENTIALS),
        (bearer("nope"), security("The access token provided is invalid.", 401, "invalid_grant")),
    ]
    for headers, body in cases:
        reply = await api("GET", "/api/points/groups", headers=headers)
        assert (reply.status, reply.json) == (401, body), headers
        assert "WWW-Authenticate" not in reply.headers
        assert "Mautic-Version" not in reply.headers


async def test_unauthenticated_unknown_route_is_401_first(api: Api) -> None:
    reply = await api("GET", "/api/nowhere", headers={})
    assert (reply.status, reply.json) == (401, NO_CREDENTIALS)


async def test_unknown_api_routes_and_methods_are_404(api: Api) -> None:
    cases = [
        ("DELETE", "/api/points/groups/5"),
        ("GET", "/api/points/groups/abc"),
        ("POST", "/api/points/groups"),
        ("GET", "/api/points/groups/new"),
        ("PUT", "/api/points/groups/5"),
        ("GET", "/api/contacts/abc/points/groups"),
        ("GET", "/api/points/groups/"),
    ]
    for method, path in cases:
        reply = await api(method, path)
        expected = security(f"Requested URL not found: {path}", 404, None)
        assert (reply.status, reply.json) == (404, expected), (method, path)
        assert "Mautic-Version" not in reply.headers
    # the message carries the request URI, query string included, slashes escaped
    reply = await api("PATCH", "/api/points/groups/1?x=1")
    assert reply.json == security("Requested URL not found: /api/points/groups/1?x=1", 404, None)
    assert b"\\/api\\/points\\/groups\\/1" in reply.raw


async def test_non_api_paths_are_plain_404(api: Api) -> None:
    reply = await api("GET", "/s/dashboard")
    assert reply.status == 404
    assert "application/json" not in reply.headers.get("Content-Type", "")


async def test_invalid_json_bodies_are_generic_400(api: Api, emu: MauticEmulator) -> None:
    generic_400 = security(
        "Looks like I encountered an error (error #400). "
        "If I do it again, please report me to the system administrator!",
        400,
        None,
    )
    json_type = {"Content-Type": "application/json"}
    for data, headers, skip in [
        (b"{nope", json_type, ()),
        (b'"scalar"', json_type, ()),
        (b"null", json_type, ()),
        (b"42", {}, ("Content-Type",)),  # no Content-Type at all: decoded as JSON too
        (b"{nope", {}, ("Content-Type",)),
    ]:
        reply = await api(
            "POST",
            "/api/points/groups/new",
            data=data,
            headers={**basic(), **headers},
            skip_auto_headers=skip,
        )
        assert (reply.status, reply.json) == (400, generic_400), data
        assert "Mautic-Version" not in reply.headers
    # the body listener runs before authentication
    unauthenticated = await api("POST", "/api/points/groups/new", data=b"{", headers=json_type)
    assert unauthenticated.status == 400
    assert emu.point_groups == {}


async def test_body_decoding_depends_on_content_type(api: Api) -> None:
    raw = b'{"name":"Raw"}'
    no_type = await api(
        "POST", "/api/points/groups/new", data=raw, skip_auto_headers=("Content-Type",)
    )
    assert no_type.status == 201
    assert no_type.json["pointGroup"]["name"] == "Raw"
    problem_json = {**basic(), "Content-Type": "application/json; charset=utf-8"}
    assert (
        await api("POST", "/api/points/groups/new", data=raw, headers=problem_json)
    ).status == 201
    # a content type FOSRest has no decoder for leaves the body undecoded: no name
    octet = await api("POST", "/api/points/groups/new", data=raw)  # application/octet-stream
    assert octet.status == 400
    assert octet.errors[0]["message"] == "name: A name is required."


async def test_basic_users_get_ids_in_order(emu: MauticEmulator, api: Api) -> None:
    emu.settings.basic_auth["second"] = "pw"
    reply = await api(
        "POST", "/api/points/groups/new", json={"name": "x"}, headers=basic("second", "pw")
    )
    assert reply.json["pointGroup"]["createdBy"] == 2


async def test_default_credentials_when_none_given() -> None:
    async with MauticEmulator() as emulator:
        assert emulator.settings.basic_auth == {"admin": "secret"}
        assert emulator.settings.oauth2_clients == {}
    only_oauth = MauticEmulator(oauth2_clients={"id": "secret"})
    assert only_oauth.settings.basic_auth == {}
