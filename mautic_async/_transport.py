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
from multidict import CIMultiDictProxy
from yarl import URL

from .errors import APIConnectionError, APITimeoutError

__all__ = ["send"]


async def send(
    session: aiohttp.ClientSession,
    method: str,
    url: URL,
    *,
    headers: Mapping[str, str],
    body: bytes | None,
    options: Mapping[str, Any],
    display_path: str,
) -> tuple[int, CIMultiDictProxy[str], bytes]:
    """Send one request and read the whole answer.

    ``options`` are further ``session.request`` arguments (timeout, ssl...) where the
    session's own defaults do not already say them. Redirects are not followed:
    Mautic's API does not redirect, and following one could carry the
    ``Authorization`` header to another host.
    """
    try:
        async with session.request(
            method, url, headers=headers, data=body, allow_redirects=False, **options
        ) as response:
            return response.status, response.headers, await response.read()
    except aiohttp.ConnectionTimeoutError as exc:
        raise APITimeoutError(
            f"timed out connecting ({exc or 'connect timeout'})",
            method=method,
            path=display_path,
            request_sent=False,
        ) from exc
    except (asyncio.TimeoutError, TimeoutError) as exc:
        raise APITimeoutError(
            "timed out waiting for Mautic's answer; the request may still have taken effect",
            method=method,
            path=display_path,
            request_sent=True,
        ) from exc
    except (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError) as exc:
        raise APIConnectionError(
            f"TLS failed: {exc}",
            method=method,
            path=display_path,
            request_sent=False,
            transient=False,
        ) from exc
    except aiohttp.ClientConnectorError as exc:
        raise APIConnectionError(
            f"could not connect: {exc}", method=method, path=display_path, request_sent=False
        ) from exc
    except aiohttp.ClientPayloadError as exc:
        raise APIConnectionError(
            "the answer's body was cut short; the request may have taken effect",
            method=method,
            path=display_path,
            request_sent=True,
        ) from exc
    except (aiohttp.ClientError, OSError) as exc:
        raise APIConnectionError(
            f"the connection failed ({type(exc).__name__}: {exc}); "
            "the request may have taken effect",
            method=method,
            path=display_path,
            request_sent=True,
        ) from exc
