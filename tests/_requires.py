"""Skips for tests that need something outside the Python package.

Outside CI such a test is skipped with a reason, so ``pytest`` passes in an unpacked
sdist or on a machine without the tool. With ``CI=true`` (``.ci/run`` sets it) a
missing tool fails the test instead: CI must never skip them silently.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

__all__ = ["in_ci", "require_executable", "require_module", "require_path"]


def in_ci() -> bool:
    """Whether this run is CI (``CI=true``), where every test must run."""
    return os.environ.get("CI", "").lower() == "true"


def _missing(what: str, why: str) -> None:
    message = f"{what} is not available ({why})"
    if in_ci():
        pytest.fail(f"{message}; CI=true requires it", pytrace=False)
    pytest.skip(f"{message}; set CI=true to make this a failure")


def require_executable(name: str, why: str) -> str:
    """The path of executable ``name``, or skip (fail in CI) saying ``why`` it is needed."""
    path = shutil.which(name)
    if path is None:
        _missing(f"the {name} executable", why)
    assert path is not None
    return path


def require_module(name: str, why: str) -> None:
    """Skip (fail in CI) unless module ``name`` can be imported."""
    if importlib.util.find_spec(name) is None:
        _missing(f"the Python module {name}", why)


def require_path(path: Path, why: str) -> Path:
    """Skip (fail in CI) unless ``path`` exists (e.g. a directory not in the sdist)."""
    if not path.exists():
        _missing(str(path), why)
    return path
