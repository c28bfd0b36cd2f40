"""The workbook's layout: which data file each sheet holds, the Japanese column headings,
the drop-down lists, and the rows where headings and data start.

Every editable sheet is a data file of kawasaki.datafiles; its columns are that file's
``TableSpec`` columns, so a column added to a file appears in the workbook by itself
(headed by its id until it gets a Japanese label here).
"""

from __future__ import annotations

from dataclasses import dataclass

from kawasaki.datafiles import ACTUALS, WARD_INDICATORS, WARD_PLACES, WARD_VALUES
from kawasaki.tables import Col, TableSpec

INSTRUCTIONS = "説明"
LISTS = "選択肢"
INFO = "基本情報"
LABEL_ROW, ID_ROW, FIRST_ROW = 1, 2, 3  # the Japanese heading, the column id, the first data row
SPARE_ROWS = 1000  # rows below the data that get the drop-downs and the text format
YEARS = (1900, 2100)  # a period must be a whole number in this range (a 4-digit year)
PROPERTY_PREFIX = "kawasaki:"  # custom document properties: each file's checksum at export


@dataclass(frozen=True)
class Sheet:
    """One editable sheet: its name, its data file and what it is for."""

    name: str
    spec: TableSpec
    about: str


SHEETS = (
    Sheet("実績値", ACTUALS, "KPIの実績値。1つのKPIの1つの年度が1行です（例：2026年度の値を1行追加）。"),
    Sheet("区別の値", WARD_VALUES, "区ごとの値。区・指標・時点の組み合わせが1行です。"),
    Sheet("区別の指標", WARD_INDICATORS, "区別マップで表示できる指標の定義。"),
    Sheet("計画の場所", WARD_PLACES, "計画に出てくる場所と、その場所がある区。"),
)
# Sheets that the import reads besides the editable ones, and those it leaves alone.
KNOWN_SHEETS = (INSTRUCTIONS, INFO, *(s.name for s in SHEETS), LISTS)

# Japanese headings; the column id is in the row below them.
LABELS = {
    "kpi_id": "KPI ID",
    "period": "年度・年（4桁）",
    "value": "値（数値のみ・単位なし）",
    "source_ja": "出典",
    "source_en": "出典（英語）",
    "note_ja": "備考",
    "note_en": "備考（英語）",
    "ward_code": "区コード",
    "indicator_id": "指標ID",
    "reference_date": "時点（YYYY-MM-DD）",
    "unit": "単位コード",
    "source_title": "出典名",
    "source_url": "出典URL",
    "name_ja": "名称",
    "name_en": "名称（英語）",
    "unit_ja": "単位（日本語の表示）",
    "unit_en": "単位（英語の表示）",
    "kind": "種類",
    "description_ja": "説明",
    "description_en": "説明（英語）",
    "place_id": "場所ID",
    "initiative_id": "取組ID（4-① は 4-1）",
    "plan_section_ja": "計画の該当箇所",
    "plan_section_en": "計画の該当箇所（英語）",
    "plan_verdict_ja": "計画の評価（計画の記載どおり）",
    "plan_verdict_en": "計画の評価（英語）",
    "source_type": "出典の種類（official・secondary）",
    "attribution": "帰属表示（出典表示のキー）",
    "derivation": "算出方法",
    "derived_from": "算出に使う指標ID",
    "fixed_denominator": "固定の分母",
    "caution_ja": "注意書き",
    "caution_en": "注意書き（英語）",
}
# Columns whose cells must be one of a list: the list's sheet and column (letters).
LIST_COLUMNS = {"kpi_id": "A", "ward_code": "D", "initiative_id": "G"}
INDICATOR_SOURCE = "区別の指標"  # indicator_id: the ids of that sheet


def label(col: Col) -> str:
    """The Japanese heading of a column: its label, and （必須） when it may not be empty."""
    text = LABELS.get(col.name, col.name)
    return f"{text}（必須）" if col.required else text


def sheet_of(path: str) -> Sheet | None:
    """The sheet that holds the data file ``path``."""
    return next((s for s in SHEETS if s.spec.path == path), None)


INSTRUCTION_LINES = (
    "川崎市 SDGs未来都市計画 ダッシュボード　データ更新用ブック",
    "",
    "このブックで、ダッシュボードのデータ（実績値・区別の値など）を追加・修正できます。",
    "",
    "手順",
    "1. 各シートで行を追加・修正します。1行目は項目名、2行目は列ID（変更しないでください）、データは3行目からです。",
    "2. 値は公表された数字のとおりに書きます（▲35.0、1,039、50.0）。単位（%、か所など）は書きません。小数点以下の0も残します。",
    "3. KPI ID・区コード・取組IDは、セルの▼から選びます（一覧は「選択肢」シート）。年度は4桁の数字（2026）です。",
    "4. データの時点が変わったら「基本情報」シートの data_as_of（データ時点）を直します。",
    "5. 「Excel ブック (*.xlsx)」のまま上書き保存します（CSVで保存しないでください）。",
    "6. 取り込み：python -m kawasaki workbook import kawasaki-data.xlsx",
    "   問題があれば、シート・行・列ごとに表示され、ファイルには何も書き込まれません。直して、もう一度取り込みます。",
    "7. 確認：python -m kawasaki build --dry-run（何が変わるかを表示します。何も書き込みません）",
    "8. 画面で確認：python -m kawasaki preview（公開前の画面を http://localhost:8502 に表示します）",
    "9. 公開：python -m kawasaki build（公開の記録が data/releases/ に残ります）",
    "10. 元に戻す：python -m kawasaki rollback（ひとつ前の公開に戻します）",
    "",
    "注意",
    "・シートの追加・削除・名前の変更、列の削除・追加はしないでください（取り込み時にエラーになります）。",
    "・「=」で始まる数式は使えません。文字はすべて文字として書き込みます。",
    "・値がない区や年度は、行を作りません（0 と書かないでください。空欄は「データなし」と表示されます）。",
    "・このブックを書き出した後に data/ のファイルが変わった場合は、取り込みを止めます。もう一度書き出してください。",
    "",
    "シート",
)
