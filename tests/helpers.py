"""Small helpers for tests: editing data files the way a staff member would, and running
a coroutine from a test (``run_async``)."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any


def run_async(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to the end in a thread of its own. ``asyncio.run`` in the test's own
    thread fails on a pytest-xdist worker that has run a browser test: Playwright's sync API
    keeps an event loop running there for the rest of the session (ruff's TID251 bans
    ``asyncio.run`` in tests for this reason)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set a cell by spreadsheet row number (header = row 1) and column name."""
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def append_row(path: Path, values: dict[str, str]) -> int:
    """Append a row given by column name; return its spreadsheet row number."""
    rows = read_rows(path)
    rows.append([values.get(name, "") for name in rows[0]])
    write_rows(path, rows)
    return len(rows)


def drop_column(path: Path, column: str) -> None:
    rows = read_rows(path)
    i = rows[0].index(column)
    write_rows(path, [r[:i] + r[i + 1 :] for r in rows])


def rename_column(path: Path, old: str, new: str) -> None:
    rows = read_rows(path)
    rows[0][rows[0].index(old)] = new
    write_rows(path, rows)


def duplicate_row(path: Path, row: int) -> None:
    rows = read_rows(path)
    rows.append(list(rows[row - 1]))
    write_rows(path, rows)


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


def cell_case(rel: str, row: int, column: str, value: str, at: str | None = None):
    """A broken-data case: set the cell (``row``, ``column``) of the data file ``rel`` to
    ``value``; the case returns where the build must report it (``rel:row: at:``, the
    column itself unless another column ``at`` is named)."""

    def apply(data_dir: Path) -> str:
        set_cell(data_dir / rel, row, column, value)
        return f"{rel}:{row}: {at or column}:"

    return apply
