"""The goals × initiatives heatmap: counts of linked SDG targets, one cell per row and
column, with dark numbers on a light-to-mid blue scale.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from kawasaki.figures.labels import wrap_label
from kawasaki.figures.layout import TEXT, figure

# Heatmap cells: white for 0, then light to mid blue. The darkest blue still gives the
# cell's number (TEXT) a contrast of 5.1:1, so every number meets WCAG 1.4.3 (4.5:1).
HEATMAP_COLORSCALE = [[0, "#FFFFFF"], [0.0001, "#DCEAF5"], [1, "#4292C6"]]


def matrix_heatmap(
    table: pd.DataFrame,
    row_labels: list[str],
    col_labels: list[str],
    lang: str,
    *,
    tick_labels: list[str] | None = None,
    axis_title: str | None = None,
) -> go.Figure:
    """Heatmap of counts: ``table`` has one row per matrix row and one column per column.

    Cell numbers are dark text on a light-to-mid blue scale (contrast >= 4.5:1 in every
    cell, tests/test_colour_vision.py). ``tick_labels`` are shorter column labels for the
    axis (e.g. '13' for '目標13', so that 17 columns fit a phone); the hover text keeps
    ``col_labels``.
    """
    z = table.to_numpy(dtype=float).tolist()
    text = [[str(int(v)) if v > 0 else "" for v in row] for row in z]
    hover = [
        [f"{html.escape(r)}<br>{html.escape(c)}: {int(v)}" for c, v in zip(col_labels, row, strict=True)]
        for r, row in zip(row_labels, z, strict=True)
    ]
    heatmap = dict(
        type="heatmap",
        z=z,
        x=col_labels,
        y=[wrap_label(r, 10 if lang == "ja" else 18, 3) for r in row_labels],
        text=text,
        texttemplate="%{text}",
        textfont={"size": 11, "color": TEXT},
        hovertext=hover,
        hoverinfo="text",
        colorscale=HEATMAP_COLORSCALE,
        zmin=0,
        showscale=False,
        xgap=1,
        ygap=1,
    )
    xaxis: dict[str, Any] = {
        "side": "top",
        "type": "category",  # target ids such as '1.2' are labels, not numbers
        "fixedrange": True,
        "automargin": True,  # room for the labels above the cells (the top margin is small)
        "tickangle": 0 if len(col_labels) <= 17 else -60,
        "tickfont": {"size": 11},
    }
    if tick_labels is not None:
        xaxis.update(tickmode="array", tickvals=list(col_labels), ticktext=list(tick_labels))
    if axis_title:
        xaxis["title"] = {"text": axis_title, "standoff": 4}
    return figure(
        [heatmap],
        90 + 40 * len(row_labels),
        xaxis=xaxis,
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True, "tickfont": {"size": 11}},
    )
