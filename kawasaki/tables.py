"""Reading the human-editable files: CSV with a declared schema, YAML with line numbers.

Every reader collects what is wrong as ``Problem`` lines instead of raising.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kawasaki.numbers import NumberFormatError, parse_number
from kawasaki.problems import Problem

MAX_FILE_BYTES = 50 * 1024 * 1024
# The longest cell a data file may have. Python's csv module keeps its limit in one global
# setting, which other libraries raise (frictionless, imported by the tests, sets it to
# 128 MB), so every read sets it back to this number first.
MAX_CELL_CHARS = 131_072
MAX_INT_DIGITS = 9  # an INTEGER column of the database holds up to 2,147,483,647
MAX_NUMBER = 10**15  # a DOUBLE holds whole numbers exactly up to 2**53 (about 9.007e15)
_YEAR = re.compile(r"^[0-9]{4}$")
_INT = re.compile(r"^[0-9]+$")
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
# An identifier (kpi_id, ward_code, place_id, "13.2", "4-2" …): ASCII letters, digits and
# . _ : - only, starting with a letter or digit; it goes into URLs, keys and file names.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
# Bidirectional overrides and isolates can make text read differently from what it holds.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Col:
    """One column of a data file: its name, kind and whether it may be empty.

    kind: ``text``, ``year`` (a four-digit year), ``int``, ``number`` (as the plan
    prints it, see kawasaki.numbers), ``enum`` (one of ``choices``), ``list`` (items
    separated by 、 or commas), ``date`` (YYYY, YYYY-MM or YYYY-MM-DD), ``id`` (ASCII
    letters, digits, ``. _ : -``), ``url`` (an absolute http or https address). A text
    column named ``…_id``, ``…_code`` or ``key`` is an ``id``, one named ``url`` or
    ``…_url`` a ``url`` (``kind_of``), so new columns get those checks by their name.
    No cell of any kind may hold a control character (``control_character``).
    """

    name: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    warn_if_empty: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A data file: where it is, its columns, its unique key, and if it may be empty."""

    path: str
    columns: tuple[Col, ...]
    key: tuple[str, ...] = ()
    min_rows: int = 1


Row = dict[str, Any]


def read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    """Read a UTF-8 text file (a BOM is fine); report why not instead of raising."""
    try:
        if path.is_dir():
            problems.append(Problem(rel, 0, "", "is a directory; expected a file"))
            return None
        if path.exists() and not path.is_file():
            problems.append(Problem(rel, 0, "", "is not a regular file (a pipe or device?); expected a file"))
            return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(rel, 0, "", f"is {size / 2**20:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
            )
            return None
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(rel, 0, "", "file is missing"))
        return None
    except OSError as exc:
        problems.append(Problem(rel, 0, "", f"cannot be read ({exc.strerror or exc})"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        saved_as = "UTF-16 ('Unicode text')" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "Shift_JIS"
        save_as = "'CSV UTF-8 (コンマ区切り)'" if rel.endswith(".csv") else "UTF-8"
        problems.append(
            Problem(
                rel,
                line,
                "",
                f"is not UTF-8 text (perhaps saved as {saved_as}): save it again as {save_as}",
            )
        )
        return None


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records each mapping's line as ``__line__``."""


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """_LineLoader on libyaml's parser (PyYAML's wheels have it): the same constructors
    and resolver, so the same documents and lines, about 30 times faster (data/'s
    plan/structure.yaml: 0.3 s instead of 0.01 s; every build and check reads it)."""


# Where libyaml and PyYAML's own parser disagree (found by tests/robustness/
# test_properties.py): libyaml takes a tab after a value, a bare "!" tag or a comment
# right after a block scalar's "|" or ">", and reads byte order marks its own way. A text
# with any of these characters is left to PyYAML's parser, which refuses or reads it as
# it always did.
_PYYAML_ONLY = re.compile(r"[\t\ufeff!|>]")


def _parse_yaml(text: str) -> Any:
    """``text`` as a YAML document with lines, exactly as _LineLoader reads it. A text
    libyaml refuses is read again by the pure-Python parser, which raises what it always
    raised, so that what a staff member is told about a broken file stays word for word
    the same."""
    if not _PYYAML_ONLY.search(text):
        try:
            return yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - a safe loader
        except Exception:  # noqa: BLE001, S110 - any refusal: the parser below says why
            pass
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    """A mapping with the line where it starts (``__line__``) and each key's (``__keys__``)."""
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__keys__"] = {
        k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)
    }
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    """Keep a date as the text written; it is checked where it is used, so that a date
    that does not exist (2026-11-31) is reported with its line instead of crashing."""
    return loader.construct_scalar(node)


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def yaml_line(node: dict, key: str) -> int:
    """The line of ``key`` in a YAML mapping (of the mapping when the key is absent)."""
    return node.get("__keys__", {}).get(key) or node.get("__line__", 0)


def read_yaml(data_dir: Path, rel: str, problems: list[Problem]) -> Any:
    """Read a YAML file whose mappings know their lines; None (and why) if it cannot be read."""
    text = read_text(data_dir / rel, rel, problems)
    if text is None:
        return None
    try:
        doc = _parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problems.append(Problem(rel, line, "", f"is not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. "!!int abc", nesting too deep
        problems.append(Problem(rel, 0, "", f"is not valid YAML: {type(exc).__name__}: {exc}"[:300]))
        return None
    if doc is None:
        problems.append(Problem(rel, 0, "", "file is empty (or only comments); see docs/data.md"))
    _check_yaml_text(doc, rel, "", 0, problems)
    return doc


def _check_yaml_text(node: Any, rel: str, key: str, line: int, problems: list[Problem]) -> None:
    """Report every text of a YAML document that holds a control character (line breaks
    are fine), at the line of the key it belongs to."""
    if isinstance(node, str):
        bad = control_character(node, newlines=True) if not node.isprintable() else None
        if bad:
            problems.append(Problem(rel, line, key, bad))
    elif isinstance(node, dict):
        for k, value in node.items():
            if k not in ("__line__", "__keys__"):
                _check_yaml_text(value, rel, str(k), yaml_line(node, str(k)), problems)
    elif isinstance(node, list):
        for item in node:
            _check_yaml_text(item, rel, key, line, problems)


def read_table(data_dir: Path, spec: TableSpec, problems: list[Problem]) -> list[Row]:
    """Read and check one CSV file; every problem goes to ``problems``."""
    text = read_text(data_dir / spec.path, spec.path, problems)
    if text is None:
        return []
    if not text.strip():
        names = ", ".join(c.name for c in spec.columns)
        problems.append(Problem(spec.path, 0, "", f"file is empty; expected a header row: {names}"))
        return []
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _read_rows(reader, spec, problems)
    except csv.Error as exc:  # e.g. a cell over MAX_CELL_CHARS characters
        problems.append(Problem(spec.path, reader.line_num, "", f"cannot be read as CSV: {exc}"))
        return []


def _read_rows(reader: Any, spec: TableSpec, problems: list[Problem]) -> list[Row]:
    """Check the header, then parse and check each row (see read_table)."""
    header = [h.strip() for h in next(reader)]
    doubled = []
    for n, name in enumerate(header):
        if name and name in header[:n]:
            doubled.append(name)
            problems.append(
                Problem(
                    spec.path, 1, name, f"column appears twice (columns {header.index(name) + 1} and {n + 1})"
                )
            )
    missing = [c.name for c in spec.columns if c.name not in header]
    for name in missing:
        problems.append(
            Problem(spec.path, 1, name, f"column is missing (the header has: {', '.join(header)})")
        )
    known = {c.name for c in spec.columns}
    for name in header:
        if name not in known:
            problems.append(Problem(spec.path, 1, name, "unknown column is ignored", "warning"))
    if missing or doubled:
        return []
    index = {name: i for i, name in enumerate(header)}
    rows: list[Row] = []
    seen: dict[tuple, int] = {}
    for rownum, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.append(
                Problem(spec.path, rownum, "", f"row has {len(cells)} cells but the header has {len(header)}")
            )
            continue
        cells = cells + [""] * (len(header) - len(cells))
        row: Row = {"_row": rownum}
        ok = True
        for col in spec.columns:
            value, message = parse_cell(cells[index[col.name]], col)
            if message:
                problems.append(Problem(spec.path, rownum, col.name, message))
                ok = False
            elif value is None and col.warn_if_empty:
                problems.append(Problem(spec.path, rownum, col.name, "is empty", "warning"))
            row[col.name] = value
        if spec.key and ok:
            key = tuple(row[k] for k in spec.key)
            if key in seen:
                problems.append(
                    Problem(
                        spec.path,
                        rownum,
                        spec.key[-1] if len(spec.key) == 1 else "+".join(spec.key),
                        f"duplicate {'/'.join(map(str, key))} (first on row {seen[key]})",
                    )
                )
                ok = False
            else:
                seen[key] = rownum
        if ok:
            rows.append(row)
    if len(rows) < spec.min_rows and not any(p.file == spec.path for p in problems):
        problems.append(Problem(spec.path, 0, "", "has no data rows (only a header)"))
    return rows


def kind_of(col: Col) -> str:
    """The column's kind; a ``text`` column named like an identifier or a URL is one.

    >>> kind_of(Col("place_id")), kind_of(Col("source_url")), kind_of(Col("name_ja"))
    ('id', 'url', 'text')
    """
    if col.kind != "text":
        return col.kind
    if col.name == "key" or col.name.endswith(("_id", "_code")):
        return "id"
    if col.name == "url" or col.name.endswith("_url"):
        return "url"
    return "text"


def control_character(text: str, *, newlines: bool = False) -> str | None:
    """What is wrong when ``text`` holds a control character (NUL, tab, escape …) or a
    bidirectional override; None when it holds none. ``newlines``: line breaks are fine.

    >>> control_character("a\\x00b")
    'holds a control character (U+0000) at position 2: delete it (it cannot be seen)'
    >>> control_character("two\\nlines", newlines=True) is None
    True
    """
    for n, ch in enumerate(text, start=1):
        if newlines and ch in "\n\r":
            continue
        if ch in _BIDI or unicodedata.category(ch) == "Cc":
            return (
                f"holds a control character (U+{ord(ch):04X}) at position {n}: delete it (it cannot be seen)"
            )
    return None


def check_url(text: str) -> str | None:
    """What is wrong with a link in the data (None: an absolute http(s) address).

    >>> check_url("https://www.city.kawasaki.jp/") is None
    True
    >>> check_url("javascript:alert(1)")
    "'javascript:alert(1)' is not an http:// or https:// address"
    """
    lowered = text.lower()
    if not lowered.startswith(("http://", "https://")) or len(text) <= len("https://"):
        return f"'{text[:60]}' is not an http:// or https:// address"
    if any(ch.isspace() or ch in '<>"`' for ch in text):
        return f"'{text[:60]}' holds a space or one of < > \" ` (write the address as the browser shows it)"
    return None


def parse_cell(raw: str, col: Col) -> tuple[Any, str | None]:
    """Parse one cell by its column kind: (value, None) or (None, what is wrong)."""
    kind = kind_of(col)
    bad = control_character(raw, newlines=kind == "text") if not raw.isprintable() else None
    if bad:
        return None, bad
    text = raw.strip()
    if not text:
        if col.required:
            return None, "is empty"
        return None, None
    if kind == "text":
        return text, None
    if kind == "id":
        if any("\u2460" <= ch <= "\u2473" for ch in text):  # ① … ⑳, as the plan prints initiatives
            return (
                None,
                f"'{text[:40]}' is not an identifier: write circled numbers as digits (write it like 4-1 for 4-①)",
            )
        if not _ID.match(text):
            return None, (
                f"'{text[:40]}' is not an identifier: use ASCII letters, digits and . _ : - only "
                "(no spaces or markup), at most 64"
            )
        return text, None
    if kind == "url":
        message = check_url(text)
        return (None, message) if message else (text, None)
    if kind in ("year", "int"):
        digits = text.translate(_FULLWIDTH_DIGITS)
        if col.kind == "year" and not _YEAR.match(digits):
            return None, f"'{text}' is not a year (write it as four digits, e.g. 2029)"
        if not _INT.match(digits):
            return None, f"'{text}' is not a whole number"
        if len(digits.lstrip("0")) > MAX_INT_DIGITS:
            return None, f"'{text}' is too large (at most {MAX_INT_DIGITS} digits)"
        return int(digits), None
    if col.kind == "number":
        try:
            number = parse_number(text)
        except NumberFormatError as exc:
            return None, str(exc)
        if not math.isfinite(float(number)) or abs(number.value) >= MAX_NUMBER:
            return None, f"'{text[:40]}' is too large"
        return number, None
    if col.kind == "enum":
        if text not in col.choices:
            return None, f"'{text}' is not allowed (use one of: {', '.join(col.choices)})"
        return text, None
    if col.kind == "list":
        items = [item.strip() for item in re.split(r"[、,，\s]+", text) if item.strip()]
        return items, None
    if col.kind == "date":
        digits = text.translate(_FULLWIDTH_DIGITS)
        match = _DATE.match(digits)
        if not match:
            return None, f"'{text}' is not a date (write YYYY-MM-DD, YYYY-MM or YYYY)"
        year, month, day = match.groups()
        try:
            date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            return None, f"'{text}' is not a date that exists"
        return digits, None
    raise ValueError(f"unknown column kind {col.kind!r}")


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
