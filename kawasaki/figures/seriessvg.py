"""One KPI over the years as inline SVG (no Plotly): what ``series.series_model`` says
the chart shows, as the Plotly figure of ``timeseries.kpi_timeseries`` draws it: the
grid and its tick labels, the unit, the dashed straight line from baseline to target,
the line of actual values, each point with its value above it and its hover text as a
<title>, the legend, and "no data" when there is no actual value. Every label is a
<text> (find-in-page); the figure is an image named by the page's sentence.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kawasaki.figures.layout import FONT, GRID, TEXT
from kawasaki.figures.series import Series, series_model
from kawasaki.figures.svg import esc, num, svg_root, symbol, text, text_width

W = 400  # the viewBox's width: on a 390 px phone a 13 px label is drawn at about 12 px
FS = 13  # font size of every label
TOP, PLOT_H, RIGHT = 36, 180, 14
CSS = (
    ".kd-series{display:block;width:100%;height:auto;max-width:640px;margin:0 0 8px 0}"
    f".kd-series text{{font-family:{FONT};font-size:{FS}px;fill:{TEXT}}}"
    # a value stays readable where a line runs under it: a white halo round its letters
    ".kd-series .kd-sv{font-weight:700;paint-order:stroke;stroke:#FFFFFF;stroke-width:3px;stroke-linejoin:round}"
)


class _Axes:
    """Data coordinates → viewBox coordinates for a plot area."""

    def __init__(self, s: Series, left: float) -> None:
        self.s, self.left, self.right = s, left, W - RIGHT

    def x(self, v: float) -> float:
        lo, hi = self.s.x_range
        return self.left + (v - lo) / (hi - lo) * (self.right - self.left)

    def y(self, v: float) -> float:
        lo, hi = self.s.y_range
        return TOP + PLOT_H - (v - lo) / (hi - lo) * PLOT_H


def _grid(s: Series, ax: _Axes) -> tuple[str, float]:
    """Grid lines with the y tick labels left of them and the x tick labels under the
    plot (every other one lower when they would touch); the y under the labels."""
    parts = []
    for v, label in s.y_ticks:
        if s.y_range[0] <= v <= s.y_range[1]:
            y = ax.y(v)
            parts.append(
                f'<line x1="{num(ax.left)}" x2="{num(ax.right)}" y1="{num(y)}" y2="{num(y)}" stroke="{GRID}"/>'
            )
            parts.append(text(ax.left - 6, y + FS / 3, label, anchor="end"))
    xs = [ax.x(p) for p, _ in s.x_ticks]
    gap = min((b - a for a, b in zip(xs, xs[1:], strict=False)), default=W)
    widest = max(text_width(label, FS) for _, label in s.x_ticks)
    stagger = widest + 6 > gap
    bottom = TOP + PLOT_H
    for n, ((_, label), x) in enumerate(zip(s.x_ticks, xs, strict=True)):
        parts.append(f'<line x1="{num(x)}" x2="{num(x)}" y1="{TOP}" y2="{bottom}" stroke="{GRID}"/>')
        parts.append(text(x, bottom + 16 + (FS + 3) * (n % 2 if stagger else 0), label, anchor="middle"))
    return "".join(parts), bottom + 16 + (FS + 3 if stagger else 0)


def _lines(s: Series, ax: _Axes) -> str:
    """The straight line (dashed) and the line of actual values."""
    out = []
    for line in s.lines:
        pts = " ".join(f"{num(ax.x(x))},{num(ax.y(y))}" for x, y in line.xy)
        dash = ' stroke-dasharray="7 5"' if line.dash else ""
        out.append(
            f'<polyline points="{pts}" fill="none" stroke="{line.colour}" stroke-width="{line.width}"{dash}/>'
        )
    return "".join(out)


def _points(s: Series, ax: _Axes) -> str:
    """Each point with its hover text as a <title>; its value above it (below it when
    that would run into a value already placed), kept inside the chart."""
    marks, labels, boxes = [], [], []
    for m in s.markers:
        for p in m.points:
            x, y = ax.x(p.x), ax.y(p.y)
            marks.append(f"<g><title>{esc(p.hover)}</title>{symbol(m.symbol, x, y, m.size, m.colour)}</g>")
            w = text_width(p.label, FS)
            cx = min(max(x, ax.left + w / 2), W - w / 2 - 1)
            for ly in (y - m.size / 2 - 5, y + m.size / 2 + FS + 3):
                box = (cx - w / 2, ly - FS, cx + w / 2, ly + 2)
                if not any(
                    a[0] < box[2] and box[0] < a[2] and a[1] < box[3] and box[1] < a[3] for a in boxes
                ):
                    break
            boxes.append(box)
            labels.append(text(cx, ly, p.label, "kd-sv", "middle"))
    return "".join(marks) + "".join(labels)


def _legend(s: Series, y: float) -> tuple[str, float]:
    """The legend under the chart, wrapped into rows: the straight line, then each kind
    of point (the line of actual values is named by its points)."""
    items = [
        (
            f'<line x1="0" x2="16" y1="0" y2="0" stroke="{line.colour}" stroke-width="2" stroke-dasharray="5 3"/>',
            16,
            line.name,
        )
        for line in s.lines
        if line.dash
    ]
    items += [(symbol(m.symbol, 6, 0, m.size * 0.85, m.colour), 12, m.name) for m in s.markers]
    parts, x = [], 0.0
    for mark, mark_w, name in items:
        w = mark_w + 5 + text_width(name, FS)
        if x and x + w > W:
            x, y = 0.0, y + FS + 10
        parts.append(f'<g transform="translate({num(x)},{num(y)})">{mark}</g>')
        parts.append(text(x + mark_w + 5, y + FS / 3, name))
        x += w + 16
    return "".join(parts), y + FS


def kpi_series_svg(kpi: dict[str, Any], observations: pd.DataFrame, lang: str, summary: str) -> str:
    """The chart as an escaped <svg> (with its CSS) named by ``summary``, the sentence
    the page also shows."""
    s = series_model(kpi, observations, lang)
    left = max(text_width(label, FS) for _, label in s.y_ticks) + 10
    ax = _Axes(s, left)
    grid, under = _grid(s, ax)
    legend, height = _legend(s, under + 26)
    head = text(0, 14, s.unit)
    if s.note:
        head += text(W - 1, 14, s.note, anchor="end")
    body = head + grid + _lines(s, ax) + _points(s, ax) + legend
    return f"<style>{CSS}</style>" + svg_root(W, height + 6, summary, body, "kd-series")
