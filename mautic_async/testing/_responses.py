"""Response builders, one per layer of Mautic that can answer (spec section 4).

* controller (``FetchCommonApiController::view``/``returnError``): JMS-encoded JSON,
  ``Mautic-Version`` header, error items ``code, message, details, type``;
* security (``ApiSubscriber`` rewriting OAuth2/firewall errors): ``JsonResponse`` with
  items ``message, code, type`` and no ``details``, no ``Mautic-Version``;
* exception (``ExceptionController``): like security, ``type`` null, generic message
  for anything but not-found / access-denied / unexpected-value errors;
* rate limiter: a raw string body with items ``code, message, details``.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from aiohttp import web

from ._php import json_encode

__all__ = [
    "ServerError",
    "controller_error",
    "controller_response",
    "error_item",
    "exception_error",
    "generic_message",
    "html_error_page",
    "rate_limited",
    "security_error",
]

JSON = "application/json"


class ServerError(Exception):
    """An uncaught server-side failure, rendered by the exception layer.

    Raised where PHP would throw (Doctrine query errors, ``TypeError``...); the
    innermost middleware turns it into :func:`exception_error`.
    """

    def __init__(self, status: int = 500, message: str | None = None) -> None:
        super().__init__(message or generic_message(status))
        self.status = status
        self.message = message


def generic_message(status: int) -> str:
    """``mautic.core.error.generic`` with ``%code%`` filled in."""
    return (
        f"Looks like I encountered an error (error #{status}). "
        "If I do it again, please report me to the system administrator!"
    )


def controller_response(
    data: Any, status: int, version: str, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A FOSRest view: JMS JSON plus the ``Mautic-Version`` header."""
    all_headers = {"Mautic-Version": version, **(headers or {})}
    return web.Response(
        body=json_encode(data), status=status, content_type=JSON, headers=all_headers
    )


def error_item(message: str, code: int, details: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ``returnError`` array: ``code, message, details, type`` (empty details: ``[]``)."""
    return {"code": code, "message": message, "details": dict(details or {}), "type": None}


def controller_error(
    message: str, code: int, version: str, details: Mapping[str, Any] | None = None
) -> web.Response:
    """``returnError()``: ``{"errors":[{"code","message","details","type":null}]}``."""
    body = {"errors": [error_item(message, code, details)]}
    return controller_response(body, code, version)


def security_error(message: str, code: int, error_type: str | None) -> web.Response:
    """``ApiSubscriber`` body: ``{"errors":[{"message","code","type"}]}``, no headers."""
    body = {"errors": [{"message": message, "code": code, "type": error_type}]}
    return web.Response(body=json_encode(body, hex_flags=True), status=code, content_type=JSON)


def exception_error(status: int, message: str | None = None) -> web.Response:
    """``ExceptionController`` body (prod): real message only when given, else generic."""
    return security_error(message or generic_message(status), status, None)


def rate_limited(limit: int) -> web.Response:
    """The 429 answer; the body is the configured raw string, byte for byte.

    UNVERIFIED choice: ``Content-Type: application/json``. The bundle builds
    ``new Response($message, 429)``; ``Response::prepare`` then derives the type from
    the route's ``_format=json`` default, which is the most likely outcome.
    """
    text = (
        '{ "errors": [ { "code": 429, "message": "You exceeded the rate limit of '
        f'{limit} API calls per hour.", "details": [] }} ]}}'
    )
    return web.Response(body=text.encode(), status=429, content_type=JSON)


def html_error_page(status: int) -> web.Response:
    """An nginx-style HTML error page, as a reverse proxy in front of Mautic sends."""
    try:
        title = f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        title = str(status)
    page = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
    return web.Response(body=page.encode(), status=status, content_type="text/html")
