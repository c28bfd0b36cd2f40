"""How far a KPI has come: pure functions, explained in docs/methodology.md.

The method in one paragraph: the *progress ratio* is how far the latest actual value
has moved from the baseline toward the target, (latest − baseline) / (target −
baseline), which is direction-aware because the signs of the two differences agree
when the value moves the right way. A *maintain* target (target equal to baseline)
has no distance to cover, so its ratio is 1 while the value is at or better than the
baseline and 0 otherwise. The *status* compares the latest value with the target and,
before the target year, with a straight line drawn from the baseline to the target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Direction = Literal["increase", "decrease", "maintain"]
Better = Literal["higher", "lower"]
Status = Literal["achieved", "on_track", "behind", "not_achieved", "no_actual"]

STATUSES: tuple[Status, ...] = ("achieved", "on_track", "behind", "not_achieved", "no_actual")


@dataclass(frozen=True)
class Assessment:
    """The progress of one KPI at its latest actual value."""

    latest_period: int | None
    latest_value: float | None
    progress_ratio: float | None
    expected_value: float | None
    status: Status


def better_side(direction: Direction, qualifier: str) -> Better:
    """Which way is better: from the direction, or for *maintain* from 以上/以下.

    >>> better_side("decrease", "以上")   # ▲45.4%以上: a larger reduction, a lower value
    'lower'
    >>> better_side("maintain", "以上")
    'higher'
    """
    if direction == "increase":
        return "higher"
    if direction == "decrease":
        return "lower"
    if qualifier == "以上":
        return "higher"
    if qualifier == "以下":
        return "lower"
    raise ValueError("a maintain target needs 以上 or 以下 to say which side is better")


def meets(value: float, goal: float, better: Better) -> bool:
    """True when ``value`` is at ``goal`` or on its better side.

    >>> meets(793, 872, "lower")
    True
    """
    return value >= goal if better == "higher" else value <= goal


def progress_ratio(
    baseline: float | None, target: float, latest: float | None, better: Better
) -> float | None:
    """Share of the way from baseline to target covered by ``latest`` (not clipped).

    >>> round(progress_ratio(-35.0, -45.4, -38.0, "lower"), 4)
    0.2885
    >>> progress_ratio(31.6, 31.6, 31.7, "higher")   # maintain, held
    1.0
    """
    if baseline is None or latest is None:
        return None
    if target == baseline:
        return 1.0 if meets(latest, baseline, better) else 0.0
    return (latest - baseline) / (target - baseline)


def expected_value(
    baseline_period: int, baseline: float, target_period: int, target: float, period: int
) -> float:
    """The value on the straight line from baseline to target at ``period``.

    >>> expected_value(2023, -35.0, 2027, -45.4, 2024)
    -37.6
    """
    if target_period == baseline_period:
        return target
    share = (period - baseline_period) / (target_period - baseline_period)
    return round(baseline + (target - baseline) * share, 10)


# --- the pace each KPI needs -------------------------------------------------------------


def fiscal_year(day: dt.date) -> int:
    """The Japanese fiscal year (年度, April to March) a date falls in.

    >>> fiscal_year(dt.date(2026, 12, 1)), fiscal_year(dt.date(2027, 3, 31)), fiscal_year(dt.date(2027, 4, 1))
    (2026, 2026, 2027)
    """
    return day.year if day.month >= 4 else day.year - 1


def current_period(day: dt.date, period_type: str) -> int:
    """The period a KPI is in on ``day`` (a date in Japan): its fiscal year (年度) or its year (年).

    >>> current_period(dt.date(2027, 1, 15), "fiscal"), current_period(dt.date(2027, 1, 15), "calendar")
    (2026, 2027)
    """
    return fiscal_year(day) if period_type == "fiscal" else day.year


def _decimals_of(value: Decimal) -> int:
    """How many decimals ``value`` needs exactly (7.00 → 0, 0.175 → 3)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _rounded(value: Decimal, most: int) -> tuple[Decimal, int]:
    """``value`` with at most ``most`` decimals, rounded half up; exact when it needs fewer."""
    decimals = min(most, _decimals_of(value))
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), decimals


@dataclass(frozen=True)
class Pace:
    """The straight line from baseline to target: the change it needs per year and where it
    stands in ``period`` (the current fiscal or calendar year).

    ``per_year`` is None for a *maintain* target (the line is flat: "maintain" is said
    instead of "+0 a year"). ``expected`` is None before the baseline year; from the target
    year on it is the target (the line ends there, ``after_target``). Both are rounded
    half up to ``decimals`` (see ``pace``).
    """

    per_year: Decimal | None
    expected: Decimal | None
    decimals: int
    expected_decimals: int
    period: int
    after_target: bool = False


def pace(
    baseline_period: int,
    baseline: Decimal,
    target_period: int,
    target: Decimal,
    period: int,
    *,
    direction: str,
    printed_decimals: int,
) -> Pace:
    """The change per year the straight line from baseline to target needs, and its value in
    ``period``: the line of ``expected_value``, in exact decimals.

    Printed with one decimal more than the baseline and target print (``printed_decimals``
    = the larger of theirs), rounded half up, or exactly when fewer suffice.

    >>> p = pace(2024, Decimal("1039"), 2029, Decimal("1200"), 2026, direction="increase", printed_decimals=0)
    >>> p.per_year, p.expected
    (Decimal('32.2'), Decimal('1103.4'))
    >>> pace(2025, Decimal("99.3"), 2029, Decimal("100"), 2026, direction="increase", printed_decimals=1).per_year
    Decimal('0.18')
    """
    most = printed_decimals + 1
    span = target_period - baseline_period
    exact = (target - baseline) / span if span else Decimal(0)
    per_year, decimals = (None, 0) if direction == "maintain" else _rounded(exact, most)
    if period < baseline_period:
        return Pace(per_year, None, decimals, 0, period)
    if period >= target_period:
        value, shown = _rounded(target, most)
        return Pace(per_year, value, decimals, shown, period, after_target=period > target_period)
    value, shown = _rounded(baseline + exact * (period - baseline_period), most)
    return Pace(per_year, value, decimals, shown, period)


def assess(
    *,
    direction: Direction,
    qualifier: str,
    baseline_period: int | None,
    baseline: float | None,
    target_period: int,
    target: float,
    actuals: list[tuple[int, float]],
) -> Assessment:
    """Assess one KPI from its actual values, given as (period, value) pairs."""
    better = better_side(direction, qualifier)
    later = [a for a in actuals if baseline_period is None or a[0] > baseline_period]
    if not later:
        return Assessment(baseline_period, baseline, None, None, "no_actual")
    period, value = max(later)
    ratio = progress_ratio(baseline, target, value, better)
    expected = None
    if baseline is not None and baseline_period is not None and period < target_period:
        expected = expected_value(baseline_period, baseline, target_period, target, period)
    status: Status
    if meets(value, target, better) and (direction != "maintain" or period >= target_period):
        status = "achieved"
    elif period >= target_period:
        status = "not_achieved"
    elif expected is not None and meets(value, expected, better):
        status = "on_track"
    else:
        status = "behind"
    return Assessment(period, value, ratio, expected, status)
