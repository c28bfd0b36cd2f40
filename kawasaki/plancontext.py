"""The plan's own context beside its KPIs: the facts it prints (plan_context), the same
indicator in the other plan term (kpis.same_indicator_as), and what they add to a KPI's
chart -- the earlier term's target and values, a longer-term goal beyond the target.

Queries take a cursor first (like kawasaki.queries); ``chart_observations`` and the
sentences are pure functions of their rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from kawasaki import queries
from kawasaki.i18n import pick, t
from kawasaki.numbers import format_period, format_value
from kawasaki.present import (
    kpi_latest,
    kpi_pace,
    kpi_period,
    kpi_target,
    kpi_value,
    line_value,
    pace_text,
    status_label,
    status_text,
    verdict_text,
)

Con = duckdb.DuckDBPyConnection
# The kinds of point a KPI's chart draws besides its own (kawasaki.figures.kpi_timeseries).
EXTRA_KINDS = ("earlier_target", "earlier_actual", "long_term")


def facts(con: Con, *, shown_on: str | None = None, kpi_id: str | None = None) -> pd.DataFrame:
    """The plan's facts in the file's order: all, those shown on a page, or those of a KPI
    (a missing cell is None, not NaN)."""
    df = con.execute(
        """
        SELECT * FROM plan_context
        WHERE (? IS NULL OR list_contains(shown_on, ?)) AND (? IS NULL OR kpi_id = ?)
        ORDER BY sort_order
        """,
        [shown_on, shown_on, kpi_id, kpi_id],
    ).df()
    return df.astype(object).where(df.notna(), None)


def linked_kpi(con: Con, kpi_id: str) -> dict[str, Any] | None:
    """The same indicator in the other plan term (its kpi_list row), or None."""
    cur = con.execute(
        "SELECT o.* FROM kpis k JOIN kpi_list o ON o.kpi_id = k.same_indicator_as WHERE k.kpi_id = ?",
        [kpi_id],
    )
    row = cur.fetchone()
    return None if row is None else dict(zip([d[0] for d in cur.description], row, strict=True))


def linked_observations(con: Con, kpi_id: str) -> pd.DataFrame:
    """The other term's target and actual values of the same indicator."""
    return con.execute(
        """
        SELECT o.period, o.period_type, o.value, o.decimals, o.kind, o.plan_verdict_ja, o.plan_verdict_en
        FROM kpis k JOIN kpi_observations o ON o.kpi_id = k.same_indicator_as
        WHERE k.kpi_id = ? AND o.kind IN ('target', 'actual')
        ORDER BY o.period
        """,
        [kpi_id],
    ).df()


def chart_observations(own: pd.DataFrame, earlier: pd.DataFrame | None, goals: pd.DataFrame) -> pd.DataFrame:
    """A KPI's observations with what its chart adds: the earlier term's target and values
    (``earlier``; a value the KPI itself has -- the 3rd term's baseline is the 2nd term's
    latest value -- is drawn once, as the KPI's own) and its longer-term goals (``goals``:
    plan_context rows with a value and a period)."""
    extra = []
    taken = {(int(o["period"]), float(o["value"])) for o in own.to_dict("records")}
    period_type = own.period_type.iloc[0] if len(own) else "fiscal"
    for o in (earlier if earlier is not None else own.iloc[0:0]).to_dict("records"):
        if (int(o["period"]), float(o["value"])) in taken:
            continue
        kind = "earlier_target" if o["kind"] == "target" else "earlier_actual"
        extra.append({**_blank(o), "kind": kind})
    for g in goals.to_dict("records"):
        if g.get("value") is not None and g["value"] == g["value"]:
            extra.append(
                {
                    "period": int(g["period"]),
                    "period_type": period_type,
                    "value": float(g["value"]),
                    "decimals": int(g["decimals"]),
                    "kind": "long_term",
                }
            )
    if not extra:
        return own
    return pd.concat([own, pd.DataFrame(extra)], ignore_index=True).sort_values("period", ignore_index=True)


def _blank(o: dict[str, Any]) -> dict[str, Any]:
    return {k: o[k] for k in ("period", "period_type", "value", "decimals")}


def kpi_chart_observations(con: Con, kpi_id: str) -> pd.DataFrame:
    """The KPI's observations (kawasaki.queries.kpi_observations) with the earlier term's
    values and the KPI's longer-term goals, for its chart."""
    own = queries.kpi_observations(con, kpi_id)
    this = con.execute("SELECT plan_term FROM kpis WHERE kpi_id = ?", [kpi_id]).fetchone()
    other = linked_kpi(con, kpi_id)
    earlier = None
    if this is not None and other is not None and int(other["plan_term"]) < int(this[0]):
        earlier = linked_observations(con, kpi_id)
    return chart_observations(own, earlier, facts(con, kpi_id=kpi_id))


def value_text(
    kpi: dict[str, Any], period: int, value: float, decimals: int, lang: str, qualifier: str = ""
) -> str:
    """'2025年度 872g以下' / 'FY2025 872g or less': a value of ``kpi`` with its year."""
    text = format_value(
        value, decimals, kpi["unit_ja"], kpi["unit_en"], lang=lang, en_scale=int(kpi["en_scale"] or 1)
    )
    return f"{format_period(period, kpi['period_type'], lang=lang)} {text}{qualifier}"


def chart_extras_text(
    kpi: dict[str, Any], observations: pd.DataFrame, lang: str, linked: dict[str, Any] | None = None
) -> str:
    """What the chart adds to the KPI's own values, in words (for its text alternative);
    the earlier term's target as ``linked`` (that KPI's row) prints it, 以上/以下 included."""
    parts = []
    for kind in EXTRA_KINDS:
        points = observations[observations.kind == kind].to_dict("records")
        if not points:
            continue
        texts = [value_text(kpi, int(p["period"]), p["value"], int(p["decimals"]), lang) for p in points]
        if kind == "earlier_target" and linked is not None:
            texts = [f"{kpi_period(linked, 'target', lang)} {kpi_target(linked, lang)}"]
        parts.append(t(f"linked.chart_{kind}", lang, values=t("word.list_separator", lang).join(texts)))
    return "".join(parts)


def fact_citation(fact: dict[str, Any], lang: str, *, short: bool = False) -> str:
    """'（計画 1(1) 地域の実態 4. …。計画本文テキスト57行目）'; ``short``: the section only."""
    section = pick(fact, "plan_section", lang)
    if short:
        return t("context.citation_short", lang, section=section)
    return t("context.citation", lang, section=section, line=int(fact["plan_line"]))


def fact_quote(fact: dict[str, Any], lang: str) -> str:
    """The plan's words, and in English the unofficial translation after them."""
    if lang == "ja" or not fact.get("text_en"):
        return t("context.quote", lang, quote=fact["quote_ja"])
    return t("context.quote_translated", lang, quote=fact["quote_ja"], text=fact["text_en"])


def fact_head(fact: dict[str, Any], lang: str, *, dated: bool = True) -> str:
    """A fact's label with its figure ('人口：約155万人') and, when ``dated``, its date as printed."""
    head = pick(fact, "label", lang)
    if fact.get("figure_ja"):
        head = t("word.label_value", lang, label=head, value=pick(fact, "figure", lang))
    when = pick(fact, "as_of", lang) if dated else None
    return t("word.labelled", lang, label=head, value=when) if when else head


# --- a KPI's details: the pace, the plan's verdict, the other term (pages/progress.py and
# its pre-rendered document read these; each shows them its own way) ----------------------


def pace_figures(k: dict[str, Any], lang: str, today: dt.date) -> list[tuple[str, str]]:
    """(label, value) of the change per year the KPI's straight line needs and of that line's
    value this (fiscal) year on ``today``; none without a baseline (second-term KPIs)."""
    p = kpi_pace(k, today)
    if p is None:
        return []
    period = format_period(p.period, k["period_type"], lang=lang)
    return [
        (t("pace.column", lang), pace_text(k, lang, today)),
        (t("pace.line_metric", lang, period=period), line_value(k, lang, today)),
    ]


def verdict_parts(k: dict[str, Any], lang: str) -> tuple[str, str, str] | None:
    """The plan's own words on the latest value: (that value's period, the words quoted, the
    note that the computed status beside them is the site's); None when the plan has none."""
    if not k.get("plan_verdict_ja"):
        return None
    status = status_label(k["status"], lang, int(k["plan_term"]))
    return kpi_period(k, "latest", lang), verdict_text(k, lang), t("verdict.explain", lang, status=status)


def linked_lines(k: dict[str, Any], other: dict[str, Any], lang: str) -> tuple[str, list[str], str]:
    """The same indicator in the other plan term (``other``): the heading, its lines
    (baseline, target, latest value, status, the plan's verdict) and the note under them."""
    earlier = int(other["plan_term"]) < int(k["plan_term"])
    lines = [
        t(
            "word.label_value",
            lang,
            label=t("word.target", lang),
            value=f"{kpi_period(other, 'target', lang)} {kpi_target(other, lang)}",
        ),
        t("word.label_value", lang, label=t("word.latest", lang), value=kpi_latest(other, lang)),
    ]
    if other.get("baseline_value") is not None:
        base = f"{kpi_period(other, 'baseline', lang)} {kpi_value(other, 'baseline', lang)}"
        lines.insert(0, t("word.label_value", lang, label=t("word.baseline", lang), value=base))
    status = status_label(other["status"], lang, int(other["plan_term"]))
    lines.append(t("word.label_value", lang, label=t("word.status", lang), value=status))
    if other.get("plan_verdict_ja"):
        lines.append(
            t("word.label_value", lang, label=t("verdict.column", lang), value=verdict_text(other, lang))
        )
    heading = t("linked.heading_earlier" if earlier else "linked.heading_later", lang)
    return heading, lines, t("linked.same_value" if earlier else "linked.same_value_later", lang)


def term2_results(kpis: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The second term's KPIs as the overview lists them: target, latest value, the computed
    status and, beside it, the plan's own verdict (#15: never one instead of the other)."""
    rows = kpis.to_dict("records")
    return pd.DataFrame(
        {
            t("word.kpi", lang): [pick(r, "name", lang) for r in rows],
            t("word.target", lang): [f"{kpi_period(r, 'target', lang)} {kpi_target(r, lang)}" for r in rows],
            t("word.latest", lang): [
                f"{kpi_period(r, 'latest', lang)} {kpi_value(r, 'latest', lang)}" for r in rows
            ],
            t("word.status", lang): [status_text(r["status"], lang, 2) for r in rows],
            t("verdict.column", lang): [verdict_text(r, lang) for r in rows],
        }
    )
