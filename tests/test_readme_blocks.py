"""Every README Python block that can run, runs: against a fresh embedded emulator on
127.0.0.1, in a fresh interpreter (a subprocess, 30 s timeout), and must exit 0.

Blocks come from ``scripts/check_types.py``'s ``readme_blocks`` (the extraction the
type check uses). How each block is run:

- **complete** (it binds every name it uses): run as written, with the README's
  example base URL ``https://mautic.example.com`` replaced by the emulator's URL. The
  README's example credentials (Basic ``admin``/``secret``) are the emulator's own.
- **fragment** whose unbound names are all in :data:`CONTEXT` (``mautic``, ``group_id``,
  ``url``...): run as the body of a coroutine that binds them to real values (a client
  on the emulator, a seeded group and contact), after the imports of earlier blocks,
  as the reader is told to assume. The emulator is seeded with groups 1-5 (the ids the
  README's fragments use), a contact and the ``main_interest`` custom field, and the
  block runs in a temporary directory holding the ``scores.csv`` it reads.
- a block that defines ``test_*`` functions runs under pytest, in a directory whose
  ``pyproject.toml`` is the README's ``toml`` block, with the package's plugin (its
  ``mautic_emulator`` fixture); ``app``/``get_mautic`` come from
  ``examples/fastapi_app.py``, ``my_import`` is :data:`TEST_CONTEXT`'s. Exactly one
  test must pass;
- any other fragment (it needs the reader's own ``db``, ``access``...) is not run; so is a
  block the README marks ``<!-- not run: REASON -->`` on the line before its fence.
  Each unrun block is a skipped test whose reason says why.

A line ``print(...)  # OUTPUT`` promises OUTPUT: the block's output must hold those
lines, in order (so the errors example must really raise what it says it catches).
"""

from __future__ import annotations

import ast
import asyncio
import builtins
import importlib.util
import os
import re
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from mautic_async.testing import MauticEmulator

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
EXAMPLE_URL = "https://mautic.example.com"
USER, PASSWORD = "admin", "secret"
#: The pytest settings the README tells users to have, taken from its ``toml`` block.
PYTEST_SETTINGS = README.split("```toml\n", 1)[1].split("```", 1)[0]


def _load_check_types() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "_check_types", ROOT / "scripts" / "check_types.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_types = _load_check_types()

#: Names README fragments leave to the reader that this test binds to real values.
CONTEXT = {
    "url": "url = os.environ['MAUTIC_URL']",
    "user": "user = os.environ['MAUTIC_USERNAME']",
    "password": "password = os.environ['MAUTIC_PASSWORD']",
    "auth": "auth = BasicAuth(user, password)",
    "mautic": "mautic = await _stack.enter_async_context(MauticClient(url, auth=auth))",
    "groups": "groups = mautic.point_groups",
    "group_id": "group_id = int(os.environ['GROUP_ID'])",
    "contact_id": "contact_id = int(os.environ['CONTACT_ID'])",
    "reschedule": (
        "def reschedule(*, in_seconds: float | None) -> None:\n"
        "    print('reschedule in', in_seconds)"
    ),
    "emulator": (
        "emulator = await _stack.enter_async_context(MauticEmulator(basic_auth={user: password}))"
    ),
}
#: Names the README's pytest examples leave to the reader: the app is
#: ``examples/fastapi_app.py`` (the README says so), ``my_import`` is the reader's code.
TEST_CONTEXT = {
    "app": "from fastapi_app import app",
    "get_mautic": "from fastapi_app import get_mautic",
    "my_import": (
        "async def my_import(mautic: MauticClient) -> None:\n"
        "    await mautic.point_groups.create_batch([{'name': 'Imported'}])"
    ),
}

#: What each :data:`CONTEXT` line needs bound before it.
NEEDS = {
    "auth": {"user", "password"},
    "mautic": {"url", "auth"},
    "groups": {"mautic"},
    "emulator": {"user", "password"},
}


def _with_dependencies(names: set[str]) -> set[str]:
    found = set(names)
    while True:
        more = set().union(*(NEEDS.get(name, set()) for name in found)) - found
        if not more:
            return found
        found |= more


PRELUDE = """\
import asyncio
import contextlib
import os

from mautic_async import BasicAuth, MauticClient
from mautic_async.testing import MauticEmulator
"""


def _unbound(code: str) -> set[str]:
    tree = ast.parse(code)
    unbound: set[str] = check_types._used(tree) - check_types._bound(tree) - set(dir(builtins))
    return unbound


PYTEST_MARK = "# run with pytest\n"


def _defines_tests(code: str) -> bool:
    return any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")
        for node in ast.parse(code).body
    )


def _marker(line: int) -> str | None:
    """The reason of a ``<!-- not run: REASON -->`` line right before the fence."""
    before = README.splitlines()[line - 3].strip()  # ``line`` is the block's first line
    if before.startswith("<!-- not run:") and before.endswith("-->"):
        return before.removeprefix("<!-- not run:").removesuffix("-->").strip()
    return None


def _program(code: str, earlier: dict[str, str]) -> str | pytest.MarkDecorator:
    """The script that runs ``code``, or a skip mark saying why it is not run."""
    missing = _unbound(code)
    if not missing:
        return code
    from_earlier = {name: earlier[name] for name in missing if name in earlier}
    needed = missing - set(from_earlier)
    if _defines_tests(code):
        unknown = sorted(needed - set(TEST_CONTEXT))
        if unknown:
            return pytest.mark.skip(
                reason=f"a test fragment: {', '.join(unknown)} left to the reader, not run"
            )
        lines = [
            PRELUDE,
            *sorted(set(from_earlier.values())),
            *(TEST_CONTEXT[name] for name in sorted(needed)),
            code,
        ]
        return PYTEST_MARK + "\n".join(lines)
    unknown = sorted(needed - set(CONTEXT))
    if unknown:
        return pytest.mark.skip(
            reason=f"a fragment: {', '.join(unknown)} left to the reader, not run"
        )
    # The block's own top-level imports go to module level: inside the coroutine
    # they would make the names local to it, unbound where the context lines use them.
    tree = ast.parse(code)
    source = code.splitlines()
    own_imports = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            own_imports.append(ast.unparse(node))
            for index in range(node.lineno - 1, node.end_lineno or node.lineno):
                source[index] = ""
    lines = [PRELUDE, *sorted(set(from_earlier.values())), *own_imports]
    body = [line for name, line in CONTEXT.items() if name in _with_dependencies(needed)]
    body.append("\n".join(source))
    program = "\n".join(lines) + "\n\nasync def _block() -> None:\n"
    program += "    async with contextlib.AsyncExitStack() as _stack:\n"
    program += textwrap.indent("\n".join(body), " " * 8) + "\n"
    program += "\nasyncio.run(_block())\n"
    return program


def _cases() -> list[object]:
    cases: list[object] = []
    earlier: dict[str, str] = {}
    for line, code in check_types.readme_blocks(README):
        reason = _marker(line)
        program = (
            pytest.mark.skip(reason=f"marked in the README: {reason}")
            if reason
            else _program(code, earlier)
        )
        earlier.update(check_types._imports_of(code))
        if isinstance(program, str):
            cases.append(pytest.param(program, id=f"line_{line}"))
        else:
            cases.append(pytest.param("", id=f"line_{line}", marks=program))
    return cases


def _promised(program: str) -> list[str]:
    return re.findall(r"^\s*print\(.*\)  # (.+)$", program, re.MULTILINE)


async def _seed(emulator: MauticEmulator) -> dict[str, str]:
    groups = [emulator.add_point_group(f"Group {n}") for n in range(1, 6)]
    emulator.add_contact_field("main_interest")
    contact_id = emulator.add_contact("ann@example.com")
    emulator.set_score(contact_id, groups[0]["id"], 16)
    return {"GROUP_ID": str(groups[0]["id"]), "CONTACT_ID": str(contact_id)}


@pytest.mark.parametrize("program", _cases())
async def test_readme_block_runs_against_the_emulator(program: str, tmp_path: Path) -> None:
    async with MauticEmulator(basic_auth={USER: PASSWORD}) as emulator:
        ids = await _seed(emulator)
        (tmp_path / "scores.csv").write_text(
            f"contact_id,group_id,score\n{ids['CONTACT_ID']},{ids['GROUP_ID']},21\n"
        )
        script = tmp_path / "block.py"
        script.write_text(program.replace(EXAMPLE_URL, emulator.url))
        env = {
            **os.environ,
            "MAUTIC_URL": emulator.url,
            "MAUTIC_USERNAME": USER,
            "MAUTIC_PASSWORD": PASSWORD,
            **ids,
        }
        command = [sys.executable, str(script)]
        if program.startswith(PYTEST_MARK):
            # A pytest example runs under pytest, with the settings the README shows and
            # the package's plugin (its ``mautic_emulator`` fixture), as a user's would.
            (tmp_path / "pyproject.toml").write_text(PYTEST_SETTINGS)
            script = script.rename(tmp_path / "test_block.py")
            command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(script)]
            env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "examples"), env.get("PYTHONPATH", "")])
        process = await asyncio.create_subprocess_exec(
            *command,
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(process.communicate(), timeout=30)
        except asyncio.TimeoutError:
            process.kill()
            await process.wait()
            pytest.fail(f"the block did not finish in 30 s:\n{program}")
    assert process.returncode == 0, (
        f"the block failed:\n{program}\n--- stdout ---\n{out.decode()}"
        f"\n--- stderr ---\n{err.decode()}"
    )
    if program.startswith(PYTEST_MARK):  # each test ran and passed, none was skipped
        assert re.search(r"^1 passed", out.decode(), re.MULTILINE), out.decode()
    printed = out.decode().splitlines()
    for promise in _promised(program):
        assert promise in printed, f"the README promises {promise!r}; the block printed {printed}"
        printed = printed[printed.index(promise) + 1 :]
