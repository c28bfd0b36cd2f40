"""The progress method, on the plan's own KPIs (worked examples of docs/methodology.md)."""

import pytest

from kawasaki.progress import assess


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
