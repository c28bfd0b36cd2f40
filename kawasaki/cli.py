"""Command line: ``python -m kawasaki build`` (and more subcommands as they come)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kawasaki import paths


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; return the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m kawasaki", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="check data/ and write the DuckDB database")
    b.add_argument("--data", type=Path, default=None, help="data folder (default: data/)")
    b.add_argument("--db", type=Path, default=None, help="database file (default: data/kawasaki.duckdb)")
    b.add_argument("--check", action="store_true", help="only check the files; write nothing")
    b.add_argument("--if-missing", action="store_true", help="build only when the database is missing")
    sub.add_parser(
        "serve",
        help="serve the app (arguments after 'serve' go to 'streamlit run', e.g. --server.port 8501)",
    )
    args, extra = parser.parse_known_args(argv)
    if args.command == "build":
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        return _build(args)
    if args.command == "serve":
        return _serve(extra)
    return 2


def _serve(extra: list[str]) -> int:
    """Run ``streamlit run app.py`` in this process, with the pages/ folder treated as v2.

    Streamlit decides per process whether an app "uses the pages directory" (the old
    multipage API) from the mere existence of ``pages/`` next to the entry script, and
    keeps believing it until the entry script has called ``st.navigation`` once. Until
    then, a deep link such as /matrix runs pages/matrix.py bare, without app.py's frame.
    Our pages are registered with ``st.navigation``, so we say so before the first session.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli as streamlit_cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(paths.ROOT / "app.py"), *extra]
    return streamlit_cli.main()


def _build(args: argparse.Namespace) -> int:
    from kawasaki.build import build
    from kawasaki.dataset import load_dataset
    from kawasaki.problems import DataError

    data = args.data or paths.data_dir()
    db = args.db or (args.data / "kawasaki.duckdb" if args.data else paths.db_path())
    if args.if_missing and db.exists():
        print(f"{db} exists; not rebuilt")
        return 0
    started = time.perf_counter()
    if args.check:
        _, problems = load_dataset(data)
        for p in sorted(problems, key=lambda p: (p.severity != "error", p)):
            print(p, file=sys.stderr)
        errors = sum(p.severity == "error" for p in problems)
        print(f"{errors} error(s), {len(problems) - errors} warning(s)")
        return 1 if errors else 0
    try:
        result = build(data, db)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        print(f"build failed: {exc}; {db} was left unchanged", file=sys.stderr)
        return 1
    for w in result.warnings:
        print(w, file=sys.stderr)
    took = time.perf_counter() - started
    counts = ", ".join(
        f"{v} {k}"
        for k, v in result.counts.items()
        if k in ("kpis", "initiatives", "measures", "kpi_targets")
    )
    print(f"built {db} ({counts}) in {took:.2f} s, stamp {result.build_stamp}")
    return 0
