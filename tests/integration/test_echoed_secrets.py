"""No credential the client holds shows anywhere, even when the server echoes it.

Real HTTP to a hostile server whose token endpoint and API echo the request (its
Authorization header and body) back: raw, URL-encoded, JSON-escaped (PHP style too),
in error messages, bodies, headers and fields the models cannot read. Every error's
text, repr, args, body snippet, headers, items and formatted traceback, and every log
record, must be free of every credential.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import traceback
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from aiohttp import web

from mautic_async import (
    APIStatusError,
    Auth,
    BasicAuth,
    MauticClient,
    MauticError,
    OAuth2ClientCredentials,
    OAuth2Token,
    UnexpectedResponseError,
)

from ._hostile import serve
from .conftest import FakeSleep

USER = "admin"
PASSWORD = 'pa/ss+wörd&"x<y>'
CLIENT_SECRET = "cl/ient+secret=ü%Z"
REFRESH = "ref/resh+tok=ü-R"
ACCESS = "acc/ess+tok=ü-A"
BASIC = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
SECRETS = [PASSWORD, CLIENT_SECRET, REFRESH, ACCESS, BASIC]


def echoed_forms(secret: str) -> list[str]:
    """Every way a server might send a secret back."""
    escaped = json.dumps(secret)[1:-1]
    return [
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        escaped,
        escaped.replace("/", "\\/"),
        re.sub("%[0-9A-F]{2}", lambda m: m[0].lower(), quote(secret, safe="")),
    ]


def assert_clean(text: str) -> None:
    for secret in SECRETS:
        for form in echoed_forms(secret):
            assert form not in text, f"{secret!r} (as {form!r}) leaked into {text!r}"


def assert_error_clean(exc: BaseException) -> None:
    assert_clean(str(exc))
    assert_clean(repr(exc))
    assert_clean(repr(exc.args))
    assert_clean("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    assert_clean(repr(vars(exc)))  # body_snippet, headers, errors, message...


def php_json(value: Any) -> str:
    return json.dumps(value).replace("/", "\\/")


class Echo:
    """Echoes each request: ``token`` says how the token endpoint answers, ``api``
    how the API does."""

    def __init__(self, token: str, api: str) -> None:
        self.token, self.api = token, api

    async def __call__(self, request: web.Request) -> web.Response:
        body = (await request.read()).decode()
        auth = request.headers.get("Authorization", "")
        echo = f"you sent {auth!s} with {body}"
        headers = {"X-Echo": quote(echo, safe="")}
        mode = self.token if request.path == "/oauth/v2/token" else self.api
        if mode == "issue":
            return web.json_response({"access_token": ACCESS, "expires_in": 3600})
        if mode == "json-error":
            errors = [{"message": echo, "code": 400, "type": auth, "details": {"f": [body]}}]
            text = php_json({"errors": errors, "request": {"body": body, "auth": auth}})
            return web.Response(
                text=text, status=400, content_type="application/json", headers=headers
            )
        if mode == "text-error":
            return web.Response(text=echo + "\n" + json.dumps(echo), status=500, headers=headers)
        if mode == "bad-field":  # a 200 whose field the model cannot read
            return web.json_response({"pointGroup": {"id": echo, "name": [auth]}})
        if mode == "bad-total":
            return web.json_response({"total": echo, "pointGroups": []})
        if mode == "unauthorized":
            return web.json_response({"errors": [{"message": echo, "code": 401}]}, status=401)
        raise AssertionError(mode)


AUTHS: dict[str, Callable[[], Auth]] = {
    "basic": lambda: BasicAuth(USER, PASSWORD),
    "client-credentials": lambda: OAuth2ClientCredentials("1_id", CLIENT_SECRET),
    "refresh-token": lambda: OAuth2Token("1_id", CLIENT_SECRET, refresh_token=REFRESH),
}
CASES = [
    ("basic", "issue", "json-error"),
    ("basic", "issue", "text-error"),
    ("basic", "issue", "bad-field"),
    ("basic", "issue", "bad-total"),
    ("basic", "issue", "unauthorized"),
    ("client-credentials", "json-error", "json-error"),
    ("client-credentials", "text-error", "json-error"),
    ("refresh-token", "json-error", "json-error"),
    ("refresh-token", "text-error", "json-error"),
    ("client-credentials", "issue", "json-error"),
    ("client-credentials", "issue", "text-error"),
    ("client-credentials", "issue", "bad-field"),
    ("refresh-token", "issue", "bad-total"),
    ("refresh-token", "issue", "unauthorized"),
]


@pytest.mark.parametrize(("kind", "token", "api"), CASES)
async def test_an_echoing_server_never_gets_a_secret_into_an_error_or_log(
    kind: str, token: str, api: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with (
        serve(Echo(token, api)) as url,
        MauticClient(url, auth=AUTHS[kind](), sleep=FakeSleep()) as mautic,
    ):
        call = mautic.point_groups.list() if api == "bad-total" else mautic.point_groups.get(1)
        with pytest.raises(MauticError) as caught:
            await call
        assert_clean(repr(mautic))
    exc = caught.value
    assert_error_clean(exc)
    if isinstance(exc, (APIStatusError, UnexpectedResponseError)):
        assert_clean(exc.body_snippet)
    if isinstance(exc, APIStatusError):
        assert_clean(repr(list(exc.headers.items())))
        assert_clean(repr(exc.errors))
    # The error still says what happened, with the credential masked in place.
    shown = str(exc) + getattr(exc, "body_snippet", "")
    assert "***" in shown or "(not shown" in shown
    for record in caplog.records:
        assert_clean(record.getMessage())
        assert_clean(record.exc_text or "")
    assert_clean(caplog.text)


async def test_the_echoed_secret_is_masked_in_place() -> None:
    async with (
        serve(Echo("issue", "json-error")) as url,
        MauticClient(url, auth=BasicAuth(USER, PASSWORD)) as mautic,
    ):
        with pytest.raises(APIStatusError) as caught:
            await mautic.point_groups.get(1)
    assert str(caught.value).endswith("you sent Basic *** with ")
    assert caught.value.errors[0].type == "Basic ***"
