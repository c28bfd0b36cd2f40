"""One KPI over the years: baseline, actual values and target as points, the line of
actual values, and the dashed straight line from baseline to target.
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from kawasaki.figures.layout import GRID, figure
from kawasaki.i18n import t
from kawasaki.numbers import format_number, format_period


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values (steps of 1, 2, 2.5 or 5 times a power of ten)
    covering ``lo`` to ``hi``.

    >>> _nice_ticks(0, 10)
    [0, 2, 4, 6, 8, 10]
    >>> _nice_ticks(-0.3, 0.9)
    [-0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0]
    """
    if hi == lo:
        return [lo]
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(lo / step) * step
    ticks, value = [], start
    while value <= hi + step / 2:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _decimals_of(ticks: list[float]) -> int:
    """The decimals the tick labels need: as many as the most precise tick has.

    >>> _decimals_of([0, 2.5, 5])
    1
    """
    return max((len(f"{v:.10g}".split(".")[1]) if "." in f"{v:.10g}" else 0) for v in ticks)


def kpi_timeseries(kpi: dict[str, Any], observations: pd.DataFrame, lang: str) -> go.Figure:
    """Baseline, actual values and target over the years, with the straight line between."""
    # Plotly draws a few HTML tags in texts: the unit, from the data, is escaped
    unit = html.escape(str(kpi["unit_ja"] if lang == "ja" else kpi["unit_en"]))
    scale = 1 if lang == "ja" else int(kpi["en_scale"] or 1)
    data: list[Any] = []
    obs = observations.to_dict("records")

    def fmt(v: float, d: int) -> str:
        shift = len(str(scale)) - 1 if scale > 1 else 0
        return format_number(v * scale, max(int(d) - shift, 0), lang=lang)

    def period(p: int) -> str:
        return format_period(int(p), kpi["period_type"], lang=lang)

    def through(points: list[dict[str, Any]], **style: Any) -> dict[str, Any]:
        """A scatter trace through observations, at the chart's scale."""
        x = [o["period"] for o in points]
        return dict(type="scatter", x=x, y=[o["value"] * scale for o in points], **style)

    styles = {
        "baseline": ("circle", "#6B6B6B", t("word.baseline", lang)),
        "actual": ("circle", "#0072B2", t("word.latest", lang)),
        "target": ("star", "#CC3311", t("word.target", lang)),
        # what kawasaki.plancontext.chart_observations adds: the earlier term, a later goal
        "earlier_target": ("star-open", "#6B6B6B", t("linked.earlier_target", lang)),
        "earlier_actual": ("circle-open", "#6B6B6B", t("linked.earlier_actual", lang)),
        "long_term": ("diamond-open", "#9E1F1F", t("linked.long_term", lang)),
    }
    base = next((o for o in obs if o["kind"] == "baseline"), None)
    target = next((o for o in obs if o["kind"] == "target"), None)
    if base and target:
        data.append(
            through(
                [base, target],
                mode="lines",
                line={"dash": "dash", "color": "#6B6B6B", "width": 2},
                name=t("progress.line", lang),
                hoverinfo="skip",
            )
        )
    actual_points = [o for o in obs if o["kind"] in ("baseline", "actual")]
    if len(actual_points) > 1:
        data.append(
            through(
                actual_points,
                mode="lines",
                line={"color": "#0072B2", "width": 3},
                hoverinfo="skip",
                name=t("word.latest", lang),
            )
        )
    for kind, (symbol, colour, name) in styles.items():
        points = [o for o in obs if o["kind"] == kind]
        if not points:
            continue
        data.append(
            through(
                points,
                mode="markers+text",
                marker={
                    "symbol": symbol,
                    "size": 14 if kind in ("target", "earlier_target", "long_term") else 11,
                    "color": colour,
                },
                text=[
                    fmt(o["value"], o["decimals"]) + (unit if unit in ("%", "g") else f" {unit}")
                    for o in points
                ],
                textposition="top center",
                name=name,
                hovertext=[
                    f"{name} {period(o['period'])}: {fmt(o['value'], o['decimals'])} {unit}" for o in points
                ],
                hoverinfo="text",
            )
        )
    values = [o["value"] * scale for o in obs]
    periods = sorted({int(o["period"]) for o in obs})
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.25 or abs(hi) * 0.1 or 1
    ticks = _nice_ticks(lo - pad, hi + pad)
    return figure(
        data,
        340,
        showlegend=True,
        legend={"orientation": "h", "y": -0.2},
        xaxis={
            "tickvals": periods,
            "ticktext": [period(p) for p in periods],
            "range": [periods[0] - 0.5, periods[-1] + 0.5],
            "gridcolor": GRID,
            "fixedrange": True,
        },
        yaxis={
            "tickvals": ticks,
            "ticktext": [format_number(v, _decimals_of(ticks), lang=lang) for v in ticks],
            "range": [lo - pad, hi + pad],
            "title": {"text": unit},
            "gridcolor": GRID,
            "fixedrange": True,
            "automargin": True,  # room for tick labels such as '▲45' (the left margin is small)
        },
    )
