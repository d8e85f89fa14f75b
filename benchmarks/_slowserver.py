"""A bare asyncio HTTP/1.1 server: ``python -m benchmarks._slowserver PORT DELAY``.

Answers every request ``DELAY`` seconds after it arrived (``loop.call_later``, no
framework, keep-alive), which nginx cannot do. Routes, optionally under a ``/n<TOTAL>``
prefix that sets how many groups exist (``/n100000/api/points/groups``; default 100):

- ``POST /api/points/groups/new`` -> 201, one group;
- ``GET /api/points/groups/<id>`` -> 200, one group;
- ``GET /api/points/groups?start=&limit=`` or, for the stable cursor,
  ``?where[0][col]=id&where[0][expr]=gt&where[0][val]=N`` -> 200, a page of groups
  fabricated for exactly that window of ids 1..TOTAL;
- ``POST /oauth/v2/token`` -> 200, a client-credentials token (for the fleet benchmark);
- ``GET /api/contacts/<id>/points/groups`` -> 200, no scores yet;
- ``POST /api/contacts/<id>/points/groups/<group>/set/<score>`` -> 200, that score;
- ``GET /_stats[?reset=1]`` -> how many answers were sent and how late they were against
  ``DELAY`` (mean and max, in ms), so the report can show the server kept time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from urllib.parse import parse_qsl, urlsplit

from . import _data

CREATE = _data.entity_body(1)
TOKEN = b'{"access_token":"bench-token","expires_in":3600,"token_type":"bearer","scope":null}'
NO_SCORES = b'{"total":0,"groupScores":[]}'
REASONS = {200: b"OK", 201: b"Created", 404: b"Not Found"}


class Stats:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.count = 0
        self.late_sum = 0.0
        self.late_max = 0.0

    def as_json(self) -> bytes:
        mean = self.late_sum / self.count if self.count else 0.0
        return json.dumps(
            {"count": self.count, "late_mean_ms": mean * 1e3, "late_max_ms": self.late_max * 1e3}
        ).encode()


STATS = Stats()


def route(method: bytes, target: bytes) -> tuple[int, bytes]:
    parts = urlsplit(target.decode("latin-1"))
    path = parts.path
    total = _data.PAGE_SIZE
    if path.startswith("/n"):
        prefix, _, rest = path[2:].partition("/")
        total, path = int(prefix), "/" + rest
    if path == "/_stats":
        body = STATS.as_json()
        if "reset=1" in parts.query:
            STATS.reset()
        return 200, body
    if method == b"POST" and path == "/api/points/groups/new":
        return 201, CREATE
    if method == b"POST" and path == "/oauth/v2/token":
        return 200, TOKEN
    if path.startswith("/api/contacts/"):
        parts_ = path.split("/")  # '', api, contacts, id, points, groups[, g, set, v]
        if method == b"GET" and len(parts_) == 6:
            return 200, NO_SCORES
        if method == b"POST" and len(parts_) == 9 and parts_[7] == "set":
            group, score = int(parts_[6]), int(parts_[8])
            body = {"groupScore": {"score": score, "group": {"id": group, "name": f"G{group}"}}}
            return 200, json.dumps(body).encode()
    if method == b"GET" and path == "/api/points/groups":
        query = dict(parse_qsl(parts.query))
        limit = int(query.get("limit", "30")) or total
        if "where[0][val]" in query:  # the stable cursor: ids above the last one seen
            first = int(query["where[0][val]"]) + 1
        else:
            first = int(query.get("start", "0")) + 1
        size = max(0, min(limit, total - first + 1))
        return 200, _data.page_body(first, size, total)
    if method == b"GET" and path.startswith("/api/points/groups/"):
        return 200, _data.entity_body(int(path.rsplit("/", 1)[1]))
    return 404, b'{"errors":[{"code":404,"message":"Item was not found."}]}'


class HTTP(asyncio.Protocol):
    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.loop = asyncio.get_running_loop()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].split(b"\r\n")
            length = 0
            for line in head[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            method, target, _version = head[0].split(b" ", 2)
            status, body = route(method, target)
            response = b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n" % (
                status,
                REASONS[status],
            )
            response += b"Content-Length: %d\r\n\r\n" % len(body) + body
            if self.delay and not target.startswith(b"/_stats"):
                due = self.loop.time() + self.delay
                self.loop.call_at(due, self.answer, response, due)
            else:
                self.answer(response, None)

    def answer(self, response: bytes, due: float | None) -> None:
        if due is not None:
            late = self.loop.time() - due
            STATS.count += 1
            STATS.late_sum += late
            STATS.late_max = max(STATS.late_max, late)
        if self.transport is not None:
            self.transport.write(response)


async def main(port: int, delay: float) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: HTTP(delay), "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(int(sys.argv[1]), float(sys.argv[2])))
