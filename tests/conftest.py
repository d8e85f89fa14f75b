"""Shared fixtures for the whole suite."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from unittest.mock import Mock

import aioresponses.core
import pytest
from aiohttp import ClientResponse
from aioresponses import aioresponses as _aioresponses

# The package's pytest plugin (the `mautic_emulator` fixture) is loaded here rather
# than through its pytest11 entry point, which pyproject's addopts switches off with
# `-p no:mautic_async`: an entry point is imported before pytest-cov starts measuring,
# so the whole package would count as never run.
pytest_plugins = ["mautic_async.testing.pytest_plugin"]

# aioresponses 0.7.9 (the latest release) builds ClientResponse without the
# `stream_writer` argument aiohttp 3.14 made required (pnuckowski/aioresponses#289, fix
# pending in #288). aiohttp only reads `stream_writer.output_size`, so a stand-in is
# enough. This touches the mock library only, never the code under test; it is a
# no-op once aioresponses passes the argument itself.
if "stream_writer" in inspect.signature(ClientResponse.__init__).parameters:

    class _CompatClientResponse(ClientResponse):
        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs.setdefault("stream_writer", Mock(output_size=0))
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    aioresponses.core.ClientResponse = _CompatClientResponse  # type: ignore[misc]


@pytest.fixture
def mock_http() -> Iterator[_aioresponses]:
    """aioresponses, for unit tests that fake Mautic's HTTP answers."""
    with _aioresponses() as mocked:
        yield mocked
