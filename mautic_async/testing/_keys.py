"""Typed keys for per-request state, on every aiohttp version the package supports."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from aiohttp import web

__all__ = ["request_key"]

T = TypeVar("T")


def request_key(name: str, type_: type[T] | Any) -> web.RequestKey[T]:
    """``web.RequestKey(name, type_)`` where aiohttp has it (3.14+); before that a plain
    string key, which those versions store request state under without complaint."""
    factory = getattr(web, "RequestKey", None)
    if factory is None:
        return cast("web.RequestKey[T]", name)
    return cast("web.RequestKey[T]", factory(name, type_))
