"""How KPIs, statuses and SDG labels read on screen, in print and in text alternatives.

Plain functions over query rows (dicts or pandas rows); no Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kawasaki.i18n import pick, t
from kawasaki.numbers import format_period, format_value
from kawasaki.progress import Pace, current_period, pace

# Okabe–Ito blue, bluish green and vermillion, a dark red and a grey: every pair differs by
# CIEDE2000 >= 12 for normal vision and simulated protanopia, deuteranopia and tritanopia,
# and each has >= 3:1 contrast with white and with the bar track (tests/test_colour_vision.py).
# (Tol's red #CC3311 next to vermillion fell to 7.2 under deuteranopia.) Always shown
# together with a word and an icon.
STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    # status: (hex colour, Material icon, st.badge colour)
    "achieved": ("#0072B2", "check_circle", "blue"),
    "on_track": ("#009E73", "trending_up", "green"),
    "behind": ("#D55E00", "warning", "orange"),
    "not_achieved": ("#9E1F1F", "cancel", "red"),
    "no_actual": ("#6B6B6B", "hourglass_empty", "gray"),
}
STATUS_SYMBOL = {"achieved": "✔", "on_track": "↗", "behind": "⚠", "not_achieved": "✖", "no_actual": "…"}


def _get(row: Mapping[str, Any] | Any, key: str) -> Any:
    value = row.get(key) if hasattr(row, "get") else getattr(row, key)
    if isinstance(value, float) and value != value:  # NaN from pandas
        return None
    return value


def status_key(status: str, plan_term: int) -> str:
    """The label key: a second-term KPI short of target before its year is 'behind_term2'."""
    return "behind_term2" if status == "behind" and plan_term == 2 else status


def status_label(status: str, lang: str, plan_term: int = 3) -> str:
    """Status in words, e.g. '順調' / 'On track'."""
    return t(f"status.{status_key(status, plan_term)}", lang)


def status_text(status: str, lang: str, plan_term: int = 3) -> str:
    """Status with its symbol, for tables and print: '✔ 達成'."""
    return f"{STATUS_SYMBOL[status]} {status_label(status, lang, plan_term)}"


def kpi_value(row: Any, which: str, lang: str) -> str:
    """A KPI's baseline / latest / target value with unit, as printed ('▲35.0%')."""
    value = _get(row, f"{which}_value")
    decimals = _get(row, f"{which}_decimals") or 0
    if value is None:
        return t("word.no_data", lang)
    return format_value(
        value,
        int(decimals),
        _get(row, "unit_ja"),
        _get(row, "unit_en"),
        lang=lang,
        en_scale=int(_get(row, "en_scale") or 1),
    )


def kpi_target(row: Any, lang: str) -> str:
    """The target as printed: '▲45.4%以上' (ja); English says which side is better."""
    text = kpi_value(row, "target", lang)
    qualifier = _get(row, "target_qualifier")
    if not qualifier:
        return text
    if lang != "ja":  # the plan's own words in Japanese; English says which side is better
        qualifier = t("word.or_more" if _get(row, "better") == "higher" else "word.or_less", lang)
    return t("word.qualified", lang, value=text, qualifier=qualifier)


def kpi_period(row: Any, which: str, lang: str) -> str:
    """The year of a KPI value: '2024年度', 'FY2024', '2024年'."""
    period = _get(row, f"{which}_period")
    return format_period(int(period) if period is not None else None, _get(row, "period_type"), lang=lang)


def kpi_latest(row: Any, lang: str) -> str:
    """The latest actual value with its year, or 'no actual value yet'."""
    if _get(row, "latest_kind") != "actual":
        return t("progress.no_progress_yet", lang)
    return f"{kpi_period(row, 'latest', lang)} {kpi_value(row, 'latest', lang)}"


def kpi_summary(row: Any, lang: str) -> str:
    """One sentence that says what a KPI's chart shows (its text alternative)."""
    name = pick(row, "name", lang)
    plan_term = int(_get(row, "plan_term") or 3)
    status = status_label(_get(row, "status"), lang, plan_term)
    target = kpi_target(row, lang)
    if _get(row, "baseline_value") is None:
        return t(
            "progress.summary_term2",
            lang,
            name=name,
            target_period=kpi_period(row, "target", lang),
            target=target,
            latest_period=kpi_period(row, "latest", lang),
            latest=kpi_value(row, "latest", lang),
            status=status,
        )
    return t(
        "progress.summary",
        lang,
        name=name,
        baseline_period=kpi_period(row, "baseline", lang),
        baseline=kpi_value(row, "baseline", lang),
        target_period=kpi_period(row, "target", lang),
        target=target,
        latest=kpi_latest(row, lang),
        status=status,
    )


def kpi_pace(row: Any, today: dt.date) -> Pace | None:
    """The straight line's pace and its value this year (kawasaki.progress.pace); None
    without a baseline (second-term KPIs)."""
    if _get(row, "baseline_value") is None:
        return None
    decimals = max(int(_get(row, "baseline_decimals") or 0), int(_get(row, "target_decimals") or 0))
    return pace(
        int(_get(row, "baseline_period")),
        Decimal(str(_get(row, "baseline_value"))),
        int(_get(row, "target_period")),
        Decimal(str(_get(row, "target_value"))),
        current_period(today, _get(row, "period_type")),
        direction=_get(row, "direction"),
        printed_decimals=decimals,
    )


def _amount(row: Any, value: Decimal, decimals: int, lang: str, *, change: bool = False) -> str:
    """A value (or, with ``change``, a change: points for %, a sign) in the KPI's unit."""
    unit_ja, unit_en = _get(row, "unit_ja"), _get(row, "unit_en")
    if change and unit_ja == "%":
        unit_ja, unit_en = t("pace.points", "ja"), t("pace.points", "en")
    text = format_value(
        value, decimals, unit_ja, unit_en, lang=lang, en_scale=int(_get(row, "en_scale") or 1)
    )
    return f"+{text}" if change and value > 0 else text


def pace_text(row: Any, lang: str, today: dt.date) -> str:
    """'+32.2か所/年' / '+32.2 places a year'; 'maintain (68.8% or more)'; '—' without a line."""
    p = kpi_pace(row, today)
    if p is None:
        return "—"
    if p.per_year is None:
        return t("pace.maintain", lang, target=kpi_target(row, lang))
    return t("pace.per_year", lang, change=_amount(row, p.per_year, p.decimals, lang, change=True))


def line_value(row: Any, lang: str, today: dt.date) -> str:
    """The straight line's value in the current year ('1,103.4か所'), or why there is none."""
    p = kpi_pace(row, today)
    if p is None:
        return "—"
    if p.expected is None:
        return t("pace.before_baseline", lang)
    value = _amount(row, p.expected, p.expected_decimals, lang)
    if p.after_target:
        return t("pace.after_target", lang, target=kpi_period(row, "target", lang), value=value)
    return value


def line_text(row: Any, lang: str, today: dt.date) -> str:
    """The straight line's value in the current (fiscal) year with that year: '2026年度 1,103.4か所'."""
    p = kpi_pace(row, today)
    if p is None:
        return "—"
    return f"{format_period(p.period, _get(row, 'period_type'), lang=lang)} {line_value(row, lang, today)}"


def verdict_text(row: Any, lang: str) -> str:
    """The plan's own words on the latest value, quoted: '「順調に取組が進んでいる」'; '—' if none."""
    verdict = _get(row, "plan_verdict_ja")
    if not verdict:
        return "—"
    if lang == "ja":
        return t("verdict.quote", lang, words=verdict)
    return t("verdict.quote", lang, words=_get(row, "plan_verdict_en") or verdict)


def ratio_text(ratio: float | None, lang: str, *, has_baseline: bool = True) -> str:
    """A progress ratio as a percentage; 'no actual value yet'; or 'no baseline' (2nd term)."""
    if not has_baseline:
        return t("progress.no_baseline", lang)
    if ratio is None or ratio != ratio:
        return t("progress.no_progress_yet", lang)
    return t("progress.ratio", lang, ratio=f"{ratio * 100:.0f}%")


def kpi_choices(term3: Any, term2: Any, lang: str) -> dict[str, str]:
    """The KPI picker's labels: this plan's KPIs, then the second term's marked as such
    (they share names with third-term ones, and the picker needs distinct labels)."""
    names = {r["kpi_id"]: pick(r, "name", lang) for r in term3.to_dict("records")}
    names.update(
        {
            r["kpi_id"]: f"{pick(r, 'name', lang)} {t('progress.term2_label', lang)}"
            for r in term2.to_dict("records")
        }
    )
    return names


def explore_choices(goals: Any, targets: Any, lang: str) -> dict[str, dict]:
    """The explorer's pickers: each goal's label and, per goal, its targets' labels with
    how many of this plan's KPIs link to each ('13.1（KPI 3）')."""
    by_goal: dict[int, dict[str, str]] = {}
    for r in targets.to_dict("records"):
        by_goal.setdefault(r["goal"], {})[r["target_id"]] = t(
            "word.labelled", lang, label=r["target_id"], value=t("word.kpi_count", lang, n=r["kpi_count"])
        )
    return {
        "goal": {
            r["goal"]: goal_label(r["goal"], pick(r, "name", lang), lang) for r in goals.to_dict("records")
        },
        "targets": by_goal,
    }


def goal_label(goal: int, name: str, lang: str) -> str:
    """'目標14 海の豊かさを守ろう' / 'Goal 14 Life below water'."""
    return f"{t('word.goal_n', lang, n=goal)} {name}"


def initiative_label(row: Any, lang: str) -> str:
    """'1-④ 安心して暮らせる地域のしくみをつくる取組' (the plan's own numbering)."""
    number = int(_get(row, "number"))
    circled = chr(0x2460 + number - 1) if 1 <= number <= 20 else str(number)
    return f"{int(_get(row, 'policy_area_number'))}-{circled} {pick(row, 'name', lang)}"


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two #RRGGBB colours.

    >>> round(contrast_ratio("#FFFFFF", "#000000"), 1)
    21.0
    """
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str) -> str:
    """White or near-black text, whichever contrasts more with ``background``."""
    return (
        "#FFFFFF"
        if contrast_ratio("#FFFFFF", background) >= contrast_ratio("#1A1A1A", background)
        else "#1A1A1A"
    )


_MD_SPECIAL = set("\\`*_{}[]()<>#+-.!|~$:")


# Where Markdown would make a link of plain text (GFM's "autolink literals": a URL, www.…
# or an e-mail address, found in the text after escapes are resolved, so a backslash
# cannot stop it): a word joiner (U+2060, invisible, not copied into a URL one selects)
# goes before it. Without it a URL inside a sentence became a link running on through the
# full-width text after it (the N03 credit line on /about linked to "…html）N03-22（…").
_AUTOLINK = re.compile(r"(?<![\w\u2060])(?=https?://|www\.)|(?=@[-\w]+\.)")
WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """Escape a data string for Markdown, so it always renders as the text it is (and a
    URL or address in it stays text, not a link).

    >>> md("<script>alert(1)</script> **x**")
    '\\\\<script\\\\>alert\\\\(1\\\\)\\\\</script\\\\> \\\\*\\\\*x\\\\*\\\\*'
    >>> md("（https://a.jp）") == "（" + WORD_JOINER + "https\\\\://a\\\\.jp）"
    True
    """
    text = _AUTOLINK.sub(WORD_JOINER, str(text))
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def md_link(title: object, url: object) -> str:
    """``title`` as a Markdown link to ``url`` (an http(s) URL the build checked), or the
    title alone when there is none.

    >>> md_link("出典 (x)", "https://a.jp/b c")
    '[出典 \\\\(x\\\\)](https://a.jp/b%20c)'
    """
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return md(title)
    safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{md(title)}]({safe})"


def row_label(row: Any, lang: str) -> str:
    """Label of a matrix row: an initiative, or a pillar's priority KPIs."""
    if _get(row, "row_kind") == "pillar":
        return t("pillar.priority", lang, pillar=t(f"pillar.{_get(row, 'pillar')}", lang))
    return initiative_label(
        {**dict(row), "policy_area_number": _get(row, "area"), "number": _number_of(row)}, lang
    )


def _number_of(row: Any) -> int:
    return int(str(_get(row, "initiative_id")).split("-")[1])


def group_kpis(kpis: Any, by: str, areas: Any, lang: str) -> list[tuple[str, Any]]:
    """Split a KPI table into titled groups by policy area or by pillar, in plan order.

    A KPI in two groups (a priority KPI that is also an initiative's) appears in both;
    KPIs outside every group of that kind come last under their own heading.
    """
    groups: list[tuple[str, Any]] = []
    if by == "pillar":
        for pillar in ("economy", "society", "environment"):
            part = kpis[kpis.pillar == pillar]
            if len(part):
                groups.append((t("pillar.priority", lang, pillar=t(f"pillar.{pillar}", lang)), part))
        rest = kpis[kpis.pillar.isna()]
        if len(rest):
            groups.append((t("progress.group_no_pillar", lang), rest))
        return groups
    for area in areas.to_dict("records"):
        part = kpis[[area["number"] in list(a) for a in kpis.areas]]
        if len(part):
            groups.append((f"{area['number']}. {pick(area, 'name', lang)}", part))
    rest = kpis[[len(a) == 0 for a in kpis.areas]]
    if len(rest):
        groups.append((t("progress.group_no_area", lang), rest))
    return groups


def grouped_kpi_table(groups: list[tuple[str, Any]], by: str, lang: str, today: dt.date | None = None) -> Any:
    """The tables of ``group_kpis`` groups as one, the group's title in the first column
    (a KPI in two groups is in both, as on the page)."""
    import pandas as pd

    column = t(f"word.{by}", lang)  # policy area or pillar
    parts = []
    for title, part in groups:
        table = kpi_table(part, lang, today)
        table.insert(0, column, title)
        parts.append(table)
    if not parts:
        return pd.DataFrame(columns=[column])
    return pd.concat(parts, ignore_index=True)


def kpi_table(kpis: Any, lang: str, today: dt.date | None = None) -> Any:
    """The table behind a progress chart: values, years, progress and status in words.

    With ``today``, two more columns: the pace the straight line needs and its value in
    the current year (kawasaki.progress.pace); for second-term KPIs, the plan's verdict.
    """
    import pandas as pd

    rows = kpis.to_dict("records")
    table = pd.DataFrame(
        {
            t("word.kpi", lang): [pick(r, "name", lang) for r in rows],
            t("word.baseline", lang): [
                f"{kpi_period(r, 'baseline', lang)} {kpi_value(r, 'baseline', lang)}" for r in rows
            ],
            t("word.latest", lang): [kpi_latest(r, lang) for r in rows],
            t("word.target", lang): [f"{kpi_period(r, 'target', lang)} {kpi_target(r, lang)}" for r in rows],
            t("word.progress", lang): [
                ratio_text(r["progress_ratio"], lang, has_baseline=_get(r, "baseline_value") is not None)
                for r in rows
            ],
            t("word.status", lang): [status_text(r["status"], lang, int(r["plan_term"])) for r in rows],
        }
    )
    if today is not None and any(_get(r, "baseline_value") is not None for r in rows):
        table[t("pace.column", lang)] = [pace_text(r, lang, today) for r in rows]
        table[t("pace.line_column", lang)] = [line_text(r, lang, today) for r in rows]
    if today is not None and any(_get(r, "plan_verdict_ja") for r in rows):
        table[t("verdict.column", lang)] = [verdict_text(r, lang) for r in rows]
    return table


def linked_targets_text(targets: Any, goal: int | None) -> str:
    """The SDG targets of a KPI within one goal (or all), as printed: '13.1、13.3'."""
    chosen = [x for x in targets if goal is None or str(x).split(".")[0] == str(goal)]
    return "、".join(chosen)


def explore_tables(kpis: Any, initiatives: Any, measures: Any, goal: int | None, lang: str) -> dict[str, Any]:
    """The three tables of the explorer: KPIs, initiatives, measures with their actions."""
    import pandas as pd

    kpi_df = kpi_table(kpis, lang)
    kpi_df.insert(1, t("word.targets", lang), [linked_targets_text(x, goal) for x in kpis.targets])
    ini_rows = initiatives.to_dict("records")
    ini_df = pd.DataFrame(
        {
            t("word.initiative", lang): [initiative_label(r, lang) for r in ini_rows],
            t("word.targets", lang): ["、".join(sorted(r["targets"], key=_target_order)) for r in ini_rows],
        }
    )
    labels = {r["initiative_id"]: initiative_label(r, lang) for r in ini_rows}
    m_rows = measures.to_dict("records")
    measure_df = pd.DataFrame(
        {
            t("word.initiative", lang): [labels.get(r["initiative_id"], r["initiative_id"]) for r in m_rows],
            t("word.measure", lang): [pick(r, "measure", lang) for r in m_rows],
            t("word.action", lang): [pick(r, "action", lang) for r in m_rows],
        }
    )
    return {"kpis": kpi_df, "initiatives": ini_df, "measures": measure_df}


def _target_order(target_id: str) -> tuple[int, int]:
    goal, _, part = target_id.partition(".")
    return int(goal), int(part) if part.isdigit() else 100 + ord(part[0])
