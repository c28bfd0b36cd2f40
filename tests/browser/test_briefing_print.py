"""The briefing page printed from headless Chromium: no navigation chrome, nothing cut off.

Screenshot: docs/screenshots/briefing-area3-ja.png with ``make screenshots`` (the page as
it prints, at the width of an A4 sheet).
"""

from __future__ import annotations

import unicodedata
from io import BytesIO

import pytest
from pypdf import PdfReader

from kawasaki.i18n import t

from .conftest import full_screenshot, open_app, wait_idle

pytestmark = pytest.mark.browser

DOC = ".st-key-briefing-doc"
# Everything of the page outside the document: the frame's header and as-of line, notices,
# the buttons row, the print hint.
OUTSIDE_DOC = '[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > :not(:has(.st-key-briefing-doc))'
# A4 portrait at 96 CSS px per inch: 794 px wide; the page's @page margins are 12 mm a side,
# which leaves 186 mm ≈ 703 px for the document.
A4_WIDTH = 794
PRINTABLE_WIDTH = 703

CHROME = {
    "top navigation": '[data-testid="stTopNav"]',
    "Streamlit header": '[data-testid="stHeader"]',
    "toolbar": '[data-testid="stToolbar"]',
    "download buttons": '[data-testid="stDownloadButton"]',
    "buttons": '[data-testid="stButton"]',
    "language switch": '[data-testid="stButtonGroup"]',
    "glossary": '[data-testid="stPopover"]',
}


def flat(text: str) -> str:
    """Text without whitespace, NFKC-normalised: Chromium's PDFs map some ideographs to
    Kangxi radicals (⽣ for 生), which NFKC folds back (not all: ⺠ for 民 stays)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def render_everything(page) -> None:
    """Scroll the document through once: Streamlit draws some elements only when seen."""
    page.evaluate(
        """async () => {
          const m = document.querySelector('[data-testid="stMain"]') || document.scrollingElement;
          for (let y = 0; y < m.scrollHeight; y += 300) { m.scrollTop = y; await new Promise(r => setTimeout(r, 40)); }
          m.scrollTop = 0;
        }"""
    )
    wait_idle(page, quiet=0.5)


def visible(page, selector: str) -> list[str]:
    """Which elements matching ``selector`` take up space on the page."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)]
             .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
             .map(e => (e.innerText || e.dataset.testid || e.tagName).slice(0, 40))""",
        selector,
    )


def test_briefing_prints_without_chrome_and_without_cut_charts(page, page_log, screenshot_dir):
    open_app(page, "/briefing?area=3")
    assert not page.locator('[data-testid="stException"]').count(), page_log.server_output()
    title = t("briefing.title_area", "ja", n=3, name="市民生活を豊かにする環境づくり")
    assert page.locator("h1", has_text=title).count() == 1
    # on screen: the chrome that must not print is there (so the checks below mean something)
    for name in ("top navigation", "download buttons", "buttons", "language switch", "glossary"):
        assert visible(page, CHROME[name]), f"no {name} on screen ({CHROME[name]})"
    render_everything(page)

    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": 1000})
    wait_idle(page, quiet=0.5)
    shown = {name: visible(page, sel) for name, sel in CHROME.items()}
    assert not any(shown.values()), (
        f"printed although it should not be: { {k: v for k, v in shown.items() if v} }"
    )
    assert visible(page, DOC), "the document itself is hidden in print"
    outside = visible(page, OUTSIDE_DOC)
    assert not outside, f"printed beside the document (frame header, notices, buttons): {outside}"

    # Nothing wider than the printable width of A4: charts, tables and text all fit.
    too_wide = page.evaluate(
        """([sel, width]) => [...document.querySelectorAll(sel + ' *')]
             .filter(e => e.getBoundingClientRect().right > width + 1)
             .map(e => (e.dataset.testid || e.className.baseVal || e.className || e.tagName).toString().slice(0, 50))
             .slice(0, 5)""",
        [DOC, PRINTABLE_WIDTH],
    )
    assert not too_wide, f"wider than A4's printable width ({PRINTABLE_WIDTH} px): {too_wide}"
    charts = page.locator(f"{DOC} .kd-bars")  # the progress bars, HTML (kawasaki/figures/bars.py)
    assert charts.count() >= 1

    page.set_viewport_size({"width": A4_WIDTH, "height": 1123})
    wait_idle(page, quiet=0.5)
    full_screenshot(page, screenshot_dir / "briefing-area3-ja.png")

    # Chromium's own PDF of the page (what "Print > Save as PDF" gives): A4, every KPI and
    # the last line of the document are in it, so nothing was cut off at a page end.
    pdf = PdfReader(BytesIO(page.pdf(format="A4", print_background=True, prefer_css_page_size=True)))
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in pdf.pages} == {(595, 842)}
    text = flat("\n".join(p.extract_text() for p in pdf.pages))
    for expected in (
        "政策分野3",
        "2023年度▲35.0%",
        "2027年度▲45.4%以上",
        "2024年度143万本",
        "2029年度178万本以上",
        t("briefing.legend", "ja"),
        t("briefing.sources", "ja"),  # the last section…
        "施策の本文と数値）",  # …and the end of its last line
    ):
        assert flat(expected) in text, f"{expected!r} missing from the printed PDF"
    assert flat(t("nav.home", "ja")) not in text[:200], "the navigation was printed"
    assert len(pdf.pages) <= 3, f"{len(pdf.pages)} pages for two KPIs: something is stretched"
    assert not page_log.page_errors, page_log.page_errors


def test_briefing_downloads_pdf_and_png(page, page_log):
    """The buttons deliver a PDF and a PNG made on click by the server (kaleido, fpdf2)."""
    open_app(page, "/briefing?area=3&lang=en")
    downloads = {}
    for label in (
        t("briefing.download_pdf", "en"),
        t("briefing.download_png", "en", name=t("briefing.chart", "en")),
    ):
        with page.expect_download(timeout=90_000) as info:
            page.get_by_role("button", name=label).click()
        download = info.value
        with open(download.path(), "rb") as fh:
            downloads[download.suggested_filename] = fh.read()
    assert set(downloads) == {"kawasaki-briefing-area-3-en.pdf", "kawasaki-briefing-area-3-en-1.png"}
    assert downloads["kawasaki-briefing-area-3-en.pdf"].startswith(b"%PDF")
    assert downloads["kawasaki-briefing-area-3-en-1.png"].startswith(b"\x89PNG")
    text = flat(
        "\n".join(
            p.extract_text() for p in PdfReader(BytesIO(downloads["kawasaki-briefing-area-3-en.pdf"])).pages
        )
    )
    assert flat("FY2029 1,780,000 trees or more") in text
    assert not page_log.page_errors, page_log.page_errors
