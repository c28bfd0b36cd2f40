"""Data that read fine but cannot be true, or could harm a visitor: refused by the build.

The same contract as test_bad_data.py (``assert_refused``: the line
``file:row: column: …``, exit status 1 for ``build`` and ``--check``, the previous
database byte-identical, the sources untouched), for values a careless edit produces:
periods after the plan or after ``data_as_of``, a ``data_as_of`` in the future, values
outside what their unit allows, identifiers with spaces or markup, control characters,
links that are not http(s), and ward polygons the map cannot draw.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from kawasaki.dataset import load_dataset
from kawasaki.geometry import MAX_FEATURE_VERTICES
from tests.helpers import append_row, read_rows, replace_text
from tests.robustness.test_bad_data import (
    ACTUALS,
    ATTRIBUTIONS,
    DATASET,
    GEOJSON,
    KPIS,
    PLACES,
    STRUCTURE,
    VALUES,
    Case,
    assert_refused,
    cell,
    edit_json,
    yaml_line,
)

AS_OF = "2026-11-28"  # data/dataset.yaml


def _actual(period: str, value: str = "▲38.0", kpi: str = "ghg-reduction"):
    def edit(d: Path) -> str:
        row = append_row(
            d / ACTUALS, {"kpi_id": kpi, "period": period, "value": value, "source_ja": "環境局調べ"}
        )
        return f"{ACTUALS}:{row}: {'period' if value == '▲38.0' else 'value'}:"

    return edit


def _value_row(d: Path, indicator: str) -> int:
    return next(n for n, r in enumerate(read_rows(d / VALUES), start=1) if r[1] == indicator)


def _ward_value(indicator: str, column: str, value: str):
    def edit(d: Path) -> str:
        from tests.helpers import set_cell

        row = _value_row(d, indicator)
        set_cell(d / VALUES, row, column, value)
        return f"{VALUES}:{row}: {column}:"

    return edit


def _yaml_value(rel: str, old: str, new: str, key: str):
    def edit(d: Path) -> str:
        line = yaml_line(d, rel, old)
        replace_text(d / rel, old, new)
        return f"{rel}:{line}: {key}:"

    return edit


def _ring(doc: dict, n: int) -> list:
    """The outer ring of feature ``n``'s (first) polygon, to edit in place."""
    geometry = doc["features"][n]["geometry"]
    return geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]


def _geometry(change, n: int = 2, path: str = "[0]"):
    """Edit ward ``n``'s ring (feature n + 1, Nakahara-ku for 2); expect its path named."""

    def edit(d: Path) -> str:
        edit_json(d / GEOJSON, lambda doc: change(_ring(doc, n)))
        return f"{GEOJSON}: features[{n + 1}].geometry.coordinates{path}:"

    return edit


def _swap(ring: list) -> None:
    ring[3], ring[len(ring) // 2] = ring[len(ring) // 2], ring[3]


def _three_points(ring: list) -> None:
    ring[:] = [ring[0], ring[1], ring[0]]


def _densify(ring: list) -> None:
    """The same outline with ten points on every edge (a file exported without simplifying)."""
    dense = []
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        dense += [[x1 + (x2 - x1) * k / 40, y1 + (y2 - y1) * k / 40] for k in range(40)]
    ring[:] = dense + [ring[-1]]


def _shift(ring: list) -> None:
    for point in ring:
        point[0] += 10


CASES = [
    # --- periods ---------------------------------------------------------------------
    Case("actual after the plan's end", _actual("2030"), "2030 is after the plan's end (2029"),
    Case("actual for FY9999", _actual("9999"), "9999 is after the plan's end (2029"),
    Case("actual after data_as_of", _actual("2027"), f"2027 had not begun by data_as_of {AS_OF}"),
    Case(
        "baseline after data_as_of",
        lambda d: cell(d, KPIS, "kayoi-no-ba", "baseline_period", "2027"),
        f"2027 had not begun by data_as_of {AS_OF}",
    ),
    Case(
        "ward value dated after data_as_of",
        _ward_value("households_estimate", "reference_date", "2027-01-01"),
        "is after data_as_of",
    ),
    Case(
        "data_as_of in the future",
        _yaml_value(DATASET, f"data_as_of: {AS_OF}", "data_as_of: 2999-01-01", "data_as_of"),
        "is 2999-01-01, after today",
    ),
    # --- values outside their unit ------------------------------------------------------
    Case(
        "negative count (ward)",
        _ward_value("households_estimate", "value", "-5"),
        "below 0 for an indicator of kind count",
    ),
    Case(
        "negative population",
        _ward_value("population_census_2010", "value", "▲217328"),
        "below 0 for an indicator of kind population",
    ),
    Case(
        "share over 100 %",
        _ward_value("aging_rate_census_2010", "value", "120.5"),
        "outside 0 to 100 for an indicator of kind share",
    ),
    Case(
        "KPI share over 100 %",
        lambda d: cell(d, KPIS, "ghg-reduction", "target_value", "▲145.4"),
        "outside -100 to 100 for a value in %",
    ),
    Case("KPI count below zero", _actual("2025", "-3", "t2-green-innovation"), "a value in 件 cannot be"),
    # --- identifiers, text, links ---------------------------------------------------------
    Case(
        "id with a space and markup",
        lambda d: cell(d, KPIS, "ghg-reduction", "kpi_id", "a b<script>"),
        "is not an identifier",
    ),
    Case(
        "place id with markup",
        lambda d: cell(d, PLACES, "king-skyfront", "place_id", "<b>x</b>"),
        "is not an identifier",
    ),
    Case(
        "NUL in a name",
        lambda d: cell(d, KPIS, "ghg-reduction", "name_ja", "温室効果\x00ガス"),
        "control character (U+0000)",
    ),
    Case(
        "tab in a unit",
        lambda d: cell(d, KPIS, "ghg-reduction", "unit_en", "%\t"),
        "control character (U+0009)",
    ),
    Case(
        "right-to-left override in a source",
        lambda d: cell(d, ACTUALS, "t2-green-innovation", "source_en", "\u202egnp.exe"),
        "control character (U+202E)",
    ),
    Case(
        "control character in YAML",
        _yaml_value(
            DATASET, "plan_title_en: Kawasaki City", 'plan_title_en: "Kawasaki\\a" #', "plan_title_en"
        ),
        "control character (U+0007)",
    ),
    Case(
        "escape character in the plan's text",
        lambda d: (
            replace_text(d / STRUCTURE, "city_image_ja: ", 'city_image_ja: "\\e" # '),
            f"{STRUCTURE}:{yaml_line(d, STRUCTURE, 'city_image_ja:')}: city_image_ja:",
        )[1],
        "control character (U+001B)",
    ),
    Case(
        "data: URL as a source",
        _ward_value("households_estimate", "source_url", "data:text/html,<script>alert(1)</script>"),
        "is not an http:// or https:// address",
    ),
    Case(
        "javascript: URL as an attribution",
        lambda d: cell(d, ATTRIBUTIONS, "n03", "url", "javascript:alert(1)"),
        "is not an http:// or https:// address",
    ),
    Case(
        "URL with a space",
        lambda d: cell(d, ATTRIBUTIONS, "n03", "url", "https://example.org/a b"),
        "holds a space",
    ),
    # --- ward geometry ---------------------------------------------------------------------
    Case("self-intersecting ring", _geometry(_swap), "crosses or touches itself"),
    Case("ring of three points", _geometry(_three_points), "needs at least 4 positions (it has 3)"),
    Case("coordinate 1e308", _geometry(lambda r: r[5].__setitem__(0, 1e308), path="[0][5]"), "(1e+308, "),
    Case(
        "coordinate not finite",
        _geometry(lambda r: r[5].__setitem__(1, math.nan), path="[0][5]"),
        "is not a finite number",
    ),
    Case("ward far outside Kawasaki", _geometry(_shift, path="[0][0]"), "is far outside Kawasaki"),
    Case("polygon too large", _geometry(_densify, path=""), f"the limit is {MAX_FEATURE_VERTICES:,}"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_impossible_or_unsafe_data_is_refused(case, data_copy, previous_db, capsys):
    assert_refused(case, data_copy, previous_db, capsys)


def test_data_as_of_is_judged_against_the_date_given(data_copy):
    """``data_as_of`` may be today in Japan but not tomorrow (the clock is an argument)."""
    as_of = dt.date.fromisoformat(AS_OF)
    _, problems = load_dataset(data_copy, today=as_of)
    assert not [p for p in problems if p.severity == "error"]
    _, problems = load_dataset(data_copy, today=as_of - dt.timedelta(days=1))
    assert [str(p) for p in problems if p.column == "data_as_of"] == [
        f"{DATASET}:3: data_as_of: is {AS_OF}, after today ({as_of - dt.timedelta(days=1)} in Japan): "
        "write the date the data were last checked"
    ]
