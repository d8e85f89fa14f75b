"""The protocol, without I/O: what to send Mautic, and what its answers mean.

Resources describe a call as an :class:`APIRequest`; the client sends it and hands the
status, headers and body to :func:`decode_response`, which returns the JSON payload or
raises the right :mod:`~mautic_async.errors` class. The ``parse_*`` functions turn a
payload into models. Nothing here touches the network, so all of it is tested with
plain values.
"""

from __future__ import annotations

import email.utils
import importlib
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

import attrs

from ._converter import StructureError, fast_init, fast_structure_fn, structure
from .errors import (
    APIStatusError,
    ErrorItem,
    UnexpectedResponseError,
    scrub,
    status_error_class,
)
from .models import BatchItem, BatchResult, Page

__all__ = [
    "APIRequest",
    "decode_response",
    "encode_body",
    "new_request",
    "parse_batch",
    "parse_batch_delete",
    "parse_entity",
    "parse_errors",
    "parse_labels",
    "parse_page",
    "parse_success",
    "php_query",
    "retry_after_seconds",
]

T = TypeVar("T")

Params = tuple[tuple[str, str], ...]


@attrs.frozen
class APIRequest:
    """One call to Mautic, described but not sent.

    ``path`` is relative to the site root (``"api/points/groups/5/edit"``), so Mautic
    under a sub-path works; ``json`` is the body (``None`` sends none).

    Attributes:
        method: the HTTP method, upper case (``"GET"``, ``"PATCH"``, …).
        path: see above.
        params: the query string as ``(name, value)`` pairs, in order (PHP-style
            ``where[0][col]`` names already expanded).
        json: see above.
    """

    method: str
    path: str
    params: Params = ()
    json: Any = None

    @property
    def display_path(self) -> str:
        """The path as errors and logs show it: ``/api/points/groups/5``."""
        return "/" + self.path


class _NewRequest(Protocol):
    def __call__(
        self, method: str, path: str, params: Params = (), json: Any = None
    ) -> APIRequest: ...


#: ``APIRequest(...)``, built three times cheaper (see ``_converter.fast_init``): every
#: call makes one, so the resources build theirs with this.
new_request: _NewRequest = fast_init(APIRequest)


def php_query(name: str, value: Any) -> list[tuple[str, str]]:
    """Flatten a nested value into PHP's bracketed query parameters.

    >>> php_query("where", [{"col": "id", "expr": "gt", "val": 3}])
    [('where[0][col]', 'id'), ('where[0][expr]', 'gt'), ('where[0][val]', '3')]
    """
    if isinstance(value, Mapping):
        items: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        return [(name, _query_scalar(value))]
    pairs: list[tuple[str, str]] = []
    for key, item in items:
        pairs.extend(php_query(f"{name}[{key}]", item))
    return pairs


def _query_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if value is None:
        return ""
    return str(value)


def _orjson(name: str) -> Callable[..., Any] | None:
    """A function of orjson when it is installed (the optional ``speedups`` extra)."""
    try:
        module = importlib.import_module("orjson")
    except ImportError:
        return None
    function: Callable[..., Any] = getattr(module, name)
    return function


_orjson_loads = _orjson("loads")
_orjson_dumps = _orjson("dumps")


def encode_body(value: Any) -> bytes:
    """A request body as compact JSON bytes: with orjson when installed (about 3x
    faster), else the stdlib; both raise ``TypeError`` for what JSON cannot hold."""
    if _orjson_dumps is not None:
        try:
            encoded: bytes = _orjson_dumps(value)
            return encoded
        except TypeError:  # e.g. an int beyond 64 bits: the stdlib may still manage
            pass
    return json.dumps(value, separators=(",", ":")).encode()


def _loads(body: bytes) -> Any:
    """Parse a JSON body: with orjson when installed (2-3x faster on a page of 100), and
    with the stdlib whenever orjson refuses the body, so what is accepted and what is
    raised stay the stdlib's (``NaN``, lone surrogates, a BOM, invalid UTF-8...).

    One difference remains with orjson: integers beyond 64 bits come back as floats.
    """
    if _orjson_loads is not None:
        try:
            return _orjson_loads(body)
        except ValueError:  # orjson.JSONDecodeError; the stdlib decides below
            pass
    return json.loads(body)


def retry_after_seconds(
    headers: Mapping[str, str], now: float, *, rate_limited: bool = False
) -> float | None:
    """Seconds the server asks us to wait, from ``Retry-After`` (seconds or HTTP date)
    or, on a 429, Mautic's ``X-RateLimit-Reset`` (a Unix time); ``None`` if neither.

    Mautic's own 429 carries no ``Retry-After``, only ``X-RateLimit-Reset``; proxies
    and load balancers send ``Retry-After``, which wins when both are there. Mautic
    sends ``X-RateLimit-Reset`` on every answer, so it only means "wait" on a 429.
    """
    value = headers.get("Retry-After")
    if value:
        value = value.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return max(0.0, when.timestamp() - now)
    reset = headers.get("X-RateLimit-Reset") if rate_limited else None
    if reset:
        try:
            return max(0.0, float(reset) - now)
        except ValueError:
            return None
    return None


def parse_errors(payload: Any, status: int | None) -> list[ErrorItem]:
    """Mautic's error items, from any of its error body shapes (mautic-api.md §4).

    Reads ``{"errors": [...]}`` (a list, or an object keyed by index) and the raw
    OAuth2 ``{"error": "...", "error_description": "..."}`` that Mautic passes through
    when it cannot translate it.
    """
    if not isinstance(payload, Mapping):
        return []
    raw = payload.get("errors")
    if isinstance(raw, Mapping):
        raw = list(raw.values())
    if isinstance(raw, list):
        items: list[ErrorItem] = []
        for entry in raw:
            try:
                items.append(structure(entry, ErrorItem))
            except StructureError:
                items.append(ErrorItem(message=_text(entry), code=status))
        return items
    error = payload.get("error")
    if isinstance(error, str):
        message = payload.get("error_description") or error
        return [ErrorItem(message=str(message), code=status, type=error)]
    if isinstance(error, Mapping) and "message" in error:  # Mautic 2.x legacy shape
        return [ErrorItem(message=str(error["message"]), code=status)]
    return []


def decode_response(
    request: APIRequest,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    status_error: type[APIStatusError] | None = None,
) -> Any:
    """Return the JSON payload of a successful answer, or raise the matching error.

    Error statuses raise the class :func:`~mautic_async.errors.status_error_class`
    picks (or ``status_error``, which the token endpoint uses), carrying Mautic's
    ``errors`` and ``Retry-After``. A success that is not JSON (an HTML page from a
    proxy, a truncated body) raises :class:`UnexpectedResponseError`, and so does any
    status whose body looks like JSON but cannot be decoded (truncated, malformed,
    nested deeper than the decoder goes): never a bare ``RecursionError``. An error
    status with a body that is not JSON at all (a proxy's HTML page) keeps its
    status class, so a 502 page is still a retryable :class:`ServerError`.

    ``now`` (Unix time, for an HTTP-date ``Retry-After``) is read from the clock when
    an error needs it and it was not given.
    """
    if 200 <= status < 300 and _orjson_loads is not None:
        try:  # the usual answer; whatever orjson refuses takes the general path below
            return _orjson_loads(body)
        except ValueError:
            pass
    method, path = request.method, request.display_path
    try:
        payload: Any = _loads(body) if body else None
        is_json = bool(body)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, depth
        payload, is_json = None, False
        if not 200 <= status < 300 and body.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] in (b"{", b"["):
            raise UnexpectedResponseError(
                f"HTTP {status} with a JSON body that cannot be read",
                method=method,
                path=path,
                status=status,
                body=body,
            ) from None

    if 200 <= status < 300:
        if not is_json:
            raise UnexpectedResponseError(
                "expected a JSON body" + (", got an empty one" if not body else ""),
                method=method,
                path=path,
                status=status,
                body=body,
            )
        return payload

    if 300 <= status < 400:
        location = headers.get("Location", "?")
        raise APIStatusError(
            f"Mautic answered with a redirect to {location}; redirects are not followed "
            "(so credentials never go to another address): use the final address as base_url",
            method=method,
            path=path,
            status=status,
            headers=headers,
            body=body,
        )

    errors = parse_errors(payload, status)
    if errors:
        message = "; ".join(e.message for e in errors)
    elif is_json:
        message = f"HTTP {status} with an unrecognised error body"
    else:
        message = f"HTTP {status} with a non-JSON body (a proxy or server error page?)"
    cls = status_error or status_error_class(status)
    raise cls(
        message,
        method=method,
        path=path,
        status=status,
        errors=errors,
        headers=headers,
        body=body,
        retry_after=retry_after_seconds(
            headers, time.time() if now is None else now, rate_limited=status == 429
        ),
    )


def _text(value: Any) -> str:
    """``str(value)``, or a placeholder for a value nested too deeply to print."""
    try:
        return str(value)
    except RecursionError:
        return "(a value nested too deeply to show)"


def _unexpected(request: APIRequest, payload: Any, why: str) -> UnexpectedResponseError:
    try:
        body = json.dumps(payload)
    except (TypeError, ValueError, RecursionError):
        body = _text(payload)
    return UnexpectedResponseError(
        why, method=request.method, path=request.display_path, status=None, body=body
    )


def _member(request: APIRequest, payload: Any, key: str) -> Any:
    if not isinstance(payload, Mapping) or key not in payload:
        raise _unexpected(request, payload, f"expected a JSON object with key {key!r}")
    return payload[key]


def _structure(request: APIRequest, payload: Any, value: Any, type_: Any) -> Any:
    try:
        return structure(value, type_)
    except StructureError as exc:
        error = _unexpected(request, payload, str(exc))
        scrub(exc)  # its chain may quote a value the server echoed (a credential)
        raise error from exc


def parse_entity(request: APIRequest, payload: Any, key: str, model: type[T]) -> T:
    """``{"pointGroup": {...}}`` -> ``PointGroup``."""
    if payload.__class__ is dict:
        # The usual answer, straight to the model's fast function; anything it cannot
        # do takes the general path below, which gives the same value or the error.
        fast = fast_structure_fn(model)
        if fast is not None:
            try:
                result: T = fast(payload[key])
                return result
            except Exception:  # noqa: S110 - the general path says what is wrong
                pass
    value = _member(request, payload, key)
    entity: T = _structure(request, payload, value, model)
    return entity


def parse_page(request: APIRequest, payload: Any, key: str, model: type[T]) -> Page[T]:
    """``{"total": N, "pointGroups": [...] or {"id": {...}}}`` -> ``Page``."""
    if payload.__class__ is dict:
        # The usual page (a JSON array, an int total) through the model's fast function,
        # as the sequence hook would; anything else takes the general path below.
        fast = fast_structure_fn(model)
        items, total = payload.get(key), payload.get("total")
        if fast is not None and items.__class__ is list and total.__class__ is int:
            try:
                return Page(total=total, items=tuple([fast(item) for item in items]))
            except Exception:  # noqa: S110 - the general path says what is wrong
                pass
    items = _structure(request, payload, _member(request, payload, key), tuple[model, ...])  # type: ignore[valid-type]
    total = _structure(request, payload, _member(request, payload, "total"), int)
    return Page(total=total, items=items)


def parse_labels(request: APIRequest, payload: Any, key: str) -> dict[str, str]:
    """``{"pointActionTypes": {"form.submit": "Submits a form", ...}}`` -> that mapping
    (an empty one may arrive as ``[]``)."""
    labels: dict[str, str] = _structure(
        request, payload, _member(request, payload, key), dict[str, str]
    )
    return labels


def parse_success(request: APIRequest, payload: Any) -> None:
    """``{"success": 1}``, the whole answer of some actions; anything else is unexpected."""
    if not isinstance(payload, Mapping) or payload.get("success") not in (1, True, "1"):
        raise _unexpected(request, payload, 'expected {"success": 1}')


def _by_index(value: Any) -> dict[int, Any]:
    """A batch response member, keyed by request index.

    PHP sends an array while the indexes run 0..n-1 with none missing, and an object
    with string keys (``{"1": ...}``) once one is missing (mautic-api.md §7).
    """
    if isinstance(value, list):
        return dict(enumerate(value))
    if isinstance(value, Mapping):
        out: dict[int, Any] = {}
        for key, item in value.items():
            try:
                out[int(key)] = item
            except (TypeError, ValueError):
                continue
        return out
    return {}


def _batch_error(entry: Any, status: int | None) -> ErrorItem:
    """One item of a batch answer's ``errors``; an unreadable one keeps its text and
    takes the item's status code (or none), never a made-up code."""
    return parse_errors({"errors": [entry]}, status)[0]


def parse_batch(
    request: APIRequest, payload: Any, key: str, model: type[T], count: int
) -> BatchResult[T]:
    """A ``batch/new`` or ``batch/edit`` answer -> one :class:`BatchItem` per request item.

    An index Mautic says nothing about is reported as failed, never dropped.
    """
    entities = _by_index(_member(request, payload, key))
    codes = _by_index(payload.get("statusCodes"))
    errors = _by_index(payload.get("errors"))
    items = []
    for index in range(count):
        code = codes.get(index)
        code = _structure(request, payload, code, int) if code is not None else None
        error = _batch_error(errors[index], code) if index in errors else None
        entity = entities.get(index)
        item = _structure(request, payload, entity, model) if entity else None
        if code is None and error is None:
            error = ErrorItem(
                message=f"Mautic's answer has no result for item {index}", type="missing"
            )
        items.append(BatchItem(index=index, status_code=code, item=item, error=error))
    return BatchResult(items=tuple(items))


def parse_batch_delete(
    request: APIRequest, payload: Any, key: str, model: type[T], ids: Sequence[int]
) -> BatchResult[T]:
    """A ``batch/delete`` answer -> one :class:`BatchItem` per requested id.

    Mautic serialises the entities before deleting them (so their ids are there) and
    silently skips ids it cannot find; those are reported here as 404 "Item was not
    found." items with ``type="missing"``, so no id goes unaccounted for.
    """
    found: dict[int, Any] = {}
    for entity in _by_index(_member(request, payload, key)).values():
        item = _structure(request, payload, entity, model)
        entity_id = getattr(item, "id", None)
        if entity_id is not None:
            found[entity_id] = item
    errors = _by_index(payload.get("errors"))
    items = []
    for index, entity_id in enumerate(ids):
        if index in errors:
            error = _batch_error(errors[index], None)
            items.append(BatchItem(index, error.code, found.get(entity_id), error))
        elif entity_id in found:
            items.append(BatchItem(index, 200, found[entity_id]))
        else:
            missing = ErrorItem(message="Item was not found.", code=404, type="missing")
            items.append(BatchItem(index, 404, None, missing))
    return BatchResult(items=tuple(items))
