"""What the progress charts write above each bar: names and values a reader can trust."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import duckdb
import pandas as pd
import pytest

from kawasaki import queries
from kawasaki.figures.bars import progress_bars_html
from kawasaki.figures.progress import progress_chart
from kawasaki.i18n import pick
from kawasaki.present import STATUS_STYLE, kpi_summary, kpi_target, kpi_value


@pytest.fixture(scope="module")
def kpis(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        return [queries.kpis(con), queries.kpis(con, plan_term=2)]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_value_is_split_from_its_unit_across_lines(kpis, lang):
    """Every baseline and target, with its unit and 以上/以下, stays on one line of the
    chart's text (a phone shows "▲35.0" on one line and "%" on the next otherwise)."""
    for frame in kpis:
        figure = progress_chart(frame, lang, names_above=True)
        lines = [
            html.unescape(line)
            for a in figure.layout.annotations
            for line in a.text.replace("<b>", "").replace("</b>", "").split("<br>")
        ]
        for row in frame.to_dict("records"):
            values = [kpi_target(row, lang)]
            if row["baseline_value"] is not None and row["baseline_value"] == row["baseline_value"]:
                values.append(kpi_value(row, "baseline", lang))
            for value in values:
                assert any(value in line for line in lines), (
                    f"{row['kpi_id']}: {value!r} is not whole on any line: {lines}"
                )


# --- the same chart as HTML (kawasaki.figures.bars), drawn on the progress list ---------


class _Bars(HTMLParser):
    """Each item of the HTML chart: its name, status-line parts, bar label, fill and diamond."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "")
        if cls == "kd-bi":
            self.items.append({"name": "", "parts": [], "label": "", "fill": None, "diamond": None})
        elif cls == "kd-bn":
            self._in = "name"
        elif cls == "kd-bp":
            self._in = "part"
            self.items[-1]["parts"].append("")
        elif cls == "kd-lane":
            self.items[-1]["label"] = a["aria-label"]
        elif cls == "kd-fill":
            self.items[-1]["fill"] = a["style"]
        elif cls == "kd-dia":
            self.items[-1]["diamond"] = a["style"]

    def handle_endtag(self, tag):
        if tag in ("div", "span"):
            self._in = None

    def handle_data(self, data):
        if self._in == "name":
            self.items[-1]["name"] += data
        elif self._in == "part":
            self.items[-1]["parts"][-1] += data


def bars_of(frame, lang) -> list[dict]:
    parser = _Bars()
    markup = progress_bars_html(frame, lang, "summary <&>")
    assert 'role="figure" aria-label="summary &lt;&amp;&gt;"' in markup
    parser.feed(markup)
    return parser.items


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_html_bars_say_what_the_plotly_chart_says(kpis, lang):
    """One item per KPI in order: its name, each baseline and target whole (with unit and
    以上/以下) in one part of its status line, the KPI's sentence as the bar's text
    alternative; a bar only for a KPI with an actual value ('no data' is never a 0 bar),
    as long as its progress (clipped to 0–120% of the 0–121% axis)."""
    for frame in kpis:
        items = bars_of(frame, lang)
        rows = frame.to_dict("records")
        assert [i["name"] for i in items] == [pick(r, "name", lang) for r in rows]
        for item, row in zip(items, rows, strict=True):
            values = [kpi_target(row, lang)]
            if row["baseline_value"] is not None and row["baseline_value"] == row["baseline_value"]:
                values.append(kpi_value(row, "baseline", lang))
            for value in values:
                assert any(value in part for part in item["parts"]), (row["kpi_id"], value, item["parts"])
            assert item["label"].startswith(kpi_summary(row, lang))
            ratio = row["progress_ratio"]
            if ratio is None or ratio != ratio:
                assert item["fill"] is None and item["diamond"] is None, row["kpi_id"]
            elif ratio > 0:
                width = float(re.search(r"width:([0-9.]+)%", item["fill"]).group(1))
                assert width == pytest.approx(100 * min(ratio * 100, 120) / 121, abs=0.01)
                assert f"background:{STATUS_STYLE[row['status']][0]}" in item["fill"]


def test_html_bars_escape_the_data():
    frame = pd.DataFrame([{
        "kpi_id": "x", "name_ja": '<img src=x onerror="alert(1)">', "name_en": "<b>", "plan_term": 3,
        "status": "no_actual", "progress_ratio": None, "baseline_period": 2023, "baseline_value": 1.0,
        "latest_period": None, "latest_value": None, "latest_kind": None, "target_period": 2029,
        "target_value": 2.0, "unit_ja": "<u>件", "unit_en": "cases", "target_direction": "up",
        "target_qualifier": None, "value_format": None,
    }])  # fmt: skip
    markup = progress_bars_html(frame, "ja", "x")
    assert "<img" not in markup and "<u>" not in markup and "&lt;img" in markup
    assert bars_of(frame, "ja")[0]["name"] == '<img src=x onerror="alert(1)">'
