"""The soak test: many concurrent sessions interacting with the served app (``make soak``).

    .venv/bin/python -m tests.robustness.soak                    # 50 sessions, 60 s
    .venv/bin/python -m tests.robustness.soak --sessions 10 --seconds 10 --think 0

Builds a database from data/ into a temp folder, serves the app as production does
(``python -m kawasaki serve``, .streamlit/config.toml) on 127.0.0.1, opens every page
once to warm it, then runs the visitors of tests/robustness/load.py and prints p50/p95
and the errors. Exit status 1 when there was any error. Loopback only; bounded in time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from kawasaki.build import build
from tests.helpers import run_async
from tests.robustness.load import PAGES, Report, Visitor, run_load
from tests.robustness.server import ROOT, AppServer
from tests.robustness.server import health as server_health

MAX_SECONDS = 600  # a soak is bounded, whatever is asked


async def warm(base: str) -> None:
    """Open each page once, one after another (imports and caches; not measured)."""
    from bench.ws_driver import stream_url

    for name, queries in PAGES:
        for query in queries[:2]:
            v = Visitor(stream_url(base), name, query)
            try:
                await v.connect()
                stats = await v.step()
                if stats.errors:
                    raise RuntimeError(f"/{name}?{query}: {stats.errors[0]}")
            finally:
                await v.close()


def soak(sessions: int, seconds: float, think: float, log: Path | None = None) -> Report:
    """Serve the app, warm it, run the load; return the report."""
    with tempfile.TemporaryDirectory(prefix="kawasaki-soak-") as tmp:
        db = Path(tmp) / "kawasaki.duckdb"
        build(ROOT / "data", db)
        with AppServer(db, log or Path(tmp) / "streamlit.log") as server:
            run_async(warm(server.base))
            report = run_async(run_load(server.base, sessions, seconds, think))
            if server_health(server.base) != "ok":
                report.errors.append("the server did not answer its health check after the run")
            if "Traceback" in server.log_text():
                report.errors.append("the server logged a traceback:\n" + server.log_text()[-2000:])
            return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.robustness.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sessions", type=int, default=50, help="concurrent sessions (default 50)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they interact (default 60)")
    parser.add_argument(
        "--think", type=float, default=1.0, help="pause between steps, uniform in [0, THINK] s (default 1)"
    )
    parser.add_argument("--log", type=Path, default=None, help="keep the server's log here")
    args = parser.parse_args(argv)
    seconds = min(args.seconds, MAX_SECONDS)
    started = time.perf_counter()
    report = soak(args.sessions, seconds, args.think, args.log)
    print(report.summary())
    for error in report.errors[:20]:
        print("error:", error, file=sys.stderr)
    print(f"done in {time.perf_counter() - started:.0f} s (think time up to {args.think:g} s)")
    return 1 if report.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
