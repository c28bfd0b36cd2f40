"""Fixtures of the robustness suite: a pristine previous database, data copies, Chromium.

Every test works on copies in pytest's temp folders: data/ and data/kawasaki.duckdb are
never written. Browser tests are marked ``browser`` (``-m "not browser"`` skips them).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM, DEFAULT_VIEWPORT, PageLog, launch_chromium, open_page
from tests.robustness.server import AppServer

# apps/ holds apps the tests serve (one raises on import by design): not test modules.
collect_ignore = ["apps"]


@pytest.fixture(scope="session")
def served_app(built_db, tmp_path_factory) -> Iterator[AppServer]:
    """One app served as production serves it (``python -m kawasaki serve``, on
    127.0.0.1) for the tests that only read from it (URL flood, message size, nginx)."""
    log = tmp_path_factory.mktemp("served") / "streamlit.log"
    with AppServer(built_db, log) as server:
        yield server


@pytest.fixture
def previous_db(built_db, tmp_path) -> Path:
    """A copy of a good database at the path the failing build will target."""
    db = tmp_path / "db" / "kawasaki.duckdb"
    db.parent.mkdir()
    shutil.copy2(built_db, db)
    return db


class Chromium:
    """Headless Chromium driven by Playwright's sync API from a thread of its own.

    tests/browser keeps its own Playwright running in the main thread for the whole
    session, and a second sync Playwright cannot start in a thread whose event loop is
    taken. So this one lives in a worker thread, and each visit runs there.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._browser = self._pool.submit(self._launch).result()

    def _launch(self):
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        return launch_chromium(self._playwright)

    def visit(self, base_url: str, steps: Callable[[Any], Any], log: PageLog | None = None) -> Any:
        """Run ``steps(page)`` on a fresh page of ``base_url`` (see tests/browser's open_page:
        requests to other hosts blocked; console errors, page errors and dialogs in ``log``)."""

        def run() -> Any:
            with open_page(self._browser, base_url, dict(DEFAULT_VIEWPORT), log or PageLog()) as page:
                return steps(page)

        return self._pool.submit(run).result()

    def close(self) -> None:
        def stop() -> None:
            self._browser.close()
            self._playwright.stop()

        try:
            self._pool.submit(stop).result()
        finally:
            self._pool.shutdown()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Chromium]:
    """One Chromium for this suite's browser tests (marked ``browser``)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps`", pytrace=False)
    browser = Chromium()
    try:
        yield browser
    finally:
        browser.close()
