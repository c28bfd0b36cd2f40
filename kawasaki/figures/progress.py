"""The progress chart: a bar per KPI from baseline (0%) to target (100%), coloured by
status, with a diamond at the straight-line position of the latest year.

Two layouts draw the same traces (``_traces``): the KPIs' names beside the bars, or
each KPI's name and status line above its bar (the layout for screens of any width).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from kawasaki.figures.labels import wrap_label, wrap_status
from kawasaki.figures.layout import GRID, TEXT, figure, vline
from kawasaki.i18n import pick, t
from kawasaki.present import STATUS_STYLE, kpi_period, kpi_target, kpi_value, ratio_text, status_label

TRACK = "#EEF1F4"  # the progress bar's track, from baseline (0%) to target (100%)

# The stacked layout, in pixels: text lines are wrapped to fit a 390 px phone.
_LINE = 17
_BAR = 18
_STATUS_BAR = 10
_GAP = 14


@dataclass(frozen=True)
class _Bar:
    """What either layout draws of one KPI."""

    name: str
    text: str  # the status line: status ｜ baseline → target (not escaped)
    ratio: float  # the bar's length in %: progress clipped to 0–120, 0 without a value
    colour: str
    hover: str  # escaped
    expected: float | None  # the straight-line position at the latest year, in %


def _bar(r: dict[str, Any], lang: str) -> _Bar:
    """One KPI row (a ``queries.kpis`` record) as a bar."""
    ratio = r.get("progress_ratio")
    has_ratio = ratio is not None and not (isinstance(ratio, float) and math.isnan(ratio))
    name = pick(r, "name", lang)
    words = status_label(r["status"], lang, int(r["plan_term"]))
    base = f"{t('word.baseline', lang)} {kpi_period(r, 'baseline', lang)} {kpi_value(r, 'baseline', lang)}"
    goal = f"{t('word.target', lang)} {kpi_period(r, 'target', lang)} {kpi_target(r, lang)}"
    expected = None
    if has_ratio and r.get("baseline_period") and r.get("latest_period"):
        span = r["target_period"] - r["baseline_period"]
        expected = 100 * (r["latest_period"] - r["baseline_period"]) / span if span else 100
    return _Bar(
        name=name,
        text=f"{words}{t('word.bar_separator', lang)}{base} → {goal}",
        ratio=min(max(ratio * 100, 0), 120) if has_ratio else 0,
        colour=STATUS_STYLE[r["status"]][0],
        hover="<br>".join(html.escape(x) for x in (name, base, goal, ratio_text(ratio, lang))),
        expected=expected,
    )


def _traces(bars: list[_Bar], y: list[Any], *, track: dict[str, Any], status: dict[str, Any]) -> list[Any]:
    """The traces of both layouts, a KPI at each of ``y``: the track (baseline to target),
    the status bar over it and the diamonds. ``track`` and ``status`` are each layout's
    own settings of the two bars (their widths; the words on the track)."""
    data: list[Any] = [
        dict(
            type="bar",
            y=y,
            x=[100] * len(bars),
            orientation="h",
            marker={"color": TRACK, "line": {"color": "#B0B7BF", "width": 1}},
            hoverinfo="skip",
            **track,
        ),
        dict(
            type="bar",
            y=y,
            x=[b.ratio for b in bars],
            orientation="h",
            marker={"color": [b.colour for b in bars]},
            hovertext=[b.hover for b in bars],
            hoverinfo="text",
            **status,
        ),
    ]
    points = [(b.expected, at) for b, at in zip(bars, y, strict=True) if b.expected is not None]
    if points:
        data.append(
            dict(
                type="scatter",
                x=[p[0] for p in points],
                y=[p[1] for p in points],
                mode="markers",
                marker={"symbol": "diamond", "size": 11, "color": TEXT},
                hoverinfo="skip",
            )
        )
    return data


def _chart(data: list[Any], height: int, xaxis: dict[str, Any], **extra: Any) -> go.Figure:
    """Both layouts' figure: the bars overlaid, a line at the target (100%), the x axis in
    % of the way from baseline to target; ``xaxis`` and ``extra`` add the layout's own."""
    return figure(
        data,
        height,
        barmode="overlay",
        shapes=[vline(100, {"color": TEXT, "width": 2})],
        xaxis={
            "range": [0, 121],
            "tickvals": [0, 25, 50, 75, 100],
            "ticktext": ["0%", "25%", "50%", "75%", "100%"],
            "gridcolor": GRID,
            "fixedrange": True,
            **xaxis,
        },
        **extra,
    )


def progress_chart(
    kpis: pd.DataFrame, lang: str, *, label_width: int | None = None, names_above: bool = False
) -> go.Figure:
    """A bullet chart of KPIs: each bar runs from baseline (0%) to target (100%).

    The bar is the progress ratio (clipped to 0–120% for drawing; the exact figure
    is in the hover text and the table), coloured by status; a diamond marks the
    straight-line position at the latest year. KPIs without an actual value get
    no bar and the words 'no actual value yet'.

    ``names_above`` writes each KPI's name and its status line above its bar, over the
    chart's full width, instead of beside it: the layout for screens of any width (on a
    phone, names beside the bars left the bars a quarter of the width and shrank their
    words to nothing).
    """
    bars = [_bar(r, lang) for r in kpis.to_dict("records")]
    if names_above:
        return _stacked(bars, lang)
    return _beside(bars, label_width or (16 if lang == "ja" else 26))


def _beside(bars: list[_Bar], width: int) -> go.Figure:
    """Names on the y axis (wrapped to ``width`` characters), status lines on the tracks."""
    labels = [wrap_label(b.name, width) for b in bars]
    track = {
        "text": [html.escape(b.text) for b in bars],
        "textposition": "inside",
        "insidetextanchor": "start",
        "textfont": {"size": 12, "color": TEXT},
        "width": 0.8,
    }
    return _chart(
        _traces(bars, labels, track=track, status={"width": 0.3, "offset": -0.4}),
        60 + 58 * len(bars),
        {},
        bargap=0.2,
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True},
    )


def _stacked(bars: list[_Bar], lang: str) -> go.Figure:
    """Each KPI as a block: its name (bold) and status line, then its bar below them.

    The y axis counts pixels from the top, so every block takes the room its lines need.
    """
    name_width, text_width = (22, 24) if lang == "ja" else (40, 44)
    centres, annotations, y = [], [], 0
    for b in bars:
        # wrap_label escapes each line (a KPI name may hold <, > or &); the tags are ours
        lines = [f"<b>{line}</b>" for line in wrap_label(b.name, name_width).split("<br>")]
        lines += wrap_status(b.text, text_width).split("<br>")
        y += 4 + _LINE * len(lines)
        annotations.append(
            {
                "text": "<br>".join(lines),
                "xref": "paper",
                "x": 0,
                "xanchor": "left",
                "yref": "y",
                "y": y,
                "yanchor": "bottom",
                "align": "left",
                "showarrow": False,
                "font": {"size": 13, "color": TEXT},
                "bgcolor": "white",  # the grid lines stay out of the words
            }
        )
        centres.append(y + 2 + _BAR / 2)
        y += 2 + _BAR + _GAP
    top, bottom = 8, 30
    return _chart(
        _traces(bars, centres, track={"width": _BAR}, status={"width": _STATUS_BAR}),
        y + top + bottom,
        {"automargin": True},
        annotations=annotations,
        margin={"l": 8, "r": 16, "t": top, "b": bottom},
        yaxis={"range": [y, 0], "visible": False, "fixedrange": True},
    )
