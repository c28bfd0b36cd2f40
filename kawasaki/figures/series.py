"""What one KPI's chart over the years shows, drawn by two renderers: the Plotly figure
(``timeseries.kpi_timeseries``, for the briefing's PNG and PDF) and the inline SVG
(``seriessvg.kpi_series_svg``, on the pages). Baseline, actual values and target as
points with their values, the line of actual values, the dashed straight line from
baseline to target, and what kawasaki.plancontext.chart_observations adds (the earlier
term's target and values, a longer-term goal). Strings are plain text: each renderer
escapes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kawasaki.i18n import t
from kawasaki.numbers import format_number, format_period

GREY = "#6B6B6B"
BLUE = "#0072B2"
# kind: (Plotly marker symbol, colour, locale key of its name)
KINDS = {
    "baseline": ("circle", GREY, "word.baseline"),
    "actual": ("circle", BLUE, "word.latest"),
    "target": ("star", "#CC3311", "word.target"),
    "earlier_target": ("star-open", GREY, "linked.earlier_target"),
    "earlier_actual": ("circle-open", GREY, "linked.earlier_actual"),
    "long_term": ("diamond-open", "#9E1F1F", "linked.long_term"),
}
BIG = ("target", "earlier_target", "long_term")  # drawn larger (size 14, the others 11)


@dataclass(frozen=True)
class Point:
    """One value: its year, its value at the chart's scale, its label and hover text."""

    x: int
    y: float
    label: str  # '▲45.4%', shown above the point
    hover: str  # '目標値 2027年度: ▲45.4 %'


@dataclass(frozen=True)
class Markers:
    """The points of one kind (baseline, actual, target, …), named in the legend."""

    kind: str
    name: str
    symbol: str
    colour: str
    size: int
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Line:
    """A line through values: the plan's straight line (dashed) or the actual values."""

    name: str
    colour: str
    width: int
    dash: bool
    xy: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class Series:
    """The whole chart: lines, points, axes (ticks with their labels), unit and a note."""

    unit: str
    lines: tuple[Line, ...]
    markers: tuple[Markers, ...]
    x_ticks: tuple[tuple[int, str], ...]
    x_range: tuple[float, float]
    y_ticks: tuple[tuple[float, str], ...]
    y_range: tuple[float, float]
    note: str  # '最新値（データなし）' when no actual value is drawn, else ''


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


def series_model(kpi: dict[str, Any], observations: pd.DataFrame, lang: str) -> Series:
    """What the chart of ``kpi`` shows, from its chart observations (plancontext)."""
    unit = str(kpi["unit_ja"] if lang == "ja" else kpi["unit_en"])
    scale = 1 if lang == "ja" else int(kpi["en_scale"] or 1)
    shift = len(str(scale)) - 1 if scale > 1 else 0
    obs = [o for o in observations.to_dict("records") if o["value"] is not None and not pd.isna(o["value"])]

    def fmt(o: dict[str, Any]) -> str:
        return format_number(o["value"] * scale, max(int(o["decimals"]) - shift, 0), lang=lang)

    def period(p: int) -> str:
        return format_period(int(p), kpi["period_type"], lang=lang)

    def xy(points: list[dict[str, Any]]) -> tuple[tuple[int, float], ...]:
        return tuple((int(o["period"]), o["value"] * scale) for o in points)

    lines = []
    base = next((o for o in obs if o["kind"] == "baseline"), None)
    target = next((o for o in obs if o["kind"] == "target"), None)
    if base and target:
        lines.append(Line(t("progress.line", lang), GREY, 2, True, xy([base, target])))
    actual_points = [o for o in obs if o["kind"] in ("baseline", "actual")]
    if len(actual_points) > 1:
        lines.append(Line(t("word.latest", lang), BLUE, 3, False, xy(actual_points)))
    markers = []
    for kind, (symbol, colour, key) in KINDS.items():
        points = [o for o in obs if o["kind"] == kind]
        if points:
            name = t(key, lang)
            shown = tuple(
                Point(
                    int(o["period"]),
                    o["value"] * scale,
                    fmt(o) + (unit if unit in ("%", "g") else f" {unit}"),
                    f"{name} {period(o['period'])}: {fmt(o)} {unit}",
                )
                for o in points
            )
            markers.append(Markers(kind, name, symbol, colour, 14 if kind in BIG else 11, shown))
    values = [o["value"] * scale for o in obs] or [0.0]
    periods = sorted({int(o["period"]) for o in obs}) or [int(kpi.get("target_period") or 0)]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.25 or abs(hi) * 0.1 or 1
    ticks = _nice_ticks(lo - pad, hi + pad)
    has_actual = any(o["kind"] == "actual" for o in obs)
    return Series(
        unit=unit,
        lines=tuple(lines),
        markers=tuple(markers),
        x_ticks=tuple((p, period(p)) for p in periods),
        x_range=(periods[0] - 0.5, periods[-1] + 0.5),
        y_ticks=tuple((v, format_number(v, _decimals_of(ticks), lang=lang)) for v in ticks),
        y_range=(lo - pad, hi + pad),
        note=""
        if has_actual
        else t("word.labelled", lang, label=t("word.latest", lang), value=t("word.no_data", lang)),
    )
