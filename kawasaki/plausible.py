"""Checks that a value can exist at all: within what its unit allows, for a period that
had begun by ``data_as_of`` and lies within the plan.

Generic by design: the ranges are declared per unit (KPIs) and per indicator kind (ward
values), so a new KPI or indicator with a known unit or kind gets them without code.
Run by kawasaki.checks with the other checks across files.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kawasaki.datafiles import ACTUALS, DATASET, KPIS, WARD_INDICATORS, WARD_VALUES, Dataset
from kawasaki.problems import Problem
from kawasaki.tables import yaml_line

# A percentage in this plan is a share of a whole (0-100) or a change of a base value
# (▲35.0% = a 35% reduction): never beyond ±100.
PERCENT_UNITS = frozenset({"%", "％"})
# Units that count or measure something: a value below zero cannot exist.
COUNT_UNITS = frozenset(
    {
        "件",
        "か所",
        "箇所",
        "台",
        "本",
        "万本",
        "人",
        "万人",
        "万人/日",
        "人/日",
        "回",
        "校",
        "団体",
        "社",
        "世帯",
        "g",
        "kg",
        "t",
    }
)
# Ward indicator kinds (wards/indicators.csv kind): (lowest, highest) allowed, None = open.
KIND_RANGES: dict[str, tuple[float | None, float | None]] = {
    "count": (0, None),
    "population": (0, None),
    "population_65plus": (0, None),
    "area": (0, None),
    "share": (0, 100),
    "mean": (0, None),
}


def unit_problem(value: float, unit: str) -> str | None:
    """Why ``value`` cannot be a value in ``unit`` (None: it can).

    >>> unit_problem(-45.4, "%") is None, unit_problem(120, "%"), unit_problem(-3, "件")
    (True, '120 is outside -100 to 100 for a value in %', '-3 is below zero; a value in 件 cannot be')
    """
    if unit in PERCENT_UNITS and not -100 <= value <= 100:
        return f"{value:g} is outside -100 to 100 for a value in {unit}"
    if unit in COUNT_UNITS and value < 0:
        return f"{value:g} is below zero; a value in {unit} cannot be"
    return None


def kind_problem(value: float, kind: str) -> str | None:
    """Why ``value`` cannot be a ward value of indicator kind ``kind`` (None: it can).

    >>> kind_problem(101, "share"), kind_problem(-1, "population"), kind_problem(3, "count") is None
    ('101 is outside 0 to 100 for an indicator of kind share', '-1 is below 0 for an indicator of kind population', True)
    """
    low, high = KIND_RANGES.get(kind, (None, None))
    if low is not None and high is not None and not low <= value <= high:
        return f"{value:g} is outside {low:g} to {high:g} for an indicator of kind {kind}"
    if low is not None and value < low:
        return f"{value:g} is below {low:g} for an indicator of kind {kind}"
    return None


def period_start(year: int, period_type: str) -> dt.date:
    """The first day of a period: fiscal year 2025 (年度) starts on 2025-04-01, year 2025 (年) on 2025-01-01."""
    return dt.date(year, 4, 1) if period_type == "fiscal" else dt.date(year, 1, 1)


def as_of_problem(as_of: dt.date, today: dt.date) -> str | None:
    """Why ``data_as_of`` cannot be right on ``today`` (Japan's date): it is in the future.

    >>> as_of_problem(dt.date(2026, 11, 28), dt.date(2026, 11, 28)) is None
    True
    >>> as_of_problem(dt.date(2026, 11, 29), dt.date(2026, 11, 28))
    'is 2026-11-29, after today (2026-11-28 in Japan): write the date the data were last checked'
    """
    if as_of > today:
        return f"is {as_of}, after today ({today} in Japan): write the date the data were last checked"
    return None


def _as_of(meta: dict[str, Any]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(meta.get("data_as_of")))
    except ValueError:
        return None  # reported by the loader


def _plan_end(meta: dict[str, Any], problems: list[Problem]) -> int | None:
    """dataset.yaml's plan_period_end (a year), or None when it is missing or not a year."""
    end = meta.get("plan_period_end")
    if end is None:
        return None
    if isinstance(end, bool) or not isinstance(end, int) or not 1900 <= end <= 2200:
        problems.append(
            Problem(DATASET, yaml_line(meta, "plan_period_end"), "plan_period_end", "must be a year")
        )
        return None
    return end


def check_plausible(ds: Dataset, problems: list[Problem]) -> None:
    """Every value within its unit; every actual, baseline and ward value for a period that
    had begun by data_as_of, and no actual after the plan's end."""
    as_of, end = _as_of(ds.meta), _plan_end(ds.meta, problems)
    kpis = {k["kpi_id"]: k for k in ds.tables[KPIS.path]}
    for k in kpis.values():
        for column in ("baseline_value", "target_value"):
            _unit(KPIS.path, k, column, k[column], k["unit_ja"], problems)
        if k["baseline_period"] and as_of and period_start(k["baseline_period"], k["period_type"]) > as_of:
            message = f"{k['baseline_period']} had not begun by data_as_of {as_of} (dataset.yaml)"
            problems.append(Problem(KPIS.path, k["_row"], "baseline_period", message))
    for a in ds.tables[ACTUALS.path]:
        k = kpis.get(a["kpi_id"])
        if k is None:
            continue  # reported by kawasaki.checks
        _unit(ACTUALS.path, a, "value", a["value"], k["unit_ja"], problems)
        if end is not None and a["period"] > end:
            message = f"{a['period']} is after the plan's end ({end}, dataset.yaml plan_period_end)"
            problems.append(Problem(ACTUALS.path, a["_row"], "period", message))
        elif as_of and period_start(a["period"], k["period_type"]) > as_of:
            message = (
                f"{a['period']} had not begun by data_as_of {as_of} (dataset.yaml): no value can exist yet"
            )
            problems.append(Problem(ACTUALS.path, a["_row"], "period", message))
    _check_ward_values(ds, as_of, problems)


def _unit(rel: str, row: dict, column: str, number: Any, unit: str, problems: list[Problem]) -> None:
    if number is None:
        return
    message = unit_problem(float(number.value), unit)
    if message:
        problems.append(Problem(rel, row["_row"], column, message))


def _check_ward_values(ds: Dataset, as_of: dt.date | None, problems: list[Problem]) -> None:
    """Each ward value within its indicator's kind, and not dated after data_as_of."""
    kinds = {i["indicator_id"]: i["kind"] for i in ds.tables[WARD_INDICATORS.path]}
    for v in ds.tables[WARD_VALUES.path]:
        kind = kinds.get(v["indicator_id"])
        message = kind_problem(float(v["value"].value), kind) if kind else None
        if message:
            problems.append(Problem(WARD_VALUES.path, v["_row"], "value", message))
        date = v["reference_date"]
        if date and as_of and dt.date.fromisoformat((date + "-01-01")[:10]) > as_of:
            message = f"{date} is after data_as_of {as_of} (dataset.yaml)"
            problems.append(Problem(WARD_VALUES.path, v["_row"], "reference_date", message))
