"""Shared fixtures: a database built by the real builder into a temp dir, data copies,
Streamlit's caches emptied around a test (or around a module's tests), the one served
app of the session (the front door's and the API's tests share it); and which tests
pytest-xdist keeps on one worker (``make test``: ``-n 2 --dist loadgroup``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kawasaki.build import build

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def copy_data(dest: Path) -> Path:
    """Copy the human-editable files of data/ (not the database) to ``dest``."""
    shutil.copytree(DATA, dest, ignore=shutil.ignore_patterns("*.duckdb", "*.tmp", "*.wal", "scripts"))
    return dest


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """A database built from the repository's data/ by the real builder."""
    out = tmp_path_factory.mktemp("db") / "kawasaki.duckdb"
    build(DATA, out)
    return out


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ that a test may break."""
    return copy_data(tmp_path / "data")


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Streamlit's caches emptied before and after the test (they outlive an AppTest)."""
    _clear_caches()
    yield
    _clear_caches()


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def shared_caches() -> Iterator[None]:
    """Streamlit's caches emptied before the module's first test that asks for it and after
    its last: the tests in between share them, as a served app's sessions do. For tests
    that only read pages (URL fuzzing): a page whose queries and sections are cached runs
    in about a third of the time of a cold one; ``fresh_caches`` keeps the cold start."""
    _clear_caches()
    yield
    _clear_caches()


@pytest.fixture(scope="session")
def front_door(built_db, tmp_path_factory) -> Iterator[str]:
    """The app served as production serves it (``python -m kawasaki serve``,
    tests/robustness/server.py) on the built database; yields its base URL."""
    from tests.robustness.server import AppServer

    folder = tmp_path_factory.mktemp("front-door")
    # compressed static files go to a fresh cache folder (kawasaki.compression)
    env = {"KAWASAKI_CACHE_DIR": str(folder / "compressed")}
    with AppServer(built_db, folder / "server.log", env=env) as server:
        yield server.base


@pytest.fixture(scope="session")
def con(built_db) -> Iterator:
    """The same database, read-only, for the expected values (kawasaki's own functions)."""
    import duckdb

    connection = duckdb.connect(str(built_db), read_only=True)
    yield connection
    connection.close()


# --- pytest-xdist -------------------------------------------------------------------------

# Tests that run on one worker together, by where they are (a node id prefix -> a group;
# the first prefix that matches counts). Every other test, the browser tests too, goes to
# whichever worker is free: each worker serves the app and starts Chromium once for the
# browser tests it gets (tests/browser/conftest.py's session fixtures). The two browser
# tests of the poisoned data share one module-scoped server (test_hostile_urls.py's
# poisoned_server).
_HOSTILE = "tests/robustness/test_hostile_urls.py::"
XDIST_GROUPS = {
    f"{_HOSTILE}test_markup_in_data_and_urls_never_runs_in_the_browser": "poisoned-server",
    f"{_HOSTILE}test_map_tooltip_shows_markup_as_text": "poisoned-server",
}


def xdist_group(nodeid: str) -> str | None:
    """The group of XDIST_GROUPS a test belongs to (None: any worker may run it)."""
    return next((group for prefix, group in XDIST_GROUPS.items() if nodeid.startswith(prefix)), None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under ``--dist loadgroup``, xdist's loadgroup scheduler that also keeps each group
    of XDIST_GROUPS on one worker, the largest group first.

    pytest-xdist 3.8 groups by ``@pytest.mark.xdist_group``, which it passes on by
    renaming a test's node id; pytest 9.2 ignores that rename, so the marks no longer
    group anything (pytest-dev/pytest-xdist#1386). The scheduler reads node ids only, so
    groups are given here by path; a working mark still counts for the tests outside them.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class PathGroupScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group(nodeid) or super()._split_scope(nodeid)

    return PathGroupScheduling(config, log)
