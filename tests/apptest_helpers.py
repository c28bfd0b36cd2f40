"""Helpers for AppTest (Streamlit's headless test runner) on this app's pages.

``open_page("progress", "en", kpi="x")`` runs the app the way a browser opening
``/progress?lang=en&kpi=x`` would: the frame (app.py) and then the page.

AppTest runs every URL through the frame as ``python -m kawasaki serve`` does
(``kawasaki.web.frame.use_navigation``); ``cold_server`` undoes that for one test, to
see a page started alone as Streamlit's legacy pages-directory guess would.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from kawasaki.web.frame import page_script, use_navigation

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PAGES = ("home", "matrix", "progress", "explore", "coverage", "wards", "about", "changes")
TIMEOUT = 30


def cold_server(monkeypatch) -> None:
    """Streamlit's own page handling for this test: a page file opened as the first
    request of a server started without ``kawasaki serve`` runs alone, without app.py."""
    init = PagesManager.__init__
    monkeypatch.setattr(PagesManager, "__init__", getattr(init, "streamlit_init", init))


@pytest.fixture(autouse=True)
def app_database(built_db, monkeypatch, fresh_caches):
    """Point the app at the test database, run it as a served app does, and start every
    test with empty caches: for every test of a module that imports it (``# noqa: F401``)."""
    monkeypatch.setenv("KAWASAKI_DB", str(built_db))
    use_navigation()


def open_page(name: str, lang: str = "ja", /, **params: str) -> AppTest:
    """Run the app on page ``name`` with URL parameters ``lang`` and ``params``.

    The page is chosen before the first run (each page's file name is its url_path),
    so one script run does it, as when a browser opens a shared link.
    """
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if lang != "ja":
        at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page_script(name))
    return at.run()


def texts(at: AppTest) -> list[str]:
    """The visible text of titles, headers, subheaders and markdown (for 'is X on the page')."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption"):
        out.extend(str(e.value) for e in at.get(kind))
    return out


def headings(at: AppTest) -> list[str]:
    """The st.title texts (the page's h1) and markdown lines starting with '# '."""
    found = [str(e.value) for e in at.title]
    for e in at.markdown:
        found.extend(line[2:].strip() for line in str(e.value).splitlines() if line.startswith("# "))
    return found


def has_heading(at: AppTest, heading: str) -> bool:
    return any(heading == h or heading in h for h in headings(at))


def exception_text(at: AppTest) -> str:
    """The exceptions shown on the page, message and stack, for a failure message."""
    return "\n\n".join(f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception)


def page_text(at: AppTest) -> str:
    """All visible text -- titles, headers, Markdown, captions and alerts -- joined, for
    "is this on the page" (data strings appear Markdown-escaped: compare with ``md(x)``)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error"):
        parts += [getattr(el, "value", "") or getattr(el, "body", "") for el in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def plotly_specs(at: AppTest) -> list[dict]:
    """The Plotly figures on the page, as their JSON specs."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def bar_charts(at: AppTest) -> list[str]:
    """The progress charts drawn as HTML (kawasaki.figures.bars), as their markup."""
    return [el.proto.body for el in at.get("html") if 'class="kd-bars"' in el.proto.body]


def preformatted_texts(at: AppTest) -> list[str]:
    """The plain preformatted texts on the page (kawasaki.web.tables.preformatted: <pre>,
    no code highlighter), entities decoded."""
    bodies = (el.proto.body for el in at.get("html"))
    return [
        html.unescape(m.group(1))
        for body in bodies
        for m in re.finditer(r"<pre[^>]*>(.*?)</pre>", body, re.S)
    ]


def svg_charts(at: AppTest) -> list[str]:
    """The SVG charts on the page (kawasaki.web.charts: the KPI's series, the heatmap), as
    their markup."""
    return [el.value for el in at.markdown if "<svg " in el.value]


def svg_texts(markup: str) -> dict[str, list[str]]:
    """An SVG chart's <text> contents ("text") and <title>s ("title"), entities decoded."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(markup[markup.index("<svg ") :])
    ns = "{http://www.w3.org/2000/svg}"
    return {
        "text": ["".join(e.itertext()) for e in root.iter(f"{ns}text")],
        "title": ["".join(e.itertext()) for e in root.iter(f"{ns}title")],
        "label": [root.get("aria-label") or ""],
    }


def svg_heatmap(at: AppTest) -> dict[str, list]:
    """The page's SVG heatmap (kawasaki.figures.heatmapsvg) read back from its cells'
    <title>s ("row / column: count", what Plotly's hover said): the rows ("y"), the
    columns ("x") and the counts ("z"), as the Plotly spec had them; "label": its text
    alternative, "texts": every <text>."""
    import xml.etree.ElementTree as ET

    (markup,) = [m for m in svg_charts(at) if 'class="kd-heatbox"' in m]
    box = ET.fromstring(markup[markup.index("<div ") :])
    ns = "{http://www.w3.org/2000/svg}"
    rows: dict[str, dict[str, float]] = {}
    for title in box.iter(f"{ns}title"):
        row, cell = title.text.split("\n")
        column, _, count = cell.rpartition(": ")
        rows.setdefault(row, {})[column] = float(count)
    figure = next(e for e in box.iter("div") if e.get("role") == "img")
    return {
        "y": list(rows),
        "x": list(next(iter(rows.values()), {})),
        "z": [list(cells.values()) for cells in rows.values()],
        "label": figure.get("aria-label"),
        "texts": ["".join(e.itertext()) for e in box.iter(f"{ns}text")],
    }


def url(at: AppTest) -> dict[str, str]:
    """The page's query parameters after the run."""
    return {
        k: at.query_params[k] if isinstance(at.query_params[k], str) else at.query_params[k][0]
        for k in at.query_params
    }


def tables(at: AppTest) -> list:
    """The page's st.table lists as DataFrames of plain text (Streamlit renders table cells
    as Markdown, so the app escapes them; this takes the escapes off again)."""
    import re

    plain = lambda v: re.sub(r"\\(.)", r"\1", v) if isinstance(v, str) else v  # noqa: E731
    return [el.value.map(plain) for el in at.table]
