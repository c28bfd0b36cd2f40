"""One KPI over the years as a Plotly figure (the briefing's PNG and PDF): what
``series.series_model`` says the chart shows, drawn as scatter traces.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from kawasaki.figures.layout import GRID, figure
from kawasaki.figures.series import Line, Markers, series_model


def _line(line: Line) -> dict[str, Any]:
    """A line trace (no hover: its points have their own)."""
    style = {"color": line.colour, "width": line.width} | ({"dash": "dash"} if line.dash else {})
    return dict(
        type="scatter",
        x=[x for x, _ in line.xy],
        y=[y for _, y in line.xy],
        mode="lines",
        line=style,
        name=html.escape(line.name),
        hoverinfo="skip",
    )


def _markers(m: Markers) -> dict[str, Any]:
    """The points of one kind with their values above them (Plotly draws a few tags in
    texts: every string is escaped)."""
    return dict(
        type="scatter",
        x=[p.x for p in m.points],
        y=[p.y for p in m.points],
        mode="markers+text",
        marker={"symbol": m.symbol, "size": m.size, "color": m.colour},
        text=[html.escape(p.label) for p in m.points],
        textposition="top center",
        name=html.escape(m.name),
        hovertext=[html.escape(p.hover) for p in m.points],
        hoverinfo="text",
    )


def kpi_timeseries(kpi: dict[str, Any], observations: pd.DataFrame, lang: str) -> go.Figure:
    """Baseline, actual values and target over the years, with the straight line between."""
    s = series_model(kpi, observations, lang)
    note = {"text": html.escape(s.note), "xref": "paper", "yref": "paper", "x": 1, "y": 1, "showarrow": False}
    return figure(
        [_line(line) for line in s.lines] + [_markers(m) for m in s.markers],
        340,
        showlegend=True,
        legend={"orientation": "h", "y": -0.2},
        annotations=[note | {"xanchor": "right", "yanchor": "top"}] if s.note else [],
        xaxis={
            "tickvals": [x for x, _ in s.x_ticks],
            "ticktext": [html.escape(label) for _, label in s.x_ticks],
            "range": list(s.x_range),
            "gridcolor": GRID,
            "fixedrange": True,
        },
        yaxis={
            "tickvals": [v for v, _ in s.y_ticks],
            "ticktext": [label for _, label in s.y_ticks],
            "range": list(s.y_range),
            "title": {"text": html.escape(s.unit)},
            "gridcolor": GRID,
            "fixedrange": True,
            "automargin": True,  # room for tick labels such as '▲45' (the left margin is small)
        },
    )
