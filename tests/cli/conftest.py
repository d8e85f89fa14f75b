"""CLI fixtures: an emulator serving from its own thread, and ``main`` run in-process.

``main`` calls ``asyncio.run``, exactly as the console script does, so it cannot share
the test's event loop: the emulator gets a loop of its own in a background thread.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from mautic_async.cli import main
from mautic_async.testing import MauticEmulator

USER, PASSWORD = "admin", "Pa55-w0rd-s3cret"
CLIENT_ID, CLIENT_SECRET = "cli-client", "Cl1ent-s3cret-value"
SECRETS = (PASSWORD, CLIENT_SECRET)

#: The keys of a point group in CLI output, in order.
GROUP_KEYS = (
    "id",
    "name",
    "description",
    "isPublished",
    "dateAdded",
    "dateModified",
    "createdBy",
    "createdByUser",
    "modifiedBy",
    "modifiedByUser",
)

T = TypeVar("T")


class ThreadedEmulator:
    """A :class:`MauticEmulator` running on an event loop in a daemon thread."""

    def __init__(self) -> None:
        self.emu = MauticEmulator(
            basic_auth={USER: PASSWORD}, oauth2_clients={CLIENT_ID: CLIENT_SECRET}
        )
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``fn`` on the emulator's loop (its state is only touched there)."""

        async def call() -> T:
            return fn(*args, **kwargs)

        return self.run(call())

    def __enter__(self) -> ThreadedEmulator:
        self._thread.start()
        self.run(self.emu.start())
        return self

    def __exit__(self, *exc: object) -> None:
        self.run(self.emu.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    @property
    def url(self) -> str:
        return self.emu.url

    def group(self, group_id: int) -> dict[str, Any]:
        """A stored group with its keys in CLI output order."""
        stored = self.call(lambda: self.emu.point_groups[group_id])
        return {key: stored[key] for key in GROUP_KEYS}

    def add_groups(self, *names: str) -> list[int]:
        return [self.call(self.emu.add_point_group, name)["id"] for name in names]


@pytest.fixture
def emulator() -> Iterator[ThreadedEmulator]:
    with ThreadedEmulator() as threaded:
        yield threaded


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


Cli = Callable[..., Result]


@pytest.fixture
def cli(
    emulator: ThreadedEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Cli:
    """``cli("list", "--limit", "2")`` runs ``main`` against the emulator with Basic
    credentials from the environment; ``env=`` replaces that environment."""

    def run(*argv: str, env: dict[str, str] | None = None) -> Result:
        for name in ("URL", "USERNAME", "PASSWORD", "CLIENT_ID", "CLIENT_SECRET"):
            monkeypatch.delenv(f"MAUTIC_{name}", raising=False)
        if env is None:
            env = {"MAUTIC_URL": emulator.url, "MAUTIC_USERNAME": USER, "MAUTIC_PASSWORD": PASSWORD}
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
