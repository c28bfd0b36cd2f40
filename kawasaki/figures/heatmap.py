"""The goals × initiatives heatmap: counts of linked SDG targets, one cell per row and
column, with dark numbers on a light-to-mid blue scale: what it shows
(``heatmap_model``), drawn as inline SVG by ``heatmapsvg`` (no export draws it with
Plotly any more).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kawasaki.figures.labels import wrap_lines

# Heatmap cells: white for 0, then light to mid blue. The darkest blue still gives the
# cell's number (TEXT) a contrast of 5.1:1, so every number meets WCAG 1.4.3 (4.5:1).
HEATMAP_COLORSCALE = [[0, "#FFFFFF"], [0.0001, "#DCEAF5"], [1, "#4292C6"]]


@dataclass(frozen=True)
class Heat:
    """What the heatmap shows: rows (full and wrapped labels), columns (full and axis
    labels), counts, each cell's number, colour and hover lines, the axis title."""

    rows: tuple[str, ...]
    row_lines: tuple[tuple[str, ...], ...]  # each row's label in at most 3 lines
    cols: tuple[str, ...]
    col_ticks: tuple[str, ...]  # '13' for '目標13' at goal level (17 columns fit a phone)
    counts: tuple[tuple[float, ...], ...]
    texts: tuple[tuple[str, ...], ...]  # the cell's number; '' for 0
    colours: tuple[tuple[str, ...], ...]
    hovers: tuple[tuple[tuple[str, str], ...], ...]  # (row, 'column: count')
    axis_title: str | None


def scale_colour(value: float, top: float) -> str:
    """A count's colour on HEATMAP_COLORSCALE (zmin 0, zmax ``top``), as Plotly
    interpolates it (in RGB between the scale's stops).

    >>> scale_colour(0, 6), scale_colour(6, 6), scale_colour(3, 6)
    ('#FFFFFF', '#4292C6', '#8FBEDE')
    """
    frac = 0.0 if top <= 0 else max(0.0, min(value / top, 1.0))
    for (lo, a), (hi, b) in zip(HEATMAP_COLORSCALE, HEATMAP_COLORSCALE[1:], strict=False):
        if frac <= hi:
            w = 0.0 if hi == lo else (frac - lo) / (hi - lo)
            rgb = [round(int(a[i : i + 2], 16) * (1 - w) + int(b[i : i + 2], 16) * w) for i in (1, 3, 5)]
            return "#" + "".join(f"{c:02X}" for c in rgb)
    return HEATMAP_COLORSCALE[-1][1]


def heatmap_model(
    table: pd.DataFrame,
    row_labels: list[str],
    col_labels: list[str],
    lang: str,
    *,
    tick_labels: list[str] | None = None,
    axis_title: str | None = None,
) -> Heat:
    """The heatmap of ``table`` (one row per matrix row, one column per column)."""
    z = table.to_numpy(dtype=float).tolist()
    top = max((v for row in z for v in row), default=0.0)
    return Heat(
        rows=tuple(row_labels),
        row_lines=tuple(tuple(wrap_lines(r, 10 if lang == "ja" else 18, 3)) for r in row_labels),
        cols=tuple(col_labels),
        col_ticks=tuple(tick_labels if tick_labels is not None else col_labels),
        counts=tuple(tuple(row) for row in z),
        texts=tuple(tuple(str(int(v)) if v > 0 else "" for v in row) for row in z),
        colours=tuple(tuple(scale_colour(v, top) for v in row) for row in z),
        hovers=tuple(
            tuple((r, f"{c}: {int(v)}") for c, v in zip(col_labels, row, strict=True))
            for r, row in zip(row_labels, z, strict=True)
        ),
        axis_title=axis_title,
    )
