"""Translations, URL state and the presentation helpers (no Streamlit needed)."""

from __future__ import annotations

import duckdb
import pytest

from kawasaki import queries
from kawasaki.i18n import LANGS, messages, t
from kawasaki.matrix import build_matrix, top_cell
from kawasaki.present import contrast_ratio, kpi_summary, kpi_target, md, text_colour_on
from kawasaki.state import PARAMS, ViewState, parse_params


def test_every_locale_has_the_same_keys():
    ja, en = (set(messages(lang)) for lang in LANGS)
    assert ja - en == set(), "keys missing in English"
    assert en - ja == set(), "keys missing in Japanese"


def test_placeholders_match_between_languages():
    import string

    def fields(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key, ja_text in messages("ja").items():
        assert fields(ja_text) == fields(messages("en")[key]), key


def test_missing_key_shows_the_key_and_english_falls_back():
    assert t("nope.nothing", "en") == "nope.nothing"
    assert t("nav.home", "xx") == "ホーム"


@pytest.fixture(scope="module")
def vocabulary(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    yield queries.vocabulary(con)
    con.close()


@pytest.mark.parametrize(
    "params,expected",
    [
        ({}, ViewState()),
        ({"lang": "en"}, ViewState(lang="en")),
        ({"goal": "14"}, ViewState(goals=(14,))),
        ({"goal": "14,13"}, ViewState(goals=(13, 14))),
        ({"goal": ["13", "14", "13"]}, ViewState(goals=(13, 14))),
        ({"target": "9.a", "area": "3"}, ViewState(target="9.a", area=3)),
        ({"kpi": "ghg-reduction", "status": "on_track"}, ViewState(kpi="ghg-reduction", status="on_track")),
        (
            {"pillar": "environment", "level": "target", "group": "pillar"},
            ViewState(pillar="environment", level="target", group="pillar"),
        ),
        ({"ward": "14135", "indicator": "kayoi_no_ba"}, ViewState(ward="14135", indicator="kayoi_no_ba")),
        ({"row": "initiative:1-4"}, ViewState(row="initiative:1-4")),
        ({"utm_source": "x"}, ViewState()),
        ({"ward": "", "indicator": " ", "goal": ""}, ViewState()),
    ],
)
def test_valid_parameters(vocabulary, params, expected):
    state = parse_params(params, vocabulary)
    assert state == expected
    assert state.notices == ()


@pytest.mark.parametrize(
    "params,notice",
    [
        ({"goal": "18"}, ("goal", "18", "unknown")),
        ({"goal": "０"}, ("goal", "０", "unknown")),
        ({"target": "18.1"}, ("target", "18.1", "unknown")),
        ({"area": "6"}, ("area", "6", "unknown")),
        ({"lang": "fr"}, ("lang", "fr", "unknown")),
        ({"kpi": "' OR 1=1 --"}, ("kpi", "' OR 1=1 --", "unknown")),
        ({"kpi": "<script>alert(1)</script>"}, ("kpi", "<script>alert(1)</script>", "unknown")),
        ({"status": "x" * 500}, ("status", "x" * 500, "too_long")),
        ({"pillar": ["economy", "society"]}, ("pillar", "society", "repeated")),
    ],
)
def test_invalid_parameters_are_dropped_with_a_notice(vocabulary, params, notice):
    state = parse_params(params, vocabulary)
    assert [(n.param, n.value, n.reason) for n in state.notices] == [notice]
    name = notice[0]
    if name == "pillar":
        assert state.pillar == "economy"
    elif name == "goal":
        assert state.goals == ()
    else:
        assert getattr(state, name) in (None, "ja")


def test_notice_value_is_shown_without_markup():
    state = parse_params({"kpi": "<b>**x**</b>`[y](javascript:z)`"}, {"kpi": []})
    shown = state.notices[0].shown_value()
    assert not set(shown) & set("<>*`[]")


def test_to_params_round_trips(vocabulary):
    state = ViewState(lang="en", goals=(13, 14), area=3, kpi="ghg-reduction")
    assert parse_params(state.to_params(), vocabulary) == state
    assert set(state.to_params()) <= set(PARAMS)


def test_md_escapes_markup():
    assert md("[x](javascript:alert(1))") == "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"
    assert md("**bold** <i>") == "\\*\\*bold\\*\\* \\<i\\>"


def test_every_goal_tile_text_meets_aa_contrast(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    colours = [r[0] for r in con.execute("SELECT color_hex FROM sdg_goals ORDER BY goal").fetchall()]
    assert len(colours) == 17
    for colour in colours:
        assert contrast_ratio(text_colour_on(colour), colour) >= 4.5, colour


KPI = {
    "name_ja": "市域の温室効果ガス排出量の削減割合(2013年度比)",
    "name_en": "GHG reduction",
    "unit_ja": "%",
    "unit_en": "%",
    "en_scale": 1,
    "period_type": "fiscal",
    "baseline_period": 2023,
    "baseline_value": -35.0,
    "baseline_decimals": 1,
    "target_period": 2027,
    "target_value": -45.4,
    "target_decimals": 1,
    "target_qualifier": "以上",
    "better": "lower",
    "latest_kind": "baseline",
    "status": "no_actual",
    "plan_term": 3,
}


def test_summary_sentence_is_the_charts_text_alternative():
    assert kpi_summary(KPI, "ja") == (
        "市域の温室効果ガス排出量の削減割合(2013年度比)：2023年度 ▲35.0% → 目標 2027年度 ▲45.4%以上。"
        "最新値：実績値なし。状況：実績値なし。"
    )
    assert kpi_target(KPI, "en") == "−45.4% or less"


def test_matrix_counts_distinct_targets_per_cell(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    rows, links = queries.matrix_rows(con), queries.matrix_links(con)
    full = build_matrix(rows, links)
    assert full.counts.shape == (21, 17)
    # 2-② (self-directed learners) links 4.1, 4.3, 4.4, 4.5, 4.6, 4.7, 4.a to goal 4.
    assert full.counts.loc["initiative:2-2", 4] == 7
    assert top_cell(full) == ("pillar:society", 4, 8)
    by_target = build_matrix(rows, links, level="target", goals=(4,))
    assert list(by_target.counts.columns) == ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.a"]
    none = build_matrix(rows, links, area=1, goals=(14,))
    assert none.total_links == 0 and top_cell(none) is None
