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
from kawasaki.present import md
from kawasaki.web import frame
from kawasaki.web.cache import q


def pace_metrics(k: dict[str, Any], lang: str, today: dt.date) -> None:
    """The change per year the straight line needs, and its value this (fiscal) year."""
    figures = plancontext.pace_figures(k, lang, today)
    if not figures:
        return
    for column, (label, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(label, md(value))
    st.caption(t("pace.explain", lang))


def verdict(k: dict[str, Any], lang: str) -> None:
    """The plan's own words on the latest value, beside (never instead of) the computed status."""
    parts = plancontext.verdict_parts(k, lang)
    if parts is None:
        return
    period, words, explain = parts
    st.markdown(t("verdict.line", lang, period=md(period), words=md(words)))
    st.caption(explain)


def linked_term(k: dict[str, Any], lang: str) -> None:
    """The same indicator in the other plan term: its values and target, and a link to it."""
    other = q(plancontext.linked_kpi, k["kpi_id"])
    if other is None:
        return
    heading, lines, note = plancontext.linked_lines(k, other, lang)
    st.subheader(heading)
    st.markdown("\n".join(f"- {md(line)}" for line in lines))
    st.caption(note)
    frame.page_link(
        "progress", t("linked.open", lang, name=md(pick(other, "name", lang))), lang, kpi=other["kpi_id"]
    )


def facts(kpi_id: str, lang: str) -> None:
    """The facts the plan prints about this KPI (its longer-term goal), each citing the plan."""
    for fact in q(plancontext.facts, kpi_id=kpi_id).to_dict("records"):
        head = plancontext.fact_head(fact, lang, dated=False)
        st.info(
            f"**{md(head)}**  \n{md(plancontext.fact_quote(fact, lang))}  \n{md(plancontext.fact_citation(fact, lang))}",
            icon=":material/flag:",
        )
