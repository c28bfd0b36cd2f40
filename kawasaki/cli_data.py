"""Command line for the data over time: ``build --dry-run`` and the release a build
records, ``changes``, ``rollback``, ``workbook export|import`` and ``preview``.

kawasaki.cli adds these to its parser (``add_build_options``, ``add_commands``) and
hands the commands named in ``COMMANDS`` to ``run``. Messages for staff are in
Japanese unless ``--lang en``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kawasaki import paths
from kawasaki.i18n import t

if TYPE_CHECKING:
    from kawasaki.publish import Candidate
    from kawasaki.releases import Release

COMMANDS = ("changes", "rollback", "workbook", "preview")
PREVIEW_PORT = 8502


def add_build_options(b: argparse.ArgumentParser) -> None:
    """``build --dry-run`` and the language of what it prints."""
    b.add_argument(
        "--dry-run",
        action="store_true",
        help="check data/ and print what the new build would change against the current database; write nothing",
    )
    b.add_argument(
        "--lang", choices=("ja", "en"), default="ja", help="language of the change list (default: ja)"
    )


def _locations(p: argparse.ArgumentParser, db: bool = True) -> None:
    p.add_argument("--data", type=Path, default=None, help="data folder (default: data/)")
    if db:
        p.add_argument("--db", type=Path, default=None, help="database file (default: data/kawasaki.duckdb)")


def add_commands(sub: argparse._SubParsersAction) -> None:
    """The subcommands of this module."""
    ch = sub.add_parser("changes", help="print the change lists of the releases since a date or release")
    ch.add_argument("--since", help="a date (YYYY-MM-DD) or a release's stamp (default: the latest release)")
    ch.add_argument("--lang", choices=("ja", "en"), default="ja")
    _locations(ch, db=False)
    rb = sub.add_parser("rollback", help="put back the previous (or the named) release's database")
    rb.add_argument("stamp", nargs="?", help="the stamp or release id to go back to (default: the previous)")
    rb.add_argument("--lang", choices=("ja", "en"), default="ja")
    _locations(rb)
    wb = sub.add_parser("workbook", help="the Excel workbook for staff: export data/ or import it back")
    actions = wb.add_subparsers(dest="action", required=True)
    ex = actions.add_parser("export", help="write the editable tables as one Excel workbook")
    ex.add_argument("-o", "--output", type=Path, default=Path("kawasaki-data.xlsx"))
    _locations(ex, db=False)
    im = actions.add_parser("import", help="check a workbook and write its tables to data/ (all or nothing)")
    im.add_argument("file", type=Path)
    _locations(im, db=False)
    pv = sub.add_parser("preview", help="serve the candidate build (data/ as it is now) on another port")
    pv.add_argument("--port", type=int, default=PREVIEW_PORT, help=f"port (default: {PREVIEW_PORT})")
    pv.add_argument("--lang", choices=("ja", "en"), default="ja")
    _locations(pv)


def data_and_db(args: argparse.Namespace) -> tuple[Path, Path]:
    """The data folder and database of a command: --data / --db, or the defaults."""
    data = args.data or paths.data_dir()
    db = getattr(args, "db", None) or (args.data / "kawasaki.duckdb" if args.data else paths.db_path())
    return data, db


def run(args: argparse.Namespace) -> int:
    """Run one of ``COMMANDS``."""
    data, db = data_and_db(args)
    if args.command == "changes":
        return changes(data, args.since, args.lang)
    if args.command == "rollback":
        return rollback(data, db, args.stamp, args.lang)
    if args.command == "preview":
        return preview(data, db, args.port, args.lang)
    from kawasaki import workbook

    if args.action == "export":
        return workbook.export_command(data, args.output)
    return workbook.import_command(args.file, data)


def _problems(exc: Exception) -> int:
    from kawasaki.cli import _print_problems

    _print_problems(exc.problems)  # type: ignore[attr-defined]
    print(f"build failed: {exc}; nothing was written", file=sys.stderr)
    return 1


# --- build --dry-run and build --------------------------------------------------------


def dry_run(data: Path, db: Path, lang: str) -> int:
    """Check data/, build it into a temporary file and print what would change."""
    from kawasaki.problems import DataError
    from kawasaki.publish import check_changes

    try:
        c = check_changes(data, db)
    except DataError as exc:
        return _problems(exc)
    for w in c.build.warnings:
        print(w, file=sys.stderr)
    print_candidate(c, db, lang)
    print(t("changes.dry_run_done", lang))
    return 0


def print_candidate(c: Candidate, db: Path, lang: str) -> None:
    """The change list of a candidate build, or why there is none."""
    if c.changes is None:
        print(t("changes.no_database", lang, db=db) if not c.history else t("changes.note_no_previous", lang))
    elif not c.changes:
        print(t("changes.none", lang))
    else:
        print(t("changes.count", lang, n=len(c.changes), old=c.info.previous_stamp, new=c.info.stamp))
        for change in c.changes:
            print(f"- {change.text(lang)}")
    if c.recorded is not None:
        print(t("changes.already_recorded", lang, release=c.recorded.release_id))


def report_published(c: Candidate, release: Release | None, data: Path, lang: str) -> None:
    """After ``build``: the release recorded with its changes, or why none was."""
    from kawasaki.releases import release_dir

    if release is None:
        print(
            t("changes.no_release", lang)
            if c.recorded is None
            else t("changes.already_recorded", lang, release=c.recorded.release_id)
        )
        return
    print_release(release, lang)
    print(t("changes.release_written", lang, path=release_dir(data) / f"{release.release_id}.json"))


# --- changes, rollback ----------------------------------------------------------------


def print_release(r: Release, lang: str) -> None:
    """One release: when, its title, build and as-of date, summary, note and changes."""
    from kawasaki.releases import local_time

    line = t(
        "changes.release_line",
        lang,
        time=local_time(r.time),
        title=r.text("title", lang),
        stamp=r.stamp,
        as_of=r.data_as_of or "—",
    )
    print(line)
    print(f"  {r.text('summary', lang)}")
    if r.text("note", lang):
        print(f"  {r.text('note', lang)}")
    for change in r.changes:
        print(f"  - {change.text(lang)}")


def changes(data: Path, since: str | None, lang: str) -> int:
    """Print the releases since ``since`` (a date or a stamp; default: the latest one)."""
    from kawasaki.cli import _print_problems
    from kawasaki.releases import ReleaseError, load_releases, releases_since

    problems: list = []
    history = load_releases(data, problems)
    if problems:
        _print_problems(problems)
        return 1
    if not history:
        print(t("changes.no_releases", lang))
        return 0
    try:
        chosen = releases_since(history, since)
    except ReleaseError as exc:
        print(t(exc.key, lang, **exc.values), file=sys.stderr)
        return 2
    if not chosen:
        print(t("changes.none_since", lang, since=since))
    for r in chosen:
        print_release(r, lang)
    return 0


def rollback(data: Path, db: Path, target: str | None, lang: str) -> int:
    """Put back an earlier release's database and say what that changed."""
    from kawasaki.publish import rollback as do_rollback
    from kawasaki.releases import ReleaseError

    try:
        release = do_rollback(data, db, target)
    except ReleaseError as exc:
        print(t(exc.key, lang, **exc.values), file=sys.stderr)
        return 1
    print(t("changes.rolled_back", lang, old=release.previous_stamp, new=release.stamp))
    print_release(release, lang)
    print(t("changes.rollback_data_note", lang))
    return 0


# --- preview --------------------------------------------------------------------------


def preview(data: Path, db: Path, port: int, lang: str) -> int:
    """Serve the candidate build read-only on ``port``, with the preview banner and its
    change list on the What changed page; the public app keeps serving ``db``."""
    from kawasaki.problems import DataError
    from kawasaki.publish import prepare_preview
    from kawasaki.web.server import serve

    folder = Path(tempfile.mkdtemp(prefix="kawasaki-preview-"))
    try:
        try:
            path, release = prepare_preview(data, db, folder)
        except DataError as exc:
            return _problems(exc)
        if release is None:
            print(t("changes.none", lang))
        else:
            print_release(release, lang)
        print(t("changes.preview_url", lang, port=port, db=db))
        os.environ["KAWASAKI_DB"] = str(path)
        os.environ[paths.PREVIEW_ENV] = "1"
        return serve(["--server.port", str(port)])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
