"""The plan's own context (plan/context.csv), its verdicts beside the computed status, the
same indicator across terms, and the English terms the audit fixed."""

from __future__ import annotations

import re

import duckdb
import pytest

from kawasaki import plancontext
from kawasaki.plantext import lines_with, numbers_in, squeeze
from kawasaki.present import md
from tests.apptest_helpers import (
    app_database,  # noqa: F401 (a fixture)
    open_page,
    page_text,
    plotly_specs,
    svg_charts,
    svg_texts,
    tables,
)  # noqa: F401
from tests.conftest import DATA, ROOT

PLAN = (DATA / "sources/plan_3rd_term_ocr.txt").read_text(encoding="utf-8").split("\n")

# The facts the brief asks for, at the plan's line (checked by hand with grep -n).
FACTS = {
    "population": (57, "155万人超", "2025年10月1日現在"),
    "aging-share": (57, "20.2%", "2020年国勢調査"),
    "mean-age": (58, "43.7歳", "2020年国勢調査"),
    "railway-stations": (34, "55駅", None),
    "partnership-agreements": (52, "548", "2024年11月時点"),
    "sdgs-partners": (873, "3,532者", "2025年11月25日現在"),
    "ghg-2030": (445, "▲50%", "2030年度・2013年度比"),
    "representative-kpis": (242, None, None),
}


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def test_every_fact_is_the_plans_words_at_its_line(con):
    facts = plancontext.facts(con).set_index("fact_id")
    assert list(facts.index) == list(FACTS)
    for fact_id, (line, figure, as_of) in FACTS.items():
        f = facts.loc[fact_id]
        assert (f["plan_line"], f["figure_ja"], f["as_of_ja"]) == (line, figure, as_of), fact_id
        assert lines_with(PLAN, f["quote_ja"]) == [line], fact_id
        assert all(n in squeeze(f["quote_ja"]) for n in numbers_in(figure or "")), fact_id


def test_the_partners_add_up_and_the_2030_goal_is_beyond_the_target(con):
    quote = plancontext.facts(con).set_index("fact_id").loc["sdgs-partners", "quote_ja"]
    total, registered, certified = (int(n.replace(",", "")) for n in numbers_in(quote)[3:6])
    assert (total, registered, certified) == (3532, 1749, 1783) and registered + certified == total
    goal = plancontext.facts(con, kpi_id="ghg-reduction").iloc[0]
    assert (goal["period"], goal["value"]) == (2030, -50.0)
    assert "[2013年度比]▲50%" in goal["quote_ja"]


def test_the_representative_kpis_note_says_where_the_others_are(con):
    (note,) = plancontext.facts(con, shown_on="progress").to_dict("records")
    assert note["quote_ja"].startswith("なお、KPIは代表的なものを記載している。")
    assert "第4期実施計画の成果指標一覧参照" in note["quote_ja"]


def test_every_second_term_verdict_is_the_plans_wording(con):
    rows = con.execute(
        "SELECT kpi_id, status, plan_verdict_ja, plan_verdict_en FROM kpi_list WHERE plan_term = 2"
    ).fetchall()
    assert len(rows) == 7
    for kpi_id, _, ja, en in rows:
        assert ja and en and lines_with(PLAN[93:126], ja), kpi_id  # section 1 (2), lines 94–126
    by_id = {r[0]: r[1:] for r in rows}
    # where they differ most: computed "behind" against the plan's "progressing well"
    assert by_id["t2-green-innovation"][:2] == ("behind", "順調に取組が進んでいる")
    assert by_id["t2-ghg-reduction"][0] == "achieved" and by_id["t2-ghg-reduction"][1].startswith(
        "取組が一定進んでいるが"
    )


def test_the_same_indicator_links_both_ways(con):
    pairs = dict(
        con.execute(
            "SELECT kpi_id, same_indicator_as FROM kpis WHERE same_indicator_as IS NOT NULL"
        ).fetchall()
    )
    assert pairs == {
        "waste-per-capita": "t2-waste-per-capita",
        "ghg-reduction": "t2-ghg-reduction",
        "t2-waste-per-capita": "waste-per-capita",
        "t2-ghg-reduction": "ghg-reduction",
    }


def test_the_chart_draws_a_shared_value_once(con):
    """The 2nd term's FY2024 793g is the 3rd term's baseline: once, as the baseline; the
    2nd term's FY2025 target is added."""
    chart = plancontext.kpi_chart_observations(con, "waste-per-capita")
    assert [(r["period"], r["value"], r["kind"]) for r in chart.to_dict("records")] == [
        (2024, 793.0, "baseline"),
        (2025, 872.0, "earlier_target"),
        (2029, 742.0, "target"),
    ]
    later = plancontext.kpi_chart_observations(con, "t2-waste-per-capita")
    assert set(later.kind) == {"actual", "target"}  # the later term is not drawn on the earlier's chart


# --- pages --------------------------------------------------------------------------------


def test_home_shows_the_plans_facts_each_citing_the_plan():
    at = open_page("home")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["人口"] == md("155万人超") and metrics["65歳以上人口割合"] == md("20.2%")
    assert metrics["平均年齢"] == md("43.7歳") and metrics["市内の鉄道駅"] == md("55駅")
    assert metrics["連携協定等"] == "548" and metrics["かわさきSDGsパートナー"] == md("3,532者")
    text = page_text(at)
    assert md("2025年10月1日現在 （計画 1(1) 地域の実態 4. 大都市のうち最も若い都市）") in text
    assert md("時点の記載なし （計画 1(1) 地域の実態 1. 優れた立地と充実した交通ネットワーク）") in text
    assert md("なお、KPIは代表的なものを記載している。") in text


def test_home_second_term_table_has_the_plans_assessment_beside_the_status():
    at = open_page("home", "en")
    table = tables(at)[0].set_index("KPI")
    row = table.loc["Green Innovation Cluster projects per year"]
    assert row["Status"] == "⚠ Short of target (latest value)"
    assert row["The plan's assessment"] == '"Progressing well"'
    assert '"Status" is this site\'s judgement' in page_text(at).replace("\\", "")


def test_progress_detail_of_a_second_term_kpi_shows_both():
    at = open_page("progress", "ja", kpi="t2-green-innovation")
    shown = [m.value for m in at.markdown]
    status = shown.index(":orange-badge[:material/warning: 未達（最新値時点）]")  # the computed status…
    verdict = shown.index(
        "**計画の評価**（2024年度の値について）：「順調に取組が進んでいる」"
    )  # …and the plan's
    assert status < verdict
    text = page_text(at)
    assert "必要なペース" not in text  # no baseline: no line


def test_progress_detail_of_ghg_shows_the_pace_the_2030_goal_and_the_earlier_term():
    at = open_page("progress", "ja", kpi="ghg-reduction")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["必要なペース（年あたり）"] == md("▲2.6ポイント/年")
    assert metrics["直線上の値（2026年度）"] == md("▲42.8%")
    assert plotly_specs(at) == []  # the chart is inline SVG: the page does not load Plotly
    (chart,) = svg_charts(at)
    drawn = svg_texts(chart)
    assert "長期の目標 2030年度: ▲50 %" in drawn["title"] and "▲50%" in drawn["text"]
    assert "第2期計画の目標 2025年度: ▲13.1 %" in drawn["title"] and "▲13.1%" in drawn["text"]
    assert {"長期の目標", "第2期計画の目標", "目標値", "基準値"} <= set(drawn["text"])  # the legend
    text = page_text(at)
    assert md("長期の目標（2030年度 ▲50%）も示しています。") in text  # the chart in words
    assert (
        md("計画 2(1) 3-① 環境に配慮したしくみをつくる取組 ○脱炭素化の推進。計画本文テキスト445行目") in text
    )
    assert "第2期計画での同じ指標" in text and md("2025年度 ▲13.1%") in text


def test_progress_list_tables_have_the_pace_columns():
    at = open_page("progress", "en")
    table = tables(at)[0]
    assert {"Pace needed (per year)", "Straight-line value this year"} <= set(table.columns)
    second = tables(at)[-1].set_index("KPI")
    assert (
        second.loc["Waste generated per person per day", "The plan's assessment"]
        == '"Waste is being steadily reduced"'
    )


def test_about_lists_every_fact_with_its_line():
    text = page_text(open_page("about"))
    for line, *_ in FACTS.values():
        assert f"計画本文テキスト{line}行目" in text
    assert "**必要なペース**" in text and "**計画の評価**" in text


# --- English terms (the audit) ---------------------------------------------------------------


ENGLISH_FILES = [
    *DATA.glob("**/*.csv"),
    *DATA.glob("**/*.yaml"),
    *(ROOT / "kawasaki/locales/en").glob("*.yaml"),
]


@pytest.mark.parametrize(
    "wrong,right",
    [
        (r"Ohgishima", "Ogishima"),  # 扇島
        (r"[Ww]aterfront", "coastal area"),  # 臨海部
        (r"Separation rate", "Sorting rate"),  # 分別率
        (r"local clinics", "Referral rate from local medical institutions"),  # 地域の医療機関からの紹介率
    ],
)
def test_one_english_term_everywhere(wrong, right):
    text = "\n".join(p.read_text(encoding="utf-8") for p in ENGLISH_FILES if "sources" not in p.parts)
    assert not re.search(wrong, text)
    assert right in text


def test_referral_rate_keeps_the_plans_and_similar():
    """紹介受診重点医療機関「等」: the English keeps the 'and similar'."""
    row = next(
        line
        for line in (DATA / "kpis/kpis.csv").read_text(encoding="utf-8").splitlines()
        if line.startswith("referral-rate,")
    )
    assert "and similar institutions" in row
