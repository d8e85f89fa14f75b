"""Instructions per call, raw aiohttp against mautic_async: ``python -m benchmarks._instructions``.

The paired windows of the throughput scenario measure what users get, but on a shared
VM one cell's median moves by about ±0.05 between runs: too much to tell a change of
a few microseconds. This counts instead. Each client makes ``N`` and then ``5 N`` calls
at concurrency 64 against the canned nginx, in a fresh process under valgrind
(``--tool=cachegrind --cache-sim=no``); the difference of the two counts divided by
``4 N`` is the user-space instructions of one call, start-up and warm-up excluded. The
counts repeat within about 0.3 % run to run, whatever the machine's load.

What it does not see: the kernel's share (the same socket calls for both clients,
about half of a call's time here) and cache misses. So the ratio of instructions is a
guide to the throughput ratio, not the ratio itself; on this VM it has tracked the
measured ratios within a few hundredths.

Needs valgrind (``apt-get install -y valgrind``) and nginx, like the throughput
scenario. ``--ops get,list,create`` and ``--calls N`` narrow it.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
from pathlib import Path

from . import _clients, _servers
from ._worker import async_fixed

CONCURRENCY = 64
CLIENTS = (_clients.RAW, _clients.MauticAsync.name)


async def _calls(url: str, client_name: str, op: str, n: int) -> None:
    client = _clients.ASYNC_CLIENTS[client_name](url, CONCURRENCY)
    await client.open()
    try:
        call = client.call(op)
        await async_fixed(call, CONCURRENCY, 300)  # connections open, caches filled
        await async_fixed(call, CONCURRENCY, n)
    finally:
        await client.close()


def _count(url: str, client_name: str, op: str, n: int) -> int:
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("valgrind is not installed (apt-get install -y valgrind)")
    cmd = [
        valgrind,
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "benchmarks._instructions",
        "--run",
        url,
        client_name,
        op,
        str(n),
    ]
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=root, check=False)  # noqa: S603
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"{client_name} {op} failed under valgrind:\n{done.stderr[-3000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ops", default="get,list,create")
    parser.add_argument("--calls", type=int, default=500, help="N (list: N / 2.5)")
    parser.add_argument(
        "--run", nargs=4, metavar=("URL", "CLIENT", "OP", "N"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.run:
        url, client_name, op, n = args.run
        asyncio.run(_calls(url, client_name, op, int(n)))
        return 0
    print(f"user-space instructions per call at concurrency {CONCURRENCY} (valgrind)")
    with _servers.Nginx() as nginx:
        for op in args.ops.split(","):
            n = args.calls if op != "list" else max(1, int(args.calls / 2.5))
            per_call = {}
            for name in CLIENTS:
                low, high = _count(nginx.url, name, op, n), _count(nginx.url, name, op, 5 * n)
                per_call[name] = (high - low) / (4 * n)
            raw, ours = per_call[_clients.RAW], per_call[_clients.MauticAsync.name]
            print(
                f"  {op:7s} raw aiohttp {raw:12,.0f}   mautic_async {ours:12,.0f}   "
                f"ratio {raw / ours:.3f}   ({ours - raw:+,.0f})",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
