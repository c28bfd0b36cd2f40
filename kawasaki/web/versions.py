"""One object per database file version, for the routes served beside Streamlit (the
front door's documents, the open-data API): made on the first request that needs it, in
a worker thread, from a read-only connection of its own; the version before is kept
while requests still use it, older ones are dropped.

    sites = PerVersion(lambda cursor: Site(cursor, ...), "front door")
    site = await sites.get()        # None when the database cannot be used
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

import duckdb
from starlette.concurrency import run_in_threadpool

from kawasaki.schema import SCHEMA_VERSION
from kawasaki.web import db

T = TypeVar("T")
Cursor = Callable[[], duckdb.DuckDBPyConnection]
_LOG = logging.getLogger(__name__)


class PerVersion(Generic[T]):
    """``make(cursor)`` once per database file version (``db.db_key``); ``cursor()`` gives a
    cursor of its own on that version (``USE kawasaki`` done; close it after use)."""

    def __init__(self, make: Callable[[Cursor], T], name: str) -> None:
        self._make = make
        self._name = name
        self._made: dict[db.DbKey, T | None] = {}
        self._lock = threading.Lock()

    def now(self) -> T | None | bool:
        """The current version's object, None when it cannot be used, False when it has not
        been made yet (``make``). Cheap: one stat of the file."""
        try:
            key = db.db_key()
        except OSError:
            return None
        return self._made.get(key, False)

    def make(self) -> T | None:
        """Make (or find) the current version's object; None when the file cannot be used
        (the reason goes to the log once per file version)."""
        try:
            key = db.db_key()
        except OSError:
            return None
        with self._lock:
            if key in self._made:
                return self._made[key]
            made = self._open(key)
            for old in list(self._made)[:-1]:  # keep this version and the one before
                del self._made[old]
            self._made[key] = made
            return made

    async def get(self) -> T | None:
        """The current version's object, made in a worker thread on first use."""
        found = self.now()
        return await run_in_threadpool(self.make) if found is False else found

    def _open(self, key: db.DbKey) -> T | None:
        try:
            con = db.open_read_only(key[0])
            version = con.execute("SELECT max(schema_version) FROM kawasaki.build_info").fetchone()[0]
            if version != SCHEMA_VERSION:
                _LOG.error(
                    "%s: %s has schema version %s, expected %s", self._name, key[0], version, SCHEMA_VERSION
                )
                return None

            def cursor() -> duckdb.DuckDBPyConnection:
                cur = con.cursor()
                cur.execute("USE kawasaki")  # db.CATALOG
                return cur

            return self._make(cursor)
        except Exception:  # noqa: BLE001 - any failure: the route answers "unavailable"
            _LOG.error("%s: the database %s cannot be used", self._name, key[0], exc_info=True)
            return None
