"""Parts of a KPI's details (pages/progress.py) that put the plan's own context beside it:
the pace its straight line needs, the plan's verdict next to the computed status, the same
indicator in the other plan term, and the facts the plan prints about it. Drawn inside the
page's recorded sections: no widgets here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from kawasaki import plancontext
from kawasaki.i18n import pick, t
from kawasaki.numbers import format_period
from kawasaki.present import (
    kpi_latest,
    kpi_pace,
    kpi_period,
    kpi_target,
    kpi_value,
    line_value,
    md,
    pace_text,
    status_label,
    verdict_text,
)
from kawasaki.web import frame
from kawasaki.web.cache import q


def pace_metrics(k: dict[str, Any], lang: str, today: dt.date) -> None:
    """The change per year the straight line needs, and its value this (fiscal) year."""
    p = kpi_pace(k, today)
    if p is None:
        return
    c1, c2 = st.columns(2)
    c1.metric(t("pace.column", lang), md(pace_text(k, lang, today)))
    period = format_period(p.period, k["period_type"], lang=lang)
    c2.metric(t("pace.line_metric", lang, period=period), md(line_value(k, lang, today)))
    st.caption(t("pace.explain", lang))


def verdict(k: dict[str, Any], lang: str) -> None:
    """The plan's own words on the latest value, beside (never instead of) the computed status."""
    if not k.get("plan_verdict_ja"):
        return
    st.markdown(
        t(
            "verdict.line",
            lang,
            period=md(kpi_period(k, "latest", lang)),
            words=md(verdict_text(k, lang)),
        )
    )
    st.caption(t("verdict.explain", lang, status=status_label(k["status"], lang, int(k["plan_term"]))))


def linked_term(k: dict[str, Any], lang: str) -> None:
    """The same indicator in the other plan term: its values and target, and a link to it."""
    other = q(plancontext.linked_kpi, k["kpi_id"])
    if other is None:
        return
    earlier = int(other["plan_term"]) < int(k["plan_term"])
    st.subheader(t("linked.heading_earlier" if earlier else "linked.heading_later", lang))
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
    st.markdown("\n".join(f"- {md(line)}" for line in lines))
    st.caption(t("linked.same_value" if earlier else "linked.same_value_later", lang))
    frame.page_link(
        "progress", t("linked.open", lang, name=md(pick(other, "name", lang))), lang, kpi=other["kpi_id"]
    )


def facts(kpi_id: str, lang: str) -> None:
    """The facts the plan prints about this KPI (its longer-term goal), each citing the plan."""
    for fact in q(plancontext.facts, kpi_id=kpi_id).to_dict("records"):
        head = t("word.label_value", lang, label=pick(fact, "label", lang), value=pick(fact, "figure", lang))
        st.info(
            f"**{md(head)}**  \n{md(plancontext.fact_quote(fact, lang))}  \n{md(plancontext.fact_citation(fact, lang))}",
            icon=":material/flag:",
        )
