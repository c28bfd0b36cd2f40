"""Publishing a build as a release, seeing what it would change first, and going back.

- ``check_changes(data_dir, db)``: build data/ into a temporary file with the real
  builder and compare it with the current database (``build --dry-run``); writes nothing.
- ``publish(data_dir, db)``: the same build, then, when it changes something, a release
  file in data/releases/ and the release in the new database; the new database is
  renamed over the current one (``build``).
- ``rollback(data_dir, db, target)``: put back the database of an earlier release, byte
  for byte, by one rename; itself recorded as a release (``rollback``).
- ``prepare_preview(data_dir, db, folder)``: the candidate build with its change list as
  an unpublished release, for ``preview``.

Every database published is kept beside the current one (``.releases/<stamp>.duckdb``),
the last ``KEEP_DATABASES`` of them, so that a rollback can restore it exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kawasaki.build import BuildResult, add_rows, build
from kawasaki.changes import Change, Tables, diff, read_tables
from kawasaki.problems import Problem
from kawasaki.releases import (
    Published,
    Release,
    ReleaseError,
    load_releases,
    new_release,
    release_change_rows,
    release_rows,
    write_release,
)
from kawasaki.schema import SCHEMA_VERSION

KEEP_DATABASES = 5  # published databases kept for rollback, beside the current one
KEPT_DIR = ".releases"  # data/.releases/<stamp>.duckdb (git-ignored)
BUILD_KINDS = ("initial", "build")


@dataclass(frozen=True)
class Candidate:
    """A build not yet published and what it changes against the current database."""

    build: BuildResult
    info: Published
    changes: list[Change] | None  # None: there is no database to compare with
    history: list[Release]

    @property
    def recorded(self) -> Release | None:
        """The release that already records this data (same data files), if any."""
        latest = self.history[-1] if self.history else None
        return latest if latest and latest.data_digest == self.info.data_digest else None


def kept_dir(db_path: Path) -> Path:
    """The folder of kept databases: .releases/ beside the current one."""
    return Path(db_path).parent / KEPT_DIR


def kept_path(db_path: Path, stamp: str) -> Path:
    """Where the database of build ``stamp`` is kept: .releases/<stamp>.duckdb."""
    return kept_dir(db_path) / f"{stamp}.duckdb"


def database_facts(path: Path) -> dict[str, object]:
    """A database's build stamp, schema version, data-as-of date and data digest."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS db (READ_ONLY)", [str(path)])
        stamp, version, as_of = con.execute(
            "SELECT build_stamp, schema_version, data_as_of FROM db.build_info"
        ).fetchone()
        sources = con.execute("SELECT path, sha256 FROM db.build_sources ORDER BY path").fetchall()
    finally:
        con.close()
    digest = hashlib.sha256("".join(f"{p} {h}\n" for p, h in sources).encode()).hexdigest()[:12]
    return {"stamp": stamp, "schema_version": version, "data_as_of": str(as_of), "data_digest": digest}


def _readable(path: Path) -> bool:
    """Whether ``path`` is a database whose build it is can be read (a damaged or foreign
    file is replaced by the build as before, without a comparison)."""
    try:
        database_facts(path)
    except (duckdb.Error, OSError, TypeError):
        return False
    return True


def _published(path: Path, previous: str | None, tables: Tables) -> Published:
    facts = database_facts(path)
    counts = {
        "kpis": len(tables["kpis"].rows) if "kpis" in tables else 0,
        "values": len(tables["kpi_observations"].rows) if "kpi_observations" in tables else 0,
        "wards": len(tables["ward_indicators"].rows) if "ward_indicators" in tables else 0,
    }
    return Published(
        stamp=str(facts["stamp"]),
        data_digest=str(facts["data_digest"]),
        schema_version=int(facts["schema_version"]),
        data_as_of=str(facts["data_as_of"]),
        previous_stamp=previous,
        counts=counts,
    )


def candidate(data_dir: Path, db_path: Path, out: Path) -> Candidate:
    """Build ``data_dir`` into ``out`` and compare it with ``db_path`` (or, when that is
    missing, the kept database of the latest release); raises DataError."""
    result = build(data_dir, out)
    problems: list[Problem] = []
    history = load_releases(data_dir, problems)  # checked by the build already
    base = Path(db_path) if Path(db_path).exists() and _readable(Path(db_path)) else None
    if base is None and history and kept_path(db_path, history[-1].stamp).exists():
        base = kept_path(db_path, history[-1].stamp)
    tables = read_tables(out)
    previous = str(database_facts(base)["stamp"]) if base else None
    changes = diff(read_tables(base), tables) if base else None
    return Candidate(result, _published(out, previous, tables), changes, history)


def next_release(c: Candidate, now: dt.datetime) -> Release | None:
    """The release this candidate makes, or None (no change, or already recorded)."""
    if c.recorded is not None:
        return None
    if not c.history:
        kind = "build" if c.changes else "initial"
        return new_release(kind, c.info, c.changes or (), now)
    if c.changes is None:
        return new_release("build", c.info, (), now, note="changes.note_no_previous")
    return new_release("build", c.info, c.changes, now) if c.changes else None


def check_changes(data_dir: Path, db_path: Path) -> Candidate:
    """What ``publish`` would change, built in a temporary folder; writes nothing."""
    with tempfile.TemporaryDirectory(prefix="kawasaki-dry-run-") as folder:
        return candidate(data_dir, db_path, Path(folder) / "candidate.duckdb")


def publish(
    data_dir: Path, db_path: Path, now: dt.datetime | None = None
) -> tuple[Candidate, Release | None]:
    """Build, record a release when something changed, and put the new database in place.

    The release file is written before the rename: a crash between the two leaves the
    old database and a release the next build recognises as already recorded.
    """
    data_dir, db_path = Path(data_dir), Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    out = _temp_beside(db_path, "candidate")
    try:
        c = candidate(data_dir, db_path, out)
        release = next_release(c, now or dt.datetime.now(dt.UTC))
        if release is not None:
            release, _ = write_release(data_dir, release)
            _add_release(out, release)
        _keep(db_path, db_path)
        _keep(out, db_path)
        os.replace(out, db_path)
        _prune(db_path)
    finally:
        out.unlink(missing_ok=True)
    return c, release


def rollback(
    data_dir: Path, db_path: Path, target: str | None = None, now: dt.datetime | None = None
) -> Release:
    """Put back the database of the release before the current one (or of ``target``, a
    stamp or release id), byte-identical to when it was served; record it as a release."""
    data_dir, db_path = Path(data_dir), Path(db_path)
    if not db_path.exists():
        raise ReleaseError("changes.rollback_no_database", db=str(db_path))
    history = load_releases(data_dir, [])
    current = str(database_facts(db_path)["stamp"])
    chosen = _rollback_target(history, current, target, db_path)
    kept = kept_path(db_path, chosen.stamp)
    facts = database_facts(kept)
    if facts["schema_version"] != SCHEMA_VERSION:
        raise ReleaseError(
            "changes.rollback_schema", stamp=chosen.stamp, version=str(facts["schema_version"])
        )
    info = _published(kept, current, {})
    changes = diff(read_tables(db_path), read_tables(kept))
    release = new_release("rollback", info, changes, now or dt.datetime.now(dt.UTC), restored=chosen)
    _keep(db_path, db_path)
    release, _ = write_release(data_dir, release)
    _copy_into_place(kept, db_path)
    return release


def _rollback_target(history: list[Release], current: str, target: str | None, db_path: Path) -> Release:
    """The release to go back to: the named one, or the last build before the current one."""
    builds = [r for r in history if r.kind in BUILD_KINDS]
    if target:
        named = [r for r in history if target in (r.stamp, r.release_id)]
        if not named:
            raise ReleaseError("changes.rollback_unknown", target=target)
        chosen = named[-1]
    else:
        at = max((n for n, r in enumerate(builds) if r.stamp == current), default=len(builds))
        earlier = [r for r in builds[:at] if r.stamp != current]
        if not earlier:
            raise ReleaseError("changes.rollback_nothing_before", stamp=current)
        chosen = earlier[-1]
    if chosen.stamp == current:
        raise ReleaseError("changes.rollback_same", stamp=current)
    if not kept_path(db_path, chosen.stamp).exists():
        kept = sorted(p.stem for p in kept_dir(db_path).glob("*.duckdb"))
        raise ReleaseError("changes.rollback_not_kept", stamp=chosen.stamp, kept=", ".join(kept) or "—")
    return chosen


def prepare_preview(data_dir: Path, db_path: Path, folder: Path) -> tuple[Path, Release | None]:
    """The candidate build in ``folder`` with its change list (against ``db_path``) as an
    unpublished release; read-only. Returns its path and that release."""
    out = Path(folder) / "preview.duckdb"
    c = candidate(data_dir, db_path, out)
    release = None
    if c.changes:
        release = new_release("preview", c.info, c.changes, dt.datetime.now(dt.UTC))
        _add_release(out, release)
    out.chmod(0o444)
    return out, release


def _add_release(path: Path, release: Release) -> None:
    """Add ``release`` to the release tables of the unpublished database at ``path``."""
    add_rows(path, {"releases": release_rows([release]), "release_changes": release_change_rows([release])})


def _temp_beside(db_path: Path, what: str) -> Path:
    """A free temporary name in the database's folder (git-ignored: data/.*.tmp)."""
    fd, name = tempfile.mkstemp(prefix=f".{db_path.name}.{what}.", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    os.unlink(name)
    return Path(name)


def _keep(database: Path, db_path: Path) -> None:
    """Keep a copy of ``database`` as .releases/<its stamp>.duckdb unless one is kept: the
    first copy of a stamp is the one that was served."""
    if not database.exists() or not _readable(database):
        return
    kept = kept_path(db_path, str(database_facts(database)["stamp"]))
    if kept.exists():
        return
    kept.parent.mkdir(exist_ok=True)
    _copy_into_place(database, kept)


def _copy_into_place(source: Path, target: Path) -> None:
    """Copy ``source`` byte for byte to a temporary name beside ``target``, then rename it
    over ``target`` in one step."""
    tmp = _temp_beside(target, "copy")
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _prune(db_path: Path) -> None:
    """Keep only the KEEP_DATABASES most recently kept databases."""
    folder = kept_dir(db_path)
    files = sorted(folder.glob("*.duckdb"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[KEEP_DATABASES:]:
        old.unlink(missing_ok=True)
