"""The build's problem messages in Japanese, and where a problem is in the workbook.

The checks (kawasaki.tables, kawasaki.numbers, kawasaki.checks) word their problems in
English for the CSV route; the workbook import shows the same problems to staff in
Japanese, at a sheet, row and column. A message without a translation here is shown
as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# (the English message as a pattern, the Japanese text); {0}, {1} … are the pattern's groups.
TRANSLATIONS: tuple[tuple[str, str], ...] = (
    (r"is empty", "空欄です（必ず書く列です）"),
    (
        r"'(.*)' is not a year \(write it as four digits, e\.g\. 2029\)",
        "'{0}' は年ではありません（2029 のように4桁の数字で書きます）",
    ),
    (r"'(.*)' is not a whole number", "'{0}' は整数ではありません"),
    (r"'(.*)' is too large \(at most (\d+) digits\)", "'{0}' は大きすぎます（{1}桁まで）"),
    (r"'(.*)' is too large", "'{0}' は大きすぎます"),
    (
        r"'(.*)' is not a plain number: .*",
        "'{0}' は数値だけではありません。数値のみを書きます（単位は書きません。143万本 は 143）",
    ),
    (
        r"'(.*)' has a thousands separator in the wrong place .*",
        "'{0}' の桁区切り（,）の位置が違います（1,039 または 1039）",
    ),
    (r"'(.*)' is not a number", "'{0}' は数値ではありません"),
    (r"'(.*)' is not allowed \(use one of: (.*)\)", "'{0}' は使えません（使える値：{1}）"),
    (
        r"'(.*)' is not a date \(write YYYY-MM-DD, YYYY-MM or YYYY\)",
        "'{0}' は日付ではありません（YYYY-MM-DD、YYYY-MM または YYYY）",
    ),
    (r"'(.*)' is not a date that exists", "'{0}' は存在しない日付です"),
    (r"'(.*)' is not YYYY-MM-DD", "'{0}' は YYYY-MM-DD の形ではありません"),
    (r"duplicate (.*) \(first on row (\d+)\)", "{0} が重複しています（最初は {row1}行目）"),
    (
        r"KPI '(.*)' is not in kpis/kpis\.csv",
        "KPI ID '{0}' はKPIの一覧にありません（「選択肢」シートのIDを使います）",
    ),
    (
        r"(\d+) is not after the baseline period (\d+)",
        "{0} は基準年度 {1} より後ではありません（実績値は基準年度の後の年度だけです）",
    ),
    (
        r"'(.*)' is not a Kawasaki ward code \(14131–14137\)",
        "'{0}' は川崎市の区コードではありません（14131～14137）",
    ),
    (r"'(.*)' is not in wards/indicators\.csv", "指標ID '{0}' は「区別の指標」シートにありません"),
    (
        r"'(.*)' differs from the indicator's unit '(.*)'",
        "'{0}' は指標の単位コード '{1}' と違います（同じにします）",
    ),
    (
        r"initiative '(.*)' is not in plan/structure\.yaml.*",
        "取組ID '{0}' は計画にありません（4-① は 4-1 と書きます）",
    ),
    (r"has no data rows \(only a header\)", "データの行がありません"),
    (
        r"(.*) is outside -100 to 100 for a value in (.*)",
        "{0} は単位 {1} の値としてありえません（-100～100）",
    ),
    (
        r"(.*) is below zero; a value in (.*) cannot be",
        "{0} はマイナスです。単位 {1} の値はマイナスになりません",
    ),
    (
        r"(.*) is outside (.*) to (.*) for an indicator of kind (.*)",
        "{0} は種類 {3} の指標の値としてありえません（{1}～{2}）",
    ),
    (
        r"(.*) is below (.*) for an indicator of kind (.*)",
        "{0} は種類 {2} の指標の値として小さすぎます（{1} 以上）",
    ),
    (r"(\d+) is after the plan's end \((\d+), .*\)", "{0} は計画の最後の年度（{1}）より後です"),
    (
        r"(\d+) had not begun by data_as_of (\S+) \(dataset\.yaml\).*",
        "{0} はデータ時点 {1} にはまだ始まっていません（値はまだありえません）",
    ),
    (r"(\S+) is after data_as_of (\S+) \(dataset\.yaml\)", "時点 {0} はデータ時点 {1} より後です"),
    (
        r"is (\S+), after today \((\S+) in Japan\): .*",
        "{0} は今日（{1}）より後です。データを最後に確かめた日を書きます",
    ),
    (
        r"holds a control character \(U\+([0-9A-F]+)\) at position (\d+): .*",
        "見えない制御文字（U+{0}）が {1}文字目にあります。消してください",
    ),
    (
        r"'(.*)' is not an http:// or https:// address",
        "'{0}' は http:// か https:// で始まるアドレスではありません",
    ),
    (
        r"'(.*)' holds a space or one of < > \" ` .*",
        "'{0}' に空白か < > \" ` が入っています（ブラウザに出るとおりのアドレスを書きます）",
    ),
    (
        r"'(.*)' is not an identifier: write circled numbers as digits .*",
        "'{0}' はIDの形ではありません（丸数字は数字で書きます：4-① は 4-1）",
    ),
    (
        r"'(.*)' is not an identifier: use ASCII letters.*",
        "'{0}' はIDの形ではありません（半角の英数字と . _ : - だけ、64文字まで）",
    ),
    (r"not checked until this file is fixed: (.*)", "このファイルを直すまで、次の確認はできません：{0}"),
    (
        r"is not UTF-8 text \(perhaps saved as (.*)\): .*",
        "UTF-8 ではありません（{0} で保存されたようです）",
    ),
)
_COMPILED = tuple((re.compile(f"^{pattern}$"), text) for pattern, text in TRANSLATIONS)


def japanese(message: str, row: Callable[[int], int] = lambda n: n) -> str:
    """``message`` in Japanese; a row number in it is given through ``row`` (a CSV row
    number → the sheet's row).

    >>> japanese("'2026年度' is not a year (write it as four digits, e.g. 2029)")
    "'2026年度' は年ではありません（2029 のように4桁の数字で書きます）"
    >>> japanese("duplicate ghg-reduction/2026 (first on row 9)", lambda n: n + 1)
    'ghg-reduction/2026 が重複しています（最初は 10行目）'
    """
    for pattern, text in _COMPILED:
        match = pattern.match(message)
        if match:
            groups = match.groups()
            row1 = row(int(groups[-1])) if "{row1}" in text else 0
            return text.format(*groups, row1=row1)
    return message


@dataclass(frozen=True, order=True)
class SheetProblem:
    """A problem at a sheet, row and column of the workbook (or in a data file)."""

    where: str  # 'シート「実績値」 5行目 C列（value）' or 'kpis/kpis.csv 3行目'
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "注意：" if self.severity == "warning" else ""
        return f"{self.where}：{prefix}{self.message}"


def at_sheet(sheet: str, row: int = 0, letter: str = "", column: str = "") -> str:
    """Where in the workbook: 'シート「実績値」 5行目 C列（value）'.

    >>> at_sheet("実績値", 5, "C", "value")
    'シート「実績値」 5行目 C列（value）'
    >>> at_sheet("Sheet1")
    'シート「Sheet1」'
    """
    where = f"シート「{sheet}」"
    if row:
        where += f" {row}行目"
    if letter:
        where += f" {letter}列"
    if column:
        where += f"（{column}）"
    return where


def at_file(path: str, row: int = 0, column: str = "") -> str:
    """Where in a data file: 'kpis/kpis.csv 3行目 name_en'."""
    return " ".join(part for part in (path, f"{row}行目" if row else "", column) if part)
