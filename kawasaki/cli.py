"""Command line: ``python -m kawasaki build`` (and more subcommands as they come)."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

from kawasaki import cli_data, paths


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; return the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m kawasaki", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="check data/ and write the DuckDB database")
    b.add_argument("--data", type=Path, default=None, help="data folder (default: data/)")
    b.add_argument("--db", type=Path, default=None, help="database file (default: data/kawasaki.duckdb)")
    b.add_argument("--check", action="store_true", help="only check the files; write nothing")
    b.add_argument("--if-missing", action="store_true", help="build only when the database is missing")
    cli_data.add_build_options(b)
    sub.add_parser(
        "serve",
        help="serve the app (arguments after 'serve' go to 'streamlit run', e.g. --server.port 8501)",
    )
    br = sub.add_parser(
        "briefing",
        help="write a council briefing as PDF (a policy area, pillar, SDG goal or KPI; see docs/briefings.md)",
    )
    scope = br.add_mutually_exclusive_group(required=True)
    scope.add_argument("--area", help="policy area number, 1-5")
    scope.add_argument("--pillar", help="economy, society or environment (its priority KPIs)")
    scope.add_argument("--goal", help="SDG goal number, 1-17")
    scope.add_argument("--kpi", help="KPI id, e.g. ghg-reduction")
    scope.add_argument("--all", action="store_true", help="one PDF per policy area, into the -o folder")
    br.add_argument("--lang", choices=("ja", "en"), default="ja", help="language (default: ja)")
    br.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="PDF file (default: kawasaki-briefing-<scope>-<lang>.pdf); with --all a folder (default: .)",
    )
    br.add_argument("--db", type=Path, default=None, help="database file (default: data/kawasaki.duckdb)")
    br.add_argument("--since", help="add the changes released since this date (YYYY-MM-DD)")
    cli_data.add_commands(sub)
    args, extra = parser.parse_known_args(argv)
    if args.command == "build":
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        return _build(args)
    if args.command == "serve":
        return _serve(extra)
    if args.command == "briefing":
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        return _briefing(args)
    if args.command in cli_data.COMMANDS:
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        return cli_data.run(args)
    return 2


def _serve(extra: list[str]) -> int:
    from kawasaki.web.server import serve

    return serve(extra)


def _build(args: argparse.Namespace) -> int:
    from kawasaki.dataset import load_dataset
    from kawasaki.problems import DataError
    from kawasaki.publish import publish

    data = args.data or paths.data_dir()
    db = args.db or (args.data / "kawasaki.duckdb" if args.data else paths.db_path())
    if args.if_missing and db.exists():
        print(f"{db} exists; not rebuilt")
        return 0
    started = time.perf_counter()
    if args.dry_run:
        return cli_data.dry_run(data, db, args.lang)
    if args.check:
        _, problems = load_dataset(data)
        _print_problems(problems)
        errors = sum(p.severity == "error" for p in problems)
        print(f"{errors} error(s), {len(problems) - errors} warning(s)")
        return 1 if errors else 0
    existed = db.exists()
    kept = f"{db} was left unchanged" if existed else f"no database was written (there was none at {db})"
    try:
        candidate, release = publish(data, db)
        result = candidate.build
    except DataError as exc:
        _print_problems(exc.problems)
        print(f"build failed: {exc}; {kept}", file=sys.stderr)
        return 1
    except OSError as exc:  # the database's folder is not writable, the disk is full …
        print(f"build failed: cannot write {db} ({exc.strerror or exc}); {kept}", file=sys.stderr)
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
    cli_data.report_published(candidate, release, data, args.lang)
    return 0


MAX_PROBLEMS_SHOWN = 200


def _print_problems(problems: list) -> None:
    """Errors first, then warnings, one per line; at most MAX_PROBLEMS_SHOWN of them."""
    ordered = sorted(problems, key=lambda p: (p.severity != "error", p))
    for p in ordered[:MAX_PROBLEMS_SHOWN]:
        print(p, file=sys.stderr)
    if len(ordered) > MAX_PROBLEMS_SHOWN:
        print(
            f"… and {len(ordered) - MAX_PROBLEMS_SHOWN} more problem(s) not shown; fix these first",
            file=sys.stderr,
        )


def _briefing(args: argparse.Namespace) -> int:
    """Write one briefing PDF, or one per policy area with --all (same content as /briefing)."""
    import duckdb

    from kawasaki import export, queries
    from kawasaki.briefing import UnknownScope, build_briefing, today_in_kawasaki
    from kawasaki.build import build
    from kawasaki.pdf import FontMissing, render_pdf
    from kawasaki.problems import DataError

    db = args.db or paths.db_path()
    if not db.exists():
        print(f"{db} is missing; building it from {paths.data_dir()}", file=sys.stderr)
        try:
            build(paths.data_dir(), db)
        except DataError as exc:
            print(exc.report(), file=sys.stderr)
            print(f"build failed: {exc}", file=sys.stderr)
            return 1
    started = time.perf_counter()
    con = duckdb.connect(str(db), read_only=True)
    try:
        if args.all:
            folder = args.output or Path(".")
            if folder.suffix.lower() == ".pdf":
                print(f"--all writes one PDF per policy area: give a folder, not {folder}", file=sys.stderr)
                return 2
            jobs = [("area", str(n)) for n in queries.policy_areas(con).number]
        else:
            kind = next(k for k in ("area", "pillar", "goal", "kpi") if getattr(args, k) is not None)
            jobs = [(kind, getattr(args, kind))]
        today = today_in_kawasaki()
        briefings = [build_briefing(con, kind, value, args.lang, today, args.since) for kind, value in jobs]
        with export.export_server():
            for b in briefings:
                if args.all:
                    out = (args.output or Path(".")) / f"{b.file_stem}.pdf"
                else:
                    out = args.output or Path(f"{b.file_stem}.pdf")
                try:
                    data = render_pdf(b)
                except (FontMissing, export.ExportError):
                    raise
                except Exception as exc:  # noqa: BLE001 - any failure of the PDF library: a message
                    print(
                        f"error: the PDF of {b.title!r} could not be made ({type(exc).__name__}: {exc})"[
                            :500
                        ],
                        file=sys.stderr,
                    )
                    return 1
                if not _write(out, data):
                    return 1
                print(
                    f"wrote {out} ({b.title}; {len(b.rows)} KPI(s), {len(b.charts)} chart(s), {len(data):,} bytes)"
                )
    except UnknownScope as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (FontMissing, export.ExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(
        f"done in {time.perf_counter() - started:.1f} s (data as of {briefings[0].data_as_of}, build {briefings[0].build_stamp})"
    )
    return 0


def _write(out: Path, data: bytes) -> bool:
    """Write ``data`` to ``out`` through a temporary file beside it; False (and a message) when it cannot."""
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        with contextlib.suppress(OSError):  # no temporary file left behind, if one was made
            tmp.unlink(missing_ok=True)
        print(f"error: cannot write {out} ({exc.strerror or exc})", file=sys.stderr)
        return False
    return True
