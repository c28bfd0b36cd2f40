"""The chart bundles a page loads: Plotly's 4.7 MB chunk, deck.gl's 3 MB, the canvas data
grid's and the code highlighter's (st.code, 1.5 MB) are loaded by Streamlit only when a page
draws such an element, and on a phone every one of them costs seconds. docs/performance.md
("What each page loads") lists each page's; test_accessibility.test_page checks every page's
load against it, test_bundles the markers and the table itself. A chunk is named by a marker
inside the file (its file name carries a hash that changes with every Streamlit release)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from kawasaki.paths import ROOT

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


def static_dir() -> Path:
    """The folder Streamlit serves its front end from."""
    from streamlit import file_util

    return Path(file_util.get_static_dir())


def static_js() -> list[Path]:
    """Streamlit's JavaScript chunks."""
    return list((static_dir() / "static" / "js").glob("*.js"))


def bundles_in(urls: list[str]) -> set[str]:
    """The bundles among the JavaScript files at ``urls`` (read from Streamlit's folder)."""
    folder = static_dir()
    found = set()
    for url in urls:
        data = (folder / urlsplit(url).path.lstrip("/")).read_bytes()
        found |= {name for name, marker in MARKERS.items() if marker in data}
    return found


def scripts_requested(page) -> list[str]:
    """The URLs of the JavaScript chunks ``page`` requests from now on (a live list)."""
    scripts: list[str] = []
    page.on("request", lambda r: "/static/js/" in r.url and scripts.append(r.url))
    return scripts
