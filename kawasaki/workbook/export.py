"""Writing the workbook: an instructions sheet, one sheet per editable data file with
Japanese headings over the column ids, drop-downs, and the lists they draw from.

Every cell that holds text is written by ``kawasaki.spreadsheet.xlsx_text`` (text, never
a formula); years are whole numbers (Excel checks them); values keep their printed form
('▲35.0', '50.0') because they are text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kawasaki.datafiles import DATASET, KPIS, WARDS, Dataset
from kawasaki.dataset import load_dataset
from kawasaki.problems import DataError, Problem
from kawasaki.spreadsheet import workbook_bytes, xlsx_text
from kawasaki.tables import Col, read_text
from kawasaki.workbook.sheets import (
    FIRST_ROW,
    ID_ROW,
    INDICATOR_SOURCE,
    INFO,
    INSTRUCTION_LINES,
    INSTRUCTIONS,
    LABEL_ROW,
    LIST_COLUMNS,
    LISTS,
    PROPERTY_PREFIX,
    SHEETS,
    SPARE_ROWS,
    YEARS,
    Sheet,
    label,
)

HEADING = Font(bold=True)
ID_FONT = Font(color="595959", size=9)
HEADING_FILL = PatternFill("solid", fgColor="E8EEF4")
_DIGITS = re.compile(r"^[0-9]{4}$")


def raw_rows(data_dir: Path, path: str) -> list[list[str]]:
    """A data file's rows as written (header first); DataError if it cannot be read."""
    problems: list[Problem] = []
    text = read_text(Path(data_dir) / path, path, problems)
    if text is None:
        raise DataError(problems)
    return list(csv.reader(io.StringIO(text, newline="")))


def checksum(data_dir: Path, path: str) -> str:
    """The first 16 hex digits of a file's SHA-256 (to notice edits made after the export)."""
    return hashlib.sha256((Path(data_dir) / path).read_bytes()).hexdigest()[:16]


def export_workbook(data_dir: Path) -> bytes:
    """The workbook of ``data_dir`` as .xlsx bytes."""
    ds, _ = load_dataset(data_dir)
    wb = Workbook()
    _instructions(wb.active, ds)
    _info(wb.create_sheet(INFO), ds)
    for sheet in SHEETS:
        _data_sheet(wb.create_sheet(sheet.name), sheet, raw_rows(data_dir, sheet.spec.path))
    _lists(wb.create_sheet(LISTS), ds, data_dir)
    for path in (*(s.spec.path for s in SHEETS), DATASET):
        wb.custom_doc_props.append(
            StringProperty(name=PROPERTY_PREFIX + path, value=checksum(data_dir, path))
        )
    return workbook_bytes(wb)


def _instructions(ws: Worksheet, ds: Dataset) -> None:
    ws.title = INSTRUCTIONS
    lines = [*INSTRUCTION_LINES, *(f"・{s.name}：{s.about}" for s in SHEETS)]
    lines += [
        f"・{INFO}：データ時点（data_as_of）。",
        f"・{LISTS}：KPI ID・区コード・取組IDの一覧（編集不可）。",
    ]
    lines += ["", f"書き出したデータの時点：{ds.meta.get('data_as_of', '—')}"]
    for n, line in enumerate(lines, start=1):
        xlsx_text(ws.cell(n, 1), line)
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120


def _info(ws: Worksheet, ds: Dataset) -> None:
    """data_as_of, the one fact of dataset.yaml staff change with the data."""
    for column, (heading, col_id) in enumerate(
        (("項目", "key"), ("値", "value"), ("説明", "about")), start=1
    ):
        _heading(ws, column, heading, col_id)
    xlsx_text(ws.cell(FIRST_ROW, 1), "data_as_of")
    xlsx_text(ws.cell(FIRST_ROW, 2), str(ds.meta.get("data_as_of", "")))
    xlsx_text(
        ws.cell(FIRST_ROW, 3),
        "データ時点（YYYY-MM-DD）。値を追加・確認した日に直します。画面に「データ時点」として表示されます。",
    )
    for letter, width in (("A", 16), ("B", 16), ("C", 80)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(FIRST_ROW, 1)


def _heading(ws: Worksheet, column: int, text: str, col_id: str) -> None:
    """The two heading rows of a column: Japanese, then the column id."""
    top, below = ws.cell(LABEL_ROW, column), ws.cell(ID_ROW, column)
    xlsx_text(top, text)
    xlsx_text(below, col_id)
    top.font, top.fill = HEADING, HEADING_FILL
    top.alignment = Alignment(wrap_text=True, vertical="top")
    below.font = ID_FONT


def _data_sheet(ws: Worksheet, sheet: Sheet, rows: list[list[str]]) -> None:
    """One data file: headings, its rows as written, formats and checks per column."""
    header, body = rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]
    index = {name.strip(): n for n, name in enumerate(header)}
    for column, col in enumerate(sheet.spec.columns, start=1):
        _heading(ws, column, label(col), col.name)
        at = index.get(col.name)
        for n, row in enumerate(body):
            raw = row[at] if at is not None and at < len(row) else ""
            _cell(ws, FIRST_ROW + n, column, col, raw)
        letter = get_column_letter(column)
        ws.column_dimensions[letter].width = 14 if col.kind in ("year", "int", "number", "date") else 28
        if col.kind != "year":
            ws.column_dimensions[letter].number_format = "@"  # what staff type stays text
        _validation(ws, sheet, col, letter, FIRST_ROW + len(body) + SPARE_ROWS)
    ws.freeze_panes = ws.cell(FIRST_ROW, 1)


def _cell(ws: Worksheet, row: int, column: int, col: Col, raw: str) -> None:
    """A cell: a year as a whole number, anything else as text, exactly as in the file."""
    if col.kind == "year" and _DIGITS.match(raw.strip()):
        ws.cell(row, column, int(raw.strip()))
    else:
        xlsx_text(ws.cell(row, column), raw)


def _validation(ws: Worksheet, sheet: Sheet, col: Col, letter: str, last: int) -> None:
    """Excel's own check of a column: a list to choose from, or a 4-digit year."""
    source = None
    if col.name in LIST_COLUMNS:
        source = f"'{LISTS}'!${LIST_COLUMNS[col.name]}${FIRST_ROW}:${LIST_COLUMNS[col.name]}${last}"
    elif col.name == "indicator_id" and sheet.name != INDICATOR_SOURCE:
        source = f"'{INDICATOR_SOURCE}'!$A${FIRST_ROW}:$A${last}"
    elif col.kind == "enum":
        source = '"' + ",".join(col.choices) + '"'
    if source:
        check = DataValidation(type="list", formula1=source, allow_blank=not col.required)
        check.error, check.prompt = "一覧にない値です。▼から選んでください。", "▼から選びます。"
    elif col.kind == "year":
        check = DataValidation(
            type="whole", operator="between", formula1=str(YEARS[0]), formula2=str(YEARS[1]), allow_blank=True
        )
        check.error, check.prompt = "年度・年は4桁の数字です（例：2026）。", "4桁の年（例：2026）。"
    else:
        return
    check.showErrorMessage = check.showInputMessage = True
    check.errorTitle = "入力できない値"
    ws.add_data_validation(check)
    check.add(f"{letter}{FIRST_ROW}:{letter}{last}")


def _pairs(rows: list[list[str]], key: str, name: str) -> list[tuple[str, str]]:
    """(key, name) of every row of a data file, by its header."""
    header = [h.strip() for h in rows[0]]
    at, named = header.index(key), header.index(name)
    return [(r[at].strip(), r[named].strip()) for r in rows[1:] if len(r) > max(at, named) and r[at].strip()]


def _lists(ws: Worksheet, ds: Dataset, data_dir: Path) -> None:
    """What the drop-downs offer: KPI ids, ward codes and initiative ids, with their names."""
    kpis = _pairs(raw_rows(data_dir, KPIS.path), "kpi_id", "name_ja")
    wards = _pairs(raw_rows(data_dir, WARDS.path), "ward_code", "name_ja")
    initiatives = [(i["initiative_id"], i["name_ja"]) for i in ds.initiatives]
    groups = (("KPI ID", "KPI名", "kpi_id", kpis), ("区コード", "区名", "ward_code", wards))
    groups += (("取組ID", "取組名", "initiative_id", initiatives),)
    for (heading, name_heading, col_id, items), letter in zip(groups, ("A", "D", "G"), strict=True):
        first = ws[f"{letter}1"].column
        _heading(ws, first, heading, col_id)
        _heading(ws, first + 1, name_heading, "name_ja")
        for n, (key, name) in enumerate(items):
            xlsx_text(ws.cell(FIRST_ROW + n, first), key)
            xlsx_text(ws.cell(FIRST_ROW + n, first + 1), name)
        ws.column_dimensions[letter].width = 24
        ws.column_dimensions[get_column_letter(first + 1)].width = 50
    ws.protection.sheet = True  # the lists are the data's; they are changed in data/
