"""By SDG: choose a goal or a target; list every linked KPI, initiative, measure and action."""

import streamlit as st

from kawasaki import queries
from kawasaki.figures.tiles import goal_banner_html, sdg_tiles_html
from kawasaki.i18n import pick, t
from kawasaki.present import explore_choices, explore_tables, md
from kawasaki.state import page_href
from kawasaki.web import frame, urlstate, widgets
from kawasaki.web.cache import derived, q, section
from kawasaki.web.downloads import downloads
from kawasaki.web.tables import text_table

# Option labels and tables are computed once per database version (derived); the
# parts without widgets are drawn once per choice and replayed (section).


def labels(lang: str) -> dict[str, dict]:
    """The goal picker's labels and, per goal, its target picker's labels."""
    return explore_choices(q(queries.goals), q(queries.targets), lang)


def tables_for(lang: str, goal: int, target: str | None) -> dict:
    """The KPI, initiative and measure tables of a goal (or one of its targets), with counts."""
    kpis = q(queries.kpis, goals=(goal,), target=target)
    initiatives = q(queries.initiatives_for, goal=None if target else goal, target=target)
    measures = q(queries.measures, tuple(initiatives.initiative_id))
    return {
        "tables": explore_tables(kpis, initiatives, measures, goal, lang),
        "kpis": len(kpis),
        "initiatives": len(initiatives),
        "measures": measures.measure_id.nunique(),
    }


@section
def heading(lang: str) -> None:
    st.title(t("explore.heading", lang))
    st.write(t("explore.intro", lang))


@section
def tiles(lang: str) -> None:
    st.html(sdg_tiles_html(q(queries.goals), lang, lambda g: page_href("explore", lang, goal=g)))
    frame.page_link("coverage", t("coverage.link", lang), lang)


@section
def goal_intro(lang: str, goal: int, target: str | None) -> None:
    """The goal's banner, the target's text, and how many KPIs, initiatives and measures."""
    g = q(queries.goals).set_index("goal").loc[goal]
    frame.page_link("briefing", t("briefing.link", lang), lang, goal=goal)
    frame.page_link("coverage", t("coverage.link_goal", lang, goal=goal), lang, goal=goal)
    st.html(goal_banner_html(goal, pick(g, "name", lang), pick(g, "title", lang), g["color_hex"], lang))
    if target:
        title = q(queries.targets, goal).set_index("target_id").loc[target]
        st.markdown(f"**{t('explore.target_text', lang)} — {md(target)}**")
        st.markdown(f"> {md(pick(title, 'title', lang))}")
    found = derived(tables_for, lang, goal, target)
    if not found["kpis"]:
        st.info(t("explore.none", lang), icon=":material/search_off:")
        return
    st.markdown(
        md(
            t(
                "explore.counts",
                lang,
                kpis=found["kpis"],
                initiatives=found["initiatives"],
                measures=found["measures"],
            )
        )
    )


@section
def table(lang: str, goal: int, target: str | None, key: str, heading_key: str) -> None:
    st.subheader(t(heading_key, lang))
    text_table(derived(tables_for, lang, goal, target)["tables"][key])


@section
def credits(lang: str) -> None:
    attributions = q(queries.attributions).set_index("key")
    st.caption(md(pick(attributions.loc["plan"], "text", lang)))
    st.caption(md(pick(attributions.loc["mofa"], "text", lang)))


state = frame.page_view()
lang = state.lang
names = derived(labels, lang)
goal = state.goal
if goal is None and state.target:
    goal = int(state.target.split(".")[0])
urlstate.canonical_url(state.with_(goals=(goal,) if goal else ()), keep=("goal", "target"))

heading(lang)
left, right = st.columns(2)
goal = widgets.bound_select(
    t("filter.goal", lang),
    "goal",
    list(names["goal"]),
    goal,
    names["goal"].__getitem__,
    all_label=t("explore.choose_goal", lang),
    container=left,
)
if goal is None:
    tiles(lang)
    st.stop()

target_labels = names["targets"].get(goal, {})
target = widgets.bound_select(
    t("filter.target", lang),
    "target",
    list(target_labels),
    state.target,
    target_labels.__getitem__,
    all_label=t("explore.any_target", lang),
    container=right,
)

goal_intro(lang, goal, target)
found = derived(tables_for, lang, goal, target)
if not found["kpis"]:
    st.stop()
stem = f"kawasaki-sdg{goal}" + (f"-{target}" if target else "")
for key, heading_key in (
    ("kpis", "explore.kpis"),
    ("initiatives", "explore.initiatives"),
    ("measures", "explore.measures"),
):
    table(lang, goal, target, key, heading_key)
    downloads(found["tables"][key], f"{stem}-{key}", lang, key=key)
credits(lang)
