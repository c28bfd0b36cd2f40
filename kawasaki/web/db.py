"""The database handle: which file version is current, a read-only cursor on it, and
whether the file can be used at all.

The web server never builds the database (``make run``, ``scripts/run.sh`` and the
deploy units build it first); a missing or unusable file gets a friendly page
(kawasaki.web.frame) and the details go to the log.
"""

from __future__ import annotations

import logging
import os

import duckdb
import streamlit as st

from kawasaki import paths
from kawasaki.schema import SCHEMA_VERSION, TABLES, VIEWS

DbKey = tuple[str, int, int, int]
CATALOG = "kawasaki"  # the name the database file is attached under
_LOG = logging.getLogger(__name__)


def db_key() -> DbKey:
    """Identify the current database file: path, modification time, inode and size.

    A rebuild renames a new file into place, so the key changes and every cached
    connection and query result is looked up afresh; sessions keep working. The size
    catches a file changed in place without a new modification time (truncated, or
    copied over with ``cp -p``): its new key is checked again (``problem``) and gets
    the friendly page instead of an exception. Raises OSError when the file is missing.
    """
    path = paths.db_file()
    st_ = os.stat(path)
    return (path, st_.st_mtime_ns, st_.st_ino, st_.st_size)


def open_read_only(path: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the database file ``path`` that cannot reach any other file.

    The file is attached READ_ONLY to a private in-memory DuckDB, not opened with
    ``duckdb.connect(path)``: that returns DuckDB's cached instance for the path, which
    after a rebuild still reads the replaced file (duckdb/duckdb#15912), so sessions
    would never see the new data. External access is then switched off and the
    configuration locked: no query can write or read any other file. Use a cursor per
    call (``cursor``, or ``con.cursor()`` then ``USE kawasaki``).
    """
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS kawasaki (READ_ONLY)", [path])  # the name is CATALOG
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, mtime_ns: int, inode: int, size: int) -> duckdb.DuckDBPyConnection:
    """One read-only connection (``open_read_only``) per database file version, shared by
    all sessions."""
    return open_read_only(path)


def cursor(key: DbKey) -> duckdb.DuckDBPyConnection:
    """A cursor of its own for one call (DuckDB connections are not thread-safe)."""
    cur = _connection(*key).cursor()
    cur.execute("USE kawasaki")  # CATALOG
    return cur


def problem(key: DbKey) -> str | None:
    """Why the database file ``key`` cannot be used (None: it can); details go to the log.

    Checks the schema version, the tables and views, then reads every row once (~20 ms): a
    truncated or damaged file fails here, not in a page.
    """
    try:
        cur = cursor(key)
        try:
            version = cur.execute("SELECT max(schema_version) FROM build_info").fetchone()[0]
            tables = {
                r[0]
                for r in cur.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [CATALOG]
                ).fetchall()
            }
            tables |= {
                r[0]
                for r in cur.execute(
                    "SELECT view_name FROM duckdb_views() WHERE database_name = ? AND NOT internal", [CATALOG]
                ).fetchall()
            }
            if version == SCHEMA_VERSION and tables.issuperset(TABLES + VIEWS):
                for name in TABLES + VIEWS:
                    cur.table(name).fetchall()
        finally:
            cur.close()
    except Exception as exc:  # noqa: BLE001 - any failure here means 'cannot use this file'
        _LOG.error("the database %s cannot be used", key[0], exc_info=True)
        return f"{type(exc).__name__}"
    if version != SCHEMA_VERSION:
        _LOG.error("the database %s has schema version %s, expected %s", key[0], version, SCHEMA_VERSION)
        return f"schema version {version}, expected {SCHEMA_VERSION}"
    missing = [name for name in TABLES + VIEWS if name not in tables]
    if missing:
        _LOG.error("the database %s lacks the tables %s", key[0], missing)
        return f"tables missing: {', '.join(missing)}"
    return None
