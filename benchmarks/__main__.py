"""Run every benchmark: ``python -m benchmarks [--quick]`` (see benchmarks/README.md)."""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from . import _clients, _report, _servers

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCENARIOS = ("throughput", "latency", "memory", "conversion", "profile", "emulator")
EMULATOR_TARGET_RATIO = 6.0  # issue #12: 4x the groups may cost at most 6x (linear: 4x)

Result = dict[str, Any]

FULL = {
    "pairs": 40,
    "window": 0.15,
    "latency_pairs": 5,
    "latency_total": 2000,
    "latency_sync_total": 2000,
    "memory_modes": ["offset", "stable"],
    "conversion_pairs": 7,
    "conversion_window": 0.3,
    "profile_requests": 5000,
    "emulator_sizes": [10_000, 40_000, 100_000],
    "emulator_repeats": 1,
}
QUICK = {
    "pairs": 6,
    "window": 0.1,
    "latency_pairs": 1,
    "latency_total": 2000,
    "latency_sync_total": 100,
    "memory_modes": ["stable"],
    "conversion_pairs": 3,
    "conversion_window": 0.05,
    "profile_requests": 0,
    "emulator_sizes": [10_000, 40_000],
    "emulator_repeats": 1,
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> Result:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        command = [_servers.find_nginx(), "-v"]
        shown = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        nginx = shown.stderr.strip().split("/")[-1]
    except RuntimeError:
        nginx = "not installed"
    versions = _clients.versions()
    load = os.getloadavg()
    return {
        "nproc": os.cpu_count(),
        "CPU": model,
        "kernel": platform.release(),
        "Python": platform.python_version(),
        "aiohttp": versions["aiohttp"],
        "attrs/cattrs": f"{versions['attrs']}/{versions['cattrs']}",
        "orjson": versions["orjson"],
        "httpx": versions["httpx"],
        "mautic": versions["mautic"],
        "nginx": nginx,
        "load average at start": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
    }


def run_worker(name: str, args: Result, cpu: int | None, *, block_orjson: bool = False) -> Any:
    cmd = _servers.pinned([sys.executable, "-m", "benchmarks._worker", name, json.dumps(args)], cpu)
    env = dict(os.environ)
    if block_orjson:
        env["MAUTIC_BENCH_BLOCK_ORJSON"] = "1"
    proc = subprocess.run(  # noqa: S603 - our own command line
        cmd, cwd=ROOT, capture_output=True, text=True, env=env, check=False, timeout=1800
    )
    if proc.returncode != 0:
        raise RuntimeError(f"worker {name} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def throughput(settings: Result, server_cpu: int | None, client_cpu: int | None) -> Result:
    out: Result = {}
    with _servers.Nginx(cpu=server_cpu) as nginx:
        for op in _clients.OPS:
            for concurrency in (1, 64):
                key = f"{op}@{concurrency}"
                args = {
                    "url": nginx.url,
                    "op": op,
                    "concurrency": concurrency,
                    "pairs": settings["pairs"],
                    "window": settings["window"],
                    "server_pids": nginx.pids(),
                    "contenders": [_report.MAUTIC_ASYNC, _report.HTTPX, _report.MAUTIC020],
                }
                out[key] = run_worker("throughput", args, client_cpu)
                args["contenders"] = [_report.MAUTIC_ASYNC]
                blocked = run_worker("throughput", args, client_cpu, block_orjson=True)
                out[key][_report.NO_ORJSON] = blocked[_report.MAUTIC_ASYNC]
                summary = {c: _report.pairs_summary(r) for c, r in out[key].items()}
                log(
                    f"  {key:10s} raw {summary[_report.MAUTIC_ASYNC]['raw_rate']:8,.0f}/s  "
                    + "  ".join(f"{c} {s['ratio']:.2f}" for c, s in summary.items())
                )
        # What the per-call options and with_raw_response cost a plain get (issue #11):
        # the same cell as get@64, mautic_async making the call with an option at its
        # default, and through with_raw_response.
        for op in _clients.OPTION_OPS:
            key = f"{op}@64"
            args = {
                "url": nginx.url,
                "op": op,
                "concurrency": 64,
                "pairs": settings["pairs"],
                "window": settings["window"],
                "server_pids": nginx.pids(),
                "contenders": [_report.MAUTIC_ASYNC],
            }
            out[key] = run_worker("throughput", args, client_cpu)
            ratio = _report.pairs_summary(out[key][_report.MAUTIC_ASYNC])["ratio"]
            log(f"  {key:16s} {_report.MAUTIC_ASYNC} {ratio:.2f}")
    return out


def latency(settings: Result, server_cpu: int | None, client_cpu: int | None) -> Result:
    with _servers.SlowServer(0.020, cpu=server_cpu) as server:
        args = {
            "url": server.url,
            "total": settings["latency_total"],
            "concurrency": 32,
            "delay": 0.020,
            "pairs": settings["latency_pairs"],
            "contenders": [_report.MAUTIC_ASYNC, _report.HTTPX],
            "server_pids": server.pids(),
            "sync_total": settings["latency_sync_total"],
        }
        result: Result = run_worker("latency", args, client_cpu)
    lat = _report.summarise({"latency": result})["latency"]
    log(
        "  efficiency ratio "
        + "  ".join(f"{c} {lat[c]['efficiency_ratio']:.3f}" for c in args["contenders"])
        + f"  speedup vs mautic 0.2.0 {lat.get('speedup_vs_mautic020', 0):.1f}x"
    )
    return result


def memory(settings: Result, server_cpu: int | None, client_cpu: int | None) -> list[Result]:
    runs = []
    with _servers.SlowServer(0.0, cpu=server_cpu) as server:
        for mode in settings["memory_modes"]:
            for total in (10_000, 100_000):
                args = {
                    "url": server.url,
                    "total": total,
                    "page_size": 500,
                    "stable": mode == "stable",
                }
                result = run_worker("memory", args, client_cpu)
                result.update(mode=mode, total=total, page_size=500)
                log(f"  {mode:6s} {total:>7,} groups: peak RSS {result['peak_rss_mb']:.1f} MB")
                runs.append(result)
    return runs


def conversion(settings: Result, client_cpu: int | None) -> Result:
    args = {"pairs": settings["conversion_pairs"], "window": settings["conversion_window"]}
    result: Result = run_worker("conversion", args, client_cpu)
    return result


def profile(settings: Result, out_dir: Path, server_cpu: int | None) -> dict[str, str]:
    from ._profile import profile as run_profile

    with _servers.Nginx(cpu=server_cpu) as nginx:
        ops = ("list", "get", "create")
        return run_profile(nginx.url, out_dir, ops, settings["profile_requests"])


def emulator(settings: Result, client_cpu: int | None) -> Result:
    """The embedded emulator's scaling: ``iterate(stable=True)`` and a sync with 10 %
    changed at each size, each size in a fresh process pinned to the client core; the
    best of ``emulator_repeats`` runs is kept."""
    runs: list[Result] = []
    for total in settings["emulator_sizes"]:
        best: Result | None = None
        for _ in range(settings["emulator_repeats"]):
            cmd = _servers.pinned(
                [sys.executable, "-m", "benchmarks._emulator_scaling", str(total)], client_cpu
            )
            proc = subprocess.run(  # noqa: S603 - our own command line
                cmd, cwd=ROOT, capture_output=True, text=True, check=False, timeout=1800
            )
            if proc.returncode != 0:
                raise RuntimeError(f"emulator scaling at {total} failed:\n{proc.stderr[-4000:]}")
            run = json.loads(proc.stdout.strip().splitlines()[-1])
            if best is None:
                best = run
            else:
                for key in ("seed_s", "iterate_s", "iterate_cpu_s", "sync_s", "sync_cpu_s"):
                    best[key] = min(best[key], run[key])
        assert best is not None
        log(
            f"  {total:>7,} groups: seed {best['seed_s']:.2f} s, "
            f"iterate {best['iterate_s']:.2f} s, sync {best['sync_s']:.2f} s"
        )
        runs.append(best)
    by_size = {run["groups"]: run for run in runs}
    ratios: Result = {}
    if 10_000 in by_size and 40_000 in by_size:
        small, large = by_size[10_000], by_size[40_000]
        for key in ("iterate_s", "sync_s", "iterate_cpu_s", "sync_cpu_s", "seed_s"):
            ratios[key] = large[key] / small[key]
        log(
            f"  40k/10k: iterate {ratios['iterate_s']:.2f}, sync {ratios['sync_s']:.2f} "
            f"(target <= {EMULATOR_TARGET_RATIO:g}, linear about 4)"
        )
    return {"runs": runs, "ratios_40k_10k": ratios}


def emulator_markdown(result: Result) -> str:
    """The emulator scaling table, and the 40k/10k ratios against the target."""
    lines = [
        "| groups | seed (`add_point_group`) | `iterate(stable=True)` | sync, 10 % changed |",
        "|---:|---:|---:|---:|",
    ]
    for run in result["runs"]:
        lines.append(
            f"| {run['groups']:,} | {run['seed_s']:.2f} s | {run['iterate_s']:.2f} s "
            f"(CPU {run['iterate_cpu_s']:.2f} s) | {run['sync_s']:.2f} s "
            f"(CPU {run['sync_cpu_s']:.2f} s) |"
        )
    ratios = result["ratios_40k_10k"]
    if ratios:
        lines.append("")
        lines.append(
            f"40k/10k: iterate **{ratios['iterate_s']:.2f}** (CPU {ratios['iterate_cpu_s']:.2f}), "
            f"sync **{ratios['sync_s']:.2f}** (CPU {ratios['sync_cpu_s']:.2f}), seed "
            f"{ratios['seed_s']:.2f}; target <= {EMULATOR_TARGET_RATIO:g}, linear is about 4."
        )
    return "\n".join(lines) + "\n"


def compare(rev: str, settings: Result, server_cpu: int | None, client_cpu: int | None) -> Result:
    """mautic_async at git revision ``rev`` against the working tree, each paired with raw
    aiohttp in the same worker, for every call and concurrency."""
    from ._worker import COMPARED, COMPARED_PACKAGE

    archive = subprocess.run(  # noqa: S603 - read-only: git archive writes to our pipe
        ["git", "archive", "--format=tar", rev, "mautic_async"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    out: Result = {}
    with tempfile.TemporaryDirectory(prefix="mautic-bench-compare-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        Path(tmp, "mautic_async").rename(Path(tmp, COMPARED_PACKAGE))
        with _servers.Nginx(cpu=server_cpu) as nginx:
            for op in _clients.OPS:
                for concurrency in (1, 64):
                    key = f"{op}@{concurrency}"
                    args = {
                        "url": nginx.url,
                        "op": op,
                        "concurrency": concurrency,
                        "pairs": settings["pairs"],
                        "window": settings["window"],
                        "server_pids": nginx.pids(),
                        "contenders": [COMPARED, _report.MAUTIC_ASYNC],
                        "compare_path": tmp,
                    }
                    out[key] = run_worker("throughput", args, client_cpu)
                    summary = {c: _report.pairs_summary(r) for c, r in out[key].items()}
                    log(
                        f"  {key:10s} {rev}: {summary[COMPARED]['ratio']:.2f}  "
                        f"working tree: {summary[_report.MAUTIC_ASYNC]['ratio']:.2f}  "
                        f"(ratios to raw aiohttp)"
                    )
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    cpus = sorted(os.sched_getaffinity(0))
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short windows, about a minute")
    parser.add_argument(
        "--only", default=",".join(SCENARIOS), help=f"comma-separated subset of {SCENARIOS}"
    )
    parser.add_argument("--pairs", type=int, help="pairs of windows per cell (throughput)")
    parser.add_argument("--window", type=float, help="seconds per window (throughput)")
    parser.add_argument(
        "--emulator-sizes",
        help="comma-separated group counts of the emulator scenario (default 10000,40000,100000)",
    )
    parser.add_argument(
        "--emulator-repeats", type=int, help="runs per size of the emulator scenario (best kept)"
    )
    parser.add_argument("--server-cpu", type=int, default=cpus[0])
    parser.add_argument("--client-cpu", type=int, default=cpus[-1])
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument(
        "--compare",
        metavar="REV",
        help="instead of the scenarios: mautic_async at git revision REV against the working "
        "tree (throughput only, paired with raw aiohttp), e.g. --compare HEAD~3",
    )
    parser.add_argument(
        "--readme",
        choices=("auto", "yes", "no"),
        default="auto",
        help="write the results into benchmarks/README.md (auto: full runs of everything)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenario(s) {sorted(unknown)}; choose from {SCENARIOS}")
    settings: Result = dict(QUICK if args.quick else FULL)
    settings.update(quick=args.quick, server_cpu=args.server_cpu, client_cpu=args.client_cpu)
    if args.pairs:
        settings["pairs"] = args.pairs
    if args.window:
        settings["window"] = args.window
    if args.emulator_sizes:
        settings["emulator_sizes"] = [int(n) for n in args.emulator_sizes.split(",")]
    if args.emulator_repeats:
        settings["emulator_repeats"] = args.emulator_repeats
    if args.quick and "profile" in only and args.only == ",".join(SCENARIOS):
        only.remove("profile")
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.compare:
        log(f"mautic_async at {args.compare} against the working tree:")
        result = compare(args.compare, settings, args.server_cpu, args.client_cpu)
        text = _report.compare_markdown(args.compare, result, settings)
        safe = "".join(c if c.isalnum() else "-" for c in args.compare)
        (out_dir / f"compare-{safe}.md").write_text(text)
        print(text)
        return 0
    started = time.time()
    results: Result = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started)),
        "machine": machine(),
        "settings": settings,
    }
    log(f"mautic_async benchmarks ({'quick' if args.quick else 'full'}): {', '.join(only)}")
    server_cpu, client_cpu = args.server_cpu, args.client_cpu
    if "throughput" in only:
        log("client overhead against nginx (ratio to raw aiohttp):")
        results["throughput"] = throughput(settings, server_cpu, client_cpu)
    if "latency" in only:
        log("latency-bound bulk (20 ms server, 2,000 creates at concurrency 32):")
        results["latency"] = latency(settings, server_cpu, client_cpu)
    if "memory" in only:
        log("memory while iterating:")
        results["memory"] = memory(settings, server_cpu, client_cpu)
    if "conversion" in only:
        log("conversion:")
        results["conversion"] = conversion(settings, client_cpu)
    if "profile" in only and settings["profile_requests"]:
        log("profiling mautic_async list(100), get and create at concurrency 64:")
        results["profile"] = profile(settings, out_dir, server_cpu)
    if "emulator" in only:
        log("emulator scaling (iterate and a 10 %-changed sync against MauticEmulator):")
        results["emulator"] = emulator(settings, client_cpu)
        scaling = emulator_markdown(results["emulator"])
        (out_dir / f"emulator-scaling{'-quick' if args.quick else ''}.md").write_text(scaling)
        print(scaling)
        if set(only) == {"emulator"}:
            results["seconds"] = time.time() - started
            (out_dir / "emulator-scaling.json").write_text(json.dumps(results, indent=1))
            log(f"done in {results['seconds']:.0f} s")
            return 0
    results["seconds"] = time.time() - started

    stem = "results-quick" if args.quick else "results"
    summary = _report.summarise(results)
    (out_dir / f"{stem}.json").write_text(
        json.dumps({"results": results, "summary": summary}, indent=1)
    )
    chart_path = out_dir / f"{stem}.png"
    has_chart = "throughput" in only and "latency" in only and _report.chart(summary, chart_path)
    chart_rel = os.path.relpath(chart_path, HERE) if has_chart else None
    text = _report.markdown(results, summary, chart_rel)
    (out_dir / f"{stem}.md").write_text(text)
    everything = set(only) >= {"throughput", "latency", "memory", "conversion"}
    if args.readme == "yes" or (args.readme == "auto" and everything and not args.quick):
        _report.update_readme(HERE / "README.md", text)
        log("results written into benchmarks/README.md")
    print(text)
    log(f"done in {results['seconds']:.0f} s; raw results in {out_dir / (stem + '.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
