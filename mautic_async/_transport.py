"""The only place that touches aiohttp: send bytes, get (status, headers, bytes) back.

aiohttp's exceptions are translated here into :mod:`~mautic_async.errors` classes,
each saying whether the request can have reached the server (``request_sent``), which
is what the retry policy needs to know.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import aiohttp
from aiohttp import hdrs
from multidict import CIMultiDictProxy
from yarl import URL

from .errors import APIConnectionError, APITimeoutError, ResponseTooLargeError

__all__ = ["send"]


def _too_large(method: str, path: str, status: int, limit: int) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"the answer is larger than max_response_size ({limit} bytes); it was not read",
        method=method,
        path=path,
        status=status,
        limit=limit,
    )


async def _read(response: aiohttp.ClientResponse, limit: int, method: str, path: str) -> bytes:
    """The body, chunk by chunk as it arrives, stopping as soon as it passes ``limit``."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_any():
        size += len(chunk)
        if size > limit:
            response.close()  # drop the connection rather than drain the rest
            raise _too_large(method, path, response.status, limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def send(
    session: aiohttp.ClientSession,
    method: str,
    url: URL,
    *,
    headers: Mapping[str, str],
    body: bytes | None,
    options: Mapping[str, Any],
    path: str,
    max_size: int,
) -> tuple[int, CIMultiDictProxy[str], bytes]:
    """Send one request and read the whole answer, at most ``max_size`` bytes of it.

    ``options`` are further ``session.request`` arguments (timeout, ssl...) where the
    session's own defaults do not already say them. Redirects are not followed:
    Mautic's API does not redirect, and following one could carry the
    ``Authorization`` header to another host.

    A body over ``max_size`` raises :class:`ResponseTooLargeError` without being read
    past the limit: refused up front when ``Content-Length`` says so, else counted as
    it streams in (chunked or compressed bodies, whose size only shows while reading).

    ``path`` is the request's path relative to the site root (``APIRequest.path``);
    errors show it as ``/path``, built only when an error is.
    """
    try:
        # Without options (our own session says them all), no kwargs dict to merge.
        request = (
            session.request(
                method, url, headers=headers, data=body, allow_redirects=False, **options
            )
            if options
            else session.request(method, url, headers=headers, data=body, allow_redirects=False)
        )
        async with request as response:
            length = response.content_length
            if (
                length is not None
                and length <= max_size
                # aiohttp's istr name: looked up without case-folding a str first
                and hdrs.CONTENT_ENCODING not in response.headers
            ):
                # The usual answer: its length is known and the parser reads no more.
                return response.status, response.headers, await response.read()
            if length is not None and length > max_size:
                response.close()
                raise _too_large(method, "/" + path, response.status, max_size)
            return (
                response.status,
                response.headers,
                await _read(response, max_size, method, "/" + path),
            )
    except aiohttp.ConnectionTimeoutError as exc:
        raise APITimeoutError(
            f"timed out connecting ({exc or 'connect timeout'})",
            method=method,
            path="/" + path,
            request_sent=False,
        ) from exc
    except (asyncio.TimeoutError, TimeoutError) as exc:
        raise APITimeoutError(
            "timed out waiting for Mautic's answer; the request may still have taken effect",
            method=method,
            path="/" + path,
            request_sent=True,
        ) from exc
    except (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError) as exc:
        raise APIConnectionError(
            f"TLS failed: {exc}",
            method=method,
            path="/" + path,
            request_sent=False,
            transient=False,
        ) from exc
    except aiohttp.ClientConnectorError as exc:
        raise APIConnectionError(
            f"could not connect: {exc}", method=method, path="/" + path, request_sent=False
        ) from exc
    except aiohttp.ClientPayloadError as exc:
        raise APIConnectionError(
            "the answer's body was cut short; the request may have taken effect",
            method=method,
            path="/" + path,
            request_sent=True,
        ) from exc
    except aiohttp.ClientResponseError as exc:
        # Not chained: aiohttp's error holds the request's headers (``Authorization``)
        # in ``request_info``, and its context the raw bytes of a malformed answer,
        # which may echo a credential; our message keeps its (masked) text.
        failure = _failed(exc, method, "/" + path)
    except (aiohttp.ClientError, OSError) as exc:
        raise _failed(exc, method, "/" + path) from exc
    raise failure from None


def _failed(exc: BaseException, method: str, path: str) -> APIConnectionError:
    return APIConnectionError(
        f"the connection failed ({type(exc).__name__}: {exc}); the request may have taken effect",
        method=method,
        path=path,
        request_sent=True,
    )
