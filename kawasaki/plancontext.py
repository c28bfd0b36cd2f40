"""The plan's own context beside its KPIs: the facts it prints (plan_context), the same
indicator in the other plan term (kpis.same_indicator_as), and what they add to a KPI's
chart -- the earlier term's target and values, a longer-term goal beyond the target.

Queries take a cursor first (like kawasaki.queries); ``chart_observations`` and the
sentences are pure functions of their rows.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from kawasaki import queries
from kawasaki.i18n import pick, t
from kawasaki.numbers import format_period, format_value
from kawasaki.present import kpi_period, kpi_target

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
