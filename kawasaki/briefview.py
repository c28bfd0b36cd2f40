"""Streamlit glue of the briefing page: the print style sheet and cached PDF/PNG exports.

Exports are made only when a download button is clicked (``st.download_button`` with a
callable), then cached by database version, chart / briefing name (scope + language)
and, for the PDF, the date it was prepared. The PDF reuses the cached chart images.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from kawasaki import export, ui
from kawasaki.briefing import Briefing, Chart
from kawasaki.pdf import render_pdf

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


@st.cache_data(max_entries=128, show_spinner=False)
def _chart_png(key: ui.DbKey, name: str, _figure: go.Figure) -> bytes:
    """One chart as PNG; ``name`` says which (scope, language, number), ``key`` which data."""
    export.keep_server_running()
    return export.chart_png(_figure)


@st.cache_data(max_entries=32, show_spinner=False)
def _pdf(key: ui.DbKey, stem: str, generated: str, _briefing: Briefing) -> bytes:
    """The briefing as PDF (its charts from the PNG cache)."""
    export.keep_server_running()
    return render_pdf(_briefing, png=lambda chart: _chart_png(key, chart.name, chart.figure))


def png_download(chart: Chart) -> Callable[[], bytes]:
    """What the chart's download button calls (on click, in another thread)."""
    key = ui.db_key()
    return lambda: _chart_png(key, chart.name, chart.figure)


def pdf_download(briefing: Briefing) -> Callable[[], bytes]:
    """What the PDF download button calls (on click, in another thread)."""
    key = ui.db_key()
    return lambda: _pdf(key, briefing.file_stem, briefing.generated.isoformat(), briefing)
