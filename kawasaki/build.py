"""Build data/kawasaki.duckdb from the checked data files, atomically.

The database is written to a temporary file beside the target and renamed into
place only when every check passed and every row was written, so a failed build
leaves the previous database byte-identical.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from kawasaki.datafiles import SOURCE_FILES, Dataset
from kawasaki.dataset import load_dataset
from kawasaki.problems import DataError, Problem
from kawasaki.relations import RELATIONS, Rows, build_info_row
from kawasaki.schema import SCHEMA_SQL, SCHEMA_VERSION
from kawasaki.schema import TABLES as SCHEMA_TABLES


@dataclass(frozen=True)
class BuildResult:
    """What a successful build wrote, and the warnings it printed."""

    db_path: Path
    build_stamp: str
    warnings: list[Problem]
    counts: dict[str, int]


def build(data_dir: Path, db_path: Path) -> BuildResult:
    """Check every file in ``data_dir`` and write ``db_path``; raise DataError on errors."""
    data_dir, db_path = Path(data_dir), Path(db_path)
    ds, problems = load_dataset(data_dir)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(problems)
    sources = _checksums(data_dir)
    stamp = _stamp(sources)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself
    try:
        counts = _write(ds, tmp, sources, stamp)
        os.replace(tmp, db_path)
    except duckdb.ConstraintException as exc:
        # A rule of schema.sql that the checks did not catch: the data's fault all the same,
        # so it is reported as a data problem (no traceback) and nothing is replaced.
        raise DataError([Problem("(build)", 0, "", f"the database refused the data: {exc}")]) from exc
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    warnings = [p for p in problems if p.severity == "warning"]
    return BuildResult(db_path, stamp, warnings, counts)


def _checksums(data_dir: Path) -> Rows:
    """The rows of build_sources: each source file's path, SHA-256 and size."""
    rows = []
    for rel in SOURCE_FILES:
        data = (data_dir / rel).read_bytes()
        rows.append({"path": rel, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    return rows


def _stamp(sources: Rows) -> str:
    """12 hex digits that change with the schema version or any source file."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for s in sources:
        digest.update(f"{s['path']} {s['sha256']}\n".encode())
    return digest.hexdigest()[:12]


def _write(ds: Dataset, path: Path, sources: Rows, stamp: str) -> dict[str, int]:
    """Create the schema at ``path`` and insert every table's rows; return the counts."""
    tables = _rows(ds, sources, stamp)
    _insert(path, tables, create=True)
    return {name: len(rows) for name, rows in tables.items()}


def add_rows(path: Path, tables: dict[str, Rows]) -> None:
    """Add rows to tables of a database the build has written and nobody reads yet (a
    release recorded before its database is published: kawasaki.publish)."""
    _insert(path, tables, create=False)


def _insert(path: Path, tables: dict[str, Rows], *, create: bool) -> None:
    """Open ``path`` (creating the schema when ``create``) and insert each table's rows by
    column name, only into the schema's own tables."""
    con = duckdb.connect(str(path))
    try:
        if create:
            con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        for name, rows in tables.items():
            if name not in SCHEMA_TABLES:
                raise ValueError(f"{name!r} is not a table of schema.sql")
            if rows:
                arrow = pa.Table.from_pylist(rows)  # noqa: F841 - read by DuckDB below
                # ``name`` is one of the schema's fixed table names (checked above), never input.
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM arrow")  # noqa: S608
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _rows(ds: Dataset, sources: Rows, stamp: str) -> dict[str, Rows]:
    """Every table's rows, in the order of schema.sql: the data's, then the build's own."""
    tables = {name: relation(ds) for name, relation in RELATIONS.items()}
    return {**tables, "build_sources": sources, "build_info": [build_info_row(ds, stamp)]}
