"""Project files: the licence, the changelog's release sections, the classifiers, and
an sdist that holds everything the test suite needs."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
from importlib.metadata import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_license_file_matches_the_declared_license() -> None:
    meta = metadata("mautic-async")
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


def test_changelog_has_unreleased_above_a_dated_release() -> None:
    headings = re.findall(r"^## \[(.+?)\](.*)$", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert headings[0] == ("Unreleased", "")
    version, date = headings[1]
    assert version == "0.1.0"
    assert re.fullmatch(r" - \d{4}-\d{2}-\d{2}", date)


def test_classifiers_name_the_running_python() -> None:
    """The suite runs on this interpreter, so the classifiers must name it."""
    version = f"Programming Language :: Python :: {sys.version_info[0]}.{sys.version_info[1]}"
    assert version in metadata("mautic-async").get_all("Classifier")


def test_sdist_holds_what_the_tests_need(tmp_path: Path) -> None:
    """Every tracked test, example and benchmark file is in the sdist, so `pytest`
    passes inside it."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (this is already an unpacked sdist)")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "-o", str(tmp_path), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    (sdist,) = tmp_path.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        shipped = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    tracked = subprocess.run(
        ["git", "ls-files", "tests", "examples", "benchmarks/*.py", "mautic_async"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert tracked
    assert sorted(set(tracked) - shipped) == []
    assert {"LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml"} <= shipped
