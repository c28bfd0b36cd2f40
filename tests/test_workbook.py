"""The staff workbook: what export writes, and every bad workbook refused at its sheet,
row and column, in Japanese, with nothing written."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from kawasaki.cli import main
from kawasaki.datafiles import ACTUALS
from kawasaki.workbook import export_workbook, import_workbook
from kawasaki.workbook.messages import japanese
from tests.conftest import DATA
from tests.helpers import set_cell
from tests.test_releases import GHG, add_row


@pytest.fixture(scope="module")
def exported() -> bytes:
    """The workbook of the repository's data/ (export only reads)."""
    return export_workbook(DATA)


def files(data: Path) -> dict[str, str]:
    """Every data file's checksum, to show that nothing was written."""
    return {
        str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in data.rglob("*")
        if p.is_file()
    }


def wrong_kpi(wb, tmp):
    row = add_row(wb["実績値"], {**GHG, "kpi_id": "ghg-reduciton"})
    return None, f"シート「実績値」 {row}行目 A列（kpi_id）", "KPI ID 'ghg-reduciton' はKPIの一覧にありません"


def text_in_a_number(wb, tmp):
    row = add_row(wb["実績値"], {**GHG, "value": "約43"})
    return None, f"シート「実績値」 {row}行目 C列（value）", "'約43' は数値だけではありません"


def a_formula(wb, tmp):
    row = add_row(wb["実績値"], {**GHG, "source_ja": '=HYPERLINK("http://x")'})
    return None, f"シート「実績値」 {row}行目 D列（source_ja）", "数式は使えません"


def deleted_column(wb, tmp):
    wb["実績値"].delete_cols(2)
    return None, "シート「実績値」 2行目（period）", "列「年度・年（4桁）（必須）」がありません"


def extra_sheet(wb, tmp):
    wb.create_sheet("Sheet1")["A1"] = "メモ"
    return None, "シート「Sheet1」", "このブックにないシートです"


def shift_jis_csv(wb, tmp):
    path = tmp / "kawasaki-data.csv"
    path.write_bytes((DATA / "kpis/actuals.csv").read_text(encoding="utf-8").encode("cp932"))
    return path, "kawasaki-data.csv 2行目", "UTF-8 ではありません（Shift_JIS で保存されたようです）"


CASES = (wrong_kpi, text_in_a_number, a_formula, deleted_column, extra_sheet, shift_jis_csv)


@pytest.mark.parametrize("edit", CASES, ids=[c.__name__ for c in CASES])
def test_a_bad_workbook_is_refused_where_it_is_wrong(edit, exported, data_copy, tmp_path, capsys):
    wb = openpyxl.load_workbook(BytesIO(exported))
    path, where, words = edit(wb, tmp_path)
    if path is None:
        path = tmp_path / "kawasaki-data.xlsx"
        wb.save(path)
    before = files(data_copy)
    assert main(["workbook", "import", str(path), "--data", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert any(line.startswith(f"{where}：") and words in line for line in out.splitlines()), out
    assert "data/ のファイルには何も書き込んでいません" in out
    assert files(data_copy) == before


def test_the_workbook_holds_the_files_as_written(data_copy, tmp_path):
    """Sheets and headings as documented; text stays text (a leading '=' is not a formula);
    an unchanged workbook imports as 'no change' and writes nothing."""
    set_cell(data_copy / "kpis/actuals.csv", 2, "note_ja", "=1+1 は式ではない")
    book = tmp_path / "k.xlsx"
    book.write_bytes(export_workbook(data_copy))
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["説明", "基本情報", "実績値", "区別の値", "区別の指標", "計画の場所", "選択肢"]
    ws = wb["実績値"]
    assert [c.value for c in ws[2]] == [c.name for c in ACTUALS.columns]
    assert ws["A1"].value == "KPI ID（必須）" and ws["B3"].value == 2024 and ws["C9"].value == "▲35.0"
    assert (ws["F3"].value, ws["F3"].data_type, ws["F3"].quotePrefix) == ("=1+1 は式ではない", "s", True)
    kinds = {str(v.sqref).split(":")[0]: (v.type, v.formula1) for v in ws.data_validations.dataValidation}
    assert kinds["A3"] == ("list", "'選択肢'!$A$3:$A$1010") and kinds["B3"] == ("whole", "1900")
    before = files(data_copy)
    result = import_workbook(book, data_copy)
    assert (result.errors, result.written) == ([], []) and files(data_copy) == before


@pytest.mark.parametrize(
    "english,japanese_text",
    [
        ("'2026年度' is not a year (write it as four digits, e.g. 2029)", "'2026年度' は年ではありません"),
        ("2023 is not after the baseline period 2023", "2023 は基準年度 2023 より後ではありません"),
        (
            "'places2' differs from the indicator's unit 'places'",
            "'places2' は指標の単位コード 'places' と違います",
        ),
        (
            "2027 had not begun by data_as_of 2026-11-28 (dataset.yaml): no value can exist yet",
            "まだ始まっていません",
        ),
        ("a message nobody translated", "a message nobody translated"),
    ],
)
def test_the_builds_messages_in_japanese(english, japanese_text):
    assert japanese_text in japanese(english)


NOT_WORKBOOKS = [  # what the file is, its bytes (None: no file), what staff are told, "save as" advice
    ("a broken .xlsx", b"PK\x03\x04 not really a zip", "Excelブックとして読めません（BadZipFile）", True),
    (
        "an old .xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "古い形式（.xls）か、パスワード付き",
        True,
    ),
    (
        "a UTF-8 CSV",
        "kpi_id,値\nghg-reduction,1\n".encode(),
        "CSVなどのテキストファイルで、Excelブックではありません",
        True,
    ),
    ("too large", b"PK" + bytes(3 * 2**20), "3 MB あります（2 MB まで）", False),
    ("gone", None, "読めません（No such file or directory）", False),
]


@pytest.mark.parametrize("what, content, words, advice", NOT_WORKBOOKS, ids=[c[0] for c in NOT_WORKBOOKS])
def test_a_file_that_is_not_a_workbook_is_named_for_what_it_is(
    what, content, words, advice, tmp_path, monkeypatch
):
    """Staff who pick the wrong file are told what it is (and how to save a workbook);
    nothing is written."""
    from kawasaki.workbook import importer

    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 2 * 2**20)
    path = tmp_path / "kawasaki-data.xlsx"
    if content is not None:
        path.write_bytes(content)
    result = import_workbook(path, tmp_path / "data")
    (problem,) = result.problems
    assert problem.severity == "error" and not result.written
    assert str(problem).startswith("kawasaki-data.xlsx：") and words in str(problem)
    assert (importer.SAVE_AS in str(problem)) is advice
