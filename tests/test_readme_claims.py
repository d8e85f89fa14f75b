"""Claims the README makes that code can check: logger names and levels, the
emulator's credentials, and the FastAPI snippet's route."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from mautic_async.testing._emulator import DEFAULT_BASIC_AUTH

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


_LEVELS = frozenset({"debug", "info", "warning", "error", "exception", "critical"})


def _logging_calls() -> set[tuple[str, str]]:
    """(logger name, level) of every logging call in the library, not the emulator."""
    found = set()
    for path in (ROOT / "mautic_async").rglob("*.py"):
        if "testing" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        names = {
            node.targets[0].id: node.value.args[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "attr", "") == "getLogger"
            and isinstance(node.targets[0], ast.Name)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in names
                and node.func.attr in _LEVELS  # not isEnabledFor & co.
            ):
                found.add((names[node.func.value.id], node.func.attr))
    return found


def test_logging_section_names_every_logger_and_level() -> None:
    section = README[README.index("## Logging") :].split("\n## ", 1)[0]
    calls = _logging_calls()
    assert calls
    for logger, level in calls:
        assert f"`{logger}`" in section
        assert f"`{level.upper()}`" in section


def test_emulator_credentials_are_the_documented_ones() -> None:
    ((user, password),) = DEFAULT_BASIC_AUTH.items()
    assert f"`{user}` with\npassword `{password}`" in README
    plugin = (ROOT / "mautic_async/testing/pytest_plugin.py").read_text()
    assert f'basic_auth={{"{user}": "{password}"}}' in plugin


def test_fastapi_snippet_calls_a_route_the_example_has() -> None:
    snippet = README[README.index("async def test_get_group") :].split("```", 1)[0]
    routes = re.findall(r'http\.(get|post)\("([^"]+)"', snippet)
    example = (ROOT / "examples/fastapi_app.py").read_text()
    assert routes
    for method, path in routes:
        assert f'@app.{method}("{path}"' in example
