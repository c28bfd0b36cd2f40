"""The inline SVG charts (kawasaki.figures.seriessvg, heatmapsvg) say what their Plotly
figures say (the briefing's PNG and PDF draw those): every value, label and hover text,
escaped; a missing value is "no data", never a point at 0."""

from __future__ import annotations

import html

import duckdb
import pandas as pd
import pytest

from kawasaki import plancontext, queries
from kawasaki.figures.seriessvg import kpi_series_svg
from kawasaki.figures.timeseries import kpi_timeseries
from tests.apptest_helpers import svg_texts


@pytest.fixture(scope="module")
def series_inputs(built_db):
    """(KPI row, chart observations) of every KPI of both terms."""
    with duckdb.connect(str(built_db), read_only=True) as con:
        ids = queries.kpis(con).kpi_id.tolist() + queries.kpis(con, plan_term=2).kpi_id.tolist()
        return [(queries.kpi(con, k), plancontext.kpi_chart_observations(con, k)) for k in ids]


def plotly_says(kpi, obs, lang) -> dict[str, set[str]]:
    """The Plotly figure's value labels, hover texts, tick labels, legend names and unit."""
    fig = kpi_timeseries(kpi, obs, lang)
    points = [tr for tr in fig.data if tr.mode == "markers+text"]
    return {
        "values": {html.unescape(v) for tr in points for v in tr.text},
        "hover": {html.unescape(v) for tr in points for v in tr.hovertext},
        "ticks": {html.unescape(v) for v in fig.layout.xaxis.ticktext}
        | {v for v, tv in zip(fig.layout.yaxis.ticktext, fig.layout.yaxis.tickvals, strict=True)
           if fig.layout.yaxis.range[0] <= tv <= fig.layout.yaxis.range[1]},
        "names": {html.unescape(tr.name) for tr in points},
        "unit": {html.unescape(fig.layout.yaxis.title.text)},
    }  # fmt: skip


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_series_svg_says_what_the_plotly_chart_says(series_inputs, lang):
    """Each value label, axis label, legend name and the unit is a <text>; each point's
    hover text is its <title>; the figure is named by the sentence given."""
    for kpi, obs in series_inputs:
        want = plotly_says(kpi, obs, lang)
        drawn = svg_texts(kpi_series_svg(kpi, obs, lang, "the sentence"))
        texts = set(drawn["text"])
        for part in ("values", "ticks", "names", "unit"):
            assert want[part] <= texts, (kpi["kpi_id"], part, want[part] - texts)
        assert set(drawn["title"]) == want["hover"], kpi["kpi_id"]
        assert len(drawn["title"]) == sum(len(tr.x) for tr in kpi_timeseries(kpi, obs, lang).data if tr.text)
        assert drawn["label"] == ["the sentence"]


def test_the_straight_line_runs_from_baseline_to_target(series_inputs):
    """The dashed line's two ends are the baseline's and the target's points."""
    kpi, obs = next(x for x in series_inputs if x[0]["kpi_id"] == "ghg-reduction")
    markup = kpi_series_svg(kpi, obs, "ja", "x")
    dashed = markup.split('<polyline points="')[1].split('"')[0].split()
    base = markup.split("基準値 2023年度")[1].split('cx="')[1].split('"')[0]
    target_title = markup.split("目標値 2027年度")[1]
    assert 'stroke-dasharray="7 5"' in markup.split("<polyline")[1].split("/>")[0]
    assert dashed[0].split(",")[0] == base and "polygon points=" in target_title[:80]


def _kpi(**over) -> dict:
    return {
        "kpi_id": "x", "name_ja": "名前", "name_en": "name", "unit_ja": "件", "unit_en": "cases",
        "en_scale": 1, "period_type": "fiscal", "target_period": 2029,
    } | over  # fmt: skip


def _obs(*rows) -> pd.DataFrame:
    cols = ["period", "period_type", "value", "decimals", "kind"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], columns=cols)


def test_series_svg_escapes_a_hostile_unit_and_sentence():
    unit = '<img src=x onerror="alert(1)">&[pwn](https://evil)'
    kpi = _kpi(unit_ja=unit, name_ja="<script>alert(1)</script>")
    obs = _obs((2024, "fiscal", 5.0, 0, "baseline"), (2029, "fiscal", 9.0, 0, "target"))
    markup = kpi_series_svg(kpi, obs, "ja", '"><script>alert(1)</script>')
    assert "<img" not in markup and "<script" not in markup and "[pwn](" not in markup
    assert "\n" not in markup and markup.startswith("<style>")  # one raw-HTML line (kawasaki.web.charts)
    drawn = svg_texts(markup)
    assert unit in drawn["text"] and f"5 {unit}" in drawn["text"]  # shown as text, whole
    assert drawn["label"] == ['"><script>alert(1)</script>']


def test_a_kpi_without_actual_values_says_no_data_and_draws_no_zero():
    """Only the baseline and the target are drawn (no point, line or label at 0 for the
    missing actual value); the chart says 最新値（データなし）. Without a baseline, no
    straight line either."""
    obs = _obs((2024, "fiscal", 1039.0, 0, "baseline"), (2029, "fiscal", 1200.0, 0, "target"))
    drawn = svg_texts(kpi_series_svg(_kpi(), obs, "ja", "x"))
    assert "最新値（データなし）" in drawn["text"]
    assert drawn["title"] == ["基準値 2024年度: 1,039 件", "目標値 2029年度: 1,200 件"]
    assert not [t for t in drawn["text"] if t.startswith("0")]
    only_target = kpi_series_svg(_kpi(), _obs((2029, "fiscal", 1200.0, 0, "target")), "en", "x")
    assert "<polyline" not in only_target and "Latest (no data)" in svg_texts(only_target)["text"]
    assert svg_texts(only_target)["title"] == ["Target FY2029: 1,200 cases"]
    fig = kpi_timeseries(_kpi(), obs, "ja")
    assert [a.text for a in fig.layout.annotations] == ["最新値（データなし）"]  # the PDF's chart says it too


# --- the heatmap (kawasaki.figures.heatmapsvg) ---------------------------------------------


def _heat(markup: str) -> dict:
    """The heatmap's texts, titles, cell colours and the figure's label."""
    import xml.etree.ElementTree as ET

    box = ET.fromstring(markup[markup.index("<div ") :])
    ns = "{http://www.w3.org/2000/svg}"
    return {
        "text": ["".join(e.itertext()) for e in box.iter(f"{ns}text")],
        "title": [e.text for e in box.iter(f"{ns}title")],
        "fill": [e.get("fill") for e in box.iter(f"{ns}rect")],
        "label": next(e for e in box.iter("div") if e.get("role") == "img").get("aria-label"),
        "region": box.get("aria-label"),
    }


def test_heatmap_svg_shows_each_count_its_colour_and_its_hover_text():
    """Every cell: its count as text (none for 0), its colour on the scale the colour
    test checks, its "row / column: count" as the <title>; the goal numbers and the axis
    title above; named by the sentence given."""
    from kawasaki.figures.heatmap import scale_colour
    from kawasaki.figures.heatmapsvg import matrix_heatmap_svg

    table = pd.DataFrame([[0, 2, 6], [1, 0, 3]], columns=[1, 2, 13])
    markup = matrix_heatmap_svg(
        table,
        ["行A", "行B"],
        ["目標1", "目標2", "目標13"],
        "ja",
        "要約",
        tick_labels=["1", "2", "13"],
        axis_title="ゴール",
    )
    drawn = _heat(markup)
    assert (
        drawn["title"][:3] == ["行A\n目標1: 0", "行A\n目標2: 2", "行A\n目標13: 6"]
        and len(drawn["title"]) == 6
    )
    assert drawn["fill"] == [scale_colour(v, 6) for v in (0, 2, 6, 1, 0, 3)]
    assert drawn["fill"][0] == "#FFFFFF" and drawn["fill"][2] == "#4292C6"
    assert [x for x in drawn["text"] if x.isdigit()] == ["1", "2", "13", "2", "6", "1", "3"]  # no "0"
    assert {"行A", "行B", "ゴール"} <= set(drawn["text"]) and drawn["label"] == "要約"
    assert drawn["region"] == "ヒートマップ（横にスクロールできます）"
    assert 'tabindex="0"' in markup and ".kd-heatbox{overflow-x:auto" in markup


def test_heatmap_svg_escapes_hostile_labels():
    from kawasaki.figures.heatmapsvg import matrix_heatmap_svg

    row, col = '<img src=x onerror="alert(1)">', "[pwn](https://evil)&"
    markup = matrix_heatmap_svg(pd.DataFrame([[1]]), [row], [col], "en", '"><b id="pwn">')
    assert "<img" not in markup and "<b " not in markup and "[pwn](" not in markup and "\n" not in markup
    drawn = _heat(markup)
    assert drawn["title"] == [f"{row}\n{col}: 1"] and drawn["label"] == '"><b id="pwn">'
    assert col in drawn["text"]


def test_only_one_line_of_chart_markup_reaches_the_page_as_html():
    """svg_chart refuses markup Markdown could read as Markdown: not starting with the
    chart's <style>, or with a line break that would end the raw HTML block."""
    from kawasaki.web.charts import svg_chart

    for markup in (
        "<svg></svg>",
        "<style></style><svg>\n\n[x](javascript:alert(1))</svg>",
        "<style>\r</style>",
    ):
        with pytest.raises(ValueError, match="one line"):
            svg_chart(markup)
