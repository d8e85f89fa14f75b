"""The emulator is a server people run: no secrets in reprs, no crash pages, bounded logs."""

from __future__ import annotations

import json
import logging
from urllib.parse import quote

import aiohttp
import pytest

from mautic_async.testing import MauticEmulator, _crud, _emulator
from mautic_async.testing._context import Principal, RecordedRequest, Settings
from mautic_async.testing._entities import Actor
from mautic_async.testing._http import Credentials

from ._helpers import CLIENT_ID, CLIENT_SECRET, GENERIC_500_BODY, Api, basic, bearer

GENERIC_400_BODY = {
    "errors": [
        {
            "message": "Looks like I encountered an error (error #400). "
            "If I do it again, please report me to the system administrator!",
            "code": 400,
            "type": None,
        }
    ]
}


def test_reprs_never_show_secrets() -> None:
    settings = Settings(basic_auth={"admin": "pa55word"}, oauth2_clients={"cid": "s3cret-value"})
    shown = repr(settings)
    assert "pa55word" not in shown
    assert "s3cret-value" not in shown
    assert "'admin': '***'" in shown
    assert "'cid': '***'" in shown
    creds = Credentials(("tok-abc",), True, ("admin", "pa55word"))
    assert "tok-abc" not in repr(creds)
    assert "pa55word" not in repr(creds)
    principal = Principal("bearer", Actor(1, "A"), "token:tok-abc")
    assert "tok-abc" not in repr(principal)


async def test_emulator_and_log_reprs_hide_credentials(api: Api, emu: MauticEmulator) -> None:
    token = await api.client_token()
    await api("GET", "/api/points/groups", headers=bearer(token))
    await api("GET", "/api/points/groups")  # Basic admin:secret
    shown = repr(emu) + repr(emu.settings) + repr(emu.requests) + repr(emu._ctx)
    for secret in (CLIENT_SECRET, token, "secret", basic()["Authorization"]):
        assert secret not in shown


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"a":' * 100_000,
        b"[" * 100_000 + b"]" * 100_000,  # valid JSON, far too deep
        b'{"name": ' + b"[" * 513 + b"]" * 513 + b"}",  # deeper than json_decode's 512
    ],
)
async def test_deeply_nested_json_is_the_generic_400(
    api: Api, emu: MauticEmulator, body: bytes
) -> None:
    for headers in (basic(), {}):  # the body listener runs before authentication
        reply = await api(
            "POST",
            "/api/points/groups/new",
            data=body,
            headers={**headers, "Content-Type": "application/json"},
        )
        assert (reply.status, reply.json) == (400, GENERIC_400_BODY)
    assert emu.point_groups == {}


async def test_json_at_the_depth_limit_is_decoded(api: Api) -> None:
    nested = "[" * 511 + "]" * 511  # 512 levels with the outer object
    reply = await api("POST", "/api/points/groups/new", data=f'{{"name": {nested}}}'.encode())
    assert reply.status == 400
    assert list(reply.json["errors"][0]["details"]) == ["name"]  # decoded: the form ran


async def test_query_nesting_beyond_php_limit_drops_the_variable(api: Api) -> None:
    await api.create("A")
    deep = "where[0][val]" + "[a]" * 100 + "=1"
    reply = await api("GET", "/api/points/groups?" + deep)
    assert (reply.status, reply.json["total"]) == (200, 1)  # where dropped, as PHP does
    # 64 levels are still parsed (a nested val that is not a clause: 500)
    kept = "where[0][expr]=andX&where[0][val]" + "[0]" * 62 + "=1"
    assert (await api("GET", "/api/points/groups?" + kept)).status == 500


async def test_any_crash_is_mautics_json_500(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(*args: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(_crud, "select_rows", explode)
    with caplog.at_level(logging.ERROR, "mautic_async.testing"):
        reply = await api("GET", "/api/points/groups")
    assert (reply.status, reply.json) == (500, GENERIC_500_BODY)
    assert "uncaught error" in caplog.text
    # a crash before the firewall (body parsing) is a JSON 500 too
    monkeypatch.setattr(_emulator, "parse_body", explode)
    reply = await api("POST", "/api/points/groups/new", json={"name": "A"}, headers={})
    assert (reply.status, reply.json) == (500, GENERIC_500_BODY)


async def test_request_log_is_capped() -> None:
    async with MauticEmulator(request_log_size=3) as emu, aiohttp.ClientSession() as session:
        api = Api(session, emu)
        for n in range(5):
            await api("GET", f"/api/points/groups/{n + 1}")
        assert [r.path for r in emu.requests] == [f"/api/points/groups/{n}" for n in (3, 4, 5)]
        emu.settings.request_log_size = 1  # may change while running
        await api("GET", "/api/points/groups/9")
        assert [r.path for r in emu.requests] == ["/api/points/groups/9"]
    assert MauticEmulator().settings.request_log_size == 10_000
    with pytest.raises(ValueError, match="request_log_size"):
        MauticEmulator(request_log_size=-1)
    with pytest.raises(TypeError, match="request_log_size"):
        MauticEmulator(request_log_size="5")  # type: ignore[arg-type]


def _everything(record: RecordedRequest) -> str:
    return repr((record.body, dict(record.headers), dict(record.query), record.query_string))


async def test_log_keeps_no_body_or_credentials_of_unauthenticated_requests(
    api: Api, emu: MauticEmulator
) -> None:
    payload = json.dumps({"name": "intruder-payload"})
    await api("POST", "/api/points/groups/new", data=payload, headers=basic("admin", "guess-1"))
    await api("POST", "/api/points/groups/new", data=payload, headers={})
    await api("POST", "/api/points/groups/new?access_token=guess-2", data=payload, headers={})
    emu.settings.api_enabled = False
    await api("POST", "/api/points/groups/new", data=payload)
    emu.settings.api_enabled = True
    log = emu.requests
    assert [(r.method, r.path, r.status) for r in log] == [
        ("POST", "/api/points/groups/new", 401),
        ("POST", "/api/points/groups/new", 401),
        ("POST", "/api/points/groups/new", 401),
        ("POST", "/api/points/groups/new", 403),
    ]
    assert [r.auth_kind for r in log] == ["basic", "none", "bearer", "basic"]
    for record in log:
        assert record.body == b""
        for leaked in ("intruder-payload", "guess-1", "guess-2", basic()["Authorization"]):
            assert leaked not in _everything(record)
    # an authenticated request keeps its body
    await api("POST", "/api/points/groups/new", data=payload)
    assert emu.requests[-1].body == payload.encode()


async def test_token_requests_are_counted_but_keep_no_secrets(
    api: Api, emu: MauticEmulator
) -> None:
    await api.client_token()
    form = {"grant_type": "password", "username": "admin", "password": "secret"}
    await api("POST", "/oauth/v2/token", data=form, headers={})
    wrong = {"grant_type": "client_credentials", "client_id": CLIENT_ID}
    await api("POST", "/oauth/v2/token", data=wrong, headers=basic(CLIENT_ID, "nope-secret"))
    query = f"grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
    await api("GET", "/oauth/v2/token?" + quote(query, safe="=&"), headers={})
    assert [(r.method, r.status) for r in emu.token_requests] == [
        ("POST", 200),
        ("POST", 400),
        ("POST", 400),
        ("GET", 200),
    ]
    for record in emu.token_requests:
        assert record.body == b""
        for leaked in (CLIENT_SECRET, "nope-secret", "secret", "Basic "):
            assert leaked not in _everything(record)
    assert emu.token_requests[-1].query["grant_type"] == "client_credentials"


async def test_add_point_group_defaults_description_to_entity_default(
    api: Api, emu: MauticEmulator
) -> None:
    seeded = emu.add_point_group("Seeded")
    assert seeded["description"] == ""
    fetched = await api("GET", f"/api/points/groups/{seeded['id']}")
    assert fetched.json["pointGroup"]["description"] == ""
    assert emu.add_point_group("Null", None)["description"] is None
    created = await api.create("Via API")  # the API form maps the default "" to null
    assert created["description"] is None
