"""``make soak``: the served app under steady mixed load for minutes; memory and errors.

    python -m bench.soak                 # 5 minutes, 10 clients
    python -m bench.soak --minutes 30 --clients 20

New sessions on every page in turn, each client also rerunning its page a few times
before it closes, as visitors who click a filter or two. Every 30 s it prints sessions/s,
errors and the process's resident memory; at the end, whether memory levelled off.
Closed sessions are kept server.disconnectedSessionTTL seconds (120 by default), so the
memory should rise for the first two minutes and then stay flat. Not part of
``make bench``: it is about minutes, not ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import time

from bench import ROOT, Context, app_server, build_db, pages, temp_dir
from bench.ws_driver import Session, stream_url

WINDOW = 30.0


async def visitor(url: str, targets: list[tuple[str, str]], n: int, deadline: float, out: dict) -> None:
    """Open a page, rerun it twice, close; again, until the deadline."""
    while time.monotonic() < deadline:
        name, qs = targets[n % len(targets)]
        n += 1
        try:
            async with Session(url, name, qs) as s:
                for _ in range(3):
                    stats = await s.run(timeout=60)
                    out["errors"] += len(stats.errors)
            out["sessions"] += 1
        except Exception as exc:  # noqa: BLE001 - a soak test counts every failure, whatever it is
            out["errors"] += 1
            out["last_error"] = f"{type(exc).__name__}: {exc}"[:200]


async def soak(url: str, targets: list[tuple[str, str]], clients: int, seconds: float, server) -> list[tuple]:
    """Run the visitors; sample (minute, sessions/s, errors, RSS MB) every WINDOW seconds."""
    out = {"sessions": 0, "errors": 0, "last_error": ""}
    deadline = time.monotonic() + seconds
    tasks = [asyncio.create_task(visitor(url, targets, i, deadline, out)) for i in range(clients)]
    samples, started = [], time.monotonic()
    last_n, last_t = 0, started
    while (now := time.monotonic()) < deadline:
        await asyncio.sleep(min(WINDOW, deadline - now))
        now = time.monotonic()
        rate = (out["sessions"] - last_n) / (now - last_t)
        last_n, last_t = out["sessions"], now
        samples.append(((now - started) / 60, rate, out["errors"], server.rss_mb()))
        print(
            f"{samples[-1][0]:5.1f} min  {rate:5.1f} sessions/s  {out['errors']} errors  "
            f"RSS {samples[-1][3]:.0f} MB  {out['last_error']}",
            flush=True,
        )
    await asyncio.gather(*tasks)
    if samples:
        samples[-1] = (*samples[-1][:2], out["errors"], samples[-1][3])
    return samples


def main(argv: list[str] | None = None) -> int:
    """Serve the app, soak it, say whether memory levelled off and whether anything failed."""
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=10)
    args = parser.parse_args(argv)
    tmp = temp_dir()
    try:
        ctx = Context(tmp=tmp, db=tmp / "kawasaki.duckdb")
        build_db(ROOT / "data", ctx.db)
        targets = [(p.url_path, p.query_string) for p in pages(ctx.db)]
        with app_server(ctx, name="soak") as app:
            samples = asyncio.run(soak(stream_url(app.base), targets, args.clients, args.minutes * 60, app))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    errors = samples[-1][2] if samples else 0
    tail = [s[3] for s in samples if s[0] >= 2.5]  # after the disconnected-session TTL
    growth = (max(tail) - min(tail)) if len(tail) >= 2 else 0.0
    print(f"soak: {errors} errors; RSS after minute 2.5 varied by {growth:.0f} MB")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
