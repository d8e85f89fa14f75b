"""Users' code type-checks: ``mypy --strict`` over README blocks, docstring examples,
examples/ and tests/typing/ (scripts/check_types.py), the expected errors of
tests/typing/negative.py, and the typed user's script run against the emulator."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from mautic_async.testing import MauticEmulator

ROOT = Path(__file__).resolve().parent.parent
TYPING = ROOT / "tests" / "typing"
IGNORE = re.compile(r"#\s*type:\s*ignore\[([a-z-]+)\]")

needs_mypy = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason="mypy is not installed (pip install -e '.[dev]'); .ci/run checks types anyway",
)


needs_pyright = pytest.mark.skipif(
    importlib.util.find_spec("pyright") is None or shutil.which("node") is None,
    reason="pyright (pip install pyright) and node are not both installed; it is an "
    "optional second checker, mypy --strict is the one CI requires",
)


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mypy(*targets: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", *map(str, targets)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@needs_mypy
def test_readme_docstrings_examples_and_typing_files_pass_mypy_strict() -> None:
    answer = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_types.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert re.search(r"checked \d{2,} README blocks", answer.stdout)


@needs_mypy
@pytest.mark.parametrize(
    ("name", "at_least"), [("negative.py", 20), ("negative_points.py", 55)], ids=lambda v: str(v)
)
def test_each_negative_line_fails_with_its_error_code(
    tmp_path: Path, name: str, at_least: int
) -> None:
    # The same file without its ignore comments: every marked line must report exactly
    # the code its comment names, and no unmarked line may fail.
    source = (TYPING / name).read_text().splitlines()
    expected = {}
    stripped = []
    for number, line in enumerate(source, 1):
        match = IGNORE.search(line)
        if match:
            expected[number] = match.group(1)
            line = line[: match.start()].rstrip()
        stripped.append(line)
    assert len(expected) >= at_least
    copy = tmp_path / "negative_stripped.py"
    copy.write_text("\n".join(stripped) + "\n")
    answer = mypy(copy)
    found: dict[int, set[str]] = {}
    for number, code in re.findall(
        r"negative_stripped\.py:(\d+): error: .*\[([a-z-]+)\]$", answer.stdout, re.MULTILINE
    ):
        found.setdefault(int(number), set()).add(code)
    assert {n: {c} for n, c in expected.items()} == found, answer.stdout


@needs_mypy
def test_the_checker_catches_a_broken_readme_fragment(tmp_path: Path) -> None:
    checker = load(ROOT / "scripts" / "check_types.py", "check_types")
    text = (
        "```python\nfrom mautic_async import MauticClient\n```\n\n"
        "```python\ngroup = await mautic.point_groups.get(1)\n"
        "print(group.id.upper(), undefined_name)\n```\n"
    )
    blocks = checker.readme_blocks(text)
    assert [line for line, _ in blocks] == [2, 6]
    module = checker.to_module(blocks[1][1], {}, set())
    assert "mautic: _ma.MauticClient" in module
    assert "async def _example() -> None:" in module
    path = tmp_path / "fragment.py"
    path.write_text(module)
    answer = mypy(path)
    assert '"int" has no attribute "upper"' in answer.stdout
    assert 'Name "undefined_name" is not defined' in answer.stdout


def test_docstring_examples_are_extracted_without_their_output() -> None:
    checker = load(ROOT / "scripts" / "check_types.py", "check_types")
    source = 'def f():\n    """Doc.\n\n    >>> x = 1\n    >>> x\n    1\n    ...\n    """\n'
    assert checker.docstring_examples(source) == [(2, "x = 1\nx\n\n")]


async def test_the_positive_script_runs_against_the_emulator(
    capsys: pytest.CaptureFixture[str],
) -> None:
    script = load(TYPING / "positive.py", "typed_user_script")
    async with MauticEmulator(basic_auth={"admin": "secret"}) as emulator:
        await script.main(emulator.url, "admin", "secret")
        assert emulator.point_groups == {}  # it cleans up after itself
        assert emulator.requests[-1].path.startswith("/api/contacts/")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("2 TYPED True ")
    assert out[0].endswith(" d")
    assert any(line.startswith("200 ") for line in out)
    assert "Typed 3 11" in out


async def test_user_point_group_script_runs_against_the_emulator() -> None:
    script = load(TYPING / "user_point_groups.py", "typed_user_point_groups")
    async with MauticEmulator(basic_auth={"admin": "secret"}, rate_limit=1000) as emulator:
        out = await script.main(emulator)
        raw = await script.raw_and_options(emulator)
        x_job = [
            r.headers.get("X-Job") for r in emulator.requests if r.path == "/api/points/groups"
        ]
    assert out[0] == "created 2 PRODUCT B True"
    assert "got Seeded; listed 3 ['Product A', 'Product B', 'Product C2']" in out
    assert "batch [201, 201] True ['Batch 2b']" in out
    assert "batch failed 0 404 Item was not found." in out
    assert "sync 1 1 1 True" in out
    assert "not found 404 Item was not found. 404" in out
    assert "deleted True Product A" in out
    assert raw[0].startswith("raw create 201 Raw ")
    assert raw[0].endswith(" 7.1.3")  # Mautic-Version, read case-insensitively
    assert "raw get 200 True True" in raw
    assert "raw [200, 200, 201, 200, 200, 200] 200 True" in raw
    assert x_job[-1] == "typed"


async def test_user_points_script_runs_against_the_emulator() -> None:
    script = load(TYPING / "user_points.py", "typed_user_points")
    async with MauticEmulator(basic_auth={"admin": "secret"}) as emulator:
        out = await script.main(emulator)
    assert out[0] == "seeded Seeded 3 e"
    assert "point pricing page page.hit 5 1" in out
    assert "properties {'page': [1, 2]} 2030-01-02 03:04:00+00:00" in out
    assert "trigger Hot lead 50 1 1 TAG HOT lead.changetags {'add_tags': ['hot']}" in out
    assert "events [(1, 'Tag very hot'), (2, 'Mail')]" in out
    assert "not deleted [3] 2" in out
    assert "insight Interest [1, 2] 1" in out
    assert "main points 15" in out  # (7 - 2) * 3
    assert "score 41 product a 1" in out
    assert "main interest 1 (Product A)" in out
    assert "no contact 404 Contact not found." in out
    async with MauticEmulator(basic_auth={"admin": "secret"}, version="5.1.1") as emulator:
        assert await script.five(emulator) == [
            "unavailable 404 Requested URL not found: /api/points/insights"
        ]


@needs_pyright
def test_typed_user_code_passes_pyright_strict(tmp_path: Path) -> None:
    # The same user files under pyright's strict mode: pyright users read fields, pass
    # TypedDict literals and pin types with assert_type just as mypy users do.
    files = [TYPING / "positive.py", *sorted(TYPING.glob("user_*.py"))]
    config = tmp_path / "pyrightconfig.json"
    config.write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.10"}))
    command = [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable]
    answer = subprocess.run(
        [*command, "--project", str(config), *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    report = json.loads(answer.stdout)
    problems = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    assert problems == [], "\n".join(problems)
    assert report["summary"]["filesAnalyzed"] >= len(files)
