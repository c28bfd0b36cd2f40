"""Property-based tests (hypothesis) of the number parser and the loaders.

The properties: printing a number as the plan does and reading it back gives the same
number and decimals; every accepted way of writing a number (▲/△/−, full-width
digits, thousands separators, spaces) reads the same; a separator in the wrong place is
refused; and no input whatsoever makes a parser or loader raise anything but the
problems it reports: any text in a cell, any bytes in a file, any YAML value in
plan/structure.yaml or dataset.yaml, any JSON value in the GeoJSON. When the loader
reports no error, the build succeeds.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kawasaki import tables
from kawasaki.build import build
from kawasaki.datafiles import ACTUALS, KPIS, TABLES
from kawasaki.numbers import MINUS_SIGNS, NumberFormatError, format_number, parse_number
from kawasaki.problems import DataError, Problem
from kawasaki.tables import Col, parse_cell, read_table, read_text
from tests.conftest import DATA, copy_data
from tests.helpers import read_rows, write_rows

# No example database in the working tree; no per-example deadline (file IO varies).
# KAWASAKI_PROPERTY_SCALE=10 runs ten times as many examples (a deeper search, minutes).
SCALE = int(os.environ.get("KAWASAKI_PROPERTY_SCALE", "1"))
FAST = settings(max_examples=300 * SCALE, deadline=None, database=None)
SLOW = settings(
    max_examples=40 * SCALE,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")
SPACES = st.sampled_from(["", " ", "  ", "\u3000", "\t"])
decimals = st.integers(min_value=0, max_value=4)


@st.composite
def plan_numbers(draw) -> tuple[Decimal, int]:
    """A value as the data files hold it: up to 12 digits before the point, 0–4 after."""
    places = draw(decimals)
    units = draw(st.integers(min_value=-(10**12), max_value=10**12))
    return Decimal(units).scaleb(-places), places


# --- the number parser -------------------------------------------------------------------


@FAST
@given(plan_numbers(), st.sampled_from(["ja", "en"]))
def test_format_then_parse_is_the_identity(number, lang):
    value, places = number
    printed = format_number(value, places, lang=lang)
    parsed = parse_number(printed)
    assert parsed.value == value
    assert parsed.decimals == places


@FAST
@given(plan_numbers(), st.sampled_from(MINUS_SIGNS), st.booleans(), st.booleans(), SPACES, SPACES)
def test_every_accepted_spelling_reads_the_same(number, minus, fullwidth, separators, before, after):
    value, places = number
    body = f"{abs(value):,.{places}f}" if separators else f"{abs(value):.{places}f}"
    if fullwidth:
        body = body.translate(FULLWIDTH)
    text = before + (minus if value < 0 else "") + body + after
    parsed = parse_number(text)
    assert (parsed.value, parsed.decimals) == (value, places)


@FAST
@given(st.integers(min_value=1000, max_value=10**12), st.data())
def test_a_misplaced_thousands_separator_is_refused(n, data):
    digits = str(n)
    # a comma anywhere but every third digit from the right
    wrong = [i for i in range(1, len(digits)) if (len(digits) - i) % 3 != 0]
    assume(wrong)
    i = data.draw(st.sampled_from(wrong))
    text = digits[:i] + "," + digits[i:]
    try:
        parse_number(text)
    except NumberFormatError as exc:
        assert "thousands separator" in str(exc)
    else:
        raise AssertionError(f"{text!r} was accepted")


@FAST
@given(st.text(max_size=60))
def test_any_text_is_a_number_or_a_reported_problem(text):
    try:
        number = parse_number(text)
    except NumberFormatError as exc:
        assert str(exc)  # a message a staff member can read
    else:
        assert number.decimals >= 0
        assert isinstance(number.value, Decimal)


@FAST
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40).map(lambda s: s + "%"))
def test_a_unit_in_a_value_is_never_guessed(text):
    try:
        parse_number(text)
    except NumberFormatError:
        return
    raise AssertionError(f"{text!r} was accepted")


# --- cells ----------------------------------------------------------------------------------

KINDS = [
    Col("x", "text"),
    Col("x", "year"),
    Col("x", "int"),
    Col("x", "number"),
    Col("x", "enum", choices=("increase", "decrease")),
    Col("x", "list"),
    Col("x", "date"),
    Col("x", "number", required=False),
]


@FAST
@given(st.sampled_from(KINDS), st.text(max_size=80))
def test_any_cell_parses_or_says_why(col, raw):
    value, message = parse_cell(raw, col)
    if message is not None:
        assert value is None and isinstance(message, str) and message
        return
    if value is None:
        assert not raw.strip()
    elif col.kind in ("year", "int"):
        assert isinstance(value, int) and 0 <= value < 10**9
    elif col.kind == "number":
        assert math.isfinite(float(value)) and abs(value.value) < 10**15
    elif col.kind == "list":
        assert all(item and item == item.strip() for item in value)
    elif col.kind == "text":
        assert value == raw.strip()


# --- files ------------------------------------------------------------------------------------

CSV_ALPHABET = st.sampled_from(
    list('abc,"\n\r \t\x00;、，１▲-.') + ["kpi_id", "period", "value", "source_ja"]
)


@settings(max_examples=200 * SCALE, deadline=None, database=None)
@given(st.lists(CSV_ALPHABET, max_size=80).map("".join), st.booleans())
def test_read_table_never_raises(text, bom):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ACTUALS.path
        path.parent.mkdir(parents=True)
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        problems: list[Problem] = []
        rows = read_table(Path(tmp), ACTUALS, problems)
    assert all(p.file == ACTUALS.path for p in problems)
    assert all(r["_row"] >= 2 for r in rows)
    if rows:
        assert all(set(c.name for c in ACTUALS.columns) <= set(r) for r in rows)


@settings(max_examples=200 * SCALE, deadline=None, database=None)
@given(st.binary(max_size=200))
def test_read_text_takes_any_bytes(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_bytes(data)
        problems: list[Problem] = []
        text = read_text(path, "f.csv", problems)
    assert (text is None) == bool(problems)
    if text is None:
        assert "is not UTF-8 text" in problems[0].message


# --- YAML: libyaml where it reads as PyYAML does --------------------------------------------

YAML_PIECES = st.sampled_from(
    list("ab1 :-?[]{},#&*!|>'\"%@`\t\n\r.~\\")
    + ["\n  ", "\n    ", "\n- ", ": ", "- ", "---\n", "...\n", "!!int ", "!!str ", "&a ", "*a"]
    + ["ja: ", "<<: ", "\u3000", "\u2028", "\x85", "\ufeff", "\x00", "\U0001f600", "''", "0x", "1e3"]
    + ["null", "yes", "2026-02-30", "年度", "k" * 1030]
)


def _outcome(load, text: str) -> tuple:
    try:
        return ("read", load(text))
    except Exception as exc:  # noqa: BLE001 - the outcome compared, whatever it is
        return ("refused", type(exc).__name__, str(exc))


@FAST
@given(st.lists(YAML_PIECES, max_size=50).map("".join))
def test_yaml_is_read_as_pyyaml_reads_it(text):
    """tables.py reads YAML with libyaml for speed: any text gives the same document, the
    same lines, or the same refusal, word for word, as PyYAML's own parser."""
    pyyaml = _outcome(lambda t: yaml.load(t, Loader=tables._LineLoader), text)  # noqa: S506
    assert _outcome(tables._parse_yaml, text) == pyyaml


def test_the_yaml_files_of_data_are_read_as_pyyaml_reads_them():
    for path in sorted(DATA.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert tables._parse_yaml(text) == yaml.load(text, Loader=tables._LineLoader), path  # noqa: S506


# --- the whole loader -----------------------------------------------------------------------


class Pristine:
    """One copy of data/ made per test module, copied again for each example."""

    folder: Path | None = None

    @classmethod
    def copy(cls, dest: Path) -> Path:
        if cls.folder is None:
            cls.folder = copy_data(Path(tempfile.mkdtemp(prefix="kawasaki-pristine-")) / "data")
        shutil.copytree(cls.folder, dest)
        return dest


def _load_or_build(data: Path) -> None:
    """The loader never raises; with no errors reported, the build succeeds.

    One load per example: build() runs the loader and raises DataError with its problems
    when one is an error; a refusal of the database itself (a "(build)" problem) would be
    an error the loader missed."""
    try:
        problems = build(data, data.parent / "k.duckdb").warnings
    except DataError as exc:
        problems = exc.problems
        assert any(p.severity == "error" for p in problems)
        assert not any(p.file == "(build)" for p in problems), f"the checks missed: {exc.report()}"
    assert all(isinstance(p, Problem) for p in problems)
    for p in problems:
        assert p.file and str(p).startswith(p.file)


CELL_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", " ", "▲", "1,0", "１２３", "2029年度", "以上", "18.1", "9-9", "0", "-0", "1e9", "NaN"]
    ),
)


@SLOW
@given(st.sampled_from([KPIS, ACTUALS]), st.data(), CELL_TEXT)
def test_any_cell_of_the_kpi_files_is_loaded_or_reported(spec, data, text):
    with tempfile.TemporaryDirectory() as tmp:
        d = Pristine.copy(Path(tmp) / "data")
        rows = read_rows(d / spec.path)
        r = data.draw(st.integers(min_value=1, max_value=len(rows) - 1))
        c = data.draw(st.integers(min_value=0, max_value=len(rows[0]) - 1))
        rows[r][c] = text
        write_rows(d / spec.path, rows)
        _load_or_build(d)


YAML_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["2026-11-31", "2026-02-28", "1", "economy", "0x10", "~", "[", "{a: 1}"]),
)
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["ja", "en", "number", "name_ja"]), inner, max_size=3),
    ),
    max_leaves=8,
)


def _paths(node, prefix=()):
    """Every (path, value) in a YAML document (paths into dicts and lists)."""
    yield prefix, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _replace(doc, path, value):
    if not path:
        return value
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return doc


STRUCTURE_DOC = yaml.safe_load((DATA / "plan/structure.yaml").read_text(encoding="utf-8"))
STRUCTURE_PATHS = [p for p, _ in _paths(STRUCTURE_DOC) if len(p) <= 6]


@SLOW
@given(st.sampled_from(STRUCTURE_PATHS), YAML_VALUES)
def test_any_value_anywhere_in_the_plan_structure_is_loaded_or_reported(path, value):
    doc = _replace(json.loads(json.dumps(STRUCTURE_DOC)), path, value)
    with tempfile.TemporaryDirectory() as tmp:
        d = Pristine.copy(Path(tmp) / "data")
        (d / "plan/structure.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        _load_or_build(d)


@SLOW
@given(st.sampled_from(["data_as_of", "plan_title_ja", "plan_title_en", "other"]), YAML_VALUES)
def test_any_value_in_dataset_yaml_is_loaded_or_reported(key, value):
    doc = yaml.safe_load((DATA / "dataset.yaml").read_text(encoding="utf-8"))
    doc[key] = value
    with tempfile.TemporaryDirectory() as tmp:
        d = Pristine.copy(Path(tmp) / "data")
        (d / "dataset.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, default_flow_style=False))
        _load_or_build(d)


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.text(max_size=10), st.sampled_from(["14131", "Polygon"])
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["type", "properties", "geometry", "ward_code", "coordinates"]), inner, max_size=3
        ),
    ),
    max_leaves=8,
)


@SLOW
@given(
    st.integers(min_value=0, max_value=6),
    st.sampled_from(
        ["", "properties", "geometry", "properties.ward_code", "geometry.type", "geometry.coordinates"]
    ),
    JSON_VALUES,
)
def test_any_value_in_the_geojson_is_loaded_or_reported(n, key, value):
    doc = json.loads((DATA / "wards/wards.geojson").read_text(encoding="utf-8"))
    if key:
        target = doc["features"][n]
        *parts, last = key.split(".")
        for part in parts:
            target = target[part]
        target[last] = value
    else:
        doc["features"][n] = value
    with tempfile.TemporaryDirectory() as tmp:
        d = Pristine.copy(Path(tmp) / "data")
        (d / "wards/wards.geojson").write_text(json.dumps(doc), encoding="utf-8")
        _load_or_build(d)


@SLOW
@given(st.sampled_from([t.path for t in TABLES]), st.binary(max_size=300))
def test_any_bytes_in_any_table_file_are_loaded_or_reported(rel, data):
    with tempfile.TemporaryDirectory() as tmp:
        d = Pristine.copy(Path(tmp) / "data")
        (d / rel).write_bytes(data)
        _load_or_build(d)
