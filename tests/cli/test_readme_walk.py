"""The README's command-line walk, run as a user pastes it: every line must work.

Each ``mautic-async`` line runs through ``main`` (what the console script calls) and
every other line through bash, in order, in one directory, against an emulator of
ours on a free port instead of the one the walk starts on 8080. The contact its
``curl`` line creates is seeded directly (curl may be missing)."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from mautic_async.cli import main

from .conftest import PASSWORD, ThreadedEmulator

ROOT = Path(__file__).resolve().parents[2]


def readme_cli_block() -> list[str]:
    """The walk's lines, continued lines joined."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Command line") :]
    start = section.index("```sh\n") + len("```sh\n")
    block = section[start : section.index("\n```", start)]
    return [line for line in block.replace("\\\n", " ").splitlines() if line.strip()]


#: The walk's setup, which the test does its own way.
SETUP = (". .venv", "python -m mautic_async.testing", "sleep ", "curl ", "# export")


def test_every_readme_command_works_as_shown(
    emulator: ThreadedEmulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    emulator.call(emulator.emu.add_contact, "ann@example.com")  # what its curl line does
    monkeypatch.chdir(tmp_path)
    lines = readme_cli_block()
    assert sum(line.startswith(SETUP) for line in lines) == len(SETUP)
    ran = 0
    for line in lines:
        words = shlex.split(line, comments=True)
        if line.startswith(SETUP):
            continue
        if words[0] == "export":
            for assignment in words[1:]:
                name, _, value = assignment.partition("=")
                value = {"MAUTIC_URL": emulator.url, "MAUTIC_PASSWORD": PASSWORD}.get(name, value)
                monkeypatch.setenv(name, value)
        elif words[0] == "mautic-async":
            capsys.readouterr()
            code = main(words[1:])
            err = capsys.readouterr().err
            assert code == 0, (line, err)
            assert "error" not in err, line
            ran += 1
        else:
            subprocess.run(["bash", "-c", line], check=True, cwd=tmp_path, timeout=10)
    assert ran >= 20
    groups = emulator.call(lambda: {g["name"] for g in emulator.emu.point_groups.values()})
    assert groups == {"Webinar"}  # Readers deleted last, Buyers by the sync, the batch gone
