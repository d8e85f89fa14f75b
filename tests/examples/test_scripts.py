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


BASIC = {"MAUTIC_USERNAME": "admin", "MAUTIC_PASSWORD": "secret"}
OAUTH2 = {"MAUTIC_CLIENT_ID": "client-id", "MAUTIC_CLIENT_SECRET": "client-secret"}


@pytest.mark.parametrize("credentials", [BASIC, OAUTH2], ids=["basic", "oauth2"])
@pytest.mark.parametrize("name", ["quickstart.py", "bulk_sync.py"])
async def test_against_the_mautic_at_mautic_url(
    name: str, credentials: dict[str, str], mautic_emulator: MauticEmulator
) -> None:
    """With MAUTIC_URL set the scripts use that Mautic (here, an emulator of ours) with
    Basic or OAuth2 credentials from the CLI's variables, and leave no point group
    behind."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MAUTIC_")},
        "MAUTIC_URL": mautic_emulator.url,
        **credentials,
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
    assert len(mautic_emulator.token_requests) == (credentials is OAUTH2)
    assert mautic_emulator.point_groups == {}


def test_points_scoring() -> None:
    """The points example against the embedded Mautic 7 emulator: each step's outcome,
    the insight's values read back from the contacts, and the group-delete cascade."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "points_scoring.py")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith("(using the embedded Mautic 7 emulator at http://127.0.0.1:")
    assert lines[1:] == [
        "groups    3 created: {'Umbrellas': 1, 'Boots': 2, 'Raincoats': 3}",
        "action    #1 'Visits umbrellas pages': +5 in group #1",
        "action    #2 'Visits boots pages': +5 in group #2",
        "action    #3 'Visits raincoats pages': +5 in group #3",
        "trigger   #1 'Hot on umbrellas' at 20 points: [(1, 'Tag hot-umbrellas')]",
        "insight   #1 'Main interest' -> main_interest",
        "scores    ann@example.com: Umbrellas 25, Boots 10",
        "scores    bob@example.com: Boots 15, Raincoats 15",
        "scores    cid@example.com: none",
        "interest  ann@example.com -> 1 (Umbrellas) (main points 0)",
        "interest  bob@example.com -> 2 (Boots) (main points 0)",
        "interest  cid@example.com -> (none) (main points 10)",
        "cascade   deleting 'Umbrellas' also deleted its action and trigger",
        "actions   left: ['Visits boots pages', 'Visits raincoats pages']",
    ]
