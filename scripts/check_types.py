"""``mypy --strict`` over the code users copy: every Python block of README.md, every
``>>>`` example in the package's docstrings, ``examples/`` and ``tests/typing/``.

Run from the repository root: ``python scripts/check_types.py`` (``.ci/run`` does, and
so does ``tests/test_typing.py``). Exit status 0 when all of it type-checks.

Each README block and each docstring becomes a module of its own (named after where it
came from, so mypy's messages point back to it):

- a block with a top-level ``await`` (or ``async for``/``async with``) becomes the body
  of an ``async def``;
- a name the block uses but does not bind comes from an earlier README block's imports,
  or else from a typed stand-in in :data:`STANDINS` (``mautic: MauticClient``...);
  a name with neither is an error mypy reports, so a new fragment cannot slip through;
- docstring examples see the package's public names and their own module's ``__all__``.

``tests/typing/negative.py`` holds lines that must fail; mypy's ``--warn-unused-ignores``
(part of ``--strict``) makes each of its ``# type: ignore[code]`` comments an assertion.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mautic_async"

#: Imports every generated module gets, under private names so they never clash.
HEADER = """\
from __future__ import annotations
import typing as _typing
import fastapi as _fastapi
import mautic_async as _ma
import mautic_async.testing as _ma_testing
"""

#: Typed stand-ins for names that README fragments and docstring examples leave unbound.
STANDINS: dict[str, str] = {
    "mautic": "mautic: _ma.MauticClient",
    "emulator": "emulator: _ma_testing.MauticEmulator",
    "groups": "groups: _ma.PointGroups",
    "group": "group: _ma.PointGroup",
    "contact": "contact: _ma.Contact",
    "result": "result: _ma.BatchResult[_ma.PointGroup]",
    "url": "url: str",
    "user": "user: str",
    "password": "password: str",
    "auth": "auth: _ma.BasicAuth",
    "contact_id": "contact_id: int",
    "group_id": "group_id: int",
    "access": "access: str",
    "refresh": "refresh: str",
    "a": "a: str",
    "r": "r: str",
    "db": (
        "class _Database:\n"
        "    async def save(self, access: str, refresh: str | None) -> None: ...\n"
        "    async def store(self, access: str, refresh: str | None) -> None: ...\n"
        "db: _Database"
    ),
    "reschedule": "def reschedule(*, in_seconds: float | None) -> None: ...",
    "my_import": "async def my_import(mautic: _ma.MauticClient) -> None: ...",
    "app": "app: _fastapi.FastAPI",
    "get_mautic": (
        "def get_mautic(request: _fastapi.Request) -> _ma.MauticClient:\n"
        "    raise NotImplementedError"
    ),
}

_TOP_LEVEL_ASYNC = (ast.Await, ast.AsyncFor, ast.AsyncWith)


def readme_blocks(text: str) -> list[tuple[int, str]]:
    """``(line, code)`` of every fenced ``python`` block."""
    blocks = []
    for match in re.finditer(r"^```python\n(.*?)^```", text, re.DOTALL | re.MULTILINE):
        blocks.append((text.count("\n", 0, match.start()) + 2, match.group(1)))
    return blocks


def docstring_examples(source: str) -> list[tuple[int, str]]:
    """``(line, code)`` of each docstring's ``>>>`` example, prompts stripped; the
    expected-output lines are left out."""
    examples = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        doc = ast.get_docstring(node, clean=True)
        if not doc or ">>>" not in doc:
            continue
        lines = [
            line.strip()[4:]
            for line in doc.splitlines()
            if line.strip().startswith((">>> ", "... ")) or line.strip() in (">>>", "...")
        ]
        start = node.body[0].lineno if not isinstance(node, ast.Module) else 1
        examples.append((start, "\n".join(lines) + "\n"))
    return examples


def _bound(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            names.update(a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Lambda):
            names.update(a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def _used(tree: ast.Module) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _is_async_at_top(tree: ast.Module) -> bool:
    def walk(node: ast.AST) -> bool:
        if isinstance(node, _TOP_LEVEL_ASYNC):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        return any(walk(child) for child in ast.iter_child_nodes(node))

    return any(walk(statement) for statement in tree.body)


def to_module(code: str, available: dict[str, str], provided: set[str]) -> str:
    """A module that type-checks ``code`` as a user would run it.

    ``available`` maps names to import statements from earlier blocks; ``provided`` are
    names a star import in ``available[""]`` already gives.
    """
    tree = ast.parse(code)
    missing = sorted(_used(tree) - _bound(tree) - provided - set(dir(__builtins__)))
    lines = [HEADER, available.get("", "")]
    for name in missing:
        if name in available:
            lines.append(available[name])
        elif name in STANDINS:
            lines.append(STANDINS[name])
    if _is_async_at_top(tree):
        body = textwrap.indent(code, "    ")
        lines.append(f"async def _example() -> None:\n{body}")
    else:
        lines.append(code)
    return "\n".join(line for line in lines if line) + "\n"


def _imports_of(code: str) -> dict[str, str]:
    found = {}
    for node in ast.parse(code).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            statement = ast.unparse(node)
            for alias in node.names:
                found[(alias.asname or alias.name).split(".")[0]] = statement
    return found


def generate(out: Path) -> list[Path]:
    """Write one module per README block and per docstring example into ``out``."""
    files = []
    earlier: dict[str, str] = {}
    for line, code in readme_blocks((ROOT / "README.md").read_text()):
        path = out / f"readme_line_{line}.py"
        path.write_text(to_module(code, earlier, set()))
        earlier.update(_imports_of(code))
        files.append(path)
    public = set(importlib.import_module("mautic_async").__all__)
    for source in sorted(PACKAGE.rglob("*.py")):
        module_name = ".".join(source.relative_to(ROOT).with_suffix("").parts)
        module_name = module_name.removesuffix(".__init__")
        module = importlib.import_module(module_name)
        own = set(getattr(module, "__all__", ()))
        star = f"from mautic_async import *\nfrom {module_name} import *"
        for line, code in docstring_examples(source.read_text()):
            stem = module_name.replace(".", "_")
            path = out / f"doc_{stem}_line_{line}.py"
            path.write_text(to_module(code, {"": star}, public | own))
            files.append(path)
    return files


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="mautic-async-types-") as tmp:
        generated = generate(Path(tmp))
        targets = [
            *map(str, generated),
            *map(str, sorted((ROOT / "examples").rglob("*.py"))),
            str(ROOT / "tests" / "typing"),
        ]
        command = [sys.executable, "-m", "mypy", "--strict", "--warn-unused-ignores"]
        answer = subprocess.run(  # noqa: S603 - our own interpreter and file list
            [*command, *targets], cwd=ROOT, capture_output=True, text=True, check=False
        )
        output = answer.stdout.replace(str(Path(tmp).resolve()) + "/", "").replace(tmp + "/", "")
        print(output, end="")
        print(answer.stderr, end="", file=sys.stderr)
        if answer.returncode:
            failing = sorted(set(re.findall(r"^(\S+\.py):\d+", output, re.MULTILINE)))
            for name in failing:
                if name.startswith(("readme_", "doc_")):
                    print(f"--- {name} (generated) ---")
                    print((Path(tmp) / name).read_text())
        print(
            f"checked {len(generated)} README blocks and docstring examples, examples/, "
            "tests/typing/"
        )
        return answer.returncode


if __name__ == "__main__":
    raise SystemExit(main())
