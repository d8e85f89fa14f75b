"""The first hour of a new user, through the installed ``mautic-async`` console script:
output in any script, CLI wording in messages, and the demo's narration."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

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


def err_line(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode()
    assert err.startswith("mautic-async: error: "), err
    assert err.count("\n") == 1, err
    return err[len("mautic-async: error: ") : -1]


def test_messages_name_cli_flags_not_python_parameters() -> None:
    result = script(
        "list",
        env={
            "MAUTIC_URL": "http://mautic.example.com",
            "MAUTIC_USERNAME": USER,
            "MAUTIC_PASSWORD": PASSWORD,
        },
    )
    assert result.returncode == 2
    line = err_line(result)
    assert "pass --allow-insecure-http" in line
    assert "allow_insecure_http" not in line


def test_a_refused_order_by_names_the_flag(emulator: ThreadedEmulator) -> None:
    result = script("list", "--order-by", "nmae", url=emulator.url)
    assert result.returncode == 3
    assert err_line(result).startswith("--order-by: 'nmae' is not a field Mautic can sort by")
    assert emulator.emu.requests == []


def test_a_divide_that_leaves_a_remainder_is_refused(emulator: ThreadedEmulator) -> None:
    (group,) = emulator.add_groups("G")
    contact = emulator.call(emulator.emu.add_contact, "a@example.com")
    emulator.call(emulator.emu.set_score, contact, group, 5)
    result = script("scores", "divide", str(contact), str(group), "2", url=emulator.url)
    assert result.returncode == 3
    assert err_line(result).startswith(
        f"VALUE: contact {contact}'s score in group {group} is 5, which 2 does not divide"
    )
    assert [r.method for r in emulator.emu.requests] == ["GET"]


@pytest.mark.parametrize(("verb", "says_may"), [("get", False), ("delete", True)])
def test_may_have_taken_effect_only_for_writes(
    emulator: ThreadedEmulator, verb: str, says_may: bool
) -> None:
    (group,) = emulator.add_groups("G")
    method = "GET" if verb == "get" else "DELETE"
    emulator.call(
        emulator.emu.faults.add,
        method,
        f"/api/points/groups/{group}{'/delete' * (verb == 'delete')}",
        delay=5,
    )
    result = script(verb, str(group), "--timeout", "0.3", "--max-retries", "0", url=emulator.url)
    assert result.returncode == 7
    line = err_line(result)
    assert line.startswith("timed out waiting for Mautic's answer")
    assert ("may still have taken effect" in line) is says_may


def test_demo_narration_says_what_it_sends() -> None:
    result = script("demo")
    assert result.returncode == 0, result.stderr
    (line,) = [x for x in result.stdout.decode().splitlines() if "<b></b>" in x]
    assert line.startswith('errors    create({"name": "<b></b>"}): Mautic strips the tags')
    assert "ValidationError {'name': ['A name is required.']}" in line


def test_emulator_on_a_busy_port_is_one_line_and_exit_2() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "mautic_async.testing", "--port", str(port)],
            capture_output=True,
            timeout=30,
            check=False,
        )
    assert result.returncode == 2
    err = result.stderr.decode().splitlines()
    assert "Traceback" not in result.stderr.decode()
    assert err[-1].startswith(
        f"python -m mautic_async.testing: error: cannot listen on 127.0.0.1:{port}"
    )
    assert [line for line in err if "error" in line] == [err[-1]]
