"""Figure 9: the open-data API (/api/v1/, kawasaki.web.api) on the served app.

One ``python -m kawasaki serve`` process with the production settings serves both:

* API requests per second for ``kpis.json`` (as a script reads it: no gzip, keep-alive
  connections, one request after another on each) against new Streamlit sessions per
  second of the landing page (bench/ws_driver.py, as section 2 measures them), with the
  same number of clients, measured in turns on the same process. Target: >= 10x.
* Latency p50/p99 of ``kpis.json`` at 50 concurrent clients. Target: p99 <= 20 ms.
* Server CPU per request (from /proc), against server CPU per new session.

The client is a plain asyncio HTTP/1.1 client (no extra package), bounded by count and time.
"""

from __future__ import annotations

import asyncio
import time

from bench import Context, Figure, Server, app_server, median, ms, percentile
from bench.serve import combine, cpu_ms, sessions, warm
from bench.ws_driver import LoadResult, stream_url

TARGET_RATIO = 10.0
TARGET_P99_MS = 20.0
CLIENTS = (10, 50)
PATH = "/api/v1/kpis.json"


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One GET on a keep-alive connection; the number of body bytes (raises on non-200)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: bench\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length)
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {body[:100]!r}")
    return length


async def http_load(port: int, path: str, clients: int, max_requests: int, max_seconds: float) -> LoadResult:
    """``clients`` connections each requesting ``path`` in a loop, until ``max_requests``
    are done or ``max_seconds`` have passed; every request's latency."""
    result = LoadResult()
    started = time.perf_counter()
    deadline = started + max_seconds

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while result.done < max_requests and time.perf_counter() < deadline:
                t0 = time.perf_counter()
                try:
                    result.bytes += await _get(reader, writer, path)
                except (RuntimeError, OSError, asyncio.IncompleteReadError) as exc:
                    result.errors.append(f"{type(exc).__name__}: {exc}")
                    return
                result.latencies.append(time.perf_counter() - t0)
                result.done += 1
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    result.seconds = time.perf_counter() - started
    return result


def requests(server: Server, clients: int, seconds: float, max_requests: int = 50_000) -> LoadResult:
    """kpis.json requests with ``clients`` clients, and the server CPU they took."""
    before = server.cpu_seconds()
    result = asyncio.run(http_load(server.port, PATH, clients, max_requests, seconds))
    result.cpu = server.cpu_seconds() - before
    return result


def run(ctx: Context) -> list[Figure]:
    """API requests/s vs new sessions/s on one process; latency at 50 clients."""
    seconds = 1.5 if ctx.quick else 3.0
    rounds = 1 if ctx.quick else 3
    home = [("", "")]
    figures: list[Figure] = []
    with app_server(ctx, name="app-api") as app:
        warm(stream_url(app.base), home)
        requests(app, 2, 0.5, 50)  # the reply is made once, then kept
        for c in CLIENTS:
            api_runs, session_runs = [], []
            for _ in range(rounds):  # in turns, so that both see the same machine
                session_runs.append(sessions(app, home, c, seconds))
                api_runs.append(requests(app, c, seconds))
            api, sess = combine(api_runs), combine(session_runs)
            errors = api.errors + sess.errors
            figures.append(
                Figure(
                    "9 open-data API",
                    f"kpis.json requests/s, {c} clients",
                    api.rate,
                    "/s",
                    sess.rate,
                    "new sessions/s (landing page)",
                    f"≥ {TARGET_RATIO:.0f}× sessions",
                    api.rate >= TARGET_RATIO * sess.rate and not errors,
                    f"{api.done} requests vs {sess.done} sessions; server CPU {cpu_ms(api):.2f} ms/request "
                    f"vs {cpu_ms(sess):.1f} ms/session" + (f"; errors: {errors[0]}" if errors else ""),
                )
            )
            if c == 50:
                p50, p99 = ms(percentile(api.latencies, 50)), ms(percentile(api.latencies, 99))
                figures.append(
                    Figure(
                        "9 open-data API",
                        "kpis.json latency p99, 50 clients",
                        p99,
                        "ms",
                        p50,
                        "p50",
                        f"p99 ≤ {TARGET_P99_MS:.0f} ms",
                        p99 <= TARGET_P99_MS and not api.errors,
                        f"{api.done} requests; max {ms(max(api.latencies, default=0)):.1f} ms; "
                        f"session p50 {ms(median(sess.latencies)):.0f} ms",
                    )
                )
    return figures
