"""The progress method, on the plan's own KPIs (worked examples of docs/methodology.md)."""

import datetime as dt
from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from kawasaki import queries
from kawasaki.present import kpi_table, line_text, pace_text
from kawasaki.progress import assess, current_period, expected_value, fiscal_year, pace


def ghg(actuals):
    """Greenhouse-gas KPI: ▲35.0% in FY2023 → ▲45.4% (a larger reduction) by FY2027."""
    return assess(
        direction="decrease",
        qualifier="以上",
        baseline_period=2023,
        baseline=-35.0,
        target_period=2027,
        target=-45.4,
        actuals=actuals,
    )


def transport(actuals):
    """Public transport: maintain 31.6万人/日 (2023年) through 2028年 (31.6以上)."""
    return assess(
        direction="maintain",
        qualifier="以上",
        baseline_period=2023,
        baseline=31.6,
        target_period=2028,
        target=31.6,
        actuals=actuals,
    )


def test_no_actual_yet_reports_the_baseline():
    result = ghg([])
    assert (result.status, result.latest_period, result.latest_value) == ("no_actual", 2023, -35.0)
    assert result.progress_ratio is None


@pytest.mark.parametrize(
    "actual,status,ratio",
    [
        (-38.0, "on_track", 0.2885),  # straight line at FY2024 is ▲37.6: ▲38.0 is ahead
        (-37.6, "on_track", 0.25),  # exactly on the line
        (-36.0, "behind", 0.0962),  # short of the line
        (-33.0, "behind", -0.1923),  # moved the wrong way
        (-46.0, "achieved", 1.0577),  # beyond the target already
    ],
)
def test_ghg_in_fy2024(actual, status, ratio):
    result = ghg([(2024, actual)])
    assert result.status == status
    assert result.progress_ratio == pytest.approx(ratio, abs=1e-4)


def test_ghg_target_year_missed_is_not_achieved():
    assert ghg([(2027, -44.0)]).status == "not_achieved"


def test_latest_actual_wins():
    result = ghg([(2025, -40.0), (2024, -36.0)])
    assert (result.latest_period, result.latest_value) == (2025, -40.0)


@pytest.mark.parametrize(
    "actuals,status,ratio",
    [
        ([(2024, 31.6)], "on_track", 1.0),
        ([(2024, 32.0)], "on_track", 1.0),
        ([(2024, 31.5)], "behind", 0.0),
        ([(2028, 31.7)], "achieved", 1.0),
        ([(2028, 31.5)], "not_achieved", 0.0),
    ],
)
def test_public_transport_maintain(actuals, status, ratio):
    result = transport(actuals)
    assert (result.status, result.progress_ratio) == (status, ratio)


@pytest.mark.parametrize(
    "name,direction,qualifier,target,actual_period,actual,status",
    [
        ("グリーンイノベーション", "increase", "以上", 10, 2024, 9, "behind"),
        ("ビジネスマッチング", "increase", "", 600, 2025, 794, "achieved"),
        ("福祉製品", "increase", "以上", 16, 2024, 18, "achieved"),
        ("平等と多様性", "increase", "以上", 41.0, 2025, 39.9, "not_achieved"),
        ("地域包括ケア", "increase", "以上", 42.0, 2023, 10.6, "behind"),
        ("ごみ排出量", "decrease", "以下", 872, 2024, 793, "achieved"),
        ("温室効果ガス", "decrease", "", -13.1, 2023, -35.0, "achieved"),
    ],
)
def test_second_term_results(name, direction, qualifier, target, actual_period, actual, status):
    result = assess(
        direction=direction,
        qualifier=qualifier,
        baseline_period=None,
        baseline=None,
        target_period=2025,
        target=target,
        actuals=[(actual_period, actual)],
    )
    assert result.status == status, name
    assert result.progress_ratio is None  # no baseline is printed for second-term KPIs


# --- the pace each KPI needs (kawasaki.progress.pace; docs/methodology.md) -------------------

TODAY = dt.date(2026, 12, 1)  # FY2026 (April 2026 – March 2027), calendar 2026


@pytest.mark.parametrize(
    "day,fy",
    [
        ("2026-12-01", 2026),
        ("2026-04-01", 2026),
        ("2026-03-31", 2025),
        ("2027-03-31", 2026),
        ("2027-04-01", 2027),
    ],
)
def test_fiscal_year_starts_in_april(day, fy):
    assert fiscal_year(dt.date.fromisoformat(day)) == fy
    assert current_period(dt.date.fromisoformat(day), "calendar") == int(day[:4])


# Every third-term KPI: the pace (exact, then printed) and the line's FY2026 (2026) value, as the
# research worked them out by hand from the plan's baselines and targets (Decimal, half up).
PACES = {
    "landuse-conversion": ("4.95", "+4.95ポイント/年", "4.95%"),
    "plastic-sorting": ("3.6", "+3.6ポイント/年", "40.2%"),
    "childcare-consultation": ("0.18", "+0.18ポイント/年", "99.48%"),  # 0.175 and 99.475: half up
    "self-directed-learners": ("0.48", "+0.48ポイント/年", "84.78%"),
    "kayoi-no-ba": ("32.2", "+32.2か所/年", "1,103.4か所"),
    "community-activity": ("0.53", "+0.53ポイント/年", "48.43%"),
    "waste-per-capita": ("-10.2", "▲10.2g/年", "772.6g"),
    "ghg-reduction": ("-2.6", "▲2.6ポイント/年", "▲42.8%"),
    "trees-planted": ("7", "+7万本/年", "157万本"),
    "disaster-stockpile": ("5.15", "+5.15ポイント/年", "24.55%"),
    "security-cameras": ("9.38", "+9.38台/年", "54.36台"),
    "water-pipe-seismic": ("1.42", "+1.42ポイント/年", "46.94%"),
    "referral-rate": (None, "維持（68.8%以上）", "68.8%"),
    "startups": ("12.2", "+12.2件/年", "181.4件"),
    "manufacturing-output": ("269.4", "+269.4万円/年", "13,473.8万円"),
    "station-population": ("1.04", "+1.04万人/日/年", "187.18万人/日"),
    "public-transport": (None, "維持（31.6万人/日以上）", "31.6万人/日"),
    "sports-participation": ("1.33", "+1.33ポイント/年", "46.03%"),
    "online-applications": ("2.88", "+2.88ポイント/年", "31.36%"),
    "city-image": ("0.3", "+0.3ポイント/年", "59.1%"),
    "human-rights-interest": ("0.65", "+0.65ポイント/年", "66.05%"),
}


@pytest.fixture(scope="module")
def kpis(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    yield {r["kpi_id"]: r for r in queries.kpis(con).to_dict("records")}
    con.close()


def test_every_third_term_kpi_has_its_pace(kpis):
    assert set(PACES) == set(kpis)


@pytest.mark.parametrize("kpi_id", list(PACES))
def test_pace_and_this_years_line_value(kpis, kpi_id):
    per_year, printed, line = PACES[kpi_id]
    k = kpis[kpi_id]
    p = pace(
        k["baseline_period"], Decimal(str(k["baseline_value"])), k["target_period"], Decimal(str(k["target_value"])),
        current_period(TODAY, k["period_type"]), direction=k["direction"],
        printed_decimals=max(k["baseline_decimals"], k["target_decimals"]),
    )  # fmt: skip
    assert (str(p.per_year) if p.per_year is not None else None) == per_year
    # the same straight line as the status method's expected_value
    line_value = expected_value(
        k["baseline_period"], k["baseline_value"], k["target_period"], k["target_value"], 2026
    )
    assert abs(float(p.expected) - line_value) <= 0.5 * 10**-p.expected_decimals + 1e-9
    assert pace_text(k, "ja", TODAY) == printed
    period = "2026年" if k["period_type"] == "calendar" else "2026年度"
    assert line_text(k, "ja", TODAY) == f"{period} {line}"


@pytest.mark.parametrize(
    "kpi_id,per_year,line",
    [
        ("kayoi-no-ba", "+32.2 places a year", "FY2026 1,103.4 places"),
        ("ghg-reduction", "−2.6 points a year", "FY2026 −42.8%"),
        ("trees-planted", "+70,000 trees a year", "FY2026 1,570,000 trees"),
        ("station-population", "+10,400 people/day a year", "2026 1,871,800 people/day"),
        ("public-transport", "maintain (316,000 people/day or more)", "2026 316,000 people/day"),
    ],
)
def test_pace_in_english(kpis, kpi_id, per_year, line):
    assert pace_text(kpis[kpi_id], "en", TODAY) == per_year
    assert line_text(kpis[kpi_id], "en", TODAY) == line


def test_the_line_ends_at_the_target_and_starts_at_the_baseline():
    late = pace(
        2023, Decimal("-35.0"), 2027, Decimal("-45.4"), 2029, direction="decrease", printed_decimals=1
    )
    assert (late.expected, late.after_target, late.per_year) == (Decimal("-45.4"), True, Decimal("-2.6"))
    at_target = pace(
        2023, Decimal("-35.0"), 2027, Decimal("-45.4"), 2027, direction="decrease", printed_decimals=1
    )
    assert (at_target.expected, at_target.after_target) == (Decimal("-45.4"), False)
    early = pace(2025, Decimal("0"), 2029, Decimal("19.8"), 2024, direction="increase", printed_decimals=1)
    assert early.expected is None and early.per_year == Decimal("4.95")


def test_the_ghg_line_after_its_target_year_says_so(kpis):
    later = dt.date(2028, 6, 1)  # FY2028, after the FY2027 target
    assert (
        line_text(kpis["ghg-reduction"], "ja", later)
        == "2028年度 目標年度（2027年度）を過ぎています（線の終点 ▲45.4%）"
    )


def test_the_kpi_table_gets_the_pace_columns_only_when_asked(kpis):
    rows = pd.DataFrame(list(kpis.values()))
    assert "必要なペース（年あたり）" not in kpi_table(rows, "ja").columns  # briefing, explorer: unchanged
    table = kpi_table(rows, "ja", TODAY).set_index("KPI")
    name = kpis["kayoi-no-ba"]["name_ja"]
    assert table.loc[name, "必要なペース（年あたり）"] == "+32.2か所/年"
    assert table.loc[name, "直線上の今年度（今年）の値"] == "2026年度 1,103.4か所"
