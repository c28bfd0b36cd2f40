"""Each page loads only the chart bundles docs/performance.md lists for it ("What each page
loads"): Plotly's 4.7 MB chunk, deck.gl's 3 MB, the canvas data grid's and the code
highlighter's (st.code, 1.5 MB) are loaded by
Streamlit only when a page draws such an element, and on a phone every one of them costs
seconds. A chunk is named by a marker inside the file (its file name carries a hash that
changes with every Streamlit release)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kawasaki.i18n import t
from kawasaki.paths import ROOT

from .conftest import DEFAULT_VIEWPORT, PageLog, open_app, open_page, wait_idle

pytestmark = pytest.mark.browser

# A string found in the bundle's chunk and in no other chunk of Streamlit 1.67.
MARKERS = {
    "Plotly": b"plotly.js v",
    "deck.gl": b"deck.gl",
    "data grid": b"gdg-bg-cell",
    "code highlighter": b"refractor",  # st.code's and Markdown code blocks' (400 KB brotli)
}
DOC = ROOT / "docs" / "performance.md"


def documented() -> dict[str, set[str]]:
    """The table under '<!-- bundles -->' in docs/performance.md: page URL -> bundles."""
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("<!-- bundles:") :].split("\n\n", 1)[0]
    out = {}
    for line in table.splitlines():
        m = re.match(r"\| `([^`]+)` \| ([^|]+) \|", line)
        if m:
            names = {n.strip() for n in m.group(2).split(",")} - {"none"}
            out[m.group(1)] = names
    return out


def bundles_in(urls: list[str]) -> set[str]:
    """The bundles among the JavaScript files at ``urls`` (read from Streamlit's folder)."""
    from streamlit import file_util

    folder = Path(file_util.get_static_dir())
    found = set()
    for url in urls:
        data = (folder / urlsplit(url).path.lstrip("/")).read_bytes()
        found |= {name for name, marker in MARKERS.items() if marker in data}
    return found


def test_the_markers_name_one_chunk_each():
    """Each marker is in exactly one of Streamlit's chunks (else the test below cannot tell)."""
    from streamlit import file_util

    files = list((Path(file_util.get_static_dir()) / "static" / "js").glob("*.js"))
    for name, marker in MARKERS.items():
        holding = [f.name for f in files if marker in f.read_bytes()]
        assert len(holding) == 1, f"{name}: {holding}"


def test_every_page_is_in_the_table():
    from bench.lighthouse import page_paths

    assert set(page_paths()) == set(documented())


@pytest.mark.parametrize("path", list(documented()))
def test_each_page_loads_only_its_chart_bundles(browser, warm_server, path):
    scripts: list[str] = []
    with open_page(browser, warm_server, dict(DEFAULT_VIEWPORT), PageLog()) as pg:
        pg.on("request", lambda r: "/static/js/" in r.url and scripts.append(r.url))
        open_app(pg, path)
    assert bundles_in(scripts) == documented()[path]


def test_the_interactive_ward_map_loads_deck_gl_only_when_asked(browser, warm_server):
    """/wards draws the SVG map with no deck.gl chunk; the toggle draws the deck, and only
    then does the browser fetch deck.gl."""
    scripts: list[str] = []
    with open_page(browser, warm_server, dict(DEFAULT_VIEWPORT), PageLog()) as pg:
        pg.on("request", lambda r: "/static/js/" in r.url and scripts.append(r.url))
        open_app(pg, "/wards")
        svg = pg.locator('[data-testid="stMarkdownContainer"] .kd-wm svg')
        assert svg.count() == 1 and "deck.gl" not in bundles_in(scripts)
        pg.get_by_text(t("wardmap.interactive", "ja"), exact=True).click()
        wait_idle(pg)
        assert "deck.gl" in bundles_in(scripts)
        assert pg.locator('[data-testid="stDeckGlJsonChart"] canvas').count() == 1 and svg.count() == 0
