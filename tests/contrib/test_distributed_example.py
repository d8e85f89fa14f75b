"""examples/distributed_scores: the producer enqueues chunks into arq, two arq workers
apply them through the Redis token store and limiter, against the emulator."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from mautic_async.testing import MauticEmulator

arq_worker = pytest.importorskip("arq.worker", reason="arq (the examples extra) is not installed")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/distributed_scores/scores_fleet.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scores_fleet", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["scores_fleet"] = module
    spec.loader.exec_module(module)
    return module


# arq 0.28 closes its Redis pool with redis-py's deprecated close(): arq's, not ours.
@pytest.mark.filterwarnings("ignore:Call to deprecated close:DeprecationWarning")
async def test_producer_and_two_arq_workers(
    redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with MauticEmulator(oauth2_clients={"cid": "secret"}, rate_limit=10_000) as emu:
        contacts = [emu.add_contact(f"c{i}@example.com") for i in range(30)]
        groups = [emu.add_point_group(f"G{i}")["id"] for i in range(2)]
        rows = [(c, g, c + g) for c in contacts for g in groups]
        path = tmp_path / "scores.csv"
        path.write_text(
            "contact_id,group_id,score\n" + "".join(f"{c},{g},{s}\n" for c, g, s in rows)
        )
        for name, value in {
            "REDIS_URL": redis_url,
            "MAUTIC_URL": emu.url,
            "MAUTIC_CLIENT_ID": "cid",
            "MAUTIC_CLIENT_SECRET": "secret",
            "MAUTIC_MAX_IN_FLIGHT": "3",
        }.items():
            monkeypatch.setenv(name, value)
        fleet = _load()
        from redis.asyncio import Redis

        redis = Redis.from_url(redis_url)
        await redis.flushdb()
        jobs = await fleet.produce(str(path), redis_url, chunk_size=7)
        assert jobs == -(-len(rows) // 7)

        settings = fleet.WorkerSettings
        workers = [
            arq_worker.Worker(
                functions=settings.functions,
                on_startup=settings.on_startup,
                on_shutdown=settings.on_shutdown,
                redis_settings=fleet.RedisSettings.from_dsn(redis_url),
                burst=True,
                handle_signals=False,
                poll_delay=0.05,
                max_jobs=2,
            )
            for _ in range(2)
        ]
        await asyncio.gather(*(w.async_run() for w in workers))
        assert sum(w.jobs_complete for w in workers) == jobs
        assert sum(w.jobs_failed for w in workers) == 0
        for worker in workers:
            await worker.close()
        await redis.aclose()
        assert emu.scores == {(c, g): s for c, g, s in rows}
        assert len(emu.token_requests) == 1  # two workers, one token
        assert emu.api_in_flight_peak <= 3
