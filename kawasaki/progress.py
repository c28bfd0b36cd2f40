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

from dataclasses import dataclass
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
