"""The SVG charts in Chromium on a phone (390 px): the heatmap's up to 169 target columns
scroll sideways inside its own box (reached with Tab, named), never the page; the row
labels stay in view; the KPI's series fits the column."""

from __future__ import annotations

import pandas as pd
import pytest

from kawasaki.figures.heatmapsvg import matrix_heatmap_svg

from .conftest import assert_no_horizontal_scroll, open_app

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}

_BOX = """() => { const b = document.querySelector('.kd-heatbox');
  const rows = b.querySelector('.kd-heatrows').getBoundingClientRect();
  return {scroll: b.scrollWidth, width: b.clientWidth, right: b.getBoundingClientRect().right,
          tab: b.tabIndex, role: b.getAttribute('role'), name: b.getAttribute('aria-label'),
          rowsLeft: rows.left - b.getBoundingClientRect().left}; }"""


def _wide_heatmap() -> str:
    """A heatmap of 21 rows × 169 targets (every SDG target), as the page would draw it."""
    cols = [f"{g}.{n}" for g in range(1, 18) for n in range(1, 11)][:169]
    table = pd.DataFrame([[(r + c) % 3 for c in range(169)] for r in range(21)], columns=cols)
    rows = [f"{r}-① 長い取組の名前がここに入る取組 {r}" for r in range(21)]
    return matrix_heatmap_svg(table, rows, cols, "ja", "21行×169列のヒートマップ")


@pytest.mark.parametrize("viewport", [PHONE], ids=["390x844"])
def test_the_169_column_heatmap_scrolls_in_its_box_not_the_page(page):
    open_app(page, "/matrix?level=target")
    assert_no_horizontal_scroll(page)  # the 96 targets of the plan's data
    # the widest the matrix can be (169 targets) in place of the page's heatmap
    page.evaluate(
        "(html) => { document.querySelector('.kd-heatbox').outerHTML = html; }",
        _wide_heatmap().split("</style>", 1)[1],
    )
    box = page.evaluate(_BOX)
    assert box["scroll"] > 3000 and box["width"] <= 390 and box["right"] <= 390, box
    assert (
        box["tab"] == 0
        and box["role"] == "region"
        and box["name"] == "ヒートマップ（横にスクロールできます）"
    )
    assert_no_horizontal_scroll(page)
    page.evaluate("() => { document.querySelector('.kd-heatbox').scrollLeft = 2000; }")
    assert page.evaluate(_BOX)["rowsLeft"] == pytest.approx(0, abs=1)  # the row labels stay in view
    page.locator(".kd-heatbox").focus()
    page.keyboard.press("ArrowLeft")  # the keyboard scrolls it
    page.wait_for_function("() => document.querySelector('.kd-heatbox').scrollLeft < 2000", timeout=5000)


@pytest.mark.parametrize("viewport", [PHONE], ids=["390x844"])
def test_the_kpi_series_fits_a_phone_and_keeps_its_labels_readable(page):
    open_app(page, "/progress?kpi=ghg-reduction")
    assert_no_horizontal_scroll(page)
    size = page.evaluate(
        """() => { const s = document.querySelector('svg.kd-series');
          const label = [...s.querySelectorAll('text')].find((t) => t.textContent === '▲45.4%');
          return {width: s.getBoundingClientRect().width, font: label.getBoundingClientRect().height}; }"""
    )
    assert 300 < size["width"] <= 390 and size["font"] >= 11, size  # drawn ≥ 11 px on the phone
