"""Tests that need an outside tool skip with a reason outside CI, and fail in CI."""

from __future__ import annotations

from pathlib import Path

import pytest
from _requires import require_executable, require_module, require_path


def test_missing_tool_skips_with_a_reason_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"no-such-tool-x.*needed for Y"):
        require_executable("no-such-tool-x", "needed for Y")


def test_missing_tool_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true requires it"):
        require_module("no_such_module_x", "needed for Y")
    with pytest.raises(pytest.fail.Exception, match="CI=true requires it"):
        require_path(Path("/no/such/dir"), "needed for Y")


def test_present_tool_is_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert require_executable("python3", "x").endswith("python3")
    require_module("json", "x")
