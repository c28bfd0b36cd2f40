"""``make bench``: run every benchmark, print each figure with its target, write RESULTS.md.

    python -m bench.run                    # all sections (a few minutes)
    python -m bench.run rerun serve        # some sections
    python -m bench.run --quick            # fewer repetitions (a smoke test of the bench)
    python -m bench.run --no-write         # do not touch bench/RESULTS.md
    python -m bench.run frontdoor serve --append   # some sections, appended to RESULTS.md

The database is built by the real builder into a temp dir (data/ is never written);
every server is started on a free loopback port and stopped by its process id.
The load average is recorded before and after: above the core count, other work
shared the machine and the run should be repeated.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import time
from datetime import datetime

from bench import BENCH, ROOT, Context, Figure, build_db, loadavg, machine, temp_dir

SECTIONS = (
    "rerun",
    "serve",
    "browser",
    "data_scale",
    "payload",
    "scaleout",
    "frontdoor",
    "api",
    "lighthouse",
)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sections; return 1 when a target was missed."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", help=f"some of {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, databases)")
    parser.add_argument(
        "--append",
        action="store_true",
        help="append these sections' tables to bench/RESULTS.md (a partial run)",
    )
    args = parser.parse_args(argv)
    chosen = args.sections or list(SECTIONS)
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")

    started = time.perf_counter()
    load_before = loadavg()
    tmp = temp_dir()
    figures: list[Figure] = []
    failures: list[str] = []
    try:
        db = tmp / "kawasaki.duckdb"
        ctx = Context(tmp=tmp, db=db, quick=args.quick)
        ctx.build_seconds = build_db(ROOT / "data", db)
        print(f"bench: database built in {ctx.build_seconds:.2f} s into {tmp}", flush=True)
        for name in chosen:
            t0 = time.perf_counter()
            print(f"\n== {name} ==", flush=True)
            module = importlib.import_module(f"bench.{name}")
            try:
                got = module.run(ctx)
            except Exception as exc:  # noqa: BLE001 - one broken section must not hide the others
                failures.append(f"{name}: {type(exc).__name__}: {exc}")
                print(f"  ERROR {type(exc).__name__}: {exc}", flush=True)
                continue
            for f in got:
                print("  " + line(f), flush=True)
            figures += got
            print(f"  ({time.perf_counter() - t0:.0f} s)", flush=True)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    load_after = loadavg()
    took = time.perf_counter() - started
    missed = [f for f in figures if f.passed is False]
    print(
        f"\nbench: {len(figures)} figures, {len(missed)} missed target(s), {len(failures)} error(s), "
        f"{took:.0f} s; load {load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )
    if not args.no_write and not args.quick and set(chosen) == set(SECTIONS):
        write_results(figures, failures, load_before, load_after, took)
        print(f"bench: wrote {BENCH / 'RESULTS.md'}")
    elif args.append and not args.quick:
        append_results(chosen, figures, failures, load_before, load_after, took)
        print(f"bench: appended to {BENCH / 'RESULTS.md'}")
    return 1 if missed or failures else 0


def fmt(value: float | None, unit: str = "") -> str:
    """A number with sensible precision and its unit."""
    if value is None:
        return "—"
    if unit == "errors":
        return f"{value:.0f} errors"
    if unit == "B":
        return f"{value / 1024:.1f} KB" if value >= 1024 else f"{value:.0f} B"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:.{digits}f} {unit}".strip()


def line(f: Figure) -> str:
    """One figure as a line of the console report."""
    ref = f" vs {f.ref_name} {fmt(f.reference, f.unit)}" if f.reference is not None else ""
    ratio = f" = {f.ratio:.2f}×" if f.ratio is not None else ""
    target = f"  target {f.target}" if f.target else ""
    note = f"  ({f.note})" if f.note else ""
    return f"[{f.verdict():4}] {f.section} | {f.name}: {fmt(f.value, f.unit)}{ref}{ratio}{target}{note}"


# Why a target can be missed, and what would meet it (measured in docs/performance.md).
# Printed under a section's table when one of its figures failed.
WHY = {
    "1 warm rerun (AppTest)": (
        "A page over the target does work on every rerun that could be shared: look for queries, "
        "pandas or figure building outside q / derived / @section (kawasaki.web.cache) in its profile "
        "(python -m bench.profile <page>; docs/performance.md, section 7)."
    ),
    "2 served: new sessions/s": (
        "With 10 and 50 clients the server is CPU-bound and the ratio is the ratio of server CPU "
        "per session (in the notes). What is left is Streamlit's cost per element and widget "
        "(~0.1 ms each; /progress and /wards draw ~60-80): fewer elements per page "
        '(docs/performance.md, "What is left"). For capacity: more processes (section 6).'
    ),
    "3 first chart (Chromium)": (
        "Runs vary by ±15% here (medians in the notes). Streamlit's multipage routing alone makes "
        "the bare page's first chart later when it is opened by its URL path (next table: the "
        "same page inside a 7-page st.navigation at /chart). Removing the filters, the tables, "
        "five of six charts, the header, the favicon or the icons from /progress or /matrix "
        'each moved their first chart by under 0.1 s (docs/performance.md, "What is left").'
    ),
    "7 front door: first content (Chromium)": (
        "The pre-rendered content paints once index.html and Streamlit's render-blocking CSS have "
        "arrived; the live app needs its JavaScript, the websocket and a script run. On a loaded "
        "machine both stretch; compare the ranges in the notes (docs/performance.md, section 8)."
    ),
    "9 open-data API": (
        "With 50 clients in a closed loop, latency is about 50 ÷ the request rate: at ~0.2 ms of "
        "server CPU a request (in the notes) an otherwise idle core answers in ~10 ms, so the p99 is "
        "the machine's: with the load average above the core count the process waits for the CPU "
        "(the p50 shows the queue). The reply itself is made once per database version; what is "
        "left is uvicorn (httptools) and Starlette per request. Repeat on a quiet machine."
    ),
    "4 data scale: queries": (
        "A page that misses hands a whole table to pandas: look at the slowest query in the note; "
        'count in SQL instead (docs/performance.md, "What is left").'
    ),
}

RESULTS_HEAD = """# Benchmark results

Written by `make bench` (`python -m bench.run`); what each figure means and what was
changed because of it: [docs/performance.md](../docs/performance.md). Every figure is
measured in the same run as its reference, so compare the ratios, not the absolute times.
A missed target is explained under its table.
"""


def _run_lines(before: tuple, after: tuple, took: float) -> list[str]:
    """The date, the machine and its load during the run."""
    m = machine()
    return [
        f"- date: {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: `{m['uname']}`",
        f"- CPU: {m['cpu']}",
        f"- Python {m['python']}, Streamlit {m['streamlit']}, DuckDB {m['duckdb']}",
        f"- load average (1 min) {before[0]:.2f} before, {after[0]:.2f} after; run took {took:.0f} s",
        "",
    ]


def write_results(
    figures: list[Figure], failures: list[str], before: tuple, after: tuple, took: float
) -> None:
    """bench/RESULTS.md: the machine, then one table per section."""
    lines = [RESULTS_HEAD, *_run_lines(before, after, took), *_tables(figures, failures)]
    (BENCH / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")


def append_results(
    chosen: list[str], figures: list[Figure], failures: list[str], before: tuple, after: tuple, took: float
) -> None:
    """A partial run's tables at the end of bench/RESULTS.md, under a heading of their own."""
    path = BENCH / "RESULTS.md"
    lines = [
        "",
        f"# Partial run: {', '.join(chosen)} (`python -m bench.run {' '.join(chosen)} --append`)",
        "",
        *_run_lines(before, after, took),
        *_tables(figures, failures),
    ]
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


def _tables(figures: list[Figure], failures: list[str]) -> list[str]:
    """One table per section, a missed target explained under its table, then the errors."""
    lines: list[str] = []
    sections: dict[str, list[Figure]] = {}
    for f in figures:
        sections.setdefault(f.section, []).append(f)
    for section, rows in sections.items():
        lines += [
            f"## {section}",
            "",
            "| what | value | reference | ratio | target | result | note |",
            "|---|---:|---:|---:|---|---|---|",
        ]
        for f in rows:
            ref = f"{fmt(f.reference, f.unit)} ({f.ref_name})" if f.reference is not None else ""
            ratio = f"{f.ratio:.2f}×" if f.ratio is not None else ""
            lines.append(
                f"| {f.name} | {fmt(f.value, f.unit)} | {ref} | {ratio} | {f.target} | {f.verdict()} | {f.note} |"
            )
        lines.append("")
        if any(f.passed is False for f in rows) and section in WHY:
            lines += [f"Why not: {WHY[section]}", ""]
    if failures:
        lines += ["## Errors", "", *(f"- {x}" for x in failures), ""]
    return lines


if __name__ == "__main__":
    sys.exit(main())
