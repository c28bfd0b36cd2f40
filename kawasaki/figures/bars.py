"""The progress chart as HTML and CSS (no Plotly): what ``progress.progress_chart`` draws
with its names above the bars, as real text and plain boxes, so a page of progress bars
does not load the 4.7 MB Plotly bundle (docs/performance.md, "What each page loads").

The same bars (kawasaki.figures.progress._bar): a track from baseline (0%) to target
(100%), the status bar over it (its length is progress clipped to 0–120%; no bar without
an actual value), a diamond at the straight-line position of the latest year, a line at
the target, the axis 0–100%. Each KPI's name and status line are text; each bar is an
image whose text alternative is the KPI's sentence (kawasaki.present.kpi_summary) and
its progress ratio. Every string is escaped.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from kawasaki.figures.layout import TEXT
from kawasaki.figures.progress import TRACK, _bar
from kawasaki.present import kpi_summary, ratio_text

RANGE = 121  # the x axis runs 0–121% as the Plotly chart's does (bars are clipped at 120%)
TICKS = (0, 25, 50, 75, 100)
CSS = (
    ".kd-bars{margin:0 0 8px 0;padding:0;max-width:100%}"
    ".kd-bars .kd-bi{margin:0 0 14px 0;padding:0}"
    ".kd-bars .kd-bn{font-weight:700;line-height:1.35;color:" + TEXT + "}"
    ".kd-bars .kd-bt{line-height:1.35;color:" + TEXT + ";font-size:0.92rem}"
    ".kd-bars .kd-bp{display:inline-block;max-width:100%}"  # a value stays with its unit
    ".kd-bars .kd-lane{position:relative;height:18px;margin:2px 8px 0 0}"
    ".kd-bars .kd-track{position:absolute;left:0;top:0;bottom:0;width:" + f"{100 * 100 / RANGE:.3f}%;"
    "background:" + TRACK + ";border:1px solid #B0B7BF;box-sizing:border-box}"
    ".kd-bars .kd-fill{position:absolute;left:0;top:4px;height:10px}"
    ".kd-bars .kd-goal{position:absolute;top:-3px;bottom:-3px;width:2px;background:" + TEXT + ";"
    "left:" + f"calc({100 * 100 / RANGE:.3f}% - 1px)" + "}"
    ".kd-bars .kd-dia{position:absolute;top:4px;width:10px;height:10px;margin-left:-5px;"
    "background:" + TEXT + ";transform:rotate(45deg)}"
    ".kd-axis{position:relative;height:1.3em;margin:0 8px 4px 0;font-size:0.8rem;color:" + TEXT + "}"
    ".kd-axis span{position:absolute;transform:translateX(-50%);white-space:nowrap}"
    ".kd-axis span:first-child{transform:none}"
)


def _pct(x: float) -> str:
    """A position on the 0–121% axis as a CSS percentage of the chart's width."""
    return f"{100 * max(0.0, min(x, RANGE)) / RANGE:.2f}%"


def _parts(text: str) -> str:
    """A status line ("words ｜ baseline → target") as escaped parts that each stay on one
    line when they fit ("▲35.0" never parted from its "%"); the line breaks between them."""
    parts = re.split(r"(?= ｜ | \| | → )", text)
    return " ".join(f'<span class="kd-bp">{html.escape(p.strip())}</span>' for p in parts)


def progress_bars_html(kpis: pd.DataFrame, lang: str, summary: str) -> str:
    """The KPIs' progress bars as an escaped HTML figure named by ``summary`` (the chart in
    one sentence, also shown on the page): a list of KPIs (names above the bars), the
    axis under them; '' for no KPIs."""
    rows = kpis.to_dict("records")
    if not rows:
        return ""
    items = []
    for r in rows:
        b = _bar(r, lang)
        label = f"{kpi_summary(r, lang)} {ratio_text(r.get('progress_ratio'), lang)}"
        lane = ['<span class="kd-track"></span>']
        if b.ratio > 0:
            lane.append(f'<span class="kd-fill" style="width:{_pct(b.ratio)};background:{b.colour}"></span>')
        lane.append('<span class="kd-goal"></span>')
        if b.expected is not None:
            lane.append(f'<span class="kd-dia" style="left:{_pct(b.expected)}"></span>')
        items.append(
            f'<div class="kd-bi" role="listitem"><div class="kd-bn">{html.escape(b.name)}</div><div class="kd-bt">{_parts(b.text)}</div>'
            f'<div class="kd-lane" role="img" aria-label="{html.escape(label, quote=True)}">{"".join(lane)}</div>'
            "</div>"
        )
    axis = "".join(f'<span style="left:{_pct(x)}">{x}%</span>' for x in TICKS)
    return (
        f'<style>{CSS}</style><div class="kd-bars" role="figure" aria-label="{html.escape(summary, quote=True)}">'
        f'<div role="list">{"".join(items)}</div><div class="kd-axis" aria-hidden="true">{axis}</div></div>'
    )
