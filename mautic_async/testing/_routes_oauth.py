"""``/oauth/v2/token`` and an auto-approving ``/oauth/v2/authorize``."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from ._context import context, params
from ._http import credentials, parse_query
from ._oauth import OAuthError

__all__ = ["setup_oauth_routes"]


async def token(request: web.Request) -> web.Response:
    """``GET|POST /oauth/v2/token``: parameters from the body on POST, from the query
    string on GET; client credentials may also come as HTTP Basic (which wins).

    UNVERIFIED choice: a JSON body is accepted like a form body, since FOSRest's body
    listener decodes it into ``$request->request`` before oauth2-php reads it.
    """
    data = params(request) if request.method == "POST" else parse_query(request)
    basic = credentials(request, data).basic
    return context(request).oauth.grant(data, basic)


async def authorize(request: web.Request) -> web.Response:
    """``GET /oauth/v2/authorize``: emulator convenience, not Mautic's behaviour.

    Real Mautic shows a login and consent page; the emulator approves at once as
    user 1 and redirects to ``redirect_uri`` with ``code`` (and ``state``).
    """
    query = parse_query(request)
    oauth = context(request).oauth
    client_id, redirect_uri = query.get("client_id"), query.get("redirect_uri")
    if not isinstance(client_id, str) or client_id not in oauth.settings.oauth2_clients:
        return OAuthError(400, "invalid_client", "The client credentials are invalid").response()
    if not isinstance(redirect_uri, str) or not redirect_uri:
        return OAuthError(
            400, "invalid_request", "The redirect URI parameter is required."
        ).response()
    if query.get("response_type") != "code":
        return OAuthError(400, "unsupported_response_type", "Invalid response type.").response()
    answer = {"code": oauth.issue_code(client_id, redirect_uri)}
    state = query.get("state")
    if isinstance(state, str):
        answer["state"] = state
    separator = "&" if "?" in redirect_uri else "?"
    location = redirect_uri + separator + urlencode(answer)
    return web.Response(status=302, headers={"Location": location})


def setup_oauth_routes(router: web.UrlDispatcher) -> None:
    """Register the OAuth2 routes."""
    for method in ("GET", "POST"):
        router.add_route(method, "/oauth/v2/token", token)
    router.add_route("GET", "/oauth/v2/authorize", authorize)
