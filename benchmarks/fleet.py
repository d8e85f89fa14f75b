"""Fleet benchmark: rows/s of the bulk score sync at 1, 2, 4 and 8 processes.

``python -m benchmarks.fleet`` starts the latency-bound canned server
(``benchmarks._slowserver``, every answer ``DELAY`` seconds late) and a redis-server,
then for each fleet size starts that many worker processes sharing one token and one
request budget (``RedisTokenStore`` + ``RedisLimiter(max_in_flight=CAP)``). Each worker
syncs the same number of rows (weak scaling) with ``CONCURRENCY`` requests at once, so
the fleet wants ``size * CONCURRENCY`` in flight: scaling is near-linear until that
passes ``CAP`` and the shared cap binds. Writes ``results/fleet.json`` and
``results/fleet.png``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ._servers import SlowServer, _wait_for_port, free_port

DELAY = 0.05  # seconds per answer: latency-bound, not CPU-bound
CAP = 32  # fleet-wide requests in flight
CONCURRENCY = 8  # per process: 4 processes reach the cap
CONTACTS, GROUPS = 60, 5  # per process: 60 reads + 300 set requests
SIZES = (1, 2, 4, 8)
RESULTS = Path(__file__).resolve().parent / "results"


def _run(url: str, redis_url: str, size: int) -> dict[str, Any]:
    workers = [
        subprocess.Popen(  # noqa: S603 - our own module
            [
                sys.executable,
                "-m",
                "benchmarks._fleet_worker",
                url,
                redis_url,
                str(CAP),
                str(CONCURRENCY),
                str(1 + i * CONTACTS),
                str(CONTACTS),
                str(GROUPS),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(size)
    ]
    for worker in workers:  # everyone set up (imports, token) before the clock starts
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    reports = []
    for worker in workers:
        out, _ = worker.communicate(timeout=300)
        reports.append(json.loads(out))
    rows = sum(r["rows"] for r in reports)
    elapsed = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    return {"processes": size, "rows": rows, "seconds": elapsed, "rows_per_s": rows / elapsed}


def main() -> None:
    """Run every fleet size once and write the results and the chart."""
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("the fleet benchmark needs redis-server (apt-get install redis-server)")
    port = free_port()
    redis = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, redis, "redis-server")
        with SlowServer(DELAY) as server:
            results = []
            for size in SIZES:
                subprocess.run(  # noqa: S603 - a fresh Redis state per size
                    [binary.replace("server", "cli"), "-p", str(port), "flushall"],
                    check=True,
                    capture_output=True,
                )
                result = _run(server.url, f"redis://127.0.0.1:{port}/0", size)
                results.append(result)
                print(
                    f"{size} process(es): {result['rows']} rows in {result['seconds']:.2f} s, "
                    f"{result['rows_per_s']:.0f} rows/s"
                )
                time.sleep(0.5)
    finally:
        redis.terminate()
        redis.wait()
    base = results[0]["rows_per_s"]
    for result in results:
        result["speedup"] = result["rows_per_s"] / base
    RESULTS.mkdir(exist_ok=True)
    setup = {"delay_s": DELAY, "cap": CAP, "concurrency_per_process": CONCURRENCY}
    (RESULTS / "fleet.json").write_text(json.dumps({"setup": setup, "results": results}, indent=2))
    _chart(results)


def _chart(results: list[dict[str, Any]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["processes"] for r in results]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(sizes, [r["rows_per_s"] for r in results], marker="o", label="measured")
    base = results[0]["rows_per_s"]
    ideal = [min(base * n, base * CAP / CONCURRENCY) for n in sizes]
    ax.plot(sizes, ideal, linestyle="--", label=f"linear until the cap ({CAP} in flight)")
    ax.set_xlabel("worker processes")
    ax.set_ylabel("rows/s (score sync)")
    ax.set_xticks(sizes)
    ax.set_title(f"Fleet score sync, {DELAY * 1000:.0f} ms server latency")
    ax.legend()
    fig.tight_layout()
    fig.savefig(RESULTS / "fleet.png", dpi=100)


if __name__ == "__main__":
    main()
