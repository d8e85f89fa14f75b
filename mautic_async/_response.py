"""Raw responses: ``resource.with_raw_response.get(1)`` -> :class:`APIResponse`.

The openai-python convention: every method that sends exactly one request has a raw
twin under ``with_raw_response`` that takes the same arguments and returns the status,
headers, URL and body with a :meth:`APIResponse.parse` that gives what the plain call
returns. The twin is the same method run on a copy of the resource whose ``_raw`` flag
is set, so a new method gets its raw form by one declarative line (:func:`to_raw`) and
plain calls pay nothing for it.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, ParamSpec, TypeVar, cast

if TYPE_CHECKING:
    from ._protocol import APIRequest

__all__ = ["APIResponse", "RawReply", "RawResourceBase", "to_raw"]

T = TypeVar("T")
P = ParamSpec("P")
_NOT_PARSED: Any = object()


class RawReply(NamedTuple):
    """What ``MauticClient.request(..., raw=True)`` returns: the answer and its payload."""

    status: int
    headers: Mapping[str, str]
    url: str
    content: bytes
    payload: Any


class APIResponse(Generic[T]):
    """One HTTP answer, as ``with_raw_response`` returns it.

    Attributes:
        status: the HTTP status code (``200``, ``201``).
        headers: the response headers, a case-insensitive mapping
            (``headers["mautic-version"]``).
        url: the URL the request went to (with its query).
        content: the raw body bytes.

    :meth:`parse` gives exactly what the plain call returns (a ``PointGroup`` for
    ``get``), structured once and remembered. An error status raises the usual
    :class:`~mautic_async.APIStatusError` instead of returning an ``APIResponse``.

    >>> response = await mautic.point_groups.with_raw_response.get(1)
    >>> response.status, response.headers["Content-Type"]
    >>> group = response.parse()
    """

    __slots__ = ("_parsed", "_parser", "_request", "content", "headers", "status", "url")

    def __init__(
        self,
        reply: RawReply,
        request: APIRequest,
        parser: Callable[[APIRequest, Any, Any], T],
        parser_arg: Any,
    ) -> None:
        self.status: int = reply.status
        self.headers: Mapping[str, str] = reply.headers
        self.url: str = reply.url
        self.content: bytes = reply.content
        self._request = request
        self._parser = (parser, reply.payload, parser_arg)
        self._parsed: T = _NOT_PARSED

    def parse(self) -> T:
        """The typed value the plain call returns; raises
        :class:`~mautic_async.UnexpectedResponseError` if the body does not fit it."""
        if self._parsed is _NOT_PARSED:
            parser, payload, arg = self._parser
            self._parsed = parser(self._request, payload, arg)
        return self._parsed

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status}] {self._request.method} {self.url}>"


def to_raw(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[APIResponse[T]]]:
    """The raw form of a bound method of a raw twin (see :class:`RawResourceBase`).

    It only re-types it: on a twin, the method already returns an ``APIResponse``.
    """
    return cast("Callable[P, Awaitable[APIResponse[T]]]", method)


class RawResourceBase:
    """Base of the ``with_raw_response`` classes: holds the raw twin of a resource.

    A subclass lists the methods that send one request, e.g.
    ``self.get = to_raw(self._twin.get)``.
    """

    def __init__(self, resource: Any) -> None:
        twin = copy.copy(resource)
        twin._raw = True
        self._twin = twin
