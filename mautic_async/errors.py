"""One error hierarchy for everything that can go wrong talking to Mautic.

Every error raised by a request carries the HTTP method, the request path (never the
query string's secrets, never a header, never a body we sent) and, where the server
answered, its status and Mautic's ``errors`` list. Which class is raised depends on the
status code alone (:func:`status_error_class`), so ``except NotFoundError`` means the
same thing for every resource.

::

    MauticError
    ├── ClientClosedError            the client was used after close()
    ├── EventsNotDeletedError        Mautic said it deleted trigger events; it did not
    └── APIError                     anything about one request
        ├── APIConnectionError       no (complete) HTTP answer: refused, reset, dropped
        │   └── APITimeoutError      no answer in time
        ├── UnexpectedResponseError  an answer that is not the JSON we expect
        │   ├── ResponseTooLargeError    a body over ``max_response_size``
        │   └── PaginationError          paging that does not advance or end
        ├── CreatedWithoutFieldsError  created, but a follow-up PATCH failed
        └── APIStatusError           Mautic answered with an error status
            ├── ValidationError          400, 422 (``details`` per field)
            ├── AuthenticationError      401
            │   └── OAuthError           the token endpoint refused (``error_type``)
            ├── PermissionDeniedError    403
            ├── NotFoundError            404
            │   └── EndpointUnavailableError  no such route (server too old)
            ├── RateLimitError           429 (``retry_after``)
            └── ServerError              5xx
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, quote_plus

import attrs
from multidict import CIMultiDict

if TYPE_CHECKING:  # the models import this module
    from .models import BatchResult
    from .models_points import PointTrigger

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "ClientClosedError",
    "CreatedWithoutFieldsError",
    "EndpointUnavailableError",
    "ErrorItem",
    "EventsNotDeletedError",
    "MauticError",
    "NotFoundError",
    "OAuthError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ServerError",
    "UnexpectedResponseError",
    "ValidationError",
    "status_error_class",
]

#: How much of an unexpected body an error keeps, so logs show what came back
#: (an nginx page, a PHP fatal) without carrying megabytes around.
SNIPPET_LENGTH = 200
#: What a masked credential is replaced with.
MASK = "***"


class _HoldsSecrets(Protocol):
    def _credentials(self) -> Iterable[str]: ...


class _Secrets:
    """Every credential a live :class:`~mautic_async.Auth` holds, so that errors can
    mask them in whatever the server sends back (a token endpoint or a proxy that
    echoes the request would otherwise put them in an error's text).

    Auth objects register themselves and are held weakly; masking asks each for its
    current credentials (tokens change), and masks each one as sent and as a server
    may echo it: URL-encoded, JSON-escaped (also PHP's ``\\/``), HTML-escaped, with
    escapes in either letter case. Masking only runs when an error is built, never
    on the happy path.
    """

    def __init__(self) -> None:
        self._holders: weakref.WeakSet[_HoldsSecrets] = weakref.WeakSet()
        self._known: frozenset[str] = frozenset()
        self._pattern: re.Pattern[str] | None = None

    def register(self, holder: _HoldsSecrets) -> None:
        self._holders.add(holder)

    def pattern(self) -> re.Pattern[str] | None:
        known = frozenset(s for holder in list(self._holders) for s in holder._credentials() if s)
        if known != self._known:
            self._known, self._pattern = known, _pattern(known)
        return self._pattern


def _forms(secret: str) -> set[str]:
    """``secret`` and the ways a server may echo it."""
    escaped = json.dumps(secret)[1:-1]
    forms = {
        secret,
        quote(secret),
        quote(secret, safe=""),
        quote_plus(secret),
        escaped,
        escaped.replace("/", "\\/"),
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret),
        html.escape(secret, quote=False),
        repr(secret)[1:-1],
        # As bytes shown by repr (an HTTP parser quoting a malformed header line), and
        # that once more inside a quoted message.
        repr(secret.encode())[2:-1],
        repr(secret.encode())[2:-1].replace("\\", "\\\\"),
    }
    # Escapes are case-blind (%2f is %2F, \u00E9 is \u00e9); the secret itself is not.
    forms |= {_URL_HEX.sub(lambda m: m[0].lower(), form) for form in forms}
    forms |= {_JSON_HEX.sub(lambda m: m[0].upper().replace("\\U", "\\u"), f) for f in forms}
    return {form for form in forms if form}


_URL_HEX = re.compile(r"%[0-9A-F]{2}")
_JSON_HEX = re.compile(r"\\u[0-9a-f]{4}")


#: Credentials shorter than this are not masked: they protect nothing, and masking
#: every "pw" or "a" would garble messages (the CLI still masks them where they stand
#: alone).
MIN_MASKED_LENGTH = 4


def _pattern(secrets: Iterable[str]) -> re.Pattern[str] | None:
    forms = {
        form for secret in secrets if len(secret) >= MIN_MASKED_LENGTH for form in _forms(secret)
    }
    if not forms:
        return None
    ordered = sorted(forms, key=len, reverse=True)  # the longest form wins
    return re.compile("|".join(map(re.escape, ordered)))


_SECRETS = _Secrets()
register_secrets = _SECRETS.register


def mask(text: str) -> str:
    """``text`` with every credential a live auth object holds replaced by ``***``."""
    pattern = _SECRETS.pattern()
    return text if pattern is None else pattern.sub(MASK, text)


def _mask_value(value: Any) -> Any:
    """A JSON-like value with every credential in its strings masked."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, Mapping):
        return {_mask_value(k): _mask_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mask_value(v) for v in value]
    return value


def _masked_str(value: Any) -> Any:
    return mask(value) if isinstance(value, str) else value


def _masked_details(value: Any) -> Any:
    if _SECRETS.pattern() is None or not isinstance(value, Mapping):
        return value
    try:
        return _mask_value(value)
    except RecursionError:  # a hostile server's details, nested past the stack
        return {"details": "(nested too deeply to show)"}


def scrub(exc: BaseException) -> None:
    """Mask credentials in the text of ``exc``'s causes and contexts (and of the
    sub-exceptions of exception groups), which a formatted traceback shows: a
    cattrs error deep in the chain may quote a value the server echoed."""
    if _SECRETS.pattern() is None:
        return
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        with contextlib.suppress(Exception):  # a type that will not take new args
            current.args = tuple(_mask_value(a) if isinstance(a, str) else a for a in current.args)
        notes = getattr(current, "__notes__", None)
        if isinstance(notes, list):
            notes[:] = [mask(n) if isinstance(n, str) else n for n in notes]
        stack.extend((current.__cause__, current.__context__))
        stack.extend(getattr(current, "exceptions", ()) or ())


@attrs.frozen
class ErrorItem:
    """One entry of Mautic's ``errors`` list.

    Mautic has four shapes for these (controller, security layer, rate limiter, batch
    item); ``code`` and ``message`` are the only keys all of them have. Credentials
    the client holds are masked in its text, even when the server echoes them.
    Hashable: ``details`` takes part in equality but not in the hash (its values are
    lists).

    Attributes:
        message: Mautic's message, e.g. ``"Item was not found."``.
        code: the HTTP status Mautic put in the entry.
        type: Mautic's error type (``"invalid_grant"``, ``"api_disabled"``, …), or
            ``None`` when the shape has none.
        details: per-field messages of a validation error, see below.
    """

    message: str = attrs.field(converter=_masked_str)
    code: int | None = None
    type: str | None = attrs.field(default=None, converter=_masked_str)
    #: Per-field messages of a validation error (``{"name": ["A name is required."]}``);
    #: empty for every other kind of error.
    details: Mapping[str, Any] = attrs.field(factory=dict, converter=_masked_details, hash=False)


class MauticError(Exception):
    """Base class of every error this library raises on purpose."""


class ClientClosedError(MauticError):
    """The client was used after :meth:`MauticClient.close`."""


class APIError(MauticError):
    """Something went wrong with one request.

    Attributes:
        message: what went wrong, in words (Mautic's own message where it sent one).
        method: the HTTP method of the request.
        path: the request path, without query string.
        status: the HTTP status, or ``None`` when no answer arrived.
        errors: Mautic's ``errors`` list, parsed; empty when it sent none.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        status: int | None = None,
        errors: Sequence[ErrorItem] = (),
    ) -> None:
        message = mask(message)  # a server may echo credentials into any message
        self.message = message
        self.method = method
        self.path = path
        self.status = status
        self.errors: tuple[ErrorItem, ...] = tuple(errors)
        super().__init__(message)

    def __str__(self) -> str:
        where = f"{self.method} {self.path}"
        if self.status is not None:
            where += f" -> {self.status}"
        return f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # The default, cls(*self.args), lacks the keyword-only arguments: copying or
        # pickling an error (multiprocessing, task queues) raised TypeError.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[APIError], args: tuple[Any, ...], state: dict[str, Any]) -> APIError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class APIConnectionError(APIError):
    """No complete HTTP answer arrived: refused, reset, dropped, or a truncated body.

    Attributes:
        request_sent: ``False`` only when the request provably never reached the
            server (the connection could not be opened), so repeating it cannot
            repeat its effect. ``True`` means the outcome is unknown.
        transient: ``False`` for failures that another attempt cannot cure (a TLS
            certificate that does not verify); those are never retried.
    """

    def __init__(
        self, message: str, *, method: str, path: str, request_sent: bool, transient: bool = True
    ) -> None:
        super().__init__(message, method=method, path=path)
        self.request_sent = request_sent
        self.transient = transient


class APITimeoutError(APIConnectionError):
    """No answer within the timeout. The server may still have done the work."""


class UnexpectedResponseError(APIError):
    """An answer that is not the JSON we expect: an HTML page, a truncated body, a
    shape the models cannot take.

    Attributes:
        body_snippet: the first :data:`SNIPPET_LENGTH` characters of the body.
    """

    def __init__(
        self, message: str, *, method: str, path: str, status: int | None, body: bytes | str
    ) -> None:
        self.body_snippet = _snippet(body)
        super().__init__(message, method=method, path=path, status=status)

    def __str__(self) -> str:
        return f"{super().__str__()} (body starts: {self.body_snippet!r})"


class ResponseTooLargeError(UnexpectedResponseError):
    """The answer's body is larger than the client's ``max_response_size``; it was not
    read past that limit (a hostile or broken server cannot exhaust memory).

    Attributes:
        limit: the ``max_response_size`` in bytes that was exceeded.
    """

    def __init__(self, message: str, *, method: str, path: str, status: int, limit: int) -> None:
        self.limit = limit
        super().__init__(message, method=method, path=path, status=status, body=b"")

    __str__ = APIError.__str__  # no body was kept to show


class PaginationError(UnexpectedResponseError):
    """Paging through a list did not advance or would not end: the server sent a page
    again, ignored ``start`` or the ``where id > last`` filter, or kept sending pages
    past the ``total`` it claimed. Raised before any item of that page is yielded.

    Attributes:
        endpoint: the list's path (``/api/points/groups``).
        page: the 1-based number of the page that tripped the check.
    """

    def __init__(self, message: str, *, method: str, path: str, page: int) -> None:
        self.endpoint = path
        self.page = page
        super().__init__(
            f"page {page} of {path}: {message}", method=method, path=path, status=None, body=b""
        )

    __str__ = APIError.__str__  # no body was kept to show


class APIStatusError(APIError):
    """Mautic (or a proxy in front of it) answered with an error status.

    Attributes:
        status: the HTTP status code (never ``None`` here).
        headers: the response headers.
        body_snippet: the start of the body, for errors that were not Mautic JSON.
        retry_after: seconds the server asked us to wait (``Retry-After``, or for a
            429 Mautic's ``X-RateLimit-Reset``); ``None`` when it did not say.
    """

    status: int

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        status: int,
        errors: Sequence[ErrorItem] = (),
        headers: Mapping[str, str] | None = None,
        body: bytes | str = b"",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, method=method, path=path, status=status, errors=errors)
        # Case-insensitive, like HTTP header names (and aiohttp's own headers).
        self.headers: Mapping[str, str] = CIMultiDict(headers or {})
        if headers and _SECRETS.pattern() is not None:  # an echoing proxy, a debug header
            self.headers = CIMultiDict((k, mask(v)) for k, v in self.headers.items())
        self.body_snippet = _snippet(body)
        self.retry_after = retry_after


class ValidationError(APIStatusError):
    """400 or 422: Mautic refused the input.

    ``details`` maps each invalid field to its messages, merged over all errors::

        except ValidationError as exc:
            exc.details  # {"name": ["A name is required."]}
    """

    @property
    def details(self) -> dict[str, Any]:
        """Each invalid field mapped to its messages, merged over every error item
        (``{"name": ["A name is required."]}``); empty when Mautic named no field."""
        merged: dict[str, Any] = {}
        for item in self.errors:
            merged.update(item.details)
        return merged


class AuthenticationError(APIStatusError):
    """401: missing, wrong or expired credentials."""


class OAuthError(AuthenticationError):
    """The OAuth2 token endpoint refused to issue a token.

    Attributes:
        error_type: Mautic's ``type`` for the failure, e.g. ``invalid_client``,
            ``invalid_grant``, ``unauthorized_client``.
    """

    @property
    def error_type(self) -> str | None:
        """Mautic's ``type`` for the refusal (``invalid_client``, ``invalid_grant``,
        ``unauthorized_client``, …), or ``None`` if its answer named none."""
        return self.errors[0].type if self.errors else None


class PermissionDeniedError(APIStatusError):
    """403: the API (or Basic auth) is disabled, or the user lacks a permission."""


class NotFoundError(APIStatusError):
    """404: no such entity, or no such API route."""


class RateLimitError(APIStatusError):
    """429: the hourly rate limit is used up.

    ``retry_after`` says how many seconds until Mautic's window resets (from its
    ``X-RateLimit-Reset``, or a proxy's ``Retry-After``).
    """


class ServerError(APIStatusError):
    """5xx: Mautic or a proxy failed. Mautic's own 500s say little by design."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: ValidationError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The exception class for an HTTP error status."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, APIStatusError)


#: How far past the snippet's end a body is read and masked (see :func:`_snippet`).
_SNIPPET_MARGIN = 2048


def _snippet(body: bytes | str) -> str:
    # Mask before cutting, with room for a whole secret past the cut, so that no
    # prefix of a credential is left at the end of the snippet. When the body goes on
    # past what was read, the margin itself is dropped: it may end in a credential cut
    # short (so not masked), which whitespace collapsing would otherwise bring forward.
    limit = SNIPPET_LENGTH * 2 + _SNIPPET_MARGIN
    head = body[:limit]
    text = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
    text = mask(text)
    if len(body) > limit:
        text = text[:-_SNIPPET_MARGIN]
    return " ".join(text.split())[:SNIPPET_LENGTH]


class EndpointUnavailableError(NotFoundError):
    """404 from Mautic's catch-all route: this server has no such endpoint at all (it is
    older than the version that added it; the message says which).

    Point Insights, for instance, need Mautic 7: a 5.x server answers
    ``/api/points/insights`` with "Requested URL not found".
    """


class CreatedWithoutFieldsError(APIError):
    """An entity was created, but Mautic ignored some of its fields on create and the
    PATCH that sends them again failed (``properties`` of a point action).

    The entity exists: ``ids`` says which, ``fields`` which wire keys are missing on
    it. For a batch, ``result`` holds every item's outcome (``None`` for a single
    create). Edit the entity to set the fields, or delete it.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        status: int | None = None,
        errors: Sequence[ErrorItem] = (),
        ids: tuple[int, ...] = (),
        fields: tuple[str, ...] = (),
        result: BatchResult[Any] | None = None,
    ) -> None:
        super().__init__(message, method=method, path=path, status=status, errors=errors)
        self.ids = ids
        self.fields = fields
        self.result = result


class EventsNotDeletedError(MauticError):
    """Mautic answered a trigger-event deletion as done, but a re-read shows the events
    still there (its ``events/delete`` endpoint never saves; see
    ``PointTriggers.delete_events``).

    Attributes:
        trigger: the trigger as Mautic holds it now.
        event_ids: the events that are still there.
    """

    def __init__(self, message: str, *, trigger: PointTrigger, event_ids: tuple[int, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.trigger = trigger
        self.event_ids = event_ids
