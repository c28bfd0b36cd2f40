"""What a citizen, council member or staff member sees on each page, through AppTest."""

from __future__ import annotations

import re

import pytest

from kawasaki.present import md
from tests.apptest_helpers import (
    app_database,  # noqa: F401 (a fixture)
    bar_charts,
    open_page,
    page_text,
    plotly_specs,
    svg_heatmap,
    tables,
)  # noqa: F401

ALL_HTML = "html"


def html_bodies(at) -> str:
    return "\n".join(el.proto.body for el in at.get("html"))


# --- home -------------------------------------------------------------------------


def test_home_shows_aim_pillars_and_every_priority_kpi():
    at = open_page("home")
    text = page_text(at)
    assert "成長と成熟の調和による持続可能な最幸のまち かわさき" in text
    for name in (
        "扇島地区(南地区)",
        "プラスチック資源の分別率",
        "通いの場の数",
        "1人1日あたりのごみ排出量",
        "温室効果ガス",
    ):
        assert md(name) in text  # data strings are escaped for Markdown
    assert md("2027年度 ▲45.4%以上") in text  # units come from the data: escaped too
    assert md("2024年度 1,039か所") in text
    assert "7件中 4件が目標を達成" in text


def test_home_sdg_tiles_link_to_the_explorer_for_each_goal():
    at = open_page("home", lang="en")
    body = html_bodies(at)
    links = re.findall(r'href="\./explore\?goal=(\d+)&amp;lang=en"', body)
    assert links == [str(g) for g in range(1, 18)]
    assert "Goal 13" in body and "Climate action" in body
    # Goal 7's yellow gets dark text (contrast), goal 1's red gets white.
    assert "background:#FCC30B;color:#1A1A1A" in body
    assert "background:#E5243B;color:#FFFFFF" in body


def test_home_in_english_uses_english_units_and_words():
    text = page_text(open_page("home", lang="en"))
    assert "Target: " + md("FY2029 1,780,000 trees or more") in text
    assert md("FY2027 −45.4% or less") in text
    assert "4 of 7 targets achieved" in text


# --- matrix -----------------------------------------------------------------------


def heatmap(at) -> dict:
    """The heatmap's rows, columns and counts, read from its SVG (the page has no Plotly)."""
    assert plotly_specs(at) == []
    return svg_heatmap(at)


def test_matrix_has_21_rows_and_17_goal_columns():
    data = heatmap(open_page("matrix"))
    assert len(data["y"]) == 21 and len(data["x"]) == 17
    assert data["x"][0] == "目標1"
    assert {str(n) for n in range(1, 18)} | {"ゴール"} <= set(
        data["texts"]
    )  # the axis: goal numbers, its title
    # Row 1 is the economy pillar's priority KPIs: goal 9 has 9.1, 9.2, 9.4, 9.5 (land use)
    # plus 9.a, 9.b (plastics) = 6 distinct targets.
    assert data["z"][0][8] == 6


@pytest.mark.parametrize(
    "params,rows,columns",
    [
        ({"goal": "14"}, 21, ["目標14"]),
        ({"goal": "13,14"}, 21, ["目標13", "目標14"]),
        ({"area": "2"}, 2, None),
        ({"pillar": "environment"}, 3, None),
        ({"target": "9.a"}, 21, ["目標9"]),
    ],
)
def test_matrix_filters(params, rows, columns):
    data = heatmap(open_page("matrix", **params))
    assert len(data["y"]) == rows
    if columns:
        assert data["x"] == columns


def test_matrix_target_level_has_the_96_targets_the_plan_uses():
    data = heatmap(open_page("matrix", level="target"))
    assert len(data["x"]) == 96
    assert data["x"][:3] == ["1.2", "1.3", "1.4"]
    assert "9.a" in data["x"] and data["x"].index("9.5") < data["x"].index("9.a")


def test_matrix_row_detail_lists_targets_kpis_and_measures():
    at = open_page("matrix", row="initiative:1-4")
    text = page_text(at)
    assert "身近な地域でつながりを生む通いの場の数" in text
    assert "障害者の地域共生の推進" in text  # a measure whose ○ the OCR lost
    assert "11\\.7" in text  # target ids are escaped markdown


def test_matrix_table_alternative_matches_the_heatmap():
    at = open_page("matrix", pillar="economy")
    (frame,) = tables(at)  # text (st.table), not the canvas grid
    data = heatmap(at)
    assert frame.iloc[:, 1:].to_numpy().tolist() == [[f"{v:g}" for v in row] for row in data["z"]]
    assert not at.dataframe


def test_matrix_filter_widget_writes_the_url():
    at = open_page("matrix")
    at.selectbox(key="w_pillar").select("society").run()
    assert at.query_params["pillar"] in ("society", ["society"])
    assert len(heatmap(at)["y"]) >= 1


# --- progress ---------------------------------------------------------------------


def test_progress_groups_by_area_with_one_chart_per_group():
    at = open_page("progress")
    # 5 policy areas + the priority KPIs that belong to no initiative, as HTML bars: the
    # list does not load Plotly
    assert len(bar_charts(at)) == 6 and plotly_specs(at) == []
    assert "21件のKPI" in page_text(at)


def test_progress_offers_one_download_of_every_kpi_shown(built_db):
    """One CSV/Excel pair for the whole filtered list, each row with its group."""
    import duckdb

    from kawasaki import queries
    from kawasaki.present import group_kpis, grouped_kpi_table

    at = open_page("progress", area="4")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["CSVをダウンロード", "Excelをダウンロード"]
    with duckdb.connect(str(built_db), read_only=True) as con:
        kpis = queries.kpis(con, area=4)
        groups = group_kpis(kpis, "area", queries.policy_areas(con), "ja")
    table = grouped_kpi_table(groups, "area", "ja")
    assert len(table) == 7 == len(kpis)  # what the page says: 7件のKPI
    assert set(table["政策分野"]) == {title for title, _ in groups}
    assert list(table.columns[:2]) == ["政策分野", "KPI"]
    assert table.iloc[0, 1] == "起業希望者に対する支援による年間起業件数"


def test_progress_group_by_pillar():
    at = open_page("progress", group="pillar")
    assert len(bar_charts(at)) == 4  # 3 pillars + initiative-only KPIs


@pytest.mark.parametrize(
    "params,count",
    [({"goal": "14"}, 3), ({"area": "4"}, 7), ({"pillar": "society"}, 4), ({"status": "achieved"}, 0)],
)
def test_progress_filters(params, count):
    at = open_page("progress", **params)
    assert f"{count}件のKPI" in page_text(at)


def test_progress_kpi_detail_shows_values_as_printed():
    at = open_page("progress", kpi="ghg-reduction")
    text = page_text(at)
    metrics = {m.label: m.value for m in at.metric}
    # a metric's value is Markdown: the data's text is escaped (the browser shows ▲35.0%)
    assert metrics["基準値（2023年度）"] == md("▲35.0%")
    assert metrics["目標値（2027年度）"] == md("▲45.4%以上")
    assert metrics["最新値"] == "データなし"
    assert "環境局調べ" in text
    assert md("13.2") in text and md("3-① 環境に配慮したしくみをつくる取組") in text


def test_progress_kpi_detail_in_english():
    at = open_page("progress", kpi="trees-planted", lang="en")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Baseline (FY2024)"] == md("1,430,000 trees")
    assert metrics["Target (FY2029)"] == md("1,780,000 trees or more")


def test_second_term_result_detail():
    at = open_page("progress", kpi="t2-business-matching")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["最新値（2025年度）"] == md("794件")
    assert metrics["目標値（2025年度）"] == md("600件")
    assert "達成" in page_text(at)


def test_unknown_kpi_falls_back_to_the_list_with_a_notice():
    at = open_page("progress", kpi="nope")
    assert any("kpi=" in w.value for w in at.warning)
    assert len(bar_charts(at)) == 6


# --- explore ----------------------------------------------------------------------


def test_explore_goal_14_lists_its_kpis_initiatives_and_measures():
    at = open_page("explore", goal="14")
    kpis, initiatives, measures = tables(at)
    assert len(kpis) == 3 and set(kpis.iloc[:, 1]) == {"14.1", "14.2"}
    assert list(initiatives.iloc[:, 0]) == ["3-② 豊かな自然環境をつくる取組"]
    assert len(measures) == 6  # 2 measures × 3 actions under 3-②
    assert len(at.get("download_button")) == 6


def test_explore_target_without_goal_opens_its_goal():
    at = open_page("explore", target="9.a", lang="en")
    kpis = tables(at)[0]
    assert len(kpis) == 2
    assert "What the target says" in page_text(at)


def test_explore_without_goal_shows_the_goal_tiles():
    at = open_page("explore")
    assert html_bodies(at).count('class="sdg-tile"') == 17
    assert not at.dataframe and not at.table


# --- about ------------------------------------------------------------------------


def test_about_shows_every_attribution_and_the_method():
    text = page_text(open_page("about"))
    assert "を加工して作成" in text
    assert "外務省仮訳" in text
    assert "A/RES/70/1" in text
    assert "直線的に進んだ場合" in text


def test_about_offers_the_database_and_csv_downloads():
    at = open_page("about", lang="en")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [
        "Download the database (DuckDB)",
        "Download the KPI list (CSV)",
        "Download KPI–SDG target links (CSV)",
    ]
