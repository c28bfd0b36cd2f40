"""Figure builders: Plotly figures and small HTML fragments, from query results.

Nothing here talks to Streamlit: each function takes rows and a language and
returns a ``go.Figure`` (or an escaped HTML string) that a page renders.
"""

from __future__ import annotations

import html
import math
import re
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
TRACK = "#EEF1F4"  # the progress bar's track, from baseline (0%) to target (100%)
# Heatmap cells: white for 0, then light to mid blue. The darkest blue still gives the
# cell's number (TEXT) a contrast of 5.1:1, so every number meets WCAG 1.4.3 (4.5:1).
HEATMAP_COLORSCALE = [[0, "#FFFFFF"], [0.0001, "#DCEAF5"], [1, "#4292C6"]]


def _is_cjk(ch: str) -> bool:
    """Kana, kanji and full-width forms: text that may break between any two characters."""
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def wrap_label(text: str, width: int, max_lines: int = 3) -> str:
    """Break a label into lines of at most ``width`` characters (for chart axes).

    Latin text breaks at spaces (also after a symbol such as ①); Japanese text at any
    character.

    >>> wrap_label("Share of parents who can consult", 12)
    'Share of<br>parents who<br>can consult'
    >>> wrap_label("1-① Building a disaster-resilient city", 18)
    '1-① Building a<br>disaster-resilient<br>city'
    >>> wrap_label("あいうえおかきくけこさしすせそ", 5, 2)
    'あいうえお<br>かきくけ…'
    """
    if " " in text and not any(_is_cjk(ch) for ch in text):
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
    return "<br>".join(html.escape(line) for line in lines)  # Plotly draws a few tags: escape


def wrap_status(text: str, width: int) -> str:
    """Break a status line ("words ｜ baseline → target") between its parts, never inside
    a value: "▲35.0" and its "%" stay on one line. A part longer than ``width`` alone is
    broken as ``wrap_label`` does; nothing is cut off.

    >>> wrap_status("実績値なし ｜ 基準値 2023年度 ▲35.0% → 目標値 2027年度 ▲45.4%以上", 24)
    '実績値なし<br>基準値 2023年度 ▲35.0%<br>→ 目標値 2027年度 ▲45.4%以上'
    >>> wrap_status("no actual value yet | Baseline FY2023 −35.0% → Target FY2027 −45.4% or less", 44)
    'no actual value yet | Baseline FY2023 −35.0%<br>→ Target FY2027 −45.4% or less'
    """
    lines: list[str] = []
    line = ""
    for part in re.split(r"(?= ｜ | \| | → )", text):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = re.sub(r"^ (｜|\|) ", "", part).lstrip()  # the line break replaces a bar
        else:
            line += part
    lines.append(line)
    out: list[str] = []
    for line in lines:
        if len(line) > width:
            out += wrap_label(line, width, max_lines=len(line)).split("<br>")
        else:
            out.append(html.escape(line))  # Plotly draws a few tags: escape
    return "<br>".join(out)


def _figure(data: list[Any], height: int, **extra: Any) -> go.Figure:
    """A figure with the common layout, built in one constructor call.

    Traces are dicts, validated once here. Measured (plotly 6, 2 cores): ``add_bar``,
    ``update_layout``, ``update_xaxes`` and ``add_vline`` on a built figure cost 1-8 ms
    each; one constructor call with the same settings makes the same ``to_dict()``
    (compared on 72 figures) 4-12x faster. See docs/performance.md.
    """
    return go.Figure(data=data, layout=_layout(height, **extra))


def _template() -> dict[str, Any]:
    """Plotly's default template with only the parts our charts use.

    Every figure carries its template to the browser: the default one is 7.1 KB of JSON
    per chart, mostly defaults for map, 3-D, polar and 20 trace types we never draw. The
    layout defaults and the bar, heatmap and scatter defaults are kept as they are, so
    the charts look the same (2.4 KB; the progress page sends six charts).
    """
    import plotly.io as pio

    full = pio.templates["plotly"].to_plotly_json()
    unused = {"geo", "mapbox", "map", "polar", "scene", "ternary", "smith"}
    return {
        "layout": {k: v for k, v in full["layout"].items() if k not in unused},
        "data": {k: v for k, v in full["data"].items() if k in ("bar", "heatmap", "scatter")},
    }


_TEMPLATE = _template()


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    return dict(
        template=_TEMPLATE,
        height=height,
        margin={"l": 8, "r": 16, "t": 8, "b": 8},
        font={"family": FONT, "color": TEXT, "size": 13},
        hoverlabel={"font": {"family": FONT}},
        paper_bgcolor="white",
        plot_bgcolor="white",
        **{"showlegend": False, **extra},
    )


def _vline(x: float, line: dict[str, Any]) -> dict[str, Any]:
    """The shape ``fig.add_vline(x=x, line=line)`` adds, as a layout shape."""
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "line": line,
    }


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
        texts.append(f"{words}{t('word.bar_separator', lang)}{base} → {goal}")
        hovers.append(
            "<br>".join(html.escape(x) for x in (pick(r, "name", lang), base, goal, ratio_text(ratio, lang)))
        )
        share = None
        if has_ratio and r.get("baseline_period") and r.get("latest_period"):
            span = r["target_period"] - r["baseline_period"]
            share = 100 * (r["latest_period"] - r["baseline_period"]) / span if span else 100
        expected.append(share)
    if names_above:
        names = [pick(r, "name", lang) for r in rows]
        return _stacked_progress(names, ratios, colours, hovers, texts, expected, lang)
    data: list[Any] = [
        dict(
            type="bar",
            y=labels,
            x=[100] * len(rows),
            orientation="h",
            marker={"color": TRACK, "line": {"color": "#B0B7BF", "width": 1}},
            text=[html.escape(x) for x in texts],
            textposition="inside",
            insidetextanchor="start",
            textfont={"size": 12, "color": TEXT},
            hoverinfo="skip",
            width=0.8,
        ),
        dict(
            type="bar",
            y=labels,
            x=ratios,
            orientation="h",
            marker={"color": colours},
            hovertext=hovers,
            hoverinfo="text",
            width=0.3,
            offset=-0.4,
        ),
    ]
    points = [(e, y) for e, y in zip(expected, labels, strict=True) if e is not None]
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
    return _figure(
        data,
        60 + 58 * len(rows),
        barmode="overlay",
        bargap=0.2,
        shapes=[_vline(100, {"color": TEXT, "width": 2})],
        xaxis={
            "range": [0, 121],
            "tickvals": [0, 25, 50, 75, 100],
            "ticktext": ["0%", "25%", "50%", "75%", "100%"],
            "gridcolor": GRID,
            "fixedrange": True,
        },
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True},
    )


# The stacked progress chart, in pixels: text lines are wrapped to fit a 390 px phone.
_LINE = 17
_BAR = 18
_STATUS_BAR = 10
_GAP = 14


def _stacked_progress(
    names: list[str],
    ratios: list[float],
    colours: list[str],
    hovers: list[str],
    texts: list[str],
    expected: list[float | None],
    lang: str,
) -> go.Figure:
    """Each KPI as a block: its name (bold) and status line, then its bar below them.

    The y axis counts pixels from the top, so every block takes the room its lines need.
    """
    name_width, text_width = (22, 24) if lang == "ja" else (40, 44)
    centres, annotations, y = [], [], 0
    for name, text in zip(names, texts, strict=True):
        # wrap_label escapes each line (a KPI name may hold <, > or &); the tags are ours
        lines = [f"<b>{line}</b>" for line in wrap_label(name, name_width).split("<br>")]
        lines += wrap_status(text, text_width).split("<br>")
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
    data: list[Any] = [
        dict(
            type="bar",
            y=centres,
            x=[100] * len(names),
            orientation="h",
            marker={"color": TRACK, "line": {"color": "#B0B7BF", "width": 1}},
            hoverinfo="skip",
            width=_BAR,
        ),
        dict(
            type="bar",
            y=centres,
            x=ratios,
            orientation="h",
            marker={"color": colours},
            hovertext=hovers,
            hoverinfo="text",
            width=_STATUS_BAR,
        ),
    ]
    points = [(e, c) for e, c in zip(expected, centres, strict=True) if e is not None]
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
    top, bottom = 8, 30
    layout = _layout(y + top + bottom, barmode="overlay", annotations=annotations)
    layout["margin"] = {"l": 8, "r": 16, "t": top, "b": bottom}
    layout["shapes"] = [_vline(100, {"color": TEXT, "width": 2})]
    layout["xaxis"] = {
        "range": [0, 121],
        "tickvals": [0, 25, 50, 75, 100],
        "ticktext": ["0%", "25%", "50%", "75%", "100%"],
        "gridcolor": GRID,
        "fixedrange": True,
        "automargin": True,
    }
    layout["yaxis"] = {"range": [y, 0], "visible": False, "fixedrange": True}
    return go.Figure(data=data, layout=layout)


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
            dict(
                type="scatter",
                x=[base["period"], target["period"]],
                y=[base["value"] * scale, target["value"] * scale],
                mode="lines",
                line={"dash": "dash", "color": "#6B6B6B", "width": 2},
                name=t("progress.line", lang),
                hoverinfo="skip",
            )
        )
    actual_points = [o for o in obs if o["kind"] in ("baseline", "actual")]
    if len(actual_points) > 1:
        data.append(
            dict(
                type="scatter",
                x=[o["period"] for o in actual_points],
                y=[o["value"] * scale for o in actual_points],
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
            dict(
                type="scatter",
                x=[o["period"] for o in points],
                y=[o["value"] * scale for o in points],
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
    return _figure(
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


def _decimals_of(ticks: list[float]) -> int:
    return max((len(f"{v:.10g}".split(".")[1]) if "." in f"{v:.10g}" else 0) for v in ticks)


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
    return _figure(
        [heatmap],
        90 + 40 * len(row_labels),
        xaxis=xaxis,
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True, "tickfont": {"size": 11}},
    )


def sdg_tiles_html(goals: pd.DataFrame, lang: str, href: Callable[[int], str]) -> str:
    """A grid of the 17 goals as links, in their official colours, every string escaped.

    Text colour is chosen per tile for contrast (WCAG); counts come from the data.
    """
    tiles = []
    for g in goals.to_dict("records"):
        colour = g["color_hex"]
        label = html.escape(pick(g, "name", lang))
        counts = html.escape(
            t(
                "home.tile_counts",
                lang,
                kpis=g["kpi_count"],
                initiatives=g["initiative_count"],
            )
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
