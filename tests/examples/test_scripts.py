"""The example scripts, run as a user runs them: against the embedded emulator."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mautic_async.testing import MauticEmulator

ROOT = Path(__file__).resolve().parents[2]


def run_example(name: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAUTIC_")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / name)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith("(no MAUTIC_URL set: using the embedded emulator at http://")
    return lines


def test_quickstart() -> None:
    lines = run_example("quickstart.py")
    assert "created   #1 'Quickstart A' (published: True)" in lines
    assert "listed    1 match(es): ['Quickstart B']" in lines
    assert "score     contact #1 in #1: 25" in lines
    assert lines[-1] == "batch     deleted [2, 3]"


def test_bulk_sync() -> None:
    lines = run_example("bulk_sync.py")
    assert lines[1:4] == ["   100/300 items done", "   200/300 items done", "   300/300 items done"]
    assert lines[4].startswith("first sync:  300 created in 1 round(s) (")
    assert lines[5:] == [
        "second sync: 300 unchanged in 0 round(s)",
        "after edits: 2 updated, 298 unchanged in 1 round(s)",
        "  updated: ['Bulk sync example 000', 'Bulk sync example 001']",
        "cleaned up:  deleted 300 groups",
    ]


@pytest.mark.parametrize("name", ["quickstart.py", "bulk_sync.py"])
async def test_against_the_mautic_at_mautic_url(name: str, mautic_emulator: MauticEmulator) -> None:
    """With MAUTIC_URL set the scripts use that Mautic (here, an emulator of ours) and
    leave no point group behind."""
    env = {
        **os.environ,
        "MAUTIC_URL": mautic_emulator.url,
        "MAUTIC_USERNAME": "admin",
        "MAUTIC_PASSWORD": "secret",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "examples" / name),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    stdout, stderr = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, stderr.decode()
    assert b"emulator" not in stdout
    assert len(mautic_emulator.requests) > 5
    assert mautic_emulator.point_groups == {}
