"""The benchmark harness (``benchmarks/``) stays importable and its in-process
conversion scenario still runs against the current converter.

This measures nothing and asserts nothing about speed: a few milliseconds of work, no
nginx, no network. The benchmarks themselves run with ``python -m benchmarks``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _requires import require_path

ROOT = Path(__file__).resolve().parents[1]


def test_the_quick_conversion_scenario_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    require_path(ROOT / "benchmarks", "the benchmark harness is not in this copy")
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import _report, _worker

    result = _worker.conversion({"pairs": 1, "window": 0.002})

    assert "decode_response + parse_page (list)" in result["cases"]
    summary = _report.summarise({"conversion": result})["conversion"]
    assert all(case["rate"] > 0 for case in summary.values())


def test_the_emulator_scaling_check_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m benchmarks._emulator_scaling --check`` at tiny sizes: it seeds, times
    and verifies the sync's outcome (it raises on a wrong one); nothing about speed."""
    require_path(ROOT / "benchmarks", "the benchmark harness is not in this copy")
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import _emulator_scaling

    for seed_api in (False, True):
        _emulator_scaling.check(1, seed_api=seed_api, sizes=(30, 120))
        out = capsys.readouterr().out
        assert "median 120/30 over 1 run(s)" in out
        assert "load average" in out


async def test_the_instruction_count_workload_runs_against_the_emulator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What ``python -m benchmarks._instructions`` runs under valgrind, each client and
    call once, over real HTTP to the emulator: it raises on a wrong answer. Counting
    needs valgrind and nginx and is not done here."""
    require_path(ROOT / "benchmarks", "the benchmark harness is not in this copy")
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import _data, _instructions
    from mautic_async.testing import MauticEmulator

    async with MauticEmulator(basic_auth={_data.USER: _data.PASSWORD}) as emulator:
        emulator.add_point_group("Point group 1")
        for client in _instructions.CLIENTS:
            for op in ("get", "list", "create"):
                await _instructions._calls(emulator.url, client, op, 3)
        created = [g for g in emulator.point_groups.values() if g["name"] == "Group A"]
        assert len(created) == 2 * (300 + 3)  # warm-up and counted calls, both clients
