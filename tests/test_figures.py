"""What the progress charts write above each bar: names and values a reader can trust."""

from __future__ import annotations

import html

import duckdb
import pytest

from kawasaki import queries
from kawasaki.figures.progress import progress_chart
from kawasaki.present import kpi_target, kpi_value


@pytest.fixture(scope="module")
def kpis(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        return [queries.kpis(con), queries.kpis(con, plan_term=2)]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_value_is_split_from_its_unit_across_lines(kpis, lang):
    """Every baseline and target, with its unit and 以上/以下, stays on one line of the
    chart's text (a phone shows "▲35.0" on one line and "%" on the next otherwise)."""
    for frame in kpis:
        figure = progress_chart(frame, lang, names_above=True)
        lines = [
            html.unescape(line)
            for a in figure.layout.annotations
            for line in a.text.replace("<b>", "").replace("</b>", "").split("<br>")
        ]
        for row in frame.to_dict("records"):
            values = [kpi_target(row, lang)]
            if row["baseline_value"] is not None and row["baseline_value"] == row["baseline_value"]:
                values.append(kpi_value(row, "baseline", lang))
            for value in values:
                assert any(value in line for line in lines), (
                    f"{row['kpi_id']}: {value!r} is not whole on any line: {lines}"
                )
