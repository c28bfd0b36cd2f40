"""Figure builders: Plotly figures and small HTML fragments, from query results.

Nothing here talks to Streamlit: each function takes rows and a language and
returns a ``go.Figure`` (or an escaped HTML string) that a page renders.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from kawasaki.i18n import pick, t
from kawasaki.numbers import format_number, format_period
from kawasaki.present import (
    STATUS_STYLE,
    kpi_period,
    kpi_target,
    kpi_value,
    ratio_text,
    status_label,
    text_colour_on,
)

FONT = "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Meiryo, sans-serif"
GRID = "#D9D9D9"
TEXT = "#1A1A1A"


def wrap_label(text: str, width: int, max_lines: int = 3) -> str:
    """Break a label into lines of at most ``width`` characters (for chart axes).

    Latin text breaks at spaces; Japanese text at any character.

    >>> wrap_label("Share of parents who can consult", 12)
    'Share of<br>parents who<br>can consult'
    >>> wrap_label("あいうえおかきくけこさしすせそ", 5, 2)
    'あいうえお<br>かきくけ…'
    """
    if " " in text and text.isascii():
        lines, line = [], ""
        for word in text.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    else:
        lines = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)].rstrip() + "…"
    return "<br>".join(lines)


def _layout(fig: go.Figure, height: int, **extra: Any) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 8, "r": 16, "t": 8, "b": 8},
        font={"family": FONT, "color": TEXT, "size": 13},
        paper_bgcolor="white",
        plot_bgcolor="white",
        **{"showlegend": False, **extra},
    )
    return fig


def progress_chart(kpis: pd.DataFrame, lang: str, *, label_width: int | None = None) -> go.Figure:
    """A bullet chart of KPIs: each bar runs from baseline (0%) to target (100%).

    The bar is the progress ratio (clipped to 0–120% for drawing; the exact figure
    is in the hover text and the table), coloured by status; a diamond marks the
    straight-line position at the latest year. KPIs without an actual value get
    no bar and the words 'no actual value yet'.
    """
    width = label_width or (16 if lang == "ja" else 26)
    rows = list(kpis.to_dict("records"))
    labels = [wrap_label(pick(r, "name", lang), width) for r in rows]
    ratios, colours, hovers, texts, expected = [], [], [], [], []
    for r in rows:
        ratio = r.get("progress_ratio")
        has_ratio = ratio is not None and not (isinstance(ratio, float) and math.isnan(ratio))
        ratios.append(min(max(ratio * 100, 0), 120) if has_ratio else 0)
        colours.append(STATUS_STYLE[r["status"]][0])
        words = status_label(r["status"], lang, int(r["plan_term"]))
        base = (
            f"{t('word.baseline', lang)} {kpi_period(r, 'baseline', lang)} {kpi_value(r, 'baseline', lang)}"
        )
        goal = f"{t('word.target', lang)} {kpi_period(r, 'target', lang)} {kpi_target(r, lang)}"
        texts.append(f"{words} ｜ {base} → {goal}" if lang == "ja" else f"{words} | {base} → {goal}")
        hovers.append(
            f"{html.escape(pick(r, 'name', lang))}<br>{base}<br>{goal}<br>{ratio_text(ratio, lang)}"
        )
        share = None
        if has_ratio and r.get("baseline_period") and r.get("latest_period"):
            span = r["target_period"] - r["baseline_period"]
            share = 100 * (r["latest_period"] - r["baseline_period"]) / span if span else 100
        expected.append(share)
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=[100] * len(rows),
        orientation="h",
        marker={"color": "#EEF1F4", "line": {"color": "#B0B7BF", "width": 1}},
        text=texts,
        textposition="inside",
        insidetextanchor="start",
        textfont={"size": 12, "color": TEXT},
        hoverinfo="skip",
        width=0.8,
    )
    fig.add_bar(
        y=labels,
        x=ratios,
        orientation="h",
        marker={"color": colours},
        hovertext=hovers,
        hoverinfo="text",
        width=0.3,
        offset=-0.4,
    )
    points = [(e, y) for e, y in zip(expected, labels, strict=True) if e is not None]
    if points:
        fig.add_scatter(
            x=[p[0] for p in points],
            y=[p[1] for p in points],
            mode="markers",
            marker={"symbol": "diamond", "size": 11, "color": TEXT},
            hoverinfo="skip",
        )
    fig.add_vline(x=100, line={"color": TEXT, "width": 2})
    _layout(fig, 60 + 58 * len(rows), barmode="overlay", bargap=0.2)
    fig.update_xaxes(
        range=[0, 121],
        tickvals=[0, 25, 50, 75, 100],
        ticktext=["0%", "25%", "50%", "75%", "100%"],
        gridcolor=GRID,
        fixedrange=True,
    )
    fig.update_yaxes(autorange="reversed", fixedrange=True, automargin=True)
    return fig


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
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


def kpi_timeseries(kpi: dict[str, Any], observations: pd.DataFrame, lang: str) -> go.Figure:
    """Baseline, actual values and target over the years, with the straight line between."""
    unit = kpi["unit_ja"] if lang == "ja" else kpi["unit_en"]
    scale = 1 if lang == "ja" else int(kpi["en_scale"] or 1)
    fig = go.Figure()
    obs = observations.to_dict("records")

    def fmt(v: float, d: int) -> str:
        shift = len(str(scale)) - 1 if scale > 1 else 0
        return format_number(v * scale, max(int(d) - shift, 0), lang=lang)

    def period(p: int) -> str:
        return format_period(int(p), kpi["period_type"], lang=lang)

    styles = {
        "baseline": ("circle", "#6B6B6B", t("word.baseline", lang)),
        "actual": ("circle", "#0072B2", t("word.latest", lang)),
        "target": ("star", "#CC3311", t("word.target", lang)),
    }
    base = next((o for o in obs if o["kind"] == "baseline"), None)
    target = next((o for o in obs if o["kind"] == "target"), None)
    if base and target:
        fig.add_scatter(
            x=[base["period"], target["period"]],
            y=[base["value"] * scale, target["value"] * scale],
            mode="lines",
            line={"dash": "dash", "color": "#6B6B6B", "width": 2},
            name=t("progress.line", lang),
            hoverinfo="skip",
        )
    actual_points = [o for o in obs if o["kind"] in ("baseline", "actual")]
    if len(actual_points) > 1:
        fig.add_scatter(
            x=[o["period"] for o in actual_points],
            y=[o["value"] * scale for o in actual_points],
            mode="lines",
            line={"color": "#0072B2", "width": 3},
            hoverinfo="skip",
            name=t("word.latest", lang),
        )
    for kind, (symbol, colour, name) in styles.items():
        points = [o for o in obs if o["kind"] == kind]
        if not points:
            continue
        fig.add_scatter(
            x=[o["period"] for o in points],
            y=[o["value"] * scale for o in points],
            mode="markers+text",
            marker={"symbol": symbol, "size": 14 if kind == "target" else 11, "color": colour},
            text=[
                fmt(o["value"], o["decimals"]) + (unit if unit in ("%", "g") else f" {unit}") for o in points
            ],
            textposition="top center",
            name=name,
            hovertext=[
                f"{name} {period(o['period'])}: {fmt(o['value'], o['decimals'])} {unit}" for o in points
            ],
            hoverinfo="text",
        )
    values = [o["value"] * scale for o in obs]
    periods = sorted({int(o["period"]) for o in obs})
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.25 or abs(hi) * 0.1 or 1
    ticks = _nice_ticks(lo - pad, hi + pad)
    _layout(fig, 340, showlegend=True, legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(
        tickvals=periods,
        ticktext=[period(p) for p in periods],
        range=[periods[0] - 0.5, periods[-1] + 0.5],
        gridcolor=GRID,
        fixedrange=True,
    )
    fig.update_yaxes(
        tickvals=ticks,
        ticktext=[format_number(v, _decimals_of(ticks), lang=lang) for v in ticks],
        range=[lo - pad, hi + pad],
        title={"text": unit},
        gridcolor=GRID,
        fixedrange=True,
    )
    return fig


def _decimals_of(ticks: list[float]) -> int:
    return max((len(f"{v:.10g}".split(".")[1]) if "." in f"{v:.10g}" else 0) for v in ticks)


def matrix_heatmap(table: pd.DataFrame, row_labels: list[str], col_labels: list[str], lang: str) -> go.Figure:
    """Heatmap of counts: ``table`` has one row per matrix row and one column per column."""
    z = table.to_numpy(dtype=float).tolist()
    text = [[str(int(v)) if v > 0 else "" for v in row] for row in z]
    hover = [
        [f"{html.escape(r)}<br>{html.escape(c)}: {int(v)}" for c, v in zip(col_labels, row, strict=True)]
        for r, row in zip(row_labels, z, strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=col_labels,
            y=[wrap_label(r, 18 if lang == "ja" else 28, 2) for r in row_labels],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 12},
            hovertext=hover,
            hoverinfo="text",
            colorscale=[[0, "#FFFFFF"], [0.0001, "#DCEAF5"], [1, "#08306B"]],
            zmin=0,
            showscale=False,
            xgap=1,
            ygap=1,
        )
    )
    _layout(fig, 80 + 34 * len(row_labels))
    fig.update_xaxes(side="top", fixedrange=True, tickangle=0 if len(col_labels) <= 17 else -60)
    fig.update_yaxes(autorange="reversed", fixedrange=True, automargin=True)
    return fig


def sdg_tiles_html(goals: pd.DataFrame, lang: str, href: Callable[[int], str]) -> str:
    """A grid of the 17 goals as links, in their official colours, every string escaped.

    Text colour is chosen per tile for contrast (WCAG); counts come from the data.
    """
    tiles = []
    for g in goals.to_dict("records"):
        colour = g["color_hex"]
        label = html.escape(pick(g, "name", lang))
        counts = html.escape(
            t("home.tile_counts", lang, kpis=g["kpi_count"], initiatives=g["initiative_count"])
        )
        number = html.escape(t("word.goal_n", lang, n=g["goal"]))
        tiles.append(
            f'<a class="sdg-tile" href="{html.escape(href(int(g["goal"])), quote=True)}" target="_self" '
            f'style="background:{colour};color:{text_colour_on(colour)} !important">'
            f'<span class="sdg-num">{number}</span><span class="sdg-name">{label}</span>'
            f'<span class="sdg-count">{counts}</span></a>'
        )
    style = (
        "<style>.sdg-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px}"
        ".sdg-tile{display:flex;flex-direction:column;gap:2px;padding:10px 12px;border-radius:6px;"
        "text-decoration:none !important;min-height:92px;line-height:1.35}"
        ".sdg-tile span{color:inherit !important}"
        ".sdg-tile:focus-visible{outline:3px solid #1A1A1A;outline-offset:2px}"
        ".sdg-tile:hover{filter:brightness(0.95)}.sdg-num{font-weight:700;font-size:0.95rem}"
        ".sdg-name{font-size:0.92rem}.sdg-count{font-size:0.82rem;margin-top:auto}</style>"
    )
    return style + '<nav class="sdg-grid" aria-label="SDGs">' + "".join(tiles) + "</nav>"


def goal_banner_html(goal: int, name: str, title: str, colour: str, lang: str) -> str:
    """A heading band for one goal in its official colour (text escaped, contrast checked)."""
    number = html.escape(t("word.goal_n", lang, n=goal))
    return (
        f'<div role="heading" aria-level="2" style="background:{colour};color:{text_colour_on(colour)};'
        'padding:12px 16px;border-radius:6px;margin:4px 0 8px 0">'
        f'<div style="font-weight:700;font-size:1.25rem">{number} {html.escape(name)}</div>'
        f'<div style="font-size:0.95rem;margin-top:4px">{html.escape(title)}</div></div>'
    )
