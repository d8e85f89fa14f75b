"""The installed console script and ``python -m mautic_async``, as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAUTIC_")}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=60, env=env, cwd=ROOT, check=False
    )


def test_console_script_help() -> None:
    script = Path(sys.executable).with_name("mautic-async")
    assert script.exists(), "the console script is missing: pip install -e ."
    result = run(str(script), "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: mautic-async ")
    assert "exit codes:" in result.stdout


def test_python_m_demo() -> None:
    result = run(sys.executable, "-m", "mautic_async", "demo")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Mautic emulator listening on http://127.0.0.1:" in result.stdout
    assert result.stdout.splitlines()[-2].startswith("done      ")


def test_python_m_usage_error() -> None:
    result = run(sys.executable, "-m", "mautic_async", "list")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "mautic-async: error: no Mautic URL: pass --url or set $MAUTIC_URL\n"
