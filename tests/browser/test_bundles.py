"""The bundle markers and the table of docs/performance.md that tests/browser/bundles.py
reads; each page's own load is checked against the table by test_accessibility.test_page,
and the interactive ward map's deck.gl here."""

from __future__ import annotations

import pytest

from kawasaki.i18n import t

from .bundles import MARKERS, bundles_in, documented, scripts_requested, static_js
from .conftest import DEFAULT_VIEWPORT, PageLog, open_app, open_page, wait_idle
from .test_accessibility import PAGES

pytestmark = pytest.mark.browser


def test_the_markers_name_one_chunk_each():
    """Each marker is in exactly one of Streamlit's chunks (else a page's check cannot tell)."""
    files = static_js()
    for name, marker in MARKERS.items():
        holding = [f.name for f in files if marker in f.read_bytes()]
        assert len(holding) == 1, f"{name}: {holding}"


def test_every_page_is_in_the_table():
    from bench.lighthouse import page_paths

    assert set(page_paths()) == set(documented())


def test_every_page_in_the_table_is_checked():
    """test_accessibility.test_page loads each page of the table (and checks its bundles)."""
    assert set(documented()) <= set(PAGES)


def test_the_interactive_ward_map_loads_deck_gl_only_when_asked(browser, warm_server):
    """/wards draws the SVG map with no deck.gl chunk; the toggle draws the deck, and only
    then does the browser fetch deck.gl."""
    with open_page(browser, warm_server, dict(DEFAULT_VIEWPORT), PageLog()) as pg:
        scripts = scripts_requested(pg)
        open_app(pg, "/wards")
        svg = pg.locator('[data-testid="stMarkdownContainer"] .kd-wm svg')
        assert svg.count() == 1 and "deck.gl" not in bundles_in(scripts)
        pg.get_by_text(t("wardmap.interactive", "ja"), exact=True).click()
        wait_idle(pg)
        assert "deck.gl" in bundles_in(scripts)
        assert pg.locator('[data-testid="stDeckGlJsonChart"] canvas').count() == 1 and svg.count() == 0
