"""OAuth2 server: the ``/oauth/v2/token`` grants and bearer-token checks (spec section 5).

Behaviour follows ``friendsofsymfony/oauth2-php`` 1.3 (``OAuth2::grantAccessToken``,
``verifyAccessToken``) with Mautic's ``ApiSubscriber`` rewriting every error into
``{"errors":[{"message","code","type"}]}``.

Emulator choices: every configured client may use ``client_credentials``,
``authorization_code`` and ``refresh_token`` (``password`` is refused with
``unauthorized_client``); the client's display name is its id, so the pseudo user of a
client-credentials token is ``"<id> [<id>]"``. Authorization codes live 30 s and are
single-use. Token strings are random URL-safe strings. ``expires_in`` is the lifetime
truncated to whole seconds. The success answer carries ``Cache-Control: no-store`` as
the spec lists it (Symfony's header bag would most likely send ``no-store, private``).
A token expires once the clock is strictly past ``issued + lifetime``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ._clock import Clock
from ._entities import Actor
from ._php import json_encode, php_empty
from ._responses import security_error

if TYPE_CHECKING:
    from ._context import Settings

__all__ = ["Grant", "OAuthError", "OAuthServer"]

ALLOWED_GRANTS = frozenset({"client_credentials", "authorization_code", "refresh_token"})
_GRANT_TYPE = re.compile(
    r"(authorization_code|token|password|client_credentials|refresh_token|https?://.+|urn:.+)\Z"
)
AUTH_CODE_LIFETIME = 30
TOKEN_HEADERS = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class OAuthError(Exception):
    """An OAuth2 library error (``{"error", "error_description"}`` before rewriting)."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description

    def response(self) -> web.Response:
        """The body ``ApiSubscriber::onKernelResponse`` sends instead (no WWW-Authenticate)."""
        message = "API authorization denied." if self.error == "access_denied" else self.description
        return security_error(message, self.status, self.error)


def _invalid_client() -> OAuthError:
    return OAuthError(400, "invalid_client", "The client credentials are invalid")


@dataclass(frozen=True)
class Grant:
    """A stored access token, refresh token or authorization code."""

    client_id: str
    actor: Actor
    expires_at: float
    redirect_uri: str = ""


class OAuthServer:
    """Token storage and grant logic; lifetimes are read from ``settings`` on each use."""

    def __init__(self, settings: Settings, clock: Clock, user: Actor) -> None:
        self.settings = settings
        self.clock = clock
        self.user = user
        self.access: dict[str, Grant] = {}
        self.refresh: dict[str, Grant] = {}
        self.codes: dict[str, Grant] = {}

    def clear(self) -> None:
        """Revoke every token and code."""
        self.access.clear()
        self.refresh.clear()
        self.codes.clear()

    def client_actor(self, client_id: str) -> Actor:
        """The pseudo user Mautic builds for a client-credentials token."""
        return Actor(None, f"{client_id} [{client_id}]")

    def _check_client(self, client_id: str) -> None:
        if client_id not in self.settings.oauth2_clients:
            raise ValueError(f"unknown OAuth2 client id {client_id!r}")

    def issue(self, client_id: str, actor: Actor, *, refresh: bool) -> dict[str, Any]:
        """Store a new token (pair) and return the token endpoint's success body."""
        now = self.clock.now()
        access = secrets.token_urlsafe(32)
        self.access[access] = Grant(client_id, actor, now + self.settings.token_lifetime)
        body: dict[str, Any] = {
            "access_token": access,
            "expires_in": int(self.settings.token_lifetime),
            "token_type": "bearer",
            "scope": None,
        }
        if refresh:
            token = secrets.token_urlsafe(32)
            self.refresh[token] = Grant(
                client_id, actor, now + self.settings.refresh_token_lifetime
            )
            body["refresh_token"] = token
        return body

    def issue_code(self, client_id: str, redirect_uri: str) -> str:
        """Store an authorization code granted by user 1 for ``client_id``."""
        self._check_client(client_id)
        code = secrets.token_urlsafe(32)
        expires = self.clock.now() + AUTH_CODE_LIFETIME
        self.codes[code] = Grant(client_id, self.user, expires, redirect_uri)
        return code

    def issue_pair(self, client_id: str) -> dict[str, Any]:
        """What an authorization-code grant returns, without the browser round trip."""
        self._check_client(client_id)
        return self.issue(client_id, self.user, refresh=True)

    def verify(self, token: str) -> Grant:
        """Check a bearer token; raises the 401 ``invalid_grant`` errors."""
        grant = self.access.get(token)
        if grant is None:
            raise OAuthError(401, "invalid_grant", "The access token provided is invalid.")
        if self.clock.now() > grant.expires_at:
            raise OAuthError(401, "invalid_grant", "The access token provided has expired.")
        return grant

    def grant(self, data: Mapping[Any, Any], basic: tuple[str, str] | None) -> web.Response:
        """Handle one token request; ``basic`` holds HTTP Basic client credentials."""
        try:
            body = self._grant(data, basic)
        except OAuthError as exc:
            return exc.response()
        return web.Response(
            body=json_encode(body),
            content_type="application/json",
            headers=TOKEN_HEADERS,
        )

    def _grant(self, data: Mapping[Any, Any], basic: tuple[str, str] | None) -> dict[str, Any]:
        grant_type = data.get("grant_type")
        if not isinstance(grant_type, str) or not _GRANT_TYPE.match(grant_type):
            raise OAuthError(
                400, "invalid_request", "Invalid grant_type parameter or parameter missing"
            )
        secret: Any
        if basic is not None and basic[0]:
            client_id, secret = basic
        elif php_empty(data.get("client_id")) or isinstance(data.get("client_id"), Mapping):
            raise OAuthError(
                400, "invalid_client", "Client id was not found in the headers or body"
            )
        else:
            client_id, secret = str(data["client_id"]), data.get("client_secret")
        if self.settings.oauth2_clients.get(client_id, None) is None:
            raise _invalid_client()
        if secret != self.settings.oauth2_clients[client_id]:
            raise _invalid_client()
        if grant_type not in ALLOWED_GRANTS:
            raise OAuthError(
                400, "unauthorized_client", "The grant type is unauthorized for this client_id"
            )
        if grant_type == "client_credentials":
            return self.issue(client_id, self.client_actor(client_id), refresh=False)
        if grant_type == "refresh_token":
            return self._refresh(client_id, data.get("refresh_token"))
        return self._authorization_code(client_id, data.get("code"), data.get("redirect_uri"))

    def _refresh(self, client_id: str, token: Any) -> dict[str, Any]:
        if php_empty(token) or not isinstance(token, str):
            raise OAuthError(400, "invalid_request", 'No "refresh_token" parameter found')
        stored = self.refresh.get(token)
        if stored is None or stored.client_id != client_id:
            raise OAuthError(400, "invalid_grant", "Invalid refresh token")
        if self.clock.now() > stored.expires_at:
            raise OAuthError(400, "invalid_grant", "Refresh token has expired")
        body = self.issue(client_id, stored.actor, refresh=True)
        del self.refresh[token]  # rotation: the old refresh token is deleted
        return body

    def _authorization_code(self, client_id: str, code: Any, redirect_uri: Any) -> dict[str, Any]:
        if php_empty(code) or not isinstance(code, str):
            raise OAuthError(400, "invalid_request", 'Missing parameter. "code" is required')
        if php_empty(redirect_uri) or not isinstance(redirect_uri, str):
            raise OAuthError(400, "invalid_request", "The redirect URI parameter is required.")
        stored = self.codes.get(code)
        if stored is None or stored.client_id != client_id:
            raise OAuthError(
                400, "invalid_grant", "Code doesn't exist or is invalid for the client"
            )
        if not redirect_uri.lower().startswith(stored.redirect_uri.lower()):
            raise OAuthError(
                400,
                "redirect_uri_mismatch",
                "The redirect URI is invalid or does not match the one used in the "
                "authorization code request.",
            )
        if self.clock.now() > stored.expires_at:
            raise OAuthError(400, "invalid_grant", "The authorization code has expired")
        del self.codes[code]
        return self.issue(client_id, stored.actor, refresh=True)
