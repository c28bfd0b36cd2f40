"""The build: every check fails loudly with file:row: column, and a failed build loses nothing."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from kawasaki import build as build_module
from kawasaki import relations
from kawasaki.build import build
from kawasaki.problems import DataError
from kawasaki.schema import TABLES
from tests.conftest import ROOT
from tests.helpers import (
    append_row,
    cell_case,
    drop_column,
    duplicate_row,
    line_of,
    read_rows,
    rename_column,
    replace_text,
    set_cell,
)

KPIS = "kpis/kpis.csv"
ACTUALS = "kpis/actuals.csv"
VALUES = "wards/values.csv"
INDICATORS = "wards/indicators.csv"
CONTEXT = "plan/context.csv"


def ghg_row(data: Path) -> int:
    return line_of(data / KPIS, "ghg-reduction,")


# (id, edit(data_dir) -> expected "file:row: column:" prefix, expected words)
CASES = [
    (
        "missing column",
        lambda d: (drop_column(d / KPIS, "direction"), "kpis/kpis.csv:1: direction:")[1],
        "column is missing",
    ),
    (
        "renamed column",
        lambda d: (rename_column(d / KPIS, "unit_ja", "unit"), "kpis/kpis.csv:1: unit_ja:")[1],
        "column is missing",
    ),
    (
        "duplicate id",
        lambda d: (duplicate_row(d / KPIS, 2), "kpis/kpis.csv:30: kpi_id:")[1],
        "duplicate landuse-conversion (first on row 2)",
    ),
    (
        "unknown SDG target",
        cell_case(KPIS, 2, "sdg_targets", "3.4、18.1"),
        "'18.1' is not one of the 169 SDG targets",
    ),
    (
        "unknown initiative",
        cell_case(KPIS, 4, "initiatives", "9-9"),
        "initiative '9-9' is not in plan/structure.yaml",
    ),
    (
        "direction not allowed",
        cell_case(KPIS, 2, "direction", "up"),
        "'up' is not allowed",
    ),
    (
        "period type not allowed",
        cell_case(KPIS, 2, "period_type", "年度"),
        "is not allowed",
    ),
    (
        "bad number",
        cell_case(KPIS, 6, "baseline_value", "1,0,39"),
        "thousands separator",
    ),
    (
        "unit in a value",
        cell_case(KPIS, 10, "target_value", "178万"),
        "write the number only",
    ),
    (
        "year with 年度",
        cell_case(KPIS, 2, "target_period", "2029年度"),
        "is not a year",
    ),
    (
        "empty Japanese name",
        cell_case(KPIS, 2, "name_ja", " "),
        "is empty",
    ),
    (
        "direction contradicts values",
        cell_case(KPIS, 8, "direction", "increase"),
        "increase needs the target above the baseline",
    ),
    (
        "maintain without 以上/以下",
        cell_case(KPIS, 14, "target_qualifier", ""),
        "needs 以上 or 以下",
    ),
    (
        "maintain with a different target",
        cell_case(KPIS, 14, "target_value", "70.0", at="direction"),
        "maintain needs the target equal",
    ),
    (
        "baseline value without period",
        cell_case(KPIS, 2, "baseline_period", "", at="baseline_value"),
        "go together",
    ),
    (
        "unknown same_indicator_as",
        cell_case(KPIS, 28, "same_indicator_as", "nope"),
        "KPI 'nope'",
    ),
    (
        "actual for unknown KPI",
        cell_case(ACTUALS, 2, "kpi_id", "nope"),
        "KPI 'nope' is not in kpis/kpis.csv",
    ),
    (
        "actual not a number",
        cell_case(ACTUALS, 3, "value", "七九四"),
        "not a plain number",
    ),
    (
        "actual before baseline",
        lambda d: (
            append_row(
                d / ACTUALS,
                {"kpi_id": "ghg-reduction", "period": "2022", "value": "▲30.0", "source_ja": "環境局調べ"},
            ),
            "kpis/actuals.csv:9: period:",
        )[1],
        "is not after the baseline period 2023",
    ),
    (
        "duplicate actual",
        lambda d: (duplicate_row(d / ACTUALS, 2), "kpis/actuals.csv:9: kpi_id+period:")[1],
        "duplicate",
    ),
    (
        "target of the wrong goal",
        lambda d: (set_cell(d / "sdg/targets.csv", 2, "goal", "2"), "sdg/targets.csv:2: target:")[1],
        "does not belong to goal 2",
    ),
    (
        "bad colour",
        lambda d: (set_cell(d / "sdg/goals.csv", 2, "color_hex", "red"), "sdg/goals.csv:2: color_hex:")[1],
        "is not #RRGGBB",
    ),
    (
        "unknown ward code",
        cell_case(VALUES, 2, "ward_code", "14138"),
        "not a Kawasaki ward code",
    ),
    (
        "ward value not a number",
        cell_case(VALUES, 2, "value", "n/a"),
        "not a plain number",
    ),
    (
        "ward unit mismatch",
        cell_case(VALUES, 2, "unit", "households"),
        "differs from the indicator's unit 'persons'",
    ),
    (
        "duplicate ward and date",
        lambda d: (
            duplicate_row(d / VALUES, 2),
            f"wards/values.csv:{len(read_rows(d / VALUES))}: ward_code+indicator_id+reference_date:",
        )[1],
        "duplicate 14131/population_census_2020/2020-10-01",
    ),
    (
        "unknown ward indicator",
        cell_case(VALUES, 2, "indicator_id", "nope"),
        "'nope' is not in wards/indicators.csv",
    ),
    (
        "bad reference date",
        cell_case(VALUES, 2, "reference_date", "平成22年"),
        "is not a date",
    ),
    (
        "ward indicator linked to unknown KPI",
        lambda d: _at(d, INDICATORS, "kayoi_no_ba,", "kpi_id", "nope"),
        "KPI 'nope'",
    ),
    ("empty measure name", lambda d: _empty_measure(d), "is empty"),
    (
        "broken YAML",
        lambda d: (
            replace_text(d / "plan/structure.yaml", "policy_areas:", "policy_areas: ["),
            "plan/structure.yaml:",
        )[1],
        "is not valid YAML",
    ),
    (
        "no data_as_of",
        lambda d: (
            replace_text(d / "dataset.yaml", "data_as_of: 2026", "data_as_of_: 2026"),
            "dataset.yaml:",
        )[1],
        "data_as_of: is missing",
    ),
]


# The plan's context facts, its verdicts, the cross-term links and the ward census columns
# (issue #15): each a broken copy, reported at its file, row and column.
CASES += [
    (
        "context quote moved to another line",
        lambda d: _at(d, CONTEXT, "population,", "plan_line", "58", reported="quote_ja"),
        "is not on line 58 of sources/plan_3rd_term_ocr.txt (it is on line 57)",
    ),
    (
        "context quote not the plan's words",
        lambda d: _at(d, CONTEXT, "population,", "quote_ja", "本市の人口は、200万人を超えている。"),
        "(it is not in the plan text)",
    ),
    (
        "context line past the end",
        lambda d: _at(d, CONTEXT, "population,", "plan_line", "9999"),
        "has lines 1–",
    ),
    (
        "context figure not in its quote",
        lambda d: _at(d, CONTEXT, "population,", "figure_ja", "156万人超"),
        "'156' is not in quote_ja",
    ),
    (
        "context shown on an unknown page",
        lambda d: _at(d, CONTEXT, "population,", "shown_on", "top"),
        "'top' is not allowed",
    ),
    (
        "context fact of an unknown KPI",
        lambda d: _at(d, CONTEXT, "ghg-2030,", "kpi_id", "nope"),
        "KPI 'nope' is not in kpis/kpis.csv",
    ),
    (
        "context goal not after the target year",
        lambda d: _at(d, CONTEXT, "ghg-2030,", "period", "2027"),
        "2027 is not after the KPI's target year 2027",
    ),
    (
        "context value without its year",
        lambda d: _at(d, CONTEXT, "ghg-2030,", "period", ""),
        "value and period go together",
    ),
    (
        "verdict not the plan's words",
        lambda d: _at(d, ACTUALS, "t2-green-innovation,", "plan_verdict_ja", "目標を達成した"),
        "is not the plan's wording",
    ),
    (
        "same indicator not pointing back",
        lambda d: (
            _at(d, KPIS, "waste-per-capita,", "same_indicator_as", ""),
            f"kpis/kpis.csv:{_row_starting(d / KPIS, 't2-waste-per-capita,')}: same_indicator_as:",
        )[1],
        "'waste-per-capita' does not point back",
    ),
    (
        "same indicator in the same term",
        lambda d: _at(d, KPIS, "t2-ghg-reduction,", "same_indicator_as", "t2-waste-per-capita"),
        "must be a KPI of the other plan term",
    ),
    (
        "same indicator's shared value differs",
        lambda d: _at(d, ACTUALS, "t2-waste-per-capita,", "value", "800"),
        "differs from waste-per-capita's baseline of 2024",
    ),
    (
        "ward source type not allowed",
        cell_case(VALUES, 2, "source_type", "primary"),
        "'primary' is not allowed (use one of: official, secondary)",
    ),
    (
        "ward source type empty",
        cell_case(VALUES, 2, "source_type", ""),
        "is empty",
    ),
    (
        "ward attribution unknown",
        cell_case(VALUES, 2, "attribution", "nope"),
        "'nope' is not a key of sources/attributions.csv",
    ),
    (
        "derived from an unknown indicator",
        lambda d: _at(
            d, INDICATORS, "population_change_2010_2020,", "derived_from", "nope、population_census_2020"
        ),
        "'nope' is not in wards/indicators.csv",
    ),
    (
        "derivation without its inputs",
        lambda d: _at(
            d, INDICATORS, "population_change_2010_2020,", "derived_from", "", reported="derived_from"
        ),
        "derivation and derived_from go together",
    ),
    (
        "percent change of shares",
        lambda d: _at(
            d,
            INDICATORS,
            "population_change_2010_2020,",
            "derived_from",
            "aging_rate_census_2010、aging_share_census_2020",
        ),
        "percent_change needs two counts or populations in the same unit",
    ),
    (
        "a row for a derived indicator",
        lambda d: (
            append_row(
                d / VALUES,
                {
                    "ward_code": "14131",
                    "indicator_id": "population_change_2010_2020",
                    "reference_date": "2020-10-01",
                    "value": "7.2",
                    "unit": "%",
                    "source_title": "x",
                    "source_type": "official",
                },
            ),
            f"wards/values.csv:{len(read_rows(d / VALUES))}: indicator_id:",
        )[1],
        "is computed by the build (percent_change); remove this row",
    ),
    (
        "fixed denominator of the wrong kind",
        lambda d: _at(d, INDICATORS, "kayoi_no_ba,", "fixed_denominator", "aging_share_census_2020"),
        "must be an indicator of kind population, population_65plus, area",
    ),
    (
        "plan text missing",
        lambda d: ((d / "sources/plan_3rd_term_ocr.txt").unlink(), "sources/plan_3rd_term_ocr.txt:")[1],
        "file is missing",
    ),
]


def _row_starting(path: Path, prefix: str) -> int:
    """The spreadsheet row number of the first row that starts with ``prefix``."""
    return next(n for n, r in enumerate(read_rows(path), start=1) if ",".join(r).startswith(prefix))


def _at(d: Path, rel: str, row_start: str, column: str, value: str, *, reported: str | None = None) -> str:
    """Set ``column`` of the row starting ``row_start`` in ``rel`` to ``value``; return the
    "file:row: column:" the build must report (``reported``: another column of that row)."""
    row = _row_starting(d / rel, row_start)
    set_cell(d / rel, row, column, value)
    return f"{rel}:{row}: {reported or column}:"


def _empty_measure(d: Path) -> str:
    path = d / "plan/structure.yaml"
    line = line_of(path, "name_ja: 地域防災力の向上")
    replace_text(path, "name_ja: 地域防災力の向上", "name_ja: ''")
    return f"plan/structure.yaml:{line}: name_ja:"


@pytest.mark.parametrize("name,edit,words", CASES, ids=[c[0] for c in CASES])
def test_each_check_names_file_row_and_column(data_copy, tmp_path, name, edit, words):
    where = edit(data_copy)
    with pytest.raises(DataError) as info:
        build(data_copy, tmp_path / "out.duckdb")
    report = info.value.report()
    lines = [line for line in report.splitlines() if line.startswith(where)]
    assert lines, f"expected a line starting {where!r} in:\n{report}"
    assert any(words in line for line in lines), report
    assert not (tmp_path / "out.duckdb").exists()


def test_all_problems_are_reported_in_one_run(data_copy, tmp_path):
    set_cell(data_copy / KPIS, 2, "sdg_targets", "18.1")
    set_cell(data_copy / ACTUALS, 2, "value", "x")
    set_cell(data_copy / VALUES, 3, "ward_code", "99999")
    with pytest.raises(DataError) as info:
        build(data_copy, tmp_path / "out.duckdb")
    files = {p.file for p in info.value.problems if p.severity == "error"}
    assert files == {KPIS, ACTUALS, VALUES}


@pytest.mark.parametrize(
    "rel, english_name, expected",
    [
        ("kpis/kpis.csv", "SELECT name_en FROM kpis WHERE kpi_id = 'landuse-conversion'", "扇島"),
        (
            "wards/places.csv",
            "SELECT name_en FROM ward_places WHERE place_id = 'king-skyfront'",
            "キングスカイフロント",
        ),
    ],
)
def test_missing_english_name_is_a_warning_and_falls_back(data_copy, tmp_path, rel, english_name, expected):
    set_cell(data_copy / rel, 2, "name_en", "")
    result = build(data_copy, tmp_path / "out.duckdb")
    assert [str(w) for w in result.warnings] == [f"{rel}:2: name_en: warning: is empty"]
    con = duckdb.connect(str(tmp_path / "out.duckdb"), read_only=True)
    assert con.execute(english_name).fetchone()[0].startswith(expected)  # the Japanese name


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failed_build_leaves_previous_database_byte_identical(data_copy, tmp_path):
    db = tmp_path / "kawasaki.duckdb"
    build(data_copy, db)
    before = sha(db)
    set_cell(data_copy / KPIS, 2, "baseline_value", "zero")
    with pytest.raises(DataError):
        build(data_copy, db)
    assert sha(db) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["kawasaki.duckdb"]


def test_crash_while_writing_leaves_previous_database(data_copy, tmp_path, monkeypatch):
    db = tmp_path / "kawasaki.duckdb"
    build(data_copy, db)
    before = sha(db)

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(build_module, "_write", explode)
    with pytest.raises(OSError, match="disk full"):
        build(data_copy, db)
    assert sha(db) == before
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["kawasaki.duckdb"]


def test_adding_a_years_actual_is_one_row(data_copy, tmp_path):
    """The staff workflow of docs/updating-data.md: one row in actuals.csv, then build."""
    db = tmp_path / "kawasaki.duckdb"
    build(data_copy, db)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT status FROM kpi_progress WHERE kpi_id = 'ghg-reduction'").fetchone() == (
        "no_actual",
    )
    con.close()
    append_row(
        data_copy / ACTUALS,
        {
            "kpi_id": "ghg-reduction",
            "period": "2024",
            "value": "▲38.0",
            "source_ja": "環境局調べ",
            "source_en": "Environment Bureau",
        },
    )
    build(data_copy, db)
    con = duckdb.connect(str(db), read_only=True)
    status, period, value, ratio = con.execute(
        "SELECT status, latest_period, latest_value, progress_ratio FROM kpi_progress WHERE kpi_id = 'ghg-reduction'"
    ).fetchone()
    assert (status, period, value) == ("on_track", 2024, -38.0)
    assert ratio == pytest.approx(3.0 / 10.4)


def test_every_table_of_the_schema_is_filled_by_one_function():
    """RELATIONS follows schema.sql (a table after those it refers to); the build's own two last."""
    assert (*relations.RELATIONS, "build_sources", "build_info") == TABLES


def test_build_records_checksums_and_stamp(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    paths = {r[0] for r in con.execute("SELECT path FROM build_sources").fetchall()}
    assert {"kpis/kpis.csv", "kpis/actuals.csv", "plan/structure.yaml", "wards/wards.geojson"} <= paths
    stamp, as_of = con.execute("SELECT build_stamp, data_as_of FROM build_info").fetchone()
    assert len(stamp) == 12 and str(as_of) == "2026-11-28"


def test_same_sources_give_the_same_stamp(data_copy, tmp_path):
    a = build(data_copy, tmp_path / "a.duckdb").build_stamp
    assert build(data_copy, tmp_path / "b.duckdb").build_stamp == a
    set_cell(data_copy / KPIS, 2, "name_en", "changed")
    assert build(data_copy, tmp_path / "c.duckdb").build_stamp != a


def test_cli_reports_problems_and_exits_non_zero(data_copy, tmp_path):
    set_cell(data_copy / KPIS, 2, "sdg_targets", "18.1")
    db = tmp_path / "k.duckdb"
    run = subprocess.run(
        [sys.executable, "-m", "kawasaki", "build", "--data", str(data_copy), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 1
    assert "kpis/kpis.csv:2: sdg_targets: '18.1' is not one of the 169 SDG targets" in run.stderr
    assert "no database was written" in run.stderr
    assert not db.exists()


def test_cli_says_the_previous_database_was_kept(data_copy, tmp_path):
    db = tmp_path / "k.duckdb"
    build(data_copy, db)
    set_cell(data_copy / KPIS, 2, "sdg_targets", "18.1")
    run = subprocess.run(
        [sys.executable, "-m", "kawasaki", "build", "--data", str(data_copy), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 1
    assert f"{db} was left unchanged" in run.stderr


def test_cli_builds(data_copy, tmp_path):
    db = tmp_path / "k.duckdb"
    run = subprocess.run(
        [sys.executable, "-m", "kawasaki", "build", "--data", str(data_copy), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert "28 kpis" in run.stdout and db.exists()
