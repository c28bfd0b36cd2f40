"""The briefing page's Streamlit parts: the print style sheet, the scope reset, and the
PDF and chart PNG exports, made on click and shared through kawasaki.web.cache.

A briefing is known by its scope, language and the date it was prepared; its PDF
reuses the chart images already made.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import streamlit as st

from kawasaki import export
from kawasaki.briefing import Briefing, build_briefing
from kawasaki.i18n import t
from kawasaki.pdf import message_pdf, pdf_problem, render_pdf
from kawasaki.web.cache import derived, q

_LOG = logging.getLogger(__name__)

# Width of the document column on screen, in CSS px. Charts are drawn at this width, so
# they fit the printable width of A4 portrait with 12 mm margins (186 mm ≈ 703 px).
DOC_WIDTH = 680
DOC_KEY = "briefing-doc"  # the container of the document: class "st-key-briefing-doc"
KEEP_KEY = "briefing-keep"  # containers kept on one printed page: a heading with its chart

# Print: only the document container; no header, navigation, buttons or chooser;
# no page break inside a chart or a table row; the document flows over A4 pages.
# Selectors checked against the DOM served by Streamlit 1.67 (tests/browser/test_briefing_print.py).
PRINT_CSS = f"""<style>
@media print {{
  @page {{ size: A4 portrait; margin: 12mm 12mm 14mm 12mm; }}
  html, body, #root, [data-testid="stApp"], [data-testid="stAppViewContainer"],
  [data-testid="stMain"], [data-testid="stMainBlockContainer"] {{
    height: auto !important; min-height: 0 !important; max-height: none !important;
    overflow: visible !important; position: static !important; background: #fff !important;
  }}
  [data-testid="stMainBlockContainer"] {{ padding: 0 !important; max-width: none !important; }}
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stBottom"], [data-testid="stTopNav"], header, nav {{ display: none !important; }}
  [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > :not(:has(.st-key-{DOC_KEY})) {{
    display: none !important;
  }}
  .st-key-{DOC_KEY} {{ width: 100% !important; max-width: 100% !important; }}
  .st-key-{DOC_KEY} [data-testid="stPlotlyChart"], .st-key-{DOC_KEY} [data-testid="stTable"] tr,
  .st-key-{DOC_KEY} [class*="st-key-{KEEP_KEY}-"],
  .st-key-{DOC_KEY} [data-testid="stAlert"] {{ break-inside: avoid; page-break-inside: avoid; }}
  .st-key-{DOC_KEY} h1, .st-key-{DOC_KEY} h2, .st-key-{DOC_KEY} h3 {{ break-after: avoid; page-break-after: avoid; }}
  .st-key-{DOC_KEY} h1 {{ font-size: 1.7rem !important; padding-top: 0.25rem !important; }}
  .st-key-{DOC_KEY} h3 {{ font-size: 1.2rem !important; }}
  [data-testid="stDownloadButton"], [data-testid="stButton"], [data-testid="stPageLink"],
  .modebar-container {{ display: none !important; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
</style>"""


def clear_scope() -> None:
    """Drop the briefing's scope from the URL (the 'choose another briefing' button).

    A button, not ``st.page_link`` to this same page: in Streamlit 1.67 such a link runs
    the page without the parameters but leaves them in the browser's address bar.
    """
    for param in ("area", "pillar", "goal", "kpi"):
        if param in st.query_params:
            del st.query_params[param]


def print_style() -> None:
    """Add the print style sheet to the page."""
    st.html(PRINT_CSS)


def briefing(kind: str, value: str, lang: str, today: dt.date, since: str | None = None) -> Briefing:
    """The briefing of one scope (with the changes since ``since``), shared per database version."""
    return q(build_briefing, kind, value, lang, today, since)


def chart_png(kind: str, value: str, lang: str, today: dt.date, name: str) -> bytes:
    """The briefing's chart ``name`` as PNG (use through ``derived``); the charts do not
    depend on "changes since"."""
    chart = next(c for c in briefing(kind, value, lang, today).charts if c.name == name)
    export.keep_server_running()
    return export.chart_png(chart.figure)


def briefing_pdf(kind: str, value: str, lang: str, today: dt.date, since: str | None = None) -> bytes:
    """The briefing as PDF, its charts from ``chart_png`` (use through ``derived``)."""
    export.keep_server_running()
    return render_pdf(
        briefing(kind, value, lang, today, since),
        png=lambda chart: derived(chart_png, kind, value, lang, today, chart.name),
    )


def png_download(b: Briefing, name: str) -> Callable[[], bytes]:
    """What a chart's download button calls (on click, in another thread)."""
    args = (b.scope.kind, b.scope.value, b.lang, b.generated, name)
    return lambda: derived(chart_png, *args)


def pdf_download(b: Briefing) -> Callable[[], bytes]:
    """What the PDF download button calls (on click, in another thread).

    A failure cannot reach the page from there (Streamlit only logs it, and the button
    seemed to do nothing): the download is then a one-page PDF that says what failed
    and to print the page instead; the details go to the log.
    """
    args = (b.scope.kind, b.scope.value, b.lang, b.generated, b.since.isoformat() if b.since else None)

    def make() -> bytes:
        try:
            return derived(briefing_pdf, *args)
        except Exception as exc:  # noqa: BLE001 - any failure: a message, not a dead button
            _LOG.error("the briefing PDF %s could not be made", args, exc_info=True)
            return message_pdf(t("briefing.pdf_failed", b.lang, reason=f"{type(exc).__name__}: {exc}"[:300]))

    return make


def pdf_unavailable(lang: str) -> str | None:
    """The message the page shows instead of the PDF button when no PDF can be made here."""
    problem = pdf_problem()
    return t("briefing.pdf_failed", lang, reason=problem) if problem else None
