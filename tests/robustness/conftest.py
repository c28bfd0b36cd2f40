"""Fixtures of the robustness suite: a pristine previous database, data copies, Chromium.

Every test works on copies in pytest's temp folders: data/ and data/kawasaki.duckdb are
never written. Browser tests are marked ``browser`` (``-m "not browser"`` skips them).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

# apps/ holds apps the tests serve (one raises on import by design): not test modules.
collect_ignore = ["apps"]


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Streamlit's caches cleared before and after (they outlive an AppTest)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def previous_db(built_db, tmp_path) -> Path:
    """A copy of a good database at the path the failing build will target."""
    db = tmp_path / "db" / "kawasaki.duckdb"
    db.parent.mkdir()
    shutil.copy2(built_db, db)
    return db


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's headless Chromium driven by Playwright (one for this suite's session)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps`", pytrace=False)
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()
