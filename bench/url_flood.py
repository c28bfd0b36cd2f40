"""The cost of hostile URLs to the served app: server CPU and memory per page open.

    .venv/bin/python -m bench.url_flood            # prints a Markdown table
    .venv/bin/python -m bench.url_flood --quick    # fewer repetitions

Serves the dashboard as production does (``python -m kawasaki serve``, loopback only),
then opens pages over the websocket (bench/ws_driver.py) with query strings a hostile
visitor can send: the issue's 3,000 goal values (with 999 targets), the largest comma list
Streamlit passes on (512Ki characters), 999 repeated parameters, 1,001 parameters
(which Streamlit drops), and, for comparison, a plain page. For each: the server's
CPU seconds for one open, the resident memory it added and how much of it stayed
after the session closed (2 s later), the notices (alerts) drawn and the bytes sent;
then three such opens at once. Every open is bounded (TIMEOUT), every loop by count.

Run it from an older checkout (the same file copied there) to measure "before".
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import ROOT, Context, app_server, build_db
from bench.ws_driver import Session, stream_url

TIMEOUT = 300.0  # seconds one open may take (the unbounded parser took ~14 s)
MAX_QUERY = 512 * 1024  # Streamlit's CLIENT_STATE_QUERY_STRING_MAX_LENGTH


def _comma_list(name: str, limit: int) -> str:
    """``name=x0,x1,…`` as long as Streamlit accepts (under ``limit`` characters)."""
    parts, size, n = [], len(name) + 1, 0
    while size + len(f"x{n},") < limit:
        parts.append(f"x{n}")
        size += len(parts[-1]) + 1
        n += 1
    return f"{name}=" + ",".join(parts)


def cases() -> list[tuple[str, str, str]]:
    """(what, page, query string) for each hostile URL, the plain page first."""
    issue = (
        "goal=" + ",".join(f"x{n}" for n in range(3000)) + "&" + "&".join(f"target=x{n}" for n in range(999))
    )
    return [
        ("plain /about", "about", ""),
        ("the issue's URL: 3,000 goal values + 999 target values (~24 KB)", "about", issue),
        (
            "worst: one goal list of the most values Streamlit passes (512Ki characters)",
            "about",
            _comma_list("goal", MAX_QUERY - 8),
        ),
        (
            "999 repeated parameters target=x…",
            "about",
            "&".join(f"target={'x' * 400}{n}" for n in range(999)),
        ),
        (
            "1,001 parameters (Streamlit drops them all)",
            "explore",
            "&".join(f"goal={n}" for n in range(1001)),
        ),
    ]


@dataclass
class Cost:
    """What one hostile open cost the server."""

    seconds: float
    cpu: float
    rss_added: float
    rss_kept: float
    alerts: int
    bytes: int
    error: str = ""


async def _open(base: str, page: str, query: str) -> tuple[int, int, str]:
    """Open the page once: (alert elements, bytes received, error or '')."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    s = Session(stream_url(base), page, query, keep=True)
    try:
        await s.connect(timeout=60)
        stats = await s.run(timeout=TIMEOUT)
    except (OSError, TimeoutError) as exc:
        return 0, 0, f"{type(exc).__name__}: {exc}"[:120]
    finally:
        await s.close()
    alerts = 0
    for frame in stats.frames:
        msg = ForwardMsg.FromString(frame)
        if msg.WhichOneof("type") == "delta" and msg.delta.new_element.WhichOneof("type") == "alert":
            alerts += 1
    return alerts, stats.bytes, "; ".join(stats.errors)[:120]


def measure(server, page: str, query: str, at_once: int = 1) -> Cost:
    """``at_once`` simultaneous opens of ``page?query``: their CPU and memory."""
    cpu0, rss0 = server.cpu_seconds(), server.rss_mb()
    started = time.perf_counter()

    async def all_of_them():
        return await asyncio.gather(*(_open(server.base, page, query) for _ in range(at_once)))

    results = asyncio.run(all_of_them())
    seconds = time.perf_counter() - started
    cpu, rss_peak = server.cpu_seconds() - cpu0, server.rss_mb()
    time.sleep(2)
    alerts, size, error = results[0]
    return Cost(seconds, cpu, rss_peak - rss0, server.rss_mb() - rss0, alerts, size, error)


def run(quick: bool) -> list[str]:
    """Serve the app and measure every case; the Markdown rows of the result table."""
    rows = [
        "| URL | opens at once | wall s | server CPU s | memory added MB | kept after 2 s MB | notices | bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    print("\n".join(rows), flush=True)
    with tempfile.TemporaryDirectory(prefix="kawasaki-flood-") as tmp:
        ctx = Context(tmp=Path(tmp), db=Path(tmp) / "kawasaki.duckdb", quick=quick)
        build_db(ROOT / "data", ctx.db)
        with app_server(ctx, name="flood") as server:
            measure(server, "about", "")  # warm: imports, caches
            for what, page, query in cases():
                for at_once in (1,) if quick or not query else (1, 3):
                    c = measure(server, page, query, at_once)
                    rows.append(
                        f"| {what} | {at_once} | {c.seconds:.2f} | {c.cpu:.2f} | {c.rss_added:+.0f} | "
                        f"{c.rss_kept:+.0f} | {c.alerts} | {c.bytes:,} |" + (f" {c.error}" if c.error else "")
                    )
                    print(rows[-1], flush=True)
            rows.append(f"\nprocess RSS at the end: {server.rss_mb():.0f} MB")
            print(rows[-1], flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.url_flood", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one open per case, none at once")
    args = parser.parse_args(argv)
    run(args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
