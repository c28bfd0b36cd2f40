"""Tables as files: CSV and Excel workbooks people open in a spreadsheet, and plain CSV
for programs. The one writer of CSV and xlsx bytes in the app and the command line.

Spreadsheet safety (docs/api.md): a text cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is a formula to Excel (``=HYPERLINK(…)`` becomes a
link, ``+81-44-…`` a subtraction). In a workbook such text is stored as text (type
``s``, with Excel's "quote prefix" style); in a spreadsheet CSV it gets a leading ``'``.
Numbers stay numbers; text that is just a number ("-3", "▲35.0") is not touched.
"""

from __future__ import annotations

import csv
import io
import re
from io import BytesIO
from typing import Any

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text Excel reads as a plain number (harmless): -3, +2.5, -1,200, -3%.
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")


def formula_risk(value: Any) -> bool:
    """True for text a spreadsheet would read as a formula.

    >>> [formula_risk(v) for v in ("=1+1", "-3 people", "@SUM(A1)", "\\tx", "-3", -3, "▲35.0", "a=b")]
    [True, True, True, True, False, False, False, False]
    """
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value)


def spreadsheet_text(value: Any) -> Any:
    """``value`` with a leading ``'`` when a spreadsheet would read it as a formula.

    >>> spreadsheet_text("=HYPERLINK(1)"), spreadsheet_text("-3"), spreadsheet_text(-3.5)
    ("'=HYPERLINK(1)", '-3', -3.5)
    """
    return "'" + value if formula_risk(value) else value


def _neutral(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and headers are safe to open in a spreadsheet."""
    out = df.rename(columns=lambda c: spreadsheet_text(c) if isinstance(c, str) else c)
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map(spreadsheet_text, na_action="ignore")
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV for a spreadsheet: a BOM (so that Excel opens Japanese text correctly) and
    formula-like text prefixed with ``'``."""
    return _neutral(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def data_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV for programs (open data): UTF-8 without a BOM, every value exactly as held,
    nothing prefixed (see docs/api.md, "Spreadsheet safety")."""
    return df.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """An Excel workbook of one sheet (Japanese text intact); every text cell is text,
    never a formula."""
    buf = BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        df.to_excel(writer, index=False, sheet_name=sheet[:31])
        _text_cells(writer.sheets[sheet[:31]])
    return buf.getvalue()


def _text_cells(ws: Any) -> None:
    """Every cell of an openpyxl sheet that holds text: text, never a formula."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # openpyxl made a formula of text starting with "="
                cell.data_type = "s"
            if formula_risk(cell.value):
                cell.quotePrefix = True  # Excel keeps it text even when the cell is edited


def workbook_bytes(wb: Any) -> bytes:
    """An openpyxl workbook as .xlsx bytes (the staff workbook, kawasaki.workbook), every
    text cell of every sheet text, never a formula."""
    for ws in wb.worksheets:
        _text_cells(ws)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def data_file_text(rows: list[list[str]]) -> str:
    """Rows as a data file of data/ holds them (kawasaki.workbook's import): CSV, LF line
    ends, quotes only where needed, every value exactly as written. Nothing is prefixed:
    the file is data the build checks, not a spreadsheet for people."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def xlsx_text(cell: Any, value: str) -> None:
    """Put ``value`` into an openpyxl cell as text, never as a formula (the staff
    workbook, kawasaki.workbook): a string cell formatted as text, with Excel's quote
    prefix when it would read as a formula, so that editing it in Excel keeps it text."""
    cell.value = value
    cell.data_type = "s"
    cell.number_format = "@"
    if formula_risk(value):
        cell.quotePrefix = True
