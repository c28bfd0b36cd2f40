"""By SDG: choose a goal or a target; list every linked KPI, initiative, measure and action."""

import streamlit as st

from kawasaki import ui
from kawasaki.figures import goal_banner_html, sdg_tiles_html
from kawasaki.i18n import pick, t
from kawasaki.present import explore_tables, goal_label, md

state = ui.current_view()
lang = state.lang
goals = ui.q("goals").set_index("goal")
all_targets = ui.q("targets")
goal = state.goal
if goal is None and state.target:
    goal = int(state.target.split(".")[0])
ui.canonical_url(state.with_(goals=(goal,) if goal else ()), keep=("goal", "target"))

st.title(t("explore.heading", lang))
st.write(t("explore.intro", lang))

left, right = st.columns(2)
goal = ui.bound_select(
    t("filter.goal", lang),
    "goal",
    goals.index.tolist(),
    goal,
    lambda g: goal_label(g, pick(goals.loc[g], "name", lang), lang),
    all_label=t("explore.choose_goal", lang),
    container=left,
)
if goal is None:
    suffix = "&lang=en" if lang == "en" else ""
    st.html(sdg_tiles_html(ui.q("goals"), lang, lambda g: f"./explore?goal={g}{suffix}"))
    st.stop()

targets = ui.q("targets", goal)
target_titles = targets.set_index("target_id")
target = ui.bound_select(
    t("filter.target", lang),
    "target",
    targets.target_id.tolist(),
    state.target,
    lambda x: (
        f"{x}（KPI {target_titles.loc[x, 'kpi_count']}）"
        if lang == "ja"
        else f"{x} ({target_titles.loc[x, 'kpi_count']} KPIs)"
    ),
    all_label=t("explore.any_target", lang),
    container=right,
)

g = goals.loc[goal]
ui.page_link("pages/briefing.py", t("briefing.link", lang), state, goal=goal)
st.html(goal_banner_html(goal, pick(g, "name", lang), pick(g, "title", lang), g["color_hex"], lang))
if target:
    st.markdown(f"**{t('explore.target_text', lang)} — {md(target)}**")
    st.markdown(f"> {md(pick(target_titles.loc[target], 'title', lang))}")

kpis = ui.q("kpis", goals=(goal,), target=target)
initiatives = ui.q("initiatives_for", goal=None if target else goal, target=target)
measures = ui.q("measures", tuple(initiatives.initiative_id))
tables = explore_tables(kpis, initiatives, measures, goal, lang)
if kpis.empty:
    st.info(t("explore.none", lang), icon=":material/search_off:")
    st.stop()
st.markdown(
    md(
        t(
            "explore.counts",
            lang,
            kpis=len(kpis),
            initiatives=len(initiatives),
            measures=measures.measure_id.nunique(),
        )
    )
)
stem = f"kawasaki-sdg{goal}" + (f"-{target}" if target else "")
for key, heading in (
    ("kpis", "explore.kpis"),
    ("initiatives", "explore.initiatives"),
    ("measures", "explore.measures"),
):
    st.subheader(t(heading, lang))
    st.dataframe(
        tables[key],
        hide_index=True,
        column_config={
            name: st.column_config.TextColumn(name, width="large") for name in tables[key].columns[:1]
        },
    )
    ui.downloads(tables[key], f"{stem}-{key}", lang, key=key)
st.caption(md(pick(ui.q("attributions").set_index("key").loc["plan"], "text", lang)))
st.caption(md(pick(ui.q("attributions").set_index("key").loc["mofa"], "text", lang)))
