"""Ward indicators the build computes from two others (``derivation`` and
``derived_from`` in wards/indicators.csv), and the checks of those columns.

Two derivations, each from the latest value of each input in each ward:

- ``percent_change`` of A、B: (B − A) ÷ A × 100, rounded half up to 1 decimal, for a
  ward whose B is dated after its A; dated B's date. The population change between
  two censuses.
- ``population_x_share`` of A、B: population A × share B (%) ÷ 100, rounded half up to
  whole units, for a ward whose A and B have the same date (values of different dates
  are never combined); dated that date. The 65+ population from the census
  population and its share aged 65+.

A derived value is secondary when either input is. Plain Python, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from kawasaki.datafiles import ATTRIBUTIONS, WARD_INDICATORS, WARD_VALUES, Dataset
from kawasaki.numbers import Number
from kawasaki.problems import Problem
from kawasaki.tables import Row
from kawasaki.wards.queries import DENOMINATOR_KINDS

# The kinds that can be divided (kawasaki.wards.model.NORMALISERS).
NUMERATOR_KINDS = ("count", "population")
DECIMALS = {"percent_change": 1, "population_x_share": 0}


def round_half_up(value: Decimal, decimals: int) -> Number:
    """``value`` rounded half up (not to even) to ``decimals``.

    >>> round_half_up(Decimal("7.25"), 1), round_half_up(Decimal("2.5"), 0).value
    (Number(value=Decimal('7.3'), decimals=1), Decimal('3'))
    """
    return Number(value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), decimals)


def _latest(values: list[Row]) -> dict[tuple[str, str], Row]:
    """The latest value of each (ward, indicator); a value without a date counts as the oldest."""
    latest: dict[tuple[str, str], Row] = {}
    for v in values:
        key = (v["ward_code"], v["indicator_id"])
        if key not in latest or (v["reference_date"] or "") > (latest[key]["reference_date"] or ""):
            latest[key] = v
    return latest


def derived_values(indicators: list[Row], values: list[Row]) -> list[Row]:
    """The rows of every derived indicator, as the rows of values.csv plus ``derived``."""
    latest = _latest(values)
    names = {i["indicator_id"]: i["name_ja"] for i in indicators}
    wards = sorted({v["ward_code"] for v in values})
    rows = []
    for ind in indicators:
        how, inputs = ind["derivation"], ind["derived_from"] or []
        if not how or len(inputs) != 2:
            continue
        for ward in wards:
            a, b = latest.get((ward, inputs[0])), latest.get((ward, inputs[1]))
            if a is None or b is None:
                continue
            result = _combine(how, a, b)
            if result is None:
                continue
            rows.append(
                {
                    "ward_code": ward,
                    "indicator_id": ind["indicator_id"],
                    "reference_date": b["reference_date"],
                    "value": result,
                    "unit": ind["unit"],
                    "source_title": f"算出値：{names[inputs[0]]}と{names[inputs[1]]}から計算（計算方法は指標の説明のとおり）",
                    "source_url": None,
                    "source_type": "secondary"
                    if "secondary" in (a["source_type"], b["source_type"])
                    else "official",
                    "attribution": b["attribution"] or a["attribution"],
                    "derived": True,
                }
            )
    return rows


def _combine(how: str, a: Row, b: Row) -> Number | None:
    """One ward's derived value from its inputs ``a`` and ``b``, or None when they do not combine."""
    da, db = a["reference_date"], b["reference_date"]
    x, y = a["value"].value, b["value"].value
    if how == "percent_change":
        if not da or not db or not db > da or x == 0:
            return None
        return round_half_up((y - x) / x * 100, DECIMALS[how])
    if not da or da != db:
        return None
    return round_half_up(x * y / 100, DECIMALS[how])


# --- checks ----------------------------------------------------------------------------


def check_derivations(ds: Dataset, problems: list[Problem]) -> None:
    """A derived indicator names two existing inputs that fit its derivation, and has no
    rows of its own; a fixed denominator is an indicator that can divide."""
    rel = WARD_INDICATORS.path
    indicators = {i["indicator_id"]: i for i in ds.tables[rel]}
    for ind in ds.tables[rel]:
        _check_one(ind, indicators, problems)
        fixed = ind["fixed_denominator"]
        if fixed:
            _check_fixed(ind, indicators.get(fixed), problems)
    for v in ds.tables[WARD_VALUES.path]:
        ind = indicators.get(v["indicator_id"])
        if ind is not None and ind["derivation"]:
            problems.append(
                Problem(
                    WARD_VALUES.path,
                    v["_row"],
                    "indicator_id",
                    f"'{v['indicator_id']}' is computed by the build ({ind['derivation']}); remove this row",
                )
            )
    if ATTRIBUTIONS.path in ds.unusable:
        return
    keys = {a["key"] for a in ds.tables[ATTRIBUTIONS.path]}
    for v in ds.tables[WARD_VALUES.path]:
        if v["attribution"] and v["attribution"] not in keys:
            message = f"'{v['attribution']}' is not a key of {ATTRIBUTIONS.path}"
            problems.append(Problem(WARD_VALUES.path, v["_row"], "attribution", message))


def _check_one(ind: Row, indicators: Mapping[str, Row], problems: list[Problem]) -> None:
    """One indicator's ``derivation`` and ``derived_from``."""
    rel, row = WARD_INDICATORS.path, ind["_row"]
    how, inputs = ind["derivation"], ind["derived_from"] or []
    if bool(how) != bool(inputs):
        column = "derived_from" if how else "derivation"
        problems.append(Problem(rel, row, column, "derivation and derived_from go together"))
        return
    if not how:
        return
    if len(inputs) != 2:
        problems.append(Problem(rel, row, "derived_from", f"needs exactly two indicators, not {len(inputs)}"))
        return
    found = []
    for name in inputs:
        other = indicators.get(name)
        if other is None:
            problems.append(Problem(rel, row, "derived_from", f"'{name}' is not in {rel}"))
        elif name == ind["indicator_id"] or other["derivation"]:
            problems.append(Problem(rel, row, "derived_from", f"'{name}' is itself derived"))
        else:
            found.append(other)
    if len(found) == 2:
        for column, message in _fit(how, ind, found[0], found[1]):
            problems.append(Problem(rel, row, column, message))


def _fit(how: str, ind: Row, a: Row, b: Row) -> list[tuple[str, str]]:
    """What does not fit the derivation ``how`` of ``a`` and ``b`` into ``ind``: (column, message)."""
    wrong = []
    if how == "percent_change":
        if a["unit"] != b["unit"] or a["kind"] not in NUMERATOR_KINDS:
            wrong.append(("derived_from", "percent_change needs two counts or populations in the same unit"))
        if ind["unit"] != "%" or ind["kind"] != "change":
            wrong.append(("kind", "percent_change gives kind change, unit %"))
    else:
        if a["kind"] != "population" or b["unit"] != "%":
            wrong.append(("derived_from", "population_x_share needs a population, then a share in %"))
        if ind["unit"] != a["unit"] or ind["kind"] not in ("population", "population_65plus"):
            wrong.append(("kind", f"population_x_share gives a population in '{a['unit']}'"))
    return wrong


def _check_fixed(ind: Row, denominator: Row | None, problems: list[Problem]) -> None:
    """``fixed_denominator``: an existing population, 65+ population or area; the indicator a count."""
    rel, row = WARD_INDICATORS.path, ind["_row"]
    if denominator is None:
        problems.append(
            Problem(rel, row, "fixed_denominator", f"'{ind['fixed_denominator']}' is not in {rel}")
        )
    elif denominator["indicator_id"] == ind["indicator_id"] or denominator["kind"] not in DENOMINATOR_KINDS:
        kinds = ", ".join(DENOMINATOR_KINDS)
        problems.append(Problem(rel, row, "fixed_denominator", f"must be an indicator of kind {kinds}"))
    elif ind["kind"] not in NUMERATOR_KINDS:
        problems.append(Problem(rel, row, "fixed_denominator", "only a count or a population is divided"))
