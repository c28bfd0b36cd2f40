"""Shared fixtures: a database built by the real builder into a temp dir, data copies,
Streamlit's caches emptied around a test, and the one served app of the session (the
front door's and the API's tests share it)."""

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
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


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
