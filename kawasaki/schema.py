"""The database's public contract: its schema version, its DDL, its tables and views.

Read by the builder (which writes the schema) and by the app (which checks that a
database file has it) without either importing the other. ``TABLES`` are filled by
the build; ``VIEWS`` are computed from them by DuckDB whenever they are read.
"""

from __future__ import annotations

import re
from pathlib import Path

SCHEMA_VERSION = 5
SCHEMA_SQL = Path(__file__).with_name("schema.sql")
_DDL = SCHEMA_SQL.read_text(encoding="utf-8")
TABLES: tuple[str, ...] = tuple(re.findall(r"^CREATE TABLE (\w+)", _DDL, re.MULTILINE))
VIEWS: tuple[str, ...] = tuple(re.findall(r"^CREATE VIEW (\w+)", _DDL, re.MULTILINE))
