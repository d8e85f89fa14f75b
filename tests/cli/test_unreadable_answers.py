"""Unreadable answers end the CLI with exit 7 and one line, never a traceback."""

from __future__ import annotations

import pytest

from mautic_async.cli import ExitCode

from .conftest import Cli, ThreadedEmulator
from .test_errors import one_line


@pytest.mark.parametrize("status", [200, 500])
def test_deeply_nested_json_exits_7_with_one_line(
    cli: Cli, emulator: ThreadedEmulator, status: int
) -> None:
    emulator.call(
        emulator.emu.faults.add,
        "GET",
        "/api/points/groups/1",
        status=status,
        body="[" * 100_000,
        times=None,
    )
    result = cli("get", "1", "--max-retries", "0")
    assert result.code == ExitCode.UNAVAILABLE
    line = one_line(result.err)
    assert "Traceback" not in result.err
    assert f"(the server answered {status} to GET /api/points/groups/1)" in line
    assert "[[[[" in line  # the snippet says what came back


def test_paging_that_never_ends_exits_7(cli: Cli, emulator: ThreadedEmulator) -> None:
    for name in ("A", "B", "C"):
        emulator.call(emulator.emu.add_point_group, name)
    added = "2024-10-24T15:54:35+00:00"
    items = [
        {"id": i, "name": n, "isPublished": True, "dateAdded": added}
        for i, n in ((1, "A"), (2, "B"))
    ]
    page = {"total": 1000, "pointGroups": items}
    emulator.call(
        emulator.emu.faults.add, "GET", "/api/points/groups", status=200, body=page, times=None
    )
    result = cli("list", "--all", "--page-size", "2")
    assert result.code == ExitCode.UNAVAILABLE
    assert "page 2" in result.err
