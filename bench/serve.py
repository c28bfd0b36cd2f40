"""Figure 2: the served app under load, driven over the websocket (bench/ws_driver.py).

Two servers run side by side with the same settings (.streamlit/config.toml, same
flags): the dashboard (``python -m kawasaki serve``) and the reference, a bare app of
one Plotly chart (bench/apps/one_chart.py). For 1, 10 and 50 concurrent clients:

* new sessions per second -- a client opens the websocket, asks for the page, waits
  for the script to finish, closes, and starts again (the landing page, as after a
  press release; and a round robin over every page);
* rerun latency p50/p95 -- open sessions rerunning their page in a loop.

Measured in turns (reference, app, reference, app ...) so that both see the same
machine. Target: the app's session throughput >= 50% of the bare app's.
Then the production settings against Streamlit's defaults (postScriptGC on, a file
watcher per session), the dashboard on both, 10 clients.
"""

from __future__ import annotations

import asyncio

from bench import (
    STREAMLIT_DEFAULTS,
    Context,
    Figure,
    Server,
    app_server,
    bare_server,
    median,
    ms,
    pages,
    percentile,
)
from bench.launch import dashboard_has_nodelay
from bench.ws_driver import LoadResult, combine, open_page, rerun_load, session_load, stream_url

TARGET = 0.5
CONCURRENCY = (1, 10, 50)


def warm(url: str, targets: list[tuple[str, str]]) -> None:
    """Open every page twice, so that imports and caches are warm."""
    for _ in range(2):
        for name, qs in targets:
            stats = asyncio.run(open_page(url, name, qs))
            if stats.errors:
                raise RuntimeError(f"{name or 'home'}: {stats.errors[0]}")


def sessions(
    server: Server,
    targets: list[tuple[str, str]],
    c: int,
    seconds: float,
    *,
    max_sessions: int = 2000,
    compression: bool = False,
) -> LoadResult:
    """New sessions per second with ``c`` clients, bounded by count and time, and the
    server CPU they took."""
    before = server.cpu_seconds()
    result = asyncio.run(
        session_load(
            stream_url(server.base),
            targets,
            c,
            max_sessions=max_sessions,
            max_seconds=seconds,
            compression=compression,
        )
    )
    result.cpu = server.cpu_seconds() - before
    return result


def cpu_ms(r: LoadResult) -> float:
    """Server CPU milliseconds per finished operation."""
    return 1000 * r.cpu / r.done if r.done else 0.0


def run(ctx: Context) -> list[Figure]:
    """Session throughput and rerun latency of the app vs the bare one-chart app."""
    seconds = 1.5 if ctx.quick else 2.5
    rounds = 1 if ctx.quick else 2
    home = [("", "")]
    mix = [(p.url_path, p.query_string) for p in pages(ctx.db)]
    figures: list[Figure] = []
    with app_server(ctx) as app, bare_server(ctx, "one_chart.py", name="bare") as bare:
        app_url, bare_url = stream_url(app.base), stream_url(bare.base)
        warm(app_url, mix)
        warm(bare_url, home)
        for c in CONCURRENCY:
            runs: dict[str, list[LoadResult]] = {"bare": [], "home": [], "mix": []}
            for _ in range(rounds):
                runs["bare"].append(sessions(bare, home, c, seconds))
                runs["home"].append(sessions(app, home, c, seconds))
                runs["mix"].append(sessions(app, mix, c, seconds))
            ref = combine(runs["bare"])
            for key, label in (("home", "landing page"), ("mix", "every page in turn")):
                r = combine(runs[key])
                errors = f"; {len(r.errors)} errors: {r.errors[0]}" if r.errors else ""
                figures.append(
                    Figure(
                        "2 served: new sessions/s",
                        f"{label}, {c} clients",
                        r.rate,
                        "/s",
                        ref.rate,
                        "bare one-chart app",
                        f"≥ {TARGET:.0%} of bare",
                        r.rate >= TARGET * ref.rate and not r.errors,
                        f"{r.done} vs {ref.done} sessions; server CPU {cpu_ms(r):.1f} vs {cpu_ms(ref):.1f} "
                        f"ms/session; session p50 {ms(median(r.latencies)):.0f} vs "
                        f"{ms(median(ref.latencies)):.0f} ms{errors}",
                    )
                )
        for c in CONCURRENCY:
            a_runs, b_runs = [], []
            for _ in range(rounds):
                b_runs.append(
                    asyncio.run(rerun_load(bare_url, home[0], c, max_reruns=1000, max_seconds=seconds))
                )
                a_runs.append(
                    asyncio.run(rerun_load(app_url, home[0], c, max_reruns=1000, max_seconds=seconds))
                )
            a, b = combine(a_runs), combine(b_runs)
            for p in (50, 95):
                figures.append(
                    Figure(
                        "2 served: rerun latency",
                        f"landing page p{p}, {c} clients",
                        ms(percentile(a.latencies, p)),
                        "ms",
                        ms(percentile(b.latencies, p)),
                        "bare one-chart app",
                        "",
                        None,
                        f"{a.done} vs {b.done} reruns" + (f"; errors: {a.errors[0]}" if a.errors else ""),
                    )
                )
        figures.append(
            Figure(
                "2 served: memory",
                "app process after the load (RSS)",
                app.rss_mb(),
                "MB",
                bare.rss_mb(),
                "bare app",
                "",
                None,
                "closed sessions are kept for server.disconnectedSessionTTL",
            )
        )
    figures += per_page(ctx)
    figures += settings(ctx, home, seconds, rounds)
    return figures


def per_page(ctx: Context) -> list[Figure]:
    """Server CPU per new session of each page vs the bare app: what a visit costs.

    CPU time, unlike throughput, hardly depends on what else the machine is doing;
    sessions/s of a page on one core is about 1000 / (CPU ms per session).
    """
    figures = []
    n = ctx.n(40, 15)
    with (
        app_server(ctx, name="app-pages") as app,
        bare_server(ctx, "one_chart.py", name="bare-pages") as bare,
    ):
        warm(stream_url(bare.base), [("", "")])
        ref = sessions(bare, [("", "")], 4, 30, max_sessions=n)
        for p in pages(ctx.db):
            target = [(p.url_path, p.query_string)]
            warm(stream_url(app.base), target)
            r = sessions(app, target, 4, 30, max_sessions=n)
            figures.append(
                Figure(
                    "2 served: server CPU per new session",
                    p.name,
                    cpu_ms(r),
                    "ms",
                    cpu_ms(ref),
                    "bare one-chart app",
                    "",
                    None,
                    f"{r.done} sessions, 4 clients" + (f"; errors: {r.errors[0]}" if r.errors else ""),
                )
            )
    return figures


def settings(ctx: Context, home: list[tuple[str, str]], seconds: float, rounds: int) -> list[Figure]:
    """What each server setting is worth, measured side by side.

    * config.toml vs Streamlit's defaults: the dashboard's landing page, 10 clients;
    * TCP_NODELAY (bench/launch.py): rerun latency of the empty page, 1 client;
    * websocket compression (on in config.toml; used when the client offers it): the
      landing page, 10 clients offering permessage-deflate vs 10 clients not offering it.
    """
    figures = []
    with (
        app_server(ctx, name="app-tuned") as tuned,
        app_server(ctx, flags=STREAMLIT_DEFAULTS, name="app-defaults") as default,
    ):
        for url in (stream_url(tuned.base), stream_url(default.base)):
            warm(url, home)
        t_runs, d_runs, z_runs = [], [], []
        for _ in range(rounds):
            d_runs.append(sessions(default, home, 10, seconds))
            t_runs.append(sessions(tuned, home, 10, seconds))
            z_runs.append(sessions(tuned, home, 10, seconds, compression=True))
        t, d, z = combine(t_runs), combine(d_runs), combine(z_runs)
    figures.append(
        Figure(
            "2 served: settings",
            "landing page, 10 clients, config.toml",
            t.rate,
            "/s",
            d.rate,
            "Streamlit defaults",
            "",
            None,
            f"postScriptGC=false, fileWatcherType=none vs true, auto; server CPU {cpu_ms(t):.1f} vs "
            f"{cpu_ms(d):.1f} ms/session",
        )
    )
    figures.append(
        Figure(
            "2 served: settings",
            "landing page, 10 clients offering websocket compression",
            z.rate,
            "/s",
            t.rate,
            "not offering it",
            "",
            None,
            f"server.enableWebsocketCompression=true (config.toml); server CPU {cpu_ms(z):.1f} vs "
            f"{cpu_ms(t):.1f} ms/session",
        )
    )
    note = "bench/launch.py; `python -m kawasaki serve` " + (
        "sets it already" if dashboard_has_nodelay() else "does not set it yet (docs/performance.md)"
    )
    pairs = (
        ("empty page", lambda on: bare_server(ctx, "empty.py", name=f"empty-{on}", nodelay=on)),
        ("landing page", lambda on: app_server(ctx, name=f"app-nodelay-{on}", nodelay=on)),
    )
    for label, start in pairs:
        with start(True) as fast, start(False) as slow:
            f_url, s_url = stream_url(fast.base), stream_url(slow.base)
            warm(f_url, home)
            warm(s_url, home)
            f_runs, s_runs = [], []
            for _ in range(rounds):
                s_runs.append(asyncio.run(rerun_load(s_url, home[0], 1, max_reruns=200, max_seconds=seconds)))
                f_runs.append(asyncio.run(rerun_load(f_url, home[0], 1, max_reruns=200, max_seconds=seconds)))
            f, sl = combine(f_runs), combine(s_runs)
        figures.append(
            Figure(
                "2 served: settings",
                f"{label} rerun p50, 1 client, TCP_NODELAY on",
                ms(median(f.latencies)),
                "ms",
                ms(median(sl.latencies)),
                "off (Streamlit 1.67 as shipped)",
                "",
                None,
                note,
            )
        )
    return figures


if __name__ == "__main__":
    from bench.run import main

    main(["serve"])
