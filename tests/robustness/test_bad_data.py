"""Broken data files, as staff under a deadline might save them, fed to the real build.

Every case breaks a copy of data/ in one way and runs ``python -m kawasaki build`` (in
process, ``kawasaki.cli.main``) against a copy of a good database, then asserts:

- a clear message: one line ``file:row: column: what is wrong`` (``file: …`` for a
  problem with the file as a whole), and no Python traceback;
- exit status 1, for ``build`` and for ``build --check``;
- the previous database byte-identical, and no temporary file left beside it;
- the source files untouched (the build only reads them).

A second table holds inputs that look odd but are valid (▲/△/− signs, full-width
digits, thousands separators, stray spaces, a BOM): they must build the same values.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from kawasaki import cli
from kawasaki.build import build
from kawasaki.dataset import load_dataset
from tests.conftest import ROOT
from tests.helpers import (
    append_row,
    drop_column,
    duplicate_row,
    line_of,
    read_rows,
    rename_column,
    replace_text,
    set_cell,
    write_rows,
)

KPIS = "kpis/kpis.csv"
ACTUALS = "kpis/actuals.csv"
GOALS = "sdg/goals.csv"
TARGETS = "sdg/targets.csv"
VALUES = "wards/values.csv"
INDICATORS = "wards/indicators.csv"
PLACES = "wards/places.csv"
ATTRIBUTIONS = "sources/attributions.csv"
STRUCTURE = "plan/structure.yaml"
DATASET = "dataset.yaml"
GEOJSON = "wards/wards.geojson"


def row_of(d: Path, rel: str, first_cell: str) -> int:
    """The spreadsheet row number (header = 1) of the row whose first cell is ``first_cell``."""
    rows = read_rows(d / rel)
    return next(n for n, row in enumerate(rows, start=1) if row and row[0] == first_cell)


def cell(d: Path, rel: str, first_cell: str, column: str, value: str) -> str:
    """Set one cell of the row starting with ``first_cell``; return its ``file:row: column:``."""
    row = row_of(d, rel, first_cell)
    set_cell(d / rel, row, column, value)
    return f"{rel}:{row}: {column}:"


def edit_json(path: Path, change: Callable[[dict], None]) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def yaml_line(d: Path, rel: str, needle: str) -> int:
    return line_of(d / rel, needle)


def _written(rel: str, content: str, where: str = "") -> Callable[[Path], str]:
    """Replace the file ``rel`` by ``content``; the problem is reported at ``rel:where``."""

    def write(d: Path) -> str:
        (d / rel).write_text(content)
        return f"{rel}:{where}"

    return write


def _shift_jis(rel: str) -> Callable[[Path], str]:
    """Save the file ``rel`` as Shift_JIS; the problem is at its first non-ASCII line."""

    def save(d: Path) -> str:
        path = d / rel
        text = path.read_text(encoding="utf-8")
        path.write_bytes(text.encode("cp932", errors="replace"))
        first = next(n for n, line in enumerate(text.splitlines(), start=1) if not line.isascii())
        return f"{rel}:{first}:"

    return save


def _utf16(d: Path) -> str:
    path = d / ACTUALS
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    return f"{ACTUALS}:1:"


def _very_large(d: Path) -> str:
    with open(d / VALUES, "r+b") as fh:  # sparse: 60 MB on paper, no time or disk spent
        fh.truncate(60 * 1024 * 1024)
    return f"{VALUES}:"


def _huge_cell(d: Path) -> str:
    set_cell(d / KPIS, 2, "note_ja", "長" * 200_000)
    return f"{KPIS}:2:"


def _directory(d: Path) -> str:
    (d / TARGETS).unlink()
    (d / TARGETS).mkdir()
    return f"{TARGETS}:"


def _fifo(d: Path) -> str:
    (d / INDICATORS).unlink()
    os.mkfifo(d / INDICATORS)  # reading it would block for ever
    return f"{INDICATORS}:"


def _missing(d: Path) -> str:
    (d / PLACES).unlink()
    return f"{PLACES}:"


def _header_only(d: Path) -> str:
    rows = read_rows(d / KPIS)
    write_rows(d / KPIS, rows[:1])
    return f"{KPIS}:"


def _duplicate_header(d: Path) -> str:
    rows = read_rows(d / WARD_CSV)
    write_rows(d / WARD_CSV, [r + [r[1]] for r in rows])
    return f"{WARD_CSV}:1: name_ja:"


WARD_CSV = "wards/wards.csv"


def _yaml_pillar_text_not_list(d: Path) -> str:
    line = yaml_line(d, STRUCTURE, "    text:")
    text = (d / STRUCTURE).read_text(encoding="utf-8").splitlines(keepends=True)
    # "text:" followed by its list items -> "text: one sentence", the items kept under a new key
    text[line - 1] = "    text: 川崎臨海部において、…\n    old_text:\n"
    (d / STRUCTURE).write_text("".join(text), encoding="utf-8")
    return f"{STRUCTURE}:{line}: text:"


def _yaml_no_policy_areas(d: Path) -> str:
    path = d / STRUCTURE
    text = path.read_text(encoding="utf-8")
    line = line_of(path, "policy_areas:")
    path.write_text(text[: text.index("policy_areas:")] + "policy_areas: []\n", encoding="utf-8")
    return f"{STRUCTURE}:{line}: policy_areas:"


def _yaml_area_without_initiatives(d: Path) -> str:
    path = d / STRUCTURE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = line_of(path, "policy_areas:")
    first = next(n for n in range(start, len(lines)) if lines[n].startswith("    initiatives:"))
    end = next(n for n in range(first + 1, len(lines)) if lines[n].startswith("  - number:"))
    lines[first:end] = ["    initiatives: []\n"]
    path.write_text("".join(lines), encoding="utf-8")
    return f"{STRUCTURE}:{first + 1}: initiatives:"


def _yaml_duplicate_pillar(d: Path) -> str:
    line = line_of(d / STRUCTURE, "  - pillar: society")
    replace_text(d / STRUCTURE, "  - pillar: society", "  - pillar: economy")
    return f"{STRUCTURE}:{line}: pillar:"


def _geojson(change: Callable[[dict], None]) -> Callable[[Path], str]:
    def edit(d: Path) -> str:
        edit_json(d / GEOJSON, change)
        return f"{GEOJSON}:"

    return edit


def _set_feature(n: int, key: str, value: object) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        target = doc["features"][n]
        *path, last = key.split(".")
        for part in path:
            target = target[part]
        target[last] = value

    return change


@dataclass(frozen=True)
class Case:
    """One broken input: how to break it, and the words the message must contain."""

    name: str
    edit: Callable[[Path], str]  # breaks the copy; returns the expected "file:row: column:" start
    words: str


CASES = [
    # --- the file as a whole -------------------------------------------------------
    Case(
        "missing column",
        lambda d: (drop_column(d / KPIS, "direction"), f"{KPIS}:1: direction:")[1],
        "column is missing",
    ),
    Case(
        "renamed column",
        lambda d: (rename_column(d / VALUES, "ward_code", "ward"), f"{VALUES}:1: ward_code:")[1],
        "column is missing",
    ),
    Case("column twice", _duplicate_header, "column appears twice (columns 2 and 4)"),
    Case(
        "empty file",
        lambda d: ((d / ACTUALS).write_bytes(b""), f"{ACTUALS}:")[1],
        "file is empty; expected a header row",
    ),
    Case("only blank lines", _written(GOALS, "\n \n\n"), "file is empty"),
    Case("header only", _header_only, "has no data rows (only a header)"),
    Case("file missing", _missing, "file is missing"),
    Case("replaced by a directory", _directory, "is a directory; expected a file"),
    Case("replaced by a pipe", _fifo, "is not a regular file"),
    Case(
        "saved as Shift_JIS",
        _shift_jis(KPIS),
        "is not UTF-8 text (perhaps saved as Shift_JIS): save it again as 'CSV UTF-8",
    ),
    Case("YAML saved as Shift_JIS", _shift_jis(STRUCTURE), "save it again as UTF-8"),
    Case("saved as UTF-16", _utf16, "perhaps saved as UTF-16"),
    Case("very large file", _very_large, "is 60 MB; the limit is 50 MB"),
    Case("a cell of 200,000 characters", _huge_cell, "cannot be read as CSV: field larger than field limit"),
    # --- wrong type ------------------------------------------------------------------
    Case(
        "word for a whole number",
        lambda d: cell(d, KPIS, "ghg-reduction", "en_scale", "ten"),
        "'ten' is not a whole number",
    ),
    Case(
        "superscript digit",
        lambda d: cell(d, KPIS, "ghg-reduction", "en_scale", "1²"),
        "is not a whole number",
    ),
    Case(
        "decimal goal number",
        lambda d: cell(d, TARGETS, "13.1", "goal", "13.0"),
        "'13.0' is not a whole number",
    ),
    Case("goal number too large", lambda d: cell(d, GOALS, "13", "goal", "99999999999"), "is too large"),
    Case(
        "number too large",
        lambda d: cell(d, KPIS, "ghg-reduction", "target_value", "9" * 400),
        "is too large",
    ),
    Case(
        "year with 年度",
        lambda d: cell(d, KPIS, "ghg-reduction", "target_period", "2027年度"),
        "is not a year",
    ),
    Case(
        "Japanese era year",
        lambda d: cell(d, KPIS, "ghg-reduction", "baseline_period", "令和5"),
        "is not a year",
    ),
    Case(
        "date that does not exist",
        lambda d: cell(d, VALUES, "14131", "reference_date", "2010-13-45"),
        "is not a date that exists",
    ),
    Case(
        "unit in a value",
        lambda d: cell(d, KPIS, "ghg-reduction", "baseline_value", "▲35.0%"),
        "write the number only",
    ),
    Case(
        "thousands separator misplaced",
        lambda d: cell(d, KPIS, "kayoi-no-ba", "target_value", "1,2,00"),
        "thousands separator in the wrong place",
    ),
    Case(
        "two minus signs",
        lambda d: cell(d, KPIS, "ghg-reduction", "target_value", "▲▲45.4"),
        "is not a number",
    ),
    Case("empty required cell", lambda d: cell(d, KPIS, "ghg-reduction", "unit_ja", "   "), "is empty"),
    Case(
        "enum in Japanese",
        lambda d: cell(d, KPIS, "ghg-reduction", "direction", "減少"),
        "is not allowed (use one of: increase, decrease, maintain)",
    ),
    Case(
        "too many cells",
        lambda d: ((d / WARD_CSV).write_text((d / WARD_CSV).read_text() + "14138,x,y,z\n"), f"{WARD_CSV}:9:")[
            1
        ],
        "row has 4 cells but the header has 3",
    ),
    # --- duplicates ------------------------------------------------------------------
    Case(
        "duplicate KPI id",
        lambda d: (duplicate_row(d / KPIS, 2), f"{KPIS}:{len(read_rows(d / KPIS))}: kpi_id:")[1],
        "duplicate landuse-conversion (first on row 2)",
    ),
    Case(
        "duplicate ward",
        lambda d: (duplicate_row(d / WARD_CSV, 3), f"{WARD_CSV}:9: ward_code:")[1],
        "duplicate 14132 (first on row 3)",
    ),
    # --- dangling references -----------------------------------------------------------
    Case(
        "KPI -> target 18.1",
        lambda d: cell(d, KPIS, "ghg-reduction", "sdg_targets", "13.2、18.1"),
        "'18.1' is not one of the 169 SDG targets",
    ),
    Case(
        "KPI -> unknown initiative",
        lambda d: cell(d, KPIS, "ghg-reduction", "initiatives", "3-9"),
        "initiative '3-9' is not in plan/structure.yaml",
    ),
    Case(
        "actual -> unknown KPI",
        lambda d: (
            append_row(
                d / ACTUALS,
                {"kpi_id": "ghg-reduktion", "period": "2024", "value": "▲38.0", "source_ja": "環境局調べ"},
            ),
            f"{ACTUALS}:{len(read_rows(d / ACTUALS))}: kpi_id:",
        )[1],
        "KPI 'ghg-reduktion' is not in kpis/kpis.csv",
    ),
    Case(
        "value -> unknown ward code",
        lambda d: cell(d, VALUES, "14131", "ward_code", "14138"),
        "'14138' is not a Kawasaki ward code",
    ),
    Case(
        "place -> unknown ward code",
        lambda d: cell(d, PLACES, "king-skyfront", "ward_code", "14100"),
        "'14100' is not a Kawasaki ward code",
    ),
    Case(
        "place -> initiative written 4-②",
        lambda d: cell(d, PLACES, "king-skyfront", "initiative_id", "4-②"),
        "write it like 4-1 for 4-①",
    ),
    Case(
        "indicator -> unknown KPI",
        lambda d: cell(d, INDICATORS, "population_census_2010", "kpi_id", "nope"),
        "KPI 'nope' is not in kpis/kpis.csv",
    ),
    Case(
        "attribution the pages cite removed",
        lambda d: (
            write_rows(d / ATTRIBUTIONS, [r for r in read_rows(d / ATTRIBUTIONS) if r[0] != "mofa"]),
            f"{ATTRIBUTIONS}: key:",
        )[1],
        "the row 'mofa' is missing",
    ),
    # --- direction and 以上/以下 -------------------------------------------------------------
    Case(
        "increase with 以下",
        lambda d: cell(d, KPIS, "trees-planted", "target_qualifier", "以下"),
        "以下 contradicts direction increase",
    ),
    Case(
        "decrease with 以上, positive target",
        lambda d: cell(d, KPIS, "waste-per-capita", "target_qualifier", "以上"),
        "以上 with direction decrease needs a negative target",
    ),
    Case(
        "direction contradicts values",
        lambda d: cell(d, KPIS, "waste-per-capita", "direction", "increase"),
        "increase needs the target above the baseline",
    ),
    # --- YAML ----------------------------------------------------------------------------
    Case(
        "date that does not exist (YAML)",
        lambda d: (
            replace_text(d / DATASET, "data_as_of: 2026-11-28", "data_as_of: 2026-11-31"),
            f"{DATASET}:3: data_as_of:",
        )[1],
        "'2026-11-31' is not a date that exists",
    ),
    Case(
        "date in another format",
        lambda d: (
            replace_text(d / DATASET, "data_as_of: 2026-11-28", "data_as_of: 2026/11/28"),
            f"{DATASET}:3: data_as_of:",
        )[1],
        "is not YYYY-MM-DD",
    ),
    Case(
        "title as a list",
        lambda d: (
            replace_text(d / DATASET, "plan_title_en: Kawasaki", "plan_title_en:\n  - Kawasaki"),
            f"{DATASET}:5: plan_title_en:",
        )[1],
        "must be text",
    ),
    Case("empty dataset.yaml", _written(DATASET, ""), "file is empty"),
    Case(
        "dataset.yaml only comments",
        _written(DATASET, "# nothing yet\n"),
        "file is empty",
    ),
    Case(
        "dataset.yaml is a list",
        _written(DATASET, "- data_as_of: 2026-11-28\n", "1:"),
        "must be a mapping",
    ),
    Case(
        "empty structure.yaml",
        _written(STRUCTURE, ""),
        "file is empty",
    ),
    Case("no policy areas", _yaml_no_policy_areas, "is empty: the plan needs its policy areas"),
    Case(
        "policy area without initiatives",
        _yaml_area_without_initiatives,
        "is empty: a policy area needs an initiative",
    ),
    Case("pillar text not a list", _yaml_pillar_text_not_list, "must be a list of entries"),
    Case("pillar twice", _yaml_duplicate_pillar, "duplicate pillar economy"),
    Case(
        "area number as a word",
        lambda d: (
            replace_text(d / STRUCTURE, "  - number: 1\n", "  - number: one\n"),
            f"{STRUCTURE}:{line_of(d / STRUCTURE, '  - number: one')}: number:",
        )[1],
        "must be a whole number",
    ),
    Case(
        "broken YAML",
        lambda d: (replace_text(d / STRUCTURE, "pillars:", "pillars: ["), f"{STRUCTURE}:")[1],
        "is not valid YAML",
    ),
    Case(
        "YAML tag that cannot be built",
        lambda d: (
            replace_text(d / DATASET, "plan_period_end: 2029", "plan_period_end: !!int twenty"),
            f"{DATASET}:",
        )[1],
        "is not valid YAML",
    ),
    Case(
        "YAML with a Python tag",
        lambda d: (
            replace_text(
                d / DATASET,
                "plan_period_end: 2029",
                "plan_period_end: !!python/object/apply:os.system ['true']",
            ),
            f"{DATASET}:",
        )[1],
        "is not valid YAML",
    ),
    # --- GeoJSON -------------------------------------------------------------------------
    Case("no features", _geojson(lambda doc: doc.update(features=[])), "features: is empty"),
    Case(
        "not JSON",
        _written(GEOJSON, '{"type": "FeatureCollection",', "1:"),
        "is not valid JSON",
    ),
    Case(
        "not a FeatureCollection",
        _written(GEOJSON, "[1, 2]", "1: features:"),
        "a GeoJSON FeatureCollection is expected",
    ),
    Case("ward code as a number", _geojson(_set_feature(0, "properties.ward_code", 14131)), "must be text"),
    Case(
        "point instead of polygon",
        _geojson(_set_feature(2, "geometry", {"type": "Point", "coordinates": [139.7, 35.5]})),
        "must be a Polygon or MultiPolygon",
    ),
    Case(
        "feature not an object",
        _geojson(lambda doc: doc["features"].append("14138")),
        "must be a GeoJSON Feature object",
    ),
    Case(
        "ward missing from the map",
        _geojson(lambda doc: doc["features"].pop()),
        "differ from wards/wards.csv",
    ),
    Case(
        "YAML nested 3,000 deep",
        _written(DATASET, "a: " + "[" * 3000 + "]" * 3000 + "\n"),
        "is not valid YAML: RecursionError",
    ),
    Case(
        "JSON nested 100,000 deep",
        _written(GEOJSON, "[" * 100_000 + "]" * 100_000),
        "is not valid JSON: RecursionError",
    ),
    Case(
        "a 5,000-digit number in the GeoJSON",
        _written(GEOJSON, '{"features": [' + "1" * 5000 + "]}"),
        "is not valid JSON: ValueError",
    ),
]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Each regular file under ``folder`` with its checksum (pipes and folders by kind)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_dir():
            out[rel] = "dir"
        elif p.is_file():
            out[rel] = sha(p)
        else:
            out[rel] = "special"
    return out


def run_cli(capsys, *args: str) -> tuple[int, str]:
    """``python -m kawasaki …`` in this process: (exit status, everything it printed)."""
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_input_is_refused_clearly_and_loses_nothing(case, data_copy, previous_db, capsys):
    assert_refused(case, data_copy, previous_db, capsys)


def assert_refused(case: Case, data_copy: Path, previous_db: Path, capsys) -> None:
    """Break ``data_copy`` as ``case`` says; build and check must refuse it clearly, with
    the line ``file:row: column: …`` it expects, and lose nothing."""
    where = case.edit(data_copy)
    before_db, before_sources = sha(previous_db), snapshot(data_copy)

    code, printed = run_cli(capsys, "build", "--data", str(data_copy), "--db", str(previous_db))

    lines = [line for line in printed.splitlines() if line.startswith(where)]
    assert any(case.words in line for line in lines), (
        f"expected a line {where!r}…{case.words!r} in:\n{printed}"
    )
    assert code == 1, printed
    assert "Traceback" not in printed
    assert f"{previous_db} was left unchanged" in printed
    assert sha(previous_db) == before_db
    assert [p.name for p in previous_db.parent.iterdir()] == ["kawasaki.duckdb"], "a temporary file was left"
    assert snapshot(data_copy) == before_sources

    code, printed = run_cli(capsys, "build", "--check", "--data", str(data_copy), "--db", str(previous_db))
    assert code == 1 and any(case.words in line for line in printed.splitlines()), printed
    assert snapshot(data_copy) == before_sources


def test_unreadable_file(data_copy, previous_db, capsys, monkeypatch):
    """A file without read permission. The suite runs as root, who reads any file, so
    when it does, the denial is simulated at the one call that reads the bytes."""
    target = data_copy / KPIS
    if os.geteuid() == 0:
        original = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self == target:
                raise PermissionError(13, "Permission denied", str(self))
            return original(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    else:
        target.chmod(0)
    before = sha(previous_db)
    code, printed = run_cli(capsys, "build", "--data", str(data_copy), "--db", str(previous_db))
    assert code == 1
    assert f"{KPIS}: cannot be read (Permission denied)" in printed
    assert sha(previous_db) == before


def test_no_previous_database_says_none_was_written(data_copy, tmp_path, capsys):
    set_cell(data_copy / KPIS, 2, "sdg_targets", "18.1")
    db = tmp_path / "new" / "kawasaki.duckdb"
    code, printed = run_cli(capsys, "build", "--data", str(data_copy), "--db", str(db))
    assert code == 1
    assert f"no database was written (there was none at {db})" in printed
    assert "left unchanged" not in printed
    assert not db.exists()


def test_unwritable_database_folder_is_a_message(data_copy, tmp_path, capsys):
    """The database path lies under a regular file: no folder can be made there (even by root)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    code, printed = run_cli(capsys, "build", "--data", str(data_copy), "--db", str(blocker / "k.duckdb"))
    assert code == 1
    assert "build failed: cannot write" in printed and "Traceback" not in printed


def test_missing_column_does_not_flood(data_copy):
    """A structural error in one file is reported once; the checks of other files against
    it are skipped, and one line says which."""
    drop_column(data_copy / KPIS, "kpi_id")
    _, problems = load_dataset(data_copy)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert errors == [f"{KPIS}:1: kpi_id: column is missing (the header has: {_header(data_copy / KPIS)})"]
    skipped = [str(p) for p in problems if "not checked until this file is fixed" in p.message]
    assert skipped == [
        f"{KPIS}: warning: not checked until this file is fixed: {ACTUALS} kpi_id, {INDICATORS} kpi_id, "
        "plan/context.csv kpi_id"
    ]


@pytest.mark.parametrize(
    "rel,structural",
    [
        (TARGETS, lambda d: drop_column(d / TARGETS, "target")),
        (
            WARD_CSV,
            lambda d: (d / WARD_CSV).write_bytes("ward_code,name_ja,name_en\n14131,川崎区".encode("cp932")),
        ),
        (STRUCTURE, lambda d: (d / STRUCTURE).write_text("")),
        (GOALS, lambda d: write_rows(d / GOALS, read_rows(d / GOALS)[:1])),
    ],
    ids=["targets column", "wards Shift_JIS", "structure empty", "goals header only"],
)
def test_no_dangling_reference_floods_after_a_structural_error(rel, structural, data_copy):
    structural(data_copy)
    _, problems = load_dataset(data_copy)
    errors = [p for p in problems if p.severity == "error"]
    assert {p.file for p in errors} == {rel}, "\n".join(map(str, errors))
    assert len(errors) <= 2, "\n".join(map(str, errors))
    assert any(p.file == rel and "not checked until this file is fixed" in p.message for p in problems)


def _header(path: Path) -> str:
    return ", ".join(read_rows(path)[0])


@pytest.mark.parametrize(
    "args",
    [["build"], ["build", "--check"]],
    ids=["build", "check"],
)
def test_real_process_exit_status_and_no_traceback(args, data_copy, previous_db):
    """The same through a real ``python -m kawasaki`` process: status 1, a message, no traceback."""
    (data_copy / DATASET).write_text("data_as_of: 2026-11-31\n", encoding="utf-8")
    before = sha(previous_db)
    run = subprocess.run(
        [sys.executable, "-m", "kawasaki", *args, "--data", str(data_copy), "--db", str(previous_db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert "dataset.yaml:1: data_as_of: '2026-11-31' is not a date that exists" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert sha(previous_db) == before


def test_many_problems_are_capped_in_the_output(data_copy, previous_db, capsys):
    """A file of 5,000 bad rows: the build still answers quickly, and prints at most
    cli.MAX_PROBLEMS_SHOWN problems and a line saying how many more there are."""
    rows = read_rows(data_copy / ACTUALS)
    bad = [["nope", str(2000 + n % 30), "x", "src", "", "", ""] for n in range(5000)]
    write_rows(data_copy / ACTUALS, rows[:1] + bad)
    code, printed = run_cli(capsys, "build", "--data", str(data_copy), "--db", str(previous_db))
    assert code == 1
    assert len(printed.splitlines()) <= cli.MAX_PROBLEMS_SHOWN + 2
    assert re.search(r"… and \d+ more problem\(s\) not shown", printed)


# --- inputs that look odd but are valid ------------------------------------------------

VARIANTS = [
    # (kpi_id, column, written as, expected value, expected decimals)
    ("ghg-reduction", "target_value", "▲45.4", -45.4, 1),
    ("ghg-reduction", "target_value", "△45.4", -45.4, 1),
    ("ghg-reduction", "target_value", "−45.4", -45.4, 1),
    ("ghg-reduction", "target_value", "-45.4", -45.4, 1),
    ("ghg-reduction", "target_value", "－４５．４", -45.4, 1),
    ("ghg-reduction", "target_value", "  ▲ 45.4　", -45.4, 1),
    ("kayoi-no-ba", "target_value", "1,200", 1200.0, 0),
    ("kayoi-no-ba", "target_value", "１，２００", 1200.0, 0),
    ("kayoi-no-ba", "target_value", "1200", 1200.0, 0),
    ("kayoi-no-ba", "target_period", " ２０２７ ", 2027, None),
    ("kayoi-no-ba", "direction", " increase ", "increase", None),
]


@pytest.mark.parametrize("kpi_id,column,written,value,decimals", VARIANTS)
def test_odd_but_valid_numbers_build_the_same_values(
    kpi_id, column, written, value, decimals, data_copy, tmp_path
):
    cell(data_copy, KPIS, kpi_id, column, written)
    db = tmp_path / "k.duckdb"
    build(data_copy, db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        got = con.execute(f"SELECT {column} FROM kpis WHERE kpi_id = ?", [kpi_id]).fetchone()[0]
        assert got == value
        if decimals is not None:
            dec = column.replace("_value", "_decimals")
            assert con.execute(f"SELECT {dec} FROM kpis WHERE kpi_id = ?", [kpi_id]).fetchone()[0] == decimals
    finally:
        con.close()


def test_bom_and_crlf_build_the_same_rows(data_copy, tmp_path, built_db):
    """Excel's 「CSV UTF-8」 (a BOM) with Windows line ends gives the same KPI rows."""
    path = data_copy / KPIS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    db = tmp_path / "k.duckdb"
    build(data_copy, db)
    query = "SELECT * EXCLUDE (sort_order) FROM kpis ORDER BY kpi_id"
    a, b = (duckdb.connect(str(p), read_only=True) for p in (db, built_db))
    try:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
    finally:
        a.close()
        b.close()


def test_every_case_is_distinct():
    assert len({c.name for c in CASES}) == len(CASES)
