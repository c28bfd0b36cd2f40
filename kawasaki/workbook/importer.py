"""Reading the workbook back: its sheets and columns as exported, every cell checked by
the build's own checks, then the data files written all at once, or not at all.

The check is the build's: the new files are written into a copy of data/ in a
temporary folder and that copy is read by ``load_dataset`` (kawasaki.tables'
``parse_cell`` and the TableSpecs, then the checks across files). Its problems are
shown at the sheet, row and column they come from, in Japanese.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from kawasaki.datafiles import DATASET
from kawasaki.dataset import load_dataset
from kawasaki.problems import DataError, Problem
from kawasaki.spreadsheet import data_file_text
from kawasaki.tables import MAX_FILE_BYTES, read_text
from kawasaki.workbook.export import checksum, raw_rows
from kawasaki.workbook.messages import SheetProblem, at_file, at_sheet, japanese
from kawasaki.workbook.sheets import (
    FIRST_ROW,
    ID_ROW,
    INFO,
    KNOWN_SHEETS,
    PROPERTY_PREFIX,
    SHEETS,
    Sheet,
    label,
)

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls, or a workbook with a password
SAVE_AS = "Excelで「名前を付けて保存」→「Excel ブック (*.xlsx)」で保存したブックを指定してください。"


@dataclass
class SheetData:
    """One sheet read: its rows as a CSV file's (header first) and where each came from."""

    sheet: Sheet
    rows: list[list[str]]
    sheet_rows: list[int]  # the sheet's row number of each data row
    letters: dict[str, str]  # column id → column letter

    def row_of(self, csv_row: int) -> int:
        """The sheet's row of a CSV row number (the header is row 1)."""
        if csv_row <= 1:
            return ID_ROW
        n = csv_row - 2
        return self.sheet_rows[n] if n < len(self.sheet_rows) else 0


@dataclass
class ImportResult:
    """What the import found and which data files it wrote."""

    problems: list[SheetProblem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[SheetProblem]:
        return [p for p in self.problems if p.severity == "error"]


def import_workbook(path: Path, data_dir: Path) -> ImportResult:
    """Check the workbook at ``path``; when nothing is wrong, write its tables to ``data_dir``."""
    result = ImportResult()
    wb = _open(Path(path), result.problems)
    if wb is None:
        return result
    try:
        for name in wb.sheetnames:
            if name not in KNOWN_SHEETS:
                result.problems.append(
                    SheetProblem(
                        at_sheet(name),
                        "このブックにないシートです。削除してから取り込みます（データは読みません）",
                    )
                )
        sheets = [_read_sheet(wb, s, result.problems) for s in SHEETS]
        as_of = _read_info(wb, result.problems)
        _check_not_edited_since(wb, Path(data_dir), result.problems)
    finally:
        wb.close()
    if result.errors:
        return result
    texts = _changed_files(Path(data_dir), [s for s in sheets if s is not None], as_of, result.problems)
    if result.errors or not texts:
        return result
    _check_as_the_build(Path(data_dir), texts, [s for s in sheets if s], result.problems)
    if not result.errors:
        _write_all(Path(data_dir), texts)
        result.written = sorted(texts)
    return result


def _open(path: Path, problems: list[SheetProblem]) -> Any:
    """The workbook, or None with a problem that says what the file is instead."""
    name = path.name
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_FILE_BYTES else b""
    except OSError as exc:
        problems.append(SheetProblem(name, f"読めません（{exc.strerror or exc}）"))
        return None
    if size > MAX_FILE_BYTES:
        problems.append(
            SheetProblem(name, f"{size / 2**20:.0f} MB あります（{MAX_FILE_BYTES // 2**20} MB まで）")
        )
        return None
    if data.startswith(b"PK"):
        try:
            return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            problems.append(
                SheetProblem(name, f"Excelブックとして読めません（{type(exc).__name__}）。{SAVE_AS}")
            )
            return None
    if data.startswith(_OLE):
        problems.append(SheetProblem(name, f"古い形式（.xls）か、パスワード付きのブックです。{SAVE_AS}"))
        return None
    found: list[Problem] = []
    read_text(path, name, found)  # says which line is not UTF-8 (a CSV saved as Shift_JIS)
    for p in found:
        problems.append(
            SheetProblem(at_file(name, p.row), f"{japanese(p.message)}。Excelブックではありません。{SAVE_AS}")
        )
    if not found:
        problems.append(
            SheetProblem(name, f"CSVなどのテキストファイルで、Excelブックではありません。{SAVE_AS}")
        )
    return None


def cell_text(cell: Any) -> tuple[str, str | None]:
    """A cell as the text a data file holds, and what is wrong with it (if anything)."""
    value = cell.value
    if value is None:
        return "", None
    if getattr(cell, "data_type", None) == "f":
        return "", f"数式は使えません（'{str(value)[:40]}'）。値を文字で書きます"
    if getattr(cell, "data_type", None) == "e":
        return "", f"エラー値 {value} です"
    if isinstance(value, bool):
        return str(value).upper(), None
    if isinstance(value, dt.datetime):
        return (value.date().isoformat() if value.time() == dt.time() else value.isoformat()), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else format(value, ".15g")), None
    return str(value).strip(), None


def _read_sheet(wb: Any, sheet: Sheet, problems: list[SheetProblem]) -> SheetData | None:
    """One data sheet's headings and rows; None when it is missing or its columns changed."""
    if sheet.name not in wb.sheetnames:
        problems.append(
            SheetProblem(at_sheet(sheet.name), "シートがありません（シートを削除・改名しないでください）")
        )
        return None
    rows = list(wb[sheet.name].iter_rows())
    ids = [cell_text(c)[0] for c in rows[ID_ROW - 1]] if len(rows) >= ID_ROW else []
    spec_names = [c.name for c in sheet.spec.columns]
    before = len(problems)
    for n, name in enumerate(ids):
        letter = get_column_letter(n + 1)
        if name and name not in spec_names:
            problems.append(
                SheetProblem(
                    at_sheet(sheet.name, ID_ROW, letter, name),
                    "このシートにない列です（列を追加しないでください）",
                )
            )
        elif name and name in ids[:n]:
            problems.append(SheetProblem(at_sheet(sheet.name, ID_ROW, letter, name), "同じ列IDが2回あります"))
    for col in sheet.spec.columns:
        if col.name not in ids:
            where = at_sheet(sheet.name, ID_ROW, column=col.name)
            problems.append(
                SheetProblem(where, f"列「{label(col)}」がありません（列を削除しないでください）")
            )
    if len(problems) > before:
        return None
    return _data_rows(sheet, rows, ids, problems)


def _data_rows(sheet: Sheet, rows: list, ids: list[str], problems: list[SheetProblem]) -> SheetData:
    """The data rows of a sheet whose headings are right, as a data file's rows."""
    index = {name: n for n, name in enumerate(ids) if name}
    letters = {name: get_column_letter(n + 1) for name, n in index.items()}
    header = _file_header(sheet, list(index))
    out = SheetData(sheet, [header], [], letters)
    kinds = {c.name: c.kind for c in sheet.spec.columns}
    for number, cells in enumerate(rows[FIRST_ROW - 1 :], start=FIRST_ROW):
        texts: dict[str, str] = {}
        for n, cell in enumerate(cells):
            text, wrong = cell_text(cell)
            name = ids[n] if n < len(ids) else ""
            where = at_sheet(sheet.name, number, get_column_letter(n + 1), name)
            if wrong:
                problems.append(SheetProblem(where, wrong))
            elif text and not name:
                problems.append(
                    SheetProblem(where, "列IDのない列に値があります（2行目の列IDを消さないでください）")
                )
            elif name and isinstance(cell.value, float | int) and kinds.get(name) == "number" and text:
                message = f"数値として入力されています（{text} と読みました）。公表どおりの桁（50.0 など）は文字で書きます"
                problems.append(SheetProblem(where, message, "warning"))
            texts[name] = text
        if any(texts.get(name) for name in index):
            out.rows.append([texts.get(name, "") for name in header])
            out.sheet_rows.append(number)
    return out


def _file_header(sheet: Sheet, columns: list[str]) -> list[str]:
    """The order of columns to write: the data file's own, when it has exactly these."""
    return (
        [c.name for c in sheet.spec.columns]
        if set(columns) == {c.name for c in sheet.spec.columns}
        else columns
    )


def _read_info(wb: Any, problems: list[SheetProblem]) -> str | None:
    """The data_as_of of the 基本情報 sheet (None when the sheet is not there)."""
    if INFO not in wb.sheetnames:
        return None
    for number, cells in enumerate(wb[INFO].iter_rows(min_row=FIRST_ROW), start=FIRST_ROW):
        if cells and cell_text(cells[0])[0] == "data_as_of":
            value = cell_text(cells[1])[0] if len(cells) > 1 else ""
            if not _DATE.match(value):
                where = at_sheet(INFO, number, "B", "data_as_of")
                problems.append(SheetProblem(where, japanese(f"'{value}' is not YYYY-MM-DD")))
                return None
            return value
    return None


def _check_not_edited_since(wb: Any, data_dir: Path, problems: list[SheetProblem]) -> None:
    """Refuse a workbook exported before its data files were last changed (their edits would be lost)."""
    for prop in wb.custom_doc_props:
        if prop.name.startswith(PROPERTY_PREFIX):
            path = prop.name[len(PROPERTY_PREFIX) :]
            if (data_dir / path).is_file() and checksum(data_dir, path) != prop.value:
                message = "このブックを書き出した後に変更されています。取り込むとその変更が消えるため止めました。もう一度書き出して、そのブックで作業してください"
                problems.append(SheetProblem(at_file(path), message))


def _changed_files(
    data_dir: Path, sheets: list[SheetData], as_of: str | None, problems: list[SheetProblem]
) -> dict[str, str]:
    """The new text of each data file the workbook changes (none when it changes nothing)."""
    texts = {}
    for s in sheets:
        try:
            current = [r for r in raw_rows(data_dir, s.sheet.spec.path) if any(c.strip() for c in r)]
        except DataError:
            current = []
        if current != s.rows:
            texts[s.sheet.spec.path] = data_file_text(s.rows)
    dataset = (data_dir / DATASET).read_text(encoding="utf-8")
    current_as_of = re.search(r"(?m)^data_as_of:\s*(\S+)\s*$", dataset)
    if as_of is not None and (current_as_of is None or current_as_of.group(1) != as_of):
        if current_as_of is None:
            problems.append(
                SheetProblem(at_file(DATASET), "data_as_of の行がないため、データ時点を書き込めません")
            )
        else:
            texts[DATASET] = dataset[: current_as_of.start(1)] + as_of + dataset[current_as_of.end(1) :]
    return texts


def _check_as_the_build(
    data_dir: Path, texts: dict[str, str], sheets: list[SheetData], problems: list[SheetProblem]
) -> None:
    """Run the build's checks on a copy of data/ with the new files; report at sheet, row, column."""
    by_path = {s.sheet.spec.path: s for s in sheets}
    with tempfile.TemporaryDirectory(prefix="kawasaki-import-") as folder:
        staged = Path(folder) / "data"
        shutil.copytree(
            data_dir, staged, ignore=shutil.ignore_patterns("*.duckdb", "*.tmp", "*.wal", ".releases")
        )
        _write_all(staged, texts)
        _, found = load_dataset(staged)
    for p in sorted(found, key=lambda p: (p.severity != "error", p)):
        s = by_path.get(p.file)
        if s is not None:
            row = s.row_of(p.row) if p.row else 0
            column = p.column.split("+")[0]
            where = at_sheet(s.sheet.name, row, s.letters.get(column, ""), p.column)
            problems.append(SheetProblem(where, japanese(p.message, s.row_of), p.severity))
        elif p.file == DATASET and p.column == "data_as_of":
            problems.append(SheetProblem(at_sheet(INFO, FIRST_ROW, "B", "data_as_of"), japanese(p.message)))
        elif p.severity == "error":
            problems.append(SheetProblem(at_file(p.file, p.row, p.column), japanese(p.message)))


def _write_all(data_dir: Path, texts: dict[str, str]) -> None:
    """Write every file to a temporary name first, then rename each into place."""
    temps: list[tuple[str, Path]] = []
    try:
        for rel, text in texts.items():
            target = data_dir / rel
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temps.append((tmp, target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        for tmp, target in temps:
            os.replace(tmp, target)
    finally:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
