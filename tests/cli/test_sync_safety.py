"""``sync --dry-run`` sends no write; ``--delete-missing`` shows the count, then asks on
a terminal and needs ``--yes`` off one. For every noun that has ``sync``."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from mautic_async.cli import ExitCode
from mautic_async.cli._commands import confirm_deletions
from mautic_async.cli._errors import Cancelled, UsageError

from .conftest import Cli, ThreadedEmulator


def methods(emulator: ThreadedEmulator) -> list[str]:
    return emulator.call(lambda: [r.method for r in emulator.emu.requests])


def clear_log(emulator: ThreadedEmulator) -> None:
    emulator.call(emulator.emu.requests.clear)


def names(emulator: ThreadedEmulator, table: str = "point_groups") -> set[str]:
    return emulator.call(lambda: {e["name"] for e in getattr(emulator.emu, table).values()})


@pytest.fixture
def desired(tmp_path: Path) -> Path:
    path = tmp_path / "desired.json"
    path.write_text(
        json.dumps(
            [{"name": "Keep", "description": "new words"}, {"name": "New"}, {"name": "Same"}]
        )
    )
    return path


def seed_groups(emulator: ThreadedEmulator) -> dict[str, int]:
    ids = emulator.add_groups("Keep", "Same", "Old", "Older")
    return dict(zip(("Keep", "Same", "Old", "Older"), ids, strict=True))


def test_dry_run_prints_the_plan_and_sends_only_gets(
    cli: Cli, emulator: ThreadedEmulator, desired: Path
) -> None:
    ids = seed_groups(emulator)
    clear_log(emulator)
    result = cli("groups", "sync", str(desired), "--dry-run", "--delete-missing")
    assert (result.code, result.err) == (0, "")
    assert result.json["dryRun"] is True
    assert result.json["counts"] == {
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "deleted": 2,
        "failed": 0,
    }
    assert result.json["items"] == [
        {"action": "updated", "key": "Keep", "id": ids["Keep"], "error": None},
        {"action": "created", "key": "New", "id": None, "error": None},
        {"action": "unchanged", "key": "Same", "id": ids["Same"], "error": None},
        {"action": "deleted", "key": "Old", "id": ids["Old"], "error": None},
        {"action": "deleted", "key": "Older", "id": ids["Older"], "error": None},
    ]
    sent = methods(emulator)
    assert sent
    assert set(sent) == {"GET"}
    assert names(emulator) == {"Keep", "Same", "Old", "Older"}
    description = emulator.call(lambda: emulator.emu.point_groups[ids["Keep"]]["description"])
    assert description != "new words"


def test_dry_run_as_a_table_lists_what_would_be_sent(
    cli: Cli, emulator: ThreadedEmulator, desired: Path
) -> None:
    ids = seed_groups(emulator)
    result = cli("sync", str(desired), "--dry-run", "--format", "table")
    assert result.code == 0
    assert result.out.splitlines()[-6:] == [
        "would send:",
        "action   key   id",
        "-------  ----  --",
        f"updated  Keep  {ids['Keep']}",
        "created  New",
        "(dry run: 3 items, nothing was sent)",
    ]


@pytest.mark.parametrize(
    ("noun", "table", "item"),
    [
        ("points", "points", {"name": "P", "type": "url.hit", "delta": 5}),
        ("triggers", "triggers", {"name": "T", "points": 10}),
    ],
)
def test_dry_run_for_every_noun(
    cli: Cli,
    emulator: ThreadedEmulator,
    tmp_path: Path,
    noun: str,
    table: str,
    item: dict[str, object],
) -> None:
    path = tmp_path / "items.json"
    path.write_text(json.dumps([item]))
    clear_log(emulator)
    result = cli(noun, "sync", str(path), "--dry-run")
    assert result.code == 0, result.err
    assert result.json["counts"]["created"] == 1
    assert set(methods(emulator)) == {"GET"}
    assert names(emulator, table) == set()


def test_delete_missing_off_a_terminal_needs_yes_and_shows_the_count(
    cli: Cli, emulator: ThreadedEmulator, desired: Path
) -> None:
    seed_groups(emulator)
    clear_log(emulator)
    refused = cli("sync", str(desired), "--delete-missing")  # pytest's stdin: no terminal
    assert (refused.code, refused.out) == (ExitCode.USAGE, "")
    assert refused.err.splitlines() == [
        f"--delete-missing: 2 point group(s) in Mautic are not in {desired}: 'Old', 'Older'",
        "mautic-async: error: --delete-missing would delete 2 point group(s): pass --yes to "
        "confirm (nobody to ask: standard input is not a terminal)",
    ]
    assert set(methods(emulator)) == {"GET"}
    assert names(emulator) == {"Keep", "Same", "Old", "Older"}

    confirmed = cli("sync", str(desired), "--delete-missing", "--yes")
    assert confirmed.code == 0
    assert confirmed.json["counts"]["deleted"] == 2
    assert names(emulator) == {"Keep", "Same", "New"}


class Terminal(io.StringIO):
    """A stdin that says it is a terminal, with the user's answer in it."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("answer", "deleted"), [("y\n", True), ("yes\n", True), ("\n", False), ("n\n", False)]
)
def test_delete_missing_asks_on_a_terminal(
    cli: Cli,
    emulator: ThreadedEmulator,
    desired: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    deleted: bool,
) -> None:
    seed_groups(emulator)
    monkeypatch.setattr("sys.stdin", Terminal(answer))
    result = cli("sync", str(desired), "--delete-missing")
    assert "2 point group(s) in Mautic are not in" in result.err
    assert "Delete 2 point group(s)? [y/N] " in result.err
    if deleted:
        assert result.code == 0
        assert names(emulator) == {"Keep", "Same", "New"}
    else:
        assert (result.code, result.out) == (ExitCode.FAILED, "")
        assert result.err.endswith("mautic-async: error: cancelled: nothing was changed\n")
        assert names(emulator) == {"Keep", "Same", "Old", "Older"}


def _args(file: str = "f.json", *, yes: bool = False) -> argparse.Namespace:
    return argparse.Namespace(file=file, yes=yes)


def test_confirm_deletions_unit() -> None:
    err = io.StringIO()
    confirm_deletions("point", [], _args(), Terminal(""), err)  # nothing to delete: no question
    assert "Delete" not in err.getvalue()
    confirm_deletions("point", ["a"], _args(yes=True), io.StringIO(), err)  # --yes: no question
    with pytest.raises(UsageError, match="pass --yes"):
        confirm_deletions("point", [], _args(), io.StringIO(), err)  # off a terminal: always
    with pytest.raises(UsageError, match="pass --yes"):  # FILE on stdin: no one to ask
        confirm_deletions("point", ["a"], _args("-"), Terminal("y\n"), err)
    with pytest.raises(Cancelled):
        confirm_deletions("point", ["a"], _args(), Terminal("sure\n"), err)
    many = [f"k{i}" for i in range(12)]
    confirm_deletions("point", many, _args(yes=True), io.StringIO(), err)
    assert "'k9', ..." in err.getvalue()
    assert "'k10'" not in err.getvalue()
