"""The goals × initiatives heatmap as inline SVG (no Plotly): what
``heatmap.heatmap_model`` shows, drawn as the Plotly heatmap was: row labels in up to
three lines, column labels above the cells (the goal numbers under the axis title, or
the target ids turned upright), each cell in its colour with its count, and the hover
text ("row / column: count") as the cell's <title>.

The chart keeps its size (labels stay readable on a phone): when it is wider than the
column (17 goals on a phone, up to 169 targets anywhere) it scrolls sideways inside its
own box, a region reached with Tab, never the page; the row labels stay in view (a
second <svg>, sticky on the left). Both <svg>s make one image named by the page's sentence.
"""

from __future__ import annotations

import pandas as pd

from kawasaki.figures.heatmap import Heat, heatmap_model
from kawasaki.figures.layout import FONT, TEXT
from kawasaki.figures.svg import esc, num, svg_part, text, text_width
from kawasaki.i18n import t
from kawasaki.matrix import Matrix, column_labels, summary

FS = 12  # font size of every label and count
CH = 46  # a row's height: room for a label of three lines
CSS = (
    ".kd-heatbox{overflow-x:auto;max-width:100%;margin:0 0 8px 0}"
    ".kd-heatbox:focus-visible{outline:2px solid #00698C;outline-offset:1px}"
    ".kd-heatfig{display:flex;width:max-content}"
    ".kd-heatfig svg{display:block;flex:none}"
    ".kd-heatrows{position:sticky;left:0;z-index:1;background:#FFFFFF}"
    f".kd-heatfig text{{font-family:{FONT};font-size:{FS}px;fill:{TEXT}}}"
)


def _header(h: Heat, cw: float) -> tuple[str, float]:
    """The column labels (upright when there are more than 17) and the axis title
    above the cells; the header's height."""
    if len(h.cols) > 17:
        height = max(text_width(c, FS) for c in h.col_ticks) + 10
        labels = "".join(
            f'<text transform="translate({num((j + 0.5) * cw + FS / 3)},{num(height - 5)}) rotate(-90)">'
            f"{esc(c)}</text>"
            for j, c in enumerate(h.col_ticks)
        )
        return labels, height
    height = 40 if h.axis_title else 22
    labels = "".join(text((j + 0.5) * cw, height - 7, c, anchor="middle") for j, c in enumerate(h.col_ticks))
    if h.axis_title:
        labels += text(2, 14, h.axis_title)  # at the start: in view on a phone before any scrolling
    return labels, height


def _row_labels(h: Heat, width: float, top: float) -> str:
    """Each row's label, its lines centred on the row, right-aligned before the cells."""
    out = []
    for i, lines in enumerate(h.row_lines):
        first = top + i * CH + CH / 2 - (len(lines) - 1) * (FS + 2) / 2 + FS / 3
        spans = "".join(
            f'<tspan x="{num(width - 6)}" y="{num(first + n * (FS + 2))}">{esc(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        out.append(f'<text text-anchor="end">{spans}</text>')
    return "".join(out)


def _cells(h: Heat, top: float, cw: float) -> str:
    """Every cell: its colour, its count (none for 0), its hover text as a <title>."""
    out = []
    for i, row in enumerate(h.counts):
        y = top + i * CH
        for j in range(len(row)):
            x = j * cw
            r, c = h.hovers[i][j]
            count = h.texts[i][j]
            number = text(x + cw / 2, y + CH / 2 + FS / 3, count, anchor="middle") if count else ""
            out.append(
                f"<g><title>{esc(r)}&#10;{esc(c)}</title>"
                f'<rect x="{num(x + 0.5)}" y="{num(y + 0.5)}" width="{num(cw - 1)}" height="{CH - 1}" '
                f'fill="{h.colours[i][j]}"/>{number}</g>'
            )
    return "".join(out)


def heatmap_svg(h: Heat, summary_text: str, region: str) -> str:
    """The heatmap as escaped SVG, one image named by ``summary_text``, in a box named
    ``region`` that scrolls sideways when the chart is wider than the column."""
    cw = 30.0 if len(h.cols) <= 17 else 22.0
    left = max(text_width(line, FS) for lines in h.row_lines for line in lines) + 12
    header, top = _header(h, cw)
    width, height = len(h.cols) * cw + 2, top + len(h.rows) * CH + 2
    size = f'width="{num(left)}" height="{num(height)}"'
    rows = svg_part(left, height, _row_labels(h, left, top), "kd-heatrows", size)
    size = f'width="{num(width)}" height="{num(height)}"'
    cells = svg_part(width, height, header + _cells(h, top, cw), "kd-heat", size)
    return (
        f'<style>{CSS}</style><div class="kd-heatbox" role="region" tabindex="0" aria-label="{esc(region)}">'
        f'<div class="kd-heatfig" role="img" aria-label="{esc(summary_text)}">{rows}{cells}</div></div>'
    )


def matrix_heatmap_svg(
    table: pd.DataFrame,
    row_labels: list[str],
    col_labels: list[str],
    lang: str,
    summary_text: str,
    *,
    tick_labels: list[str] | None = None,
    axis_title: str | None = None,
) -> str:
    """``heatmap_svg`` of a table of counts (one row per matrix row, one column per
    column); ``tick_labels`` are shorter column labels for the axis ('13' for '目標13')."""
    h = heatmap_model(table, row_labels, col_labels, lang, tick_labels=tick_labels, axis_title=axis_title)
    return heatmap_svg(h, summary_text, t("heatmap.region", lang))


def matrix_svg(matrix: Matrix, level: str, row_labels: dict[str, str], lang: str) -> str:
    """The heatmap of a built matrix (kawasaki.matrix) as the app and the pre-rendered
    document show it: named by the matrix's sentence; at goal level the goal numbers
    alone on the axis under the title 目標."""
    goal = level == "goal"
    return matrix_heatmap_svg(
        matrix.counts,
        [row_labels[r] for r in matrix.counts.index],
        column_labels(matrix, level, lang),
        lang,
        summary(matrix, level, row_labels, lang),
        tick_labels=[str(c) for c in matrix.counts.columns] if goal else None,
        axis_title=t("word.goal", lang) if goal else None,
    )
