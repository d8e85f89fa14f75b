"""One measurement, in a process of its own: ``python -m benchmarks._worker NAME 'JSON'``.

The harness starts each worker pinned to the client CPU (``taskset -c``) and reads one
JSON object from its last line of output. Inside a worker the clients being compared
take turns in short windows (raw aiohttp, then the contender, then the contender, then
raw aiohttp, ...), so drift on this shared machine hits both sides of every ratio alike.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import resource
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import _clients, _data
from ._servers import cpu_seconds

Result = dict[str, Any]

#: The contender name and package name of ``--compare REV``'s other version.
COMPARED = "mautic_async (compared revision)"
COMPARED_PACKAGE = "mautic_async_compared"


# -- drivers ---------------------------------------------------------------------------


async def async_window(call: _clients.AsyncCall, concurrency: int, duration: float) -> int:
    """Run ``call`` from ``concurrency`` tasks until ``duration`` is up; return the count."""
    deadline = time.perf_counter() + duration
    count = 0

    async def worker() -> None:
        nonlocal count
        while time.perf_counter() < deadline:
            await call()
            count += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count


def sync_window(call: Callable[[], Any], concurrency: int, duration: float) -> int:
    deadline = time.perf_counter() + duration
    counts = [0] * concurrency

    def worker(index: int) -> None:
        n = 0
        while time.perf_counter() < deadline:
            call()
            n += 1
        counts[index] = n

    if concurrency == 1:
        worker(0)
    else:
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return sum(counts)


async def async_fixed(call: _clients.AsyncCall, concurrency: int, total: int) -> None:
    """``total`` calls from ``concurrency`` tasks pulling from one counter."""
    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await call()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


class Meter:
    """Wall time, this process's CPU and the server's CPU over one window."""

    def __init__(self, server_pids: list[int]) -> None:
        self.server_pids = server_pids

    def __enter__(self) -> Meter:
        self.t0 = time.perf_counter()
        self.c0 = time.process_time()
        self.s0 = cpu_seconds(self.server_pids)
        return self

    def __exit__(self, *exc: object) -> None:
        self.elapsed = time.perf_counter() - self.t0
        self.client_cpu = (time.process_time() - self.c0) / self.elapsed
        self.server_cpu = (cpu_seconds(self.server_pids) - self.s0) / self.elapsed


# -- scenarios ------------------------------------------------------------------------------


async def throughput(args: Result) -> Result:
    """Requests/s of one operation at one concurrency, each contender paired with raw aiohttp."""
    url, op, concurrency = args["url"], args["op"], args["concurrency"]
    pairs, window = args["pairs"], args["window"]
    clients: dict[str, Any] = {}
    for name in [_clients.RAW, *args["contenders"]]:
        if name == _clients.Mautic020.name:
            clients[name] = _clients.Mautic020(url, concurrency)
        elif name == COMPARED:
            sys.path.insert(0, args["compare_path"])
            package = importlib.import_module(COMPARED_PACKAGE)
            clients[name] = _clients.MauticAsync(url, concurrency, package)
            await clients[name].open()
        else:
            clients[name] = _clients.ASYNC_CLIENTS[name](url, concurrency)
            await clients[name].open()

    async def measure(name: str, duration: float) -> Result:
        client = clients[name]
        call = client.call(op)
        with Meter(args["server_pids"]) as meter:
            if client.sync:
                count = sync_window(call, concurrency, duration)
            else:
                count = await async_window(call, concurrency, duration)
        return {
            "rate": count / meter.elapsed,
            "client_cpu": meter.client_cpu,
            "server_cpu": meter.server_cpu,
        }

    try:
        for name in clients:  # open connections, fill caches
            await measure(name, min(window, 0.3))
        out: Result = {}
        for name in args["contenders"]:
            rounds = []
            for i in range(pairs):
                order = [_clients.RAW, name] if i % 2 == 0 else [name, _clients.RAW]
                got = {who: await measure(who, window) for who in order}
                rounds.append({"raw": got[_clients.RAW], "client": got[name]})
            out[name] = rounds
        return out
    finally:
        for client in clients.values():
            if not client.sync:
                await client.close()


def _server_stats(url: str, reset: bool = False) -> Result:
    target = f"{url}_stats" + ("?reset=1" if reset else "")
    with urllib.request.urlopen(target, timeout=5) as response:  # noqa: S310 - loopback
        stats: Result = json.loads(response.read())
        return stats


async def latency(args: Result) -> Result:
    """``total`` creates at ``concurrency`` against the server that answers after ``delay``."""
    url, total, concurrency, delay = args["url"], args["total"], args["concurrency"], args["delay"]
    ideal = concurrency / delay
    clients: dict[str, Any] = {}
    for name in [_clients.RAW, *args["contenders"]]:
        clients[name] = _clients.ASYNC_CLIENTS[name](url, concurrency)
        await clients[name].open()

    async def run(name: str, n: int) -> Result:
        _server_stats(url, reset=True)
        with Meter(args["server_pids"]) as meter:
            await async_fixed(clients[name].create, concurrency, n)
        stats = _server_stats(url)
        rate = n / meter.elapsed
        return {
            "seconds": meter.elapsed,
            "rate": rate,
            "efficiency": rate / ideal,
            "client_cpu": meter.client_cpu,
            "server_cpu": meter.server_cpu,
            "server_late_mean_ms": stats["late_mean_ms"],
            "server_late_max_ms": stats["late_max_ms"],
        }

    out: Result = {"ideal_rate": ideal}
    try:
        for name in clients:
            await run(name, concurrency * 4)  # warm up: open the connections
        for name in args["contenders"]:
            rounds = []
            for i in range(args["pairs"]):
                order = [_clients.RAW, name] if i % 2 == 0 else [name, _clients.RAW]
                got = {who: await run(who, total) for who in order}
                rounds.append({"raw": got[_clients.RAW], "client": got[name]})
            out[name] = rounds
    finally:
        for client in clients.values():
            await client.close()

    # mautic 0.2.0: the same job, one create after another, as its (sync) users run it.
    n_sync = args["sync_total"]
    if n_sync:
        create = _clients.Mautic020(url, 1).call("create")
        create()
        _server_stats(url, reset=True)
        t0 = time.perf_counter()
        for _ in range(n_sync):
            create()
        seconds = time.perf_counter() - t0
        stats = _server_stats(url)
        out[_clients.Mautic020.name] = {
            "measured_creates": n_sync,
            "measured_seconds": seconds,
            "seconds": seconds * total / n_sync,
            "rate": n_sync / seconds,
            "efficiency": n_sync / seconds / ideal,
            "server_late_mean_ms": stats["late_mean_ms"],
        }
    return out


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


async def memory(args: Result) -> Result:
    """Iterate ``total`` groups (pages of ``page_size``) and report the peak RSS."""
    from mautic_async import BasicAuth, MauticClient

    base = f"{args['url']}n{args['total']}/"
    async with MauticClient(base, auth=BasicAuth(_data.USER, _data.PASSWORD)) as client:
        await client.point_groups.get(1)  # everything imported, session and connection up
        rss_before = _status_kb("VmRSS")
        t0 = time.perf_counter()
        count = 0
        async for _group in client.point_groups.iterate(
            page_size=args["page_size"], stable=args["stable"]
        ):
            count += 1
        seconds = time.perf_counter() - t0
    if count != args["total"]:
        raise RuntimeError(f"iterated {count} groups, expected {args['total']}")
    return {
        "count": count,
        "seconds": seconds,
        "groups_per_s": count / seconds,
        "rss_before_mb": rss_before / 1024,
        "peak_rss_mb": _status_kb("VmHWM") / 1024,
        "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def conversion(args: Result) -> Result:
    """Point groups per second: JSON parsing alone against the converter (sync, in-process).

    Each pair alternates the baseline (``json.loads`` of a page of 100) with one
    alternative, ``window`` seconds each.
    """
    from mautic_async import PointGroup
    from mautic_async._converter import structure
    from mautic_async._protocol import APIRequest, decode_response, parse_entity, parse_page

    size = _data.PAGE_SIZE
    page = _data.page_body(1, size, size)
    entity = _data.entity_body(1)
    parsed_items = json.loads(page)["pointGroups"]
    list_request = APIRequest("GET", "api/points/groups")
    get_request = APIRequest("GET", "api/points/groups/1")
    many = tuple[PointGroup, ...]

    def decode_and_parse_page() -> Any:
        payload = decode_response(list_request, 200, {}, page, now=0.0)
        return parse_page(list_request, payload, "pointGroups", PointGroup)

    def decode_and_parse_entity() -> Any:
        payload = decode_response(get_request, 200, {}, entity, now=0.0)
        return parse_entity(get_request, payload, "pointGroup", PointGroup)

    # name -> (callable, groups per call)
    cases: dict[str, tuple[Callable[[], Any], int]] = {
        "json.loads (page of 100)": (lambda: json.loads(page), size),
        "orjson.loads (page of 100)": (lambda: _clients.loads(page), size),
        "converter only (100 parsed dicts)": (lambda: structure(parsed_items, many), size),
        "decode_response + parse_page (list)": (decode_and_parse_page, size),
        "decode_response + parse_entity (get)": (decode_and_parse_entity, 1),
    }
    if "orjson" not in _clients.JSON_LIB:
        del cases["orjson.loads (page of 100)"]
    baseline = "json.loads (page of 100)"

    def rate(name: str, window: float) -> float:
        fn, per_call = cases[name]
        n = 0
        t0 = time.perf_counter()
        deadline = t0 + window
        while True:
            for _ in range(20):
                fn()
            n += 20
            now = time.perf_counter()
            if now >= deadline:
                return n * per_call / (now - t0)

    for name in cases:
        rate(name, min(args["window"], 0.05))
    out: Result = {"baseline": baseline, "cases": {}}
    for name in cases:
        rounds = []
        for i in range(args["pairs"]):
            order = [baseline, name] if i % 2 == 0 else [name, baseline]
            got = {who: rate(who, args["window"]) for who in order}
            rounds.append({"raw": {"rate": got[baseline]}, "client": {"rate": got[name]}})
        out["cases"][name] = rounds
    return out


SCENARIOS = {"throughput": throughput, "latency": latency, "memory": memory}


def main() -> None:
    name, raw_args = sys.argv[1], json.loads(sys.argv[2])
    if name == "conversion":
        result = conversion(raw_args)
    else:
        result = asyncio.run(SCENARIOS[name](raw_args))
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
