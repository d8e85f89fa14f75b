"""The first hour of a new user, through the installed ``mautic-async`` console script:
output in any script, CLI wording in messages, and the demo's narration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

from .conftest import PASSWORD, USER, ThreadedEmulator

SCRIPT = Path(sys.executable).with_name("mautic-async")


def script(
    *argv: str, url: str | None = None, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[bytes]:
    """Run the console script with Basic credentials for ``url`` in its environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MAUTIC_", "PYTHONIO"))}
    if url is not None:
        base |= {"MAUTIC_URL": url, "MAUTIC_USERNAME": USER, "MAUTIC_PASSWORD": PASSWORD}
    return subprocess.run(
        [str(SCRIPT), *argv],
        capture_output=True,
        timeout=60,
        env=base | (env or {}),
        input=stdin.encode(),
        check=False,
    )


NAME = "Café 東京 🎉"


def text_width(text: str) -> int:
    """Terminal columns, computed here independently of the CLI's own function."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_json_keeps_non_ascii_and_is_utf8_whatever_the_locale(emulator: ThreadedEmulator) -> None:
    result = script("create", "--name", NAME, url=emulator.url, env={"LC_ALL": "C", "LANG": "C"})
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    assert f'"name": "{NAME}"' in text  # not "Caf\\u00e9"
    assert json.loads(text)["name"] == NAME


def test_table_aligns_wide_characters_and_cuts_long_cells(emulator: ThreadedEmulator) -> None:
    emulator.add_groups("Readers", "東京の読者", "🎉 party", "x" * 100)
    result = script("list", "--format", "table", url=emulator.url)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode("utf-8").splitlines()
    header, rows = lines[0], lines[2:6]
    column = text_width(header[: header.index("isPublished")])
    for row in rows:  # every row's isPublished cell starts in the same terminal column
        published = next(i for i, c in enumerate(row) if row[i:].startswith(("yes", "no")))
        assert text_width(row[:published]) == column, row
    long_row = rows[3]
    name = long_row.split()[1]
    assert name.endswith("…")
    assert text_width(name) == 60
