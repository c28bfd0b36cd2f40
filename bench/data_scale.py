"""Figure 4: the build and every page's queries at 1x and at a synthetic 100x.

The 100x data are generated into a temp dir from a copy of data/ (data/ is never
written, and the synthetic rows are never shipped or shown): each KPI, ward
indicator and plan place is copied 99 times under generated ids (``<id>-x07``);
every copied KPI gets five more years of actual values and every dated ward value
four earlier years. The plan's structure (areas, initiatives, measures), the 169 SDG
targets and the 7 wards stay as they are: they are fixed by the plan and the city.

Both databases are built by kawasaki.build.build (the build is timed). The queries
are the ones each page really makes: every page is run once under AppTest with
``kawasaki.web.cache`` recording the queries, then those calls are replayed on both databases
directly (one read-only connection per database, a cursor per call, no cache --
what a cache miss costs), alternating 1x and 100x. Judged on the best of the
repetitions: other processes on a shared machine only ever add time, so the minimum of
interleaved runs is the cost of the queries themselves (the medians are in the note).
Target: query time at 100x <= 3x the time at 1x, per page.
"""

from __future__ import annotations

import csv
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import ROOT, Context, Figure, median, ms, pages

TARGET = 3.0
COPIES = 100
EXTRA_YEARS = 5
SUFFIX = "-x{:02d}"


# --- synthetic data ----------------------------------------------------------------------


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(rows)


def _copies(
    rows: list[dict[str, str]], change: Callable[[dict[str, str], str], dict[str, str]]
) -> list[dict]:
    """The rows, then COPIES-1 changed copies of them (``change(row, suffix)``)."""
    out = list(rows)
    for n in range(1, COPIES):
        out += [change(dict(r), SUFFIX.format(n)) for r in rows]
    return out


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("▲", "-"))
    except (ValueError, AttributeError):
        return None


def make_scaled_data(src: Path, dest: Path) -> dict[str, int]:
    """Write a 100x copy of the data folder ``src`` into ``dest``; return row counts."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.duckdb", "*.tmp", "*.wal", "scripts"))
    counts = {}

    header, kpis = _read(dest / "kpis/kpis.csv")

    def kpi_copy(r: dict[str, str], sfx: str) -> dict[str, str]:
        r["kpi_id"] += sfx
        if r.get("same_indicator_as"):
            r["same_indicator_as"] += sfx
        return r

    scaled = _copies(kpis, kpi_copy)
    _write(dest / "kpis/kpis.csv", header, scaled)
    counts["kpis"] = len(scaled)

    header, actuals = _read(dest / "kpis/actuals.csv")
    rows = _copies(actuals, lambda r, sfx: {**r, "kpi_id": r["kpi_id"] + sfx})
    have = {(r["kpi_id"], r["period"]) for r in rows}
    real = {x["kpi_id"] for x in kpis}
    for k in scaled:
        if k["kpi_id"] in real:
            continue  # the real KPIs keep exactly their real values
        base, target = _number(k["baseline_value"]), _number(k["target_value"])
        if base is None or target is None or not k["baseline_period"].isdigit():
            continue
        b, span = int(k["baseline_period"]), max(int(k["target_period"]) - int(k["baseline_period"]), 1)
        for i in range(1, EXTRA_YEARS + 1):
            if (k["kpi_id"], str(b + i)) in have:
                continue
            value = base + (target - base) * min(i / span, 1.2)
            rows.append(
                {
                    "kpi_id": k["kpi_id"],
                    "period": str(b + i),
                    "value": f"{value:.1f}",
                    "source_ja": "ベンチマーク用の合成データ",
                    "source_en": "synthetic benchmark data",
                    "note_ja": "",
                    "note_en": "",
                }
            )
    _write(dest / "kpis/actuals.csv", header, rows)
    counts["actuals"] = len(rows)

    header, inds = _read(dest / "wards/indicators.csv")

    def ind_copy(r: dict[str, str], sfx: str) -> dict[str, str]:
        r["indicator_id"] += sfx
        if r.get("kpi_id"):
            r["kpi_id"] += sfx
        return r

    _write(dest / "wards/indicators.csv", header, _copies(inds, ind_copy))
    header, values = _read(dest / "wards/values.csv")
    rows = _copies(values, lambda r, sfx: {**r, "indicator_id": r["indicator_id"] + sfx})
    keys = {(r["ward_code"], r["indicator_id"], r["reference_date"]) for r in rows}
    extra = []
    for r in rows:
        date = r["reference_date"]
        if len(date) >= 4 and date[:4].isdigit():
            for back in range(1, EXTRA_YEARS):
                d = f"{int(date[:4]) - back}{date[4:]}"
                if (r["ward_code"], r["indicator_id"], d) not in keys:
                    keys.add((r["ward_code"], r["indicator_id"], d))
                    extra.append({**r, "reference_date": d})
    _write(dest / "wards/values.csv", header, rows + extra)
    counts["ward values"] = len(rows) + len(extra)

    places = dest / "wards/places.csv"
    if places.exists():
        header, rows = _read(places)
        _write(places, header, _copies(rows, lambda r, sfx: {**r, "place_id": r["place_id"] + sfx}))
    return counts


# --- the queries each page makes -----------------------------------------------------------


def record_queries(db: Path) -> dict[str, list[tuple[Callable, tuple, tuple]]]:
    """Run every page once under AppTest; return the queries (``q`` calls that reached
    the database) each one made."""
    import streamlit as st

    from bench.rerun import open_app
    from kawasaki.web import cache

    os.environ["KAWASAKI_DB"] = str(db)
    calls: list[tuple[Callable, tuple, tuple]] = []
    original = cache._query

    def recording_query(key: Any, fn: Callable, args: tuple, kwargs: tuple) -> Any:
        calls.append((fn, args, kwargs))
        return original(key, fn, args, kwargs)

    found: dict[str, list] = {}
    cache._query = recording_query
    try:
        for page in pages(db):
            st.cache_resource.clear()  # every query of the page reaches the database
            calls.clear()
            open_app(page)
            found[page.name] = list(dict.fromkeys(calls))  # each distinct call once, in order
    finally:
        cache._query = original
    return found


def time_calls(con: Any, calls: list[tuple[Callable, tuple, tuple]]) -> float:
    """Seconds to run ``calls`` on ``con`` as ``q`` does on a cache miss (cursor per call)."""
    started = time.perf_counter()
    for fn, args, kwargs in calls:
        cursor = con.cursor()
        try:
            fn(cursor, *args, **dict(kwargs))
        finally:
            cursor.close()
    return time.perf_counter() - started


def run(ctx: Context) -> list[Figure]:
    """Build 1x and 100x; time every page's queries on both."""
    import duckdb

    from bench import build_db

    src = ctx.tmp / "data-1x"
    shutil.copytree(
        ROOT / "data", src, ignore=shutil.ignore_patterns("*.duckdb", "*.tmp", "*.wal", "scripts")
    )
    big = ctx.tmp / "data-100x"
    t0 = time.perf_counter()
    counts = make_scaled_data(src, big)
    gen = time.perf_counter() - t0
    db1, db100 = ctx.tmp / "k1.duckdb", ctx.tmp / "k100.duckdb"
    b1 = build_db(src, db1)
    b100 = build_db(big, db100)
    ctx.extras["db100"] = db100
    figures = [
        Figure(
            "4 data scale: build",
            "build at 100× (kawasaki.build.build)",
            b100,
            "s",
            b1,
            "1×",
            "",
            None,
            f"100× = {counts['kpis']} KPIs, {counts['actuals']} actual values, {counts['ward values']} ward "
            f"values; generated in {gen:.1f} s; file {db100.stat().st_size / 1e6:.0f} MB vs "
            f"{db1.stat().st_size / 1e6:.0f} MB",
        )
    ]
    recorded = record_queries(db1)
    n = ctx.n(9, 3)
    con1 = duckdb.connect(str(db1), read_only=True)
    con100 = duckdb.connect(str(db100), read_only=True)
    try:
        for page in pages(db1):
            calls = recorded.get(page.name, [])
            if not calls:
                continue
            t1, t100 = [], []
            time_calls(con1, calls)
            time_calls(con100, calls)
            for _ in range(n):
                t1.append(time_calls(con1, calls))
                t100.append(time_calls(con100, calls))
            value, ref = ms(min(t100)), ms(min(t1))
            figures.append(
                Figure(
                    "4 data scale: queries",
                    page.name,
                    value,
                    "ms",
                    ref,
                    "1×",
                    f"≤ {TARGET:g}× 1×",
                    value <= TARGET * ref,
                    f"{len(calls)} queries, best of {n} (medians {ms(median(t100)):.0f} vs "
                    f"{ms(median(t1)):.0f} ms); slowest at 100×: {slowest(con100, calls)}",
                )
            )
    finally:
        con1.close()
        con100.close()
    return figures


def slowest(con: Any, calls: list[tuple[Callable, tuple, tuple]]) -> str:
    """The slowest single call, for the note: 'kawasaki.queries.kpis(goals=(13,)) 1.2 ms'."""
    times = [(min(time_calls(con, [c]) for _ in range(3)), c) for c in calls]
    t, (fn, args, kwargs) = max(times, key=lambda x: x[0])
    shown = ", ".join([*(repr(a) for a in args), *(f"{k}={v!r}" for k, v in kwargs)])
    return f"{fn.__module__}.{fn.__qualname__}({shown[:60]}) {ms(t):.1f} ms"


if __name__ == "__main__":
    from bench.run import main

    main(["data_scale"])
