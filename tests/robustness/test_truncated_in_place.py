"""A database file truncated in place — same inode, same modification time — while the
app has it open: every view gets the friendly page, none an exception.

The cache key (kawasaki.web.db.db_key) holds the file's size, so a truncation is a new
file version: it is checked again (``db.problem``) instead of being served from the
results and the connection of the intact file.
"""

from __future__ import annotations

import os
import shutil

import pytest

from kawasaki.web import db
from kawasaki.web.frame import use_navigation
from tests.apptest_helpers import open_page
from tests.robustness.test_faults import FRIENDLY

PAGES = ("home", "matrix", "progress", "explore", "wards", "briefing", "about")


@pytest.fixture
def live_db(built_db, tmp_path, monkeypatch, fresh_caches):
    path = tmp_path / "kawasaki.duckdb"
    shutil.copy2(built_db, path)
    monkeypatch.setenv("KAWASAKI_DB", str(path))
    use_navigation()
    return path


def _truncate_in_place(path) -> None:
    """Cut the file to a third where it lies, then give it back its modification time."""
    before = os.stat(path)
    with open(path, "r+b") as fh:
        fh.truncate(before.st_size // 3)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_truncated_in_place_gives_the_friendly_page_on_every_view(live_db):
    for page in PAGES:  # every view drawn once from the intact file (caches warm)
        assert not open_page(page, "ja").exception
    key = db.db_key()
    _truncate_in_place(live_db)
    assert db.db_key() != key, "the key changes although inode and mtime do not"
    for page in PAGES:
        at = open_page(page, "en", goal="13")
        assert not at.exception, f"/{page}: {at.exception[0].message}"
        assert FRIENDLY in [str(x.value) for x in at.title], f"/{page} is not the friendly page"
