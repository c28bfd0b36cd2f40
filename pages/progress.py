"""KPI progress: a bullet per KPI grouped by policy area or pillar, and one KPI's details."""

import streamlit as st

from kawasaki import ui
from kawasaki.figures import kpi_timeseries, progress_chart
from kawasaki.i18n import pick, t
from kawasaki.present import (
    STATUS_STYLE,
    goal_label,
    group_kpis,
    initiative_label,
    kpi_period,
    kpi_summary,
    kpi_table,
    kpi_target,
    kpi_value,
    md,
    status_key,
    status_label,
    status_text,
)
from kawasaki.progress import STATUSES
from kawasaki.wardview import render_kpi_ward_map

state = ui.current_view()
lang = state.lang
ui.canonical_url(state, keep=("goal", "area", "pillar", "status", "group", "kpi"))

st.title(t("progress.heading", lang))
st.write(t("progress.intro", lang))

goals = ui.q("goals").set_index("goal")
areas = ui.q("policy_areas")
all_kpis = ui.q("kpis")


def show_detail(kpi_id: str) -> None:
    """Everything about one KPI: values, chart, source, SDG targets, initiatives and measures."""
    k = ui.q("kpi", kpi_id)
    ui.page_link("pages/progress.py", t("word.back", lang), state)
    st.header(md(pick(k, "name", lang)))
    ui.page_link("pages/briefing.py", t("briefing.link", lang), state, kpi=kpi_id)
    _, icon, badge = STATUS_STYLE[k["status"]]
    st.badge(status_label(k["status"], lang, k["plan_term"]), icon=f":material/{icon}:", color=badge)
    st.caption(t(f"status.explain.{status_key(k['status'], k['plan_term'])}", lang))
    c1, c2, c3 = st.columns(3)
    c1.metric(
        f"{t('word.baseline', lang)}（{kpi_period(k, 'baseline', lang)}）"
        if lang == "ja"
        else f"{t('word.baseline', lang)} ({kpi_period(k, 'baseline', lang)})",
        kpi_value(k, "baseline", lang),
    )
    latest_label = t("word.latest", lang)
    if k["latest_kind"] == "actual":
        latest_label += (
            f"（{kpi_period(k, 'latest', lang)}）" if lang == "ja" else f" ({kpi_period(k, 'latest', lang)})"
        )
    c2.metric(
        latest_label,
        kpi_value(k, "latest", lang) if k["latest_kind"] == "actual" else t("word.no_data", lang),
    )
    c3.metric(
        f"{t('word.target', lang)}（{kpi_period(k, 'target', lang)}）"
        if lang == "ja"
        else f"{t('word.target', lang)} ({kpi_period(k, 'target', lang)})",
        kpi_target(k, lang),
    )
    summary = kpi_summary(k, lang)
    observations = ui.q("kpi_observations", kpi_id)
    st.subheader(t("progress.series", lang))
    st.plotly_chart(
        kpi_timeseries(k, observations, lang), config={"displayModeBar": False}, theme=None, alt=summary
    )
    st.markdown(md(summary))
    with st.expander(t("word.show_table", lang), icon=":material/table:"):
        st.dataframe(kpi_table(ui.q("kpis", plan_term=k["plan_term"], kpi_id=kpi_id), lang), hide_index=True)
    if k["source_ja"]:
        st.caption(t("progress.source_line", lang, source=md(pick(k, "source", lang))))
    else:
        st.caption(t("progress.source_plan_only", lang))
    for o in observations[observations.kind == "actual"].to_dict("records"):
        if o["source_ja"]:
            st.caption(t("progress.actual_source", lang, source=md(pick(o, "source", lang))))
    if k["note_ja"]:
        st.info(md(pick(k, "note", lang)), icon=":material/info:")
    targets = ui.q("kpi_sdg_targets", kpi_id)
    if len(targets):
        st.subheader(t("progress.linked_targets", lang))
        for goal_number, group in targets.groupby("goal", sort=False):
            st.markdown(
                f"**{md(goal_label(goal_number, pick(goals.loc[goal_number], 'name', lang), lang))}**"
            )
            st.markdown(
                "\n".join(
                    f"- **{md(r['target_id'])}** {md(pick(r, 'title', lang))}"
                    for r in group.to_dict("records")
                )
            )
    if ui.q("wardmap.ward_kpi_indicator", kpi_id) is not None:
        st.subheader(t("progress.by_ward", lang))
        render_kpi_ward_map(kpi_id, state)
    placements = []
    if k["pillar"]:
        placements.append(t("progress.priority_of", lang, pillar=t(f"pillar.{k['pillar']}", lang)))
    initiatives = ui.q("initiatives").set_index("initiative_id")
    if placements or k["initiative_ids"]:
        st.subheader(t("progress.linked_initiatives", lang))
    for text in placements:
        st.markdown(f"- {md(text)}")
    for initiative_id in k["initiative_ids"]:
        row = initiatives.loc[initiative_id].to_dict()
        st.markdown(f"- **{md(initiative_label(row, lang))}**")
        with st.expander(t("word.measures", lang)):
            measures = ui.q("measures", (initiative_id,))
            for _, group in measures.groupby("measure_id", sort=False):
                st.markdown(f"○ **{md(pick(group.iloc[0], 'measure', lang))}**")
                st.markdown("\n".join(f"- {md(pick(a, 'action', lang))}" for a in group.to_dict("records")))


kpi_ids = all_kpis.kpi_id.tolist() + ui.q("kpis", plan_term=2).kpi_id.tolist()
names = {r["kpi_id"]: pick(r, "name", lang) for r in all_kpis.to_dict("records")}
# Second-term KPIs share names with third-term ones: the picker needs distinct labels.
names.update(
    {
        r["kpi_id"]: f"{pick(r, 'name', lang)} {t('progress.term2_label', lang)}"
        for r in ui.q("kpis", plan_term=2).to_dict("records")
    }
)
chosen = ui.bound_select(
    t("progress.pick_kpi", lang),
    "kpi",
    kpi_ids,
    state.kpi,
    lambda k: names[k],
    all_label=t("filter.none", lang),
)
if chosen:
    show_detail(chosen)
    st.stop()

c1, c2, c3, c4 = st.columns(4)
chosen_goals = ui.bound_multiselect(
    t("filter.goals", lang),
    "goal",
    goals.index.tolist(),
    state.goals,
    lambda g: goal_label(g, pick(goals.loc[g], "name", lang), lang),
    container=c1,
    placeholder=t("filter.all", lang),
)
area_names = areas.set_index("number")
area = ui.bound_select(
    t("filter.area", lang),
    "area",
    area_names.index.tolist(),
    state.area,
    lambda a: f"{a}. {pick(area_names.loc[a], 'name', lang)}",
    all_label=t("filter.all", lang),
    container=c2,
)
pillar = ui.bound_select(
    t("filter.pillar", lang),
    "pillar",
    ["economy", "society", "environment"],
    state.pillar,
    lambda p: t(f"pillar.{p}", lang),
    all_label=t("filter.all", lang),
    container=c3,
)
status = ui.bound_select(
    t("filter.status", lang),
    "status",
    list(STATUSES),
    state.status,
    lambda s: status_text(s, lang),
    all_label=t("filter.all", lang),
    container=c4,
)
group_by = ui.bound_radio(
    t("filter.group_by", lang),
    "group",
    ["area", "pillar"],
    state.group,
    lambda g: t(f"progress.group_{g}", lang),
)

kpis = ui.q("kpis", goals=tuple(chosen_goals), area=area, pillar=pillar, status=status)
if area or pillar or len(chosen_goals) == 1:
    scope = {"area": area} if area else {"pillar": pillar} if pillar else {"goal": chosen_goals[0]}
    ui.page_link("pages/briefing.py", t("briefing.link", lang), state, **scope)
counts = {s: int((kpis.status == s).sum()) for s in STATUSES}
st.markdown(md(t("progress.summary_chart", lang, n=len(kpis), **counts)))
if counts["no_actual"] == len(kpis) and len(kpis):
    st.info(t("home.no_actual_note", lang), icon=":material/hourglass_empty:")
st.caption(t("progress.chart_help", lang))
if kpis.empty:
    st.info(t("progress.none", lang), icon=":material/filter_alt_off:")
for n, (title, part) in enumerate(group_kpis(kpis, group_by, areas, lang), start=1):
    st.header(md(title))  # h2 under the page's h1, like the second-term heading below
    group_counts = {s: int((part.status == s).sum()) for s in STATUSES}
    overview = t("progress.summary_chart", lang, n=len(part), **group_counts)
    summary = " ".join([overview, *(kpi_summary(r, lang) for r in part.to_dict("records"))])
    st.plotly_chart(
        progress_chart(part, lang, names_above=True),
        config={"displayModeBar": False},
        theme=None,
        alt=summary,
    )
    st.markdown(md(overview))  # the chart in one sentence; every KPI's sentence is in its alt text
    with st.expander(t("word.show_table", lang), icon=":material/table:"):
        table = kpi_table(part, lang)
        st.dataframe(table, hide_index=True)
        ui.downloads(table, f"kawasaki-kpis-{group_by}-{n}", lang, key=f"kpis_{n}")

st.header(t("progress.term2_heading", lang))
st.caption(t("progress.term2_help", lang))
term2 = ui.q("kpis", plan_term=2)
st.dataframe(kpi_table(term2, lang), hide_index=True)
st.caption(t("word.fiscal_note", lang))
