"""The rows compared and the changes found: ``Table``, ``Change``, ``read_tables``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from kawasaki.i18n import LANGS

Row = dict[str, Any]
# Tables not compared: the build's bookkeeping and the release history itself.
IGNORED_TABLES = frozenset({"build_sources", "releases", "release_changes"})
# Columns not read (the build's bookkeeping), and not compared (those and the row order).
UNREAD_COLUMNS = frozenset({"built_at", "build_stamp", "schema_version", "kpi_count"})
IGNORED_COLUMNS = UNREAD_COLUMNS | {"sort_order"}
# Keys of tables without a primary key in schema.sql.
KNOWN_KEYS = {"ward_indicators": ("ward_code", "indicator_id", "reference_date"), "build_info": ()}


@dataclass(frozen=True)
class Table:
    """A table's key columns and its rows."""

    key: tuple[str, ...]
    rows: tuple[Row, ...]

    def by_key(self) -> dict[tuple, Row]:
        """The rows by their key (the whole row when the table has none)."""
        columns = self.key or None
        return {tuple(r[c] for c in columns) if columns else _whole(r): r for r in self.rows}


Tables = dict[str, Table]


@dataclass(frozen=True)
class Change:
    """One change, in words in both languages, with what it is about.

    ``kind``: kpi_value, kpi_status, kpi, ward_value, data_as_of or row (any other table);
    ``action``: added, changed or removed.
    """

    kind: str
    action: str
    text_ja: str
    text_en: str
    kpi_id: str | None = None
    ward_code: str | None = None
    indicator_id: str | None = None
    period: int | None = None
    table: str | None = None
    key: str | None = None
    column: str | None = None
    old: Any = None
    new: Any = None
    status_old: str | None = None
    status_new: str | None = None

    def text(self, lang: str) -> str:
        """The change in words in ``lang``."""
        return self.text_en if lang == "en" else self.text_ja

    def to_json(self) -> Row:
        """The change as a JSON object (fields that are None left out)."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_json(cls, data: Row) -> Change:
        """A change read back from a release file."""
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


# --- reading a database -------------------------------------------------------------


def read_tables(path: Path) -> Tables:
    """Every compared table of the database at ``path``, read-only, as plain rows."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS snap (READ_ONLY)", [str(path)])
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'snap' ORDER BY table_name"
            ).fetchall()
        ]
        keys = {
            r[0]: tuple(r[1])
            for r in con.execute(
                "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                "WHERE database_name = 'snap' AND constraint_type = 'PRIMARY KEY'"
            ).fetchall()
        }
        tables = {}
        for name in names:
            if name in IGNORED_TABLES or not name.isidentifier():
                continue
            relation = con.table(f"snap.main.{name}")  # a name of the file's own catalogue
            rows = tuple(
                {c: v for c, v in zip(relation.columns, r, strict=True) if c not in UNREAD_COLUMNS}
                for r in relation.fetchall()
            )
            tables[name] = Table(keys.get(name, KNOWN_KEYS.get(name, ())), rows)
        return tables
    finally:
        con.close()


def _whole(row: Row) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in row.items()))


def table_rows(tables: Tables, name: str) -> dict[tuple, Row]:
    """The rows of table ``name`` by their key; none when the database lacks the table."""
    return tables[name].by_key() if name in tables else {}


def both(lang_text: Callable[[str], str]) -> dict[str, str]:
    """``text_ja`` and ``text_en`` from one function of the language."""
    return {f"text_{lang}": lang_text(lang) for lang in LANGS}


def value_of(row: Row | None) -> Row | None:
    """A value and its printed decimals, as the record keeps them."""
    return None if row is None else {"value": row["value"], "decimals": int(row["decimals"])}


def action_of(old: Any, new: Any) -> str:
    """added, removed or changed."""
    return "added" if old is None else "removed" if new is None else "changed"


def cell_text(value: Any) -> str:
    """A cell as text: dates as YYYY-MM-DD, whole floats without '.0', NULL as ''."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
