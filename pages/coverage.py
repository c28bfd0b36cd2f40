"""SDG coverage: the 169 targets, which the plan touches through its KPIs and initiatives,
and which it leaves out; as a grid (one cell per target), per goal, and as a table."""

import streamlit as st

from kawasaki import coverage, queries
from kawasaki.i18n import pick, t
from kawasaki.present import md
from kawasaki.state import page_href
from kawasaki.web import frame, urlstate, widgets
from kawasaki.web.cache import derived, q, section
from kawasaki.web.downloads import downloads


def tables_for(lang: str, goals: tuple, area: int | None, pillar: str | None) -> dict:
    """The coverage under the filters (kawasaki.coverage.view_tables)."""
    return coverage.view_tables(
        q(coverage.links),
        q(queries.goals),
        q(queries.kpis),
        q(queries.initiatives),
        lang,
        goals,
        area,
        pillar,
    )


@section
def heading(lang: str) -> None:
    st.title(t("coverage.heading", lang))
    st.write(t("coverage.intro", lang))


@section
def summary(lang: str, goals: tuple, area: int | None, pillar: str | None) -> None:
    """How many targets the plan touches (under the filters), and per goal."""
    found = derived(tables_for, lang, goals, area, pillar)
    text = t("coverage.summary", lang, **found["all"])
    if goals:
        text += t("word.gap_separator", lang) + t("coverage.summary_shown", lang, **found["totals"])
    st.markdown(f"**{md(text)}**")
    if area or pillar:
        st.caption(t("coverage.filtered_note", lang))
    st.caption(t("coverage.how", lang))


@section
def grid(lang: str, goals: tuple, area: int | None, pillar: str | None) -> None:
    """The 17-row grid of target cells, each a link to the target in the explorer."""
    found = derived(tables_for, lang, goals, area, pillar)
    st.header(t("coverage.grid_heading", lang))
    st.caption(t("coverage.grid_help", lang))
    st.html(
        coverage.grid_html(
            found["targets"],
            found["goals"],
            lang,
            lambda target: page_href("explore", lang, target=target),
            lambda goal: page_href("explore", lang, goal=goal),
        )
    )


@section
def per_goal(lang: str, goals: tuple, area: int | None, pillar: str | None) -> None:
    """Per goal: targets touched of all, and the untouched targets by id (real text)."""
    found = derived(tables_for, lang, goals, area, pillar)
    st.header(t("coverage.goal_heading", lang))
    table = found["goal_table"]
    st.table({c: [md(v) for v in table[c]] for c in table.columns}, hide_index=True)


@section
def target_table(lang: str, goals: tuple, area: int | None, pillar: str | None) -> None:
    """The grid as a table: each target with its KPIs and initiatives (the text alternative)."""
    found = derived(tables_for, lang, goals, area, pillar)
    table = found["table"]
    with st.expander(t("coverage.table_heading", lang), icon=":material/table:"):
        st.table({c: [md(v) for v in table[c]] for c in table.columns}, hide_index=True)


@section
def credits(lang: str) -> None:
    attributions = q(queries.attributions).set_index("key")
    for key in ("plan", "un_texts", "mofa"):
        if key in attributions.index:
            st.caption(md(pick(attributions.loc[key], "text", lang)))


state = frame.page_view()
lang = state.lang
urlstate.canonical_url(state, keep=("goal", "area", "pillar"))
heading(lang)
c1, c2, c3 = st.columns(3)
chosen = widgets.plan_filters(state, ("goal", "area", "pillar"), (c1, c2, c3))
filters = (tuple(chosen["goal"]), chosen["area"], chosen["pillar"])
summary(lang, *filters)
grid(lang, *filters)
per_goal(lang, *filters)
target_table(lang, *filters)
found = derived(tables_for, lang, *filters)
downloads(found["table"], "kawasaki-sdg-coverage", lang, key="coverage")
credits(lang)
