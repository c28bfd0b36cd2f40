"""Every KPI of the plan, checked against the plan.

Two independent checks of the transcription in data/kpis/:
1. ``PLAN`` below is a second, separate transcription (from the PDF's OCR text), compared
   row by row with the built database.
2. The copy of the plan's text in data/sources/ is searched for each KPI's name, its
   values as printed, and the SDG targets printed beside it.
"""

from __future__ import annotations

import re
import unicodedata

import duckdb
import pytest

from kawasaki.numbers import format_number
from tests.conftest import DATA

# kpi_id: (name fragment, unit, baseline (period, printed), target (period, printed, 以上/以下),
#          period type, pillar, initiatives)
PLAN = {
    "landuse-conversion": (
        "土地利用転換の進捗率",
        "%",
        (2025, "0"),
        (2029, "19.8", "以上"),
        "fiscal",
        "economy",
        (),
    ),
    "plastic-sorting": (
        "プラスチック資源の分別率",
        "%",
        (2024, "33"),
        (2029, "51", "以上"),
        "fiscal",
        "economy",
        (),
    ),
    "childcare-consultation": (
        "子育てについて気軽に相談",
        "%",
        (2025, "99.3"),
        (2029, "100", ""),
        "fiscal",
        "society",
        ("2-1",),
    ),
    "self-directed-learners": (
        "自ら考え、取り組む児童生徒",
        "%",
        (2025, "84.3"),
        (2029, "86.2", "以上"),
        "fiscal",
        "society",
        ("2-2",),
    ),
    "kayoi-no-ba": (
        "通いの場の数",
        "か所",
        (2024, "1,039"),
        (2029, "1,200", "以上"),
        "fiscal",
        "society",
        ("1-4",),
    ),
    "community-activity": (
        "地域活動に関する取組",
        "%",
        (2025, "47.9"),
        (2029, "50.0", "以上"),
        "fiscal",
        "society",
        ("5-1",),
    ),
    "waste-per-capita": (
        "ごみ排出量",
        "g",
        (2024, "793"),
        (2029, "742", "以下"),
        "fiscal",
        "environment",
        (),
    ),
    "ghg-reduction": (
        "温室効果ガス排出量の削減割合",
        "%",
        (2023, "▲35.0"),
        (2027, "▲45.4", "以上"),
        "fiscal",
        "environment",
        ("3-1",),
    ),
    "trees-planted": (
        "植樹した本数",
        "万本",
        (2024, "143"),
        (2029, "178", "以上"),
        "fiscal",
        "environment",
        ("3-2",),
    ),
    "disaster-stockpile": (
        "携帯トイレを3日分以上",
        "%",
        (2025, "19.4"),
        (2029, "40.0", "以上"),
        "fiscal",
        None,
        ("1-1",),
    ),
    "security-cameras": (
        "防犯カメラ設置台数",
        "台",
        (2024, "35.6"),
        (2029, "82.5", "以上"),
        "fiscal",
        None,
        ("1-2",),
    ),
    "water-pipe-seismic": (
        "水道管路の耐震化率",
        "%",
        (2024, "44.1"),
        (2029, "51.2", "以上"),
        "fiscal",
        None,
        ("1-3",),
    ),
    "referral-rate": (
        "紹介率(平均値)",
        "%",
        (2024, "68.8"),
        (2028, "68.8", "以上"),
        "fiscal",
        None,
        ("1-5",),
    ),
    "startups": ("年間起業件数", "件", (2024, "157"), (2029, "218", "以上"), "fiscal", None, ("4-1",)),
    "manufacturing-output": (
        "製造品出荷額",
        "万円",
        (2024, "12,935"),
        (2029, "14,282", "以上"),
        "fiscal",
        None,
        ("4-2",),
    ),
    "station-population": (
        "駅周辺滞留人口",
        "万人/日",
        (2024, "185.1"),
        (2029, "190.3", "以上"),
        "calendar",
        None,
        ("4-3",),
    ),
    "public-transport": (
        "地域公共交通の利用者数",
        "万人/日",
        (2023, "31.6"),
        (2028, "31.6", "以上"),
        "calendar",
        None,
        ("4-4",),
    ),
    "sports-participation": (
        "スポーツ・運動の実施率",
        "%",
        (2025, "44.7"),
        (2029, "50.0", "以上"),
        "fiscal",
        None,
        ("4-5",),
    ),
    "online-applications": (
        "オンライン申請率",
        "%",
        (2024, "25.6"),
        (2029, "40", "以上"),
        "fiscal",
        None,
        ("4-6",),
    ),
    "city-image": (
        "良いイメージがあると感じている人",
        "%",
        (2024, "58.5"),
        (2029, "60", "以上"),
        "fiscal",
        None,
        ("4-7",),
    ),
    "human-rights-interest": (
        "人権について興味や関心",
        "%",
        (2025, "65.4"),
        (2029, "68.0", "以上"),
        "fiscal",
        None,
        ("5-2",),
    ),
}

# Second-term results, section 1 (2): the sentence fragments as printed (spaces removed).
SECOND_TERM = {
    "t2-green-innovation": ("2025年度目標値10件以上のところ、2024年度時点で9件", 2025, "10", 2024, "9"),
    "t2-business-matching": ("2025年度で目標600件のところ、実績794件", 2025, "600", 2025, "794"),
    "t2-welfare-products": ("2025年度目標値16件以上のところ、2024年度時点で18件", 2025, "16", 2024, "18"),
    "t2-equality-diversity": (
        "2025年度目標値41.0%以上のところ、2025年度時点で39.9%",
        2025,
        "41.0",
        2025,
        "39.9",
    ),
    "t2-community-care": ("2025年度目標値42.0%以上のところ、2023年度時点で10.6%", 2025, "42.0", 2023, "10.6"),
    "t2-waste-per-capita": ("2025年度目標値872g以下のところ、2024年度時点で793g", 2025, "872", 2024, "793"),
    "t2-ghg-reduction": ("2025年度目標値▲13.1%のところ、2023年度時点で▲35.0%", 2025, "▲13.1", 2023, "▲35.0"),
}


def normalise(text: str) -> str:
    """The plan's text without markup, with half-width forms and no white space."""
    text = re.sub(r"<[^>]+>", "", text)
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def seed() -> str:
    return normalise((DATA / "sources" / "plan_3rd_term_ocr.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def db(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    yield con
    con.close()


def kpi(db, kpi_id) -> dict:
    cur = db.execute("SELECT * FROM kpis WHERE kpi_id = ?", [kpi_id])
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


def printed(value: float, decimals: int) -> str:
    return format_number(value, decimals, lang="ja")


def test_every_kpi_is_there_once(db):
    ids = {r[0] for r in db.execute("SELECT kpi_id FROM kpis").fetchall()}
    assert ids == set(PLAN) | set(SECOND_TERM)
    assert db.execute("SELECT count(*) FROM kpis WHERE plan_term = 3").fetchone()[0] == 21


@pytest.mark.parametrize("kpi_id", sorted(PLAN))
def test_third_term_kpi_matches_the_plan(db, seed, kpi_id):
    fragment, unit, (bp, bv), (tp, tv, qualifier), period_type, pillar, initiatives = PLAN[kpi_id]
    row = kpi(db, kpi_id)
    assert fragment in row["name_ja"]
    assert row["unit_ja"] == unit
    assert (row["baseline_period"], printed(row["baseline_value"], row["baseline_decimals"])) == (bp, bv)
    assert (row["target_period"], printed(row["target_value"], row["target_decimals"])) == (tp, tv)
    assert (row["target_qualifier"] or "") == qualifier
    assert row["period_type"] == period_type
    assert row["pillar"] == pillar
    linked = db.execute("SELECT initiative_id FROM kpi_initiatives WHERE kpi_id = ?", [kpi_id]).fetchall()
    assert tuple(sorted(r[0] for r in linked)) == initiatives
    # And in the plan's own text: the name, then baseline and target as printed.
    name = normalise(row["name_ja"])
    assert f"指標:{name}" in seed
    year = "年度" if period_type == "fiscal" else "年"
    assert f"現在({bp}{year}):{normalise(bv)}{unit}" in seed
    assert f"{tp}{year}:{normalise(tv)}{unit}{qualifier}" in seed


def printed_target_lists(seed: str) -> dict[str, list[list[str]]]:
    """For each KPI name in the plan, every list of SDG targets printed beside it."""
    found: dict[str, list[list[str]]] = {}
    for match in re.finditer(r"((?:\d{1,2}\.(?:\d{1,2}|[a-z])、?)+)指標:", seed):
        name_start = match.end()
        found.setdefault(seed[name_start : name_start + 200], []).append(match.group(1).split("、"))
    return found


@pytest.mark.parametrize("kpi_id", sorted(PLAN))
def test_sdg_targets_are_those_printed_beside_the_kpi(db, seed, kpi_id):
    name = normalise(kpi(db, kpi_id)["name_ja"])
    lists = [
        lst for start, found in printed_target_lists(seed).items() if start.startswith(name) for lst in found
    ]
    assert lists, f"no target list printed beside {name}"
    ours = [
        r[0]
        for r in db.execute(
            "SELECT target_id FROM kpi_targets WHERE kpi_id = ? ORDER BY ord", [kpi_id]
        ).fetchall()
    ]
    for printed_list in lists:  # a KPI printed twice has the same list both times
        assert ours == printed_list


def test_kpis_printed_twice_are_one_kpi_with_two_placements(db):
    rows = db.execute(
        "SELECT k.kpi_id FROM kpis k JOIN kpi_initiatives i USING (kpi_id) WHERE k.pillar IS NOT NULL ORDER BY 1"
    ).fetchall()
    assert [r[0] for r in rows] == [
        "childcare-consultation",
        "community-activity",
        "ghg-reduction",
        "kayoi-no-ba",
        "self-directed-learners",
        "trees-planted",
    ]


@pytest.mark.parametrize("kpi_id", sorted(SECOND_TERM))
def test_second_term_result_matches_the_plan(db, seed, kpi_id):
    sentence, tp, tv, ap, av = SECOND_TERM[kpi_id]
    assert sentence in seed
    row = kpi(db, kpi_id)
    assert row["plan_term"] == 2
    assert (row["target_period"], printed(row["target_value"], row["target_decimals"])) == (tp, tv)
    actual = db.execute(
        "SELECT period, value, decimals FROM kpi_observations WHERE kpi_id = ? AND kind = 'actual'", [kpi_id]
    ).fetchall()
    assert [(p, printed(v, d)) for p, v, d in actual] == [(ap, av)]


def test_second_term_statuses(db):
    rows = dict(db.execute("SELECT kpi_id, status FROM kpi_progress WHERE kpi_id LIKE 't2-%'").fetchall())
    assert rows == {
        "t2-green-innovation": "behind",
        "t2-business-matching": "achieved",
        "t2-welfare-products": "achieved",
        "t2-equality-diversity": "not_achieved",
        "t2-community-care": "behind",
        "t2-waste-per-capita": "achieved",
        "t2-ghg-reduction": "achieved",
    }


def test_every_sdg_target_and_goal(db):
    assert db.execute("SELECT count(*) FROM sdg_targets").fetchone()[0] == 169
    per_goal = db.execute("SELECT goal, count(*) FROM sdg_targets GROUP BY goal ORDER BY goal").fetchall()
    assert [n for _, n in per_goal] == [7, 8, 13, 10, 9, 8, 5, 12, 8, 10, 10, 11, 5, 10, 12, 12, 19]
    assert db.execute("SELECT color_hex FROM sdg_goals WHERE goal = 1").fetchone()[0] == "#E5243B"


def test_plan_structure_counts(db):
    """The plan: 18 政策 (initiatives) and 48 施策 (measures) in 5 policy areas."""
    assert db.execute("SELECT count(*) FROM policy_areas").fetchone()[0] == 5
    assert db.execute("SELECT count(*) FROM initiatives").fetchone()[0] == 18
    assert db.execute("SELECT count(*) FROM measures").fetchone()[0] == 48
    per_area = db.execute(
        "SELECT policy_area_number, count(*) FROM initiatives GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert per_area == [(1, 5), (2, 2), (3, 2), (4, 7), (5, 2)]
    lost_marks = [
        "障害者の地域共生の推進",
        "住宅・居住環境の整備",
        "健康づくりの推進",
        "生活保障と困窮者の自立促進",
    ]
    names = [
        r[0]
        for r in db.execute(
            "SELECT name_ja FROM measures WHERE initiative_id = '1-4' ORDER BY number"
        ).fetchall()
    ]
    assert names[2:] == lost_marks
    assert (
        db.execute("SELECT name_ja FROM measures WHERE measure_id = '1-5-1'").fetchone()[0]
        == "保健医療の推進"
    )


def test_every_measure_and_action_is_in_the_plan(db, seed):
    for (text,) in db.execute(
        "SELECT name_ja FROM measures UNION ALL SELECT text_ja FROM measure_actions"
    ).fetchall():
        assert normalise(text)[:25] in seed.replace("デジタルデバйд", "デジタルデバイド").replace(
            "適應", "適応"
        ).replace("きよ", "きょ"), text
