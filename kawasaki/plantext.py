"""The plan's own words in the data, checked against the plan's text.

``plan/context.csv`` quotes the plan's facts (population, stations, partners, the 2030
goal, "the KPIs listed are representative ones") with the line of the plan text
(``sources/plan_3rd_term_ocr.txt``) they stand on; ``kpis/actuals.csv`` carries the
plan's verdicts on its second-term results. The build checks every quote against that
line, ignoring the spaces the OCR put between digits and kanji (``155 万人`` =
``155万人``), and that every number of a fact's short figure is in its quote.
"""

from __future__ import annotations

import re

from kawasaki.datafiles import ACTUALS, CONTEXT_SHOWN_ON, KPIS, PLAN_CONTEXT, PLAN_TEXT, Dataset
from kawasaki.problems import Problem
from kawasaki.tables import Row

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")


def squeeze(text: str) -> str:
    """Text without its whitespace, as quotes are compared with the OCR text.

    >>> squeeze("2025 年 10 月 1 日現在")
    '2025年10月1日現在'
    """
    return _SPACE.sub("", text)


def lines_with(lines: list[str], quote: str) -> list[int]:
    """The numbers (from 1) of the plan text's lines that hold ``quote``, spaces ignored.

    >>> lines_with(["x", "本市の人口は、155 万人を超えている。"], "155万人を超えている")
    [2]
    """
    wanted = squeeze(quote)
    return [n for n, line in enumerate(lines, start=1) if wanted and wanted in squeeze(line)]


def numbers_in(text: str) -> list[str]:
    """The numbers written in ``text``, as written.

    >>> numbers_in("3,532者（1,749 + 1,783）、▲50%、43.7歳")
    ['3,532', '1,749', '1,783', '50', '43.7']
    """
    return _NUMBER.findall(text)


def check_context(ds: Dataset, problems: list[Problem]) -> None:
    """Each fact: where it is shown, its KPI, its quote on its line, its figure's numbers
    in the quote, and a value on a KPI's chart only with its year, after the target year."""
    rel = PLAN_CONTEXT.path
    kpis = {k["kpi_id"]: k for k in ds.tables[KPIS.path]}
    check_kpis = ds.usable(KPIS.path, f"{rel} kpi_id")
    check_text = ds.usable(PLAN_TEXT, f"{rel} quote_ja")
    for fact in ds.tables[rel]:
        row = fact["_row"]
        for place in fact["shown_on"] or []:
            if place not in CONTEXT_SHOWN_ON:
                allowed = ", ".join(CONTEXT_SHOWN_ON)
                problems.append(Problem(rel, row, "shown_on", f"'{place}' is not allowed (use: {allowed})"))
        kpi = kpis.get(fact["kpi_id"]) if fact["kpi_id"] else None
        if fact["kpi_id"] and kpi is None and check_kpis:
            problems.append(Problem(rel, row, "kpi_id", f"KPI '{fact['kpi_id']}' is not in {KPIS.path}"))
        if check_text:
            _check_quote(fact, ds.plan_lines, problems)
        for number in numbers_in(fact["figure_ja"] or ""):
            if number not in squeeze(fact["quote_ja"]):
                problems.append(Problem(rel, row, "figure_ja", f"'{number}' is not in quote_ja"))
        _check_goal(fact, kpi, problems)


def _check_quote(fact: Row, lines: list[str], problems: list[Problem]) -> None:
    """The quote stands on its ``plan_line`` (spaces ignored); else say where it is, if anywhere."""
    rel, row, line = PLAN_CONTEXT.path, fact["_row"], fact["plan_line"]
    if not 1 <= line <= len(lines):
        problems.append(Problem(rel, row, "plan_line", f"{PLAN_TEXT} has lines 1–{len(lines)}, not {line}"))
        return
    found = lines_with(lines, fact["quote_ja"])
    if line in found:
        return
    where = f"it is on line {found[0]}" if found else "it is not in the plan text"
    problems.append(Problem(rel, row, "quote_ja", f"is not on line {line} of {PLAN_TEXT} ({where})"))


def _check_goal(fact: Row, kpi: Row | None, problems: list[Problem]) -> None:
    """A value drawn on a KPI's chart: with its year and its KPI, after the KPI's target year."""
    rel, row = PLAN_CONTEXT.path, fact["_row"]
    if (fact["value"] is None) != (fact["period"] is None):
        problems.append(Problem(rel, row, "period", "value and period go together"))
    elif fact["value"] is not None and not fact["kpi_id"]:
        problems.append(
            Problem(rel, row, "kpi_id", "a value with a period is drawn on a KPI's chart: name the KPI")
        )
    elif kpi is not None and fact["period"] is not None and fact["period"] <= kpi["target_period"]:
        message = f"{fact['period']} is not after the KPI's target year {kpi['target_period']}"
        problems.append(Problem(rel, row, "period", message))


def check_verdicts(ds: Dataset, problems: list[Problem]) -> None:
    """The plan's verdict on an actual is the plan's own words: in its text, spaces ignored."""
    check_text = ds.usable(PLAN_TEXT, f"{ACTUALS.path} plan_verdict_ja")
    for a in ds.tables[ACTUALS.path]:
        verdict = a["plan_verdict_ja"]
        if a["plan_verdict_en"] and not verdict:
            problems.append(
                Problem(ACTUALS.path, a["_row"], "plan_verdict_ja", "is empty but plan_verdict_en is not")
            )
        elif verdict and check_text and not lines_with(ds.plan_lines, verdict):
            message = f"is not the plan's wording: not found in {PLAN_TEXT}"
            problems.append(Problem(ACTUALS.path, a["_row"], "plan_verdict_ja", message))
