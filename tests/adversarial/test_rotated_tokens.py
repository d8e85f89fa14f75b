"""Probe: a token the client held before a 401 made it fetch a new one stays masked
when a server echoes it later (real HTTP, 127.0.0.1)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from aiohttp import web
from integration._hostile import serve

from mautic_async import Auth, MauticClient, OAuth2ClientCredentials, OAuth2Token, ValidationError
from mautic_async.auth import TokenResponse

AUTHS: dict[str, Callable[[], Auth]] = {
    "client-credentials": lambda: OAuth2ClientCredentials("1_id", "client-secret-zz"),
    "refresh-token": lambda: OAuth2Token("1_id", "client-secret-zz", refresh_token="OLD-REFRESH-0"),
    "refresh-token-with-callback": lambda: OAuth2Token(
        "1_id", "client-secret-zz", refresh_token="OLD-REFRESH-0", on_refresh=_ignore
    ),
}


def _ignore(_token: TokenResponse) -> None:
    return None


class Rotating:
    """Issues a new token each time; refuses the first with a 401; then answers 400
    echoing every token and refresh token it ever issued."""

    def __init__(self) -> None:
        self.counter = itertools.count(1)
        self.issued: list[str] = []

    async def __call__(self, request: web.Request) -> web.Response:
        if request.path == "/oauth/v2/token":
            number = next(self.counter)
            access, refresh = f"ACCESS-{number}-xyzzy", f"REFRESH-{number}-plugh"
            self.issued += [access, refresh]
            return web.json_response(
                {"access_token": access, "refresh_token": refresh, "expires_in": 3600}
            )
        if request.headers["Authorization"] == f"Bearer {self.issued[0]}":
            return web.json_response({"errors": [{"message": "expired", "code": 401}]}, status=401)
        echo = f"you hold {' '.join(self.issued)} and OLD-REFRESH-0"
        return web.json_response({"errors": [{"message": echo, "code": 400}]}, status=400)


@pytest.mark.parametrize("kind", list(AUTHS))
async def test_a_token_replaced_after_a_401_stays_masked(kind: str) -> None:
    server = Rotating()
    async with serve(server) as url, MauticClient(url, auth=AUTHS[kind](), max_retries=0) as m:
        with pytest.raises(ValidationError) as caught:
            await m.point_groups.get(1)
    text = str(caught.value) + repr(caught.value.errors)
    assert "you hold" in text
    held = [t for t in server.issued if t.startswith("ACCESS")]
    if kind != "client-credentials":  # client credentials hold no refresh token
        held += [t for t in server.issued if t.startswith("REFRESH")] + ["OLD-REFRESH-0"]
    for token in held:
        assert token not in text, f"{token} leaked: {text}"
