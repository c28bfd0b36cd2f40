"""The database's public contract: its schema version, its DDL and its table names.

Read by the builder (which writes the schema) and by the app (which checks that a
database file has it) without either importing the other.
"""

from __future__ import annotations

import re
from pathlib import Path

SCHEMA_VERSION = 2
SCHEMA_SQL = Path(__file__).with_name("schema.sql")
TABLES: tuple[str, ...] = tuple(
    re.findall(r"^CREATE TABLE (\w+)", SCHEMA_SQL.read_text(encoding="utf-8"), re.MULTILINE)
)
