"""Goals × initiatives: a heatmap of SDG targets linked through each row's KPIs."""

import streamlit as st

from kawasaki import ui
from kawasaki.figures import matrix_heatmap
from kawasaki.i18n import pick, t
from kawasaki.matrix import build_matrix, top_cell
from kawasaki.present import goal_label, initiative_label, md, row_label, status_text

state = ui.current_view()
lang = state.lang
ui.canonical_url(state, keep=("goal", "pillar", "area", "target", "level", "row"))

st.title(t("matrix.heading", lang))
st.write(t("matrix.intro", lang))

goals = ui.q("goals").set_index("goal")
areas = ui.q("policy_areas").set_index("number")
used_targets = ui.q("targets", used_only=True)

c1, c2, c3 = st.columns(3)
chosen_goals = ui.bound_multiselect(
    t("filter.goals", lang),
    "goal",
    goals.index.tolist(),
    state.goals,
    lambda g: goal_label(g, pick(goals.loc[g], "name", lang), lang),
    container=c1,
    placeholder=t("filter.all", lang),
)
pillar = ui.bound_select(
    t("filter.pillar", lang),
    "pillar",
    ["economy", "society", "environment"],
    state.pillar,
    lambda p: t(f"pillar.{p}", lang),
    all_label=t("filter.all", lang),
    container=c2,
)
area = ui.bound_select(
    t("filter.area", lang),
    "area",
    areas.index.tolist(),
    state.area,
    lambda a: f"{a}. {pick(areas.loc[a], 'name', lang)}",
    all_label=t("filter.all", lang),
    container=c3,
)
c4, c5 = st.columns([3, 2])
target_options = [
    x
    for x, g in zip(used_targets.target_id, used_targets.goal, strict=True)
    if not chosen_goals or g in chosen_goals
]
titles = used_targets.set_index("target_id")
target = ui.bound_select(
    t("filter.target", lang),
    "target",
    target_options,
    state.target,
    lambda x: f"{x} {pick(titles.loc[x], 'title', lang)[:60]}…",
    all_label=t("filter.all", lang),
    container=c4,
)
with c5:
    level = ui.bound_radio(
        t("filter.columns", lang),
        "level",
        ["goal", "target"],
        state.level,
        lambda v: t(f"filter.by_{v}", lang),
    )

rows = ui.q("matrix_rows")
matrix = build_matrix(
    rows, ui.q("matrix_links"), level=level, goals=chosen_goals, pillar=pillar, area=area, target=target
)
labels = {r["row_id"]: row_label(r, lang) for r in rows.to_dict("records")}
row_labels = [labels[r] for r in matrix.counts.index]
col_labels = [t("word.goal_n", lang, n=c) if level == "goal" else str(c) for c in matrix.counts.columns]

if matrix.total_links == 0:
    st.info(t("matrix.no_cells", lang), icon=":material/filter_alt_off:")
else:
    top = top_cell(matrix)
    summary = t(
        "matrix.summary",
        lang,
        rows=len(row_labels),
        cols=len(col_labels),
        links=matrix.total_links,
        top_row=labels[top[0]],
        top_col=t("word.goal_n", lang, n=top[1]) if level == "goal" else top[1],
        top_n=top[2],
    )
    st.caption(t("matrix.cell_help", lang))
    st.plotly_chart(
        matrix_heatmap(
            matrix.counts,
            row_labels,
            col_labels,
            lang,
            # goal numbers alone on the axis, so that 17 columns fit a phone's width
            tick_labels=[str(c) for c in matrix.counts.columns] if level == "goal" else None,
            axis_title=t("word.goal", lang) if level == "goal" else None,
        ),
        config={"displayModeBar": False},
        theme=None,
        alt=summary,
    )
    st.markdown(md(summary))
    with st.expander(t("word.show_table", lang), icon=":material/table:"):
        table = matrix.counts.copy()
        table.columns = col_labels
        table.insert(0, t("word.initiative", lang), row_labels)
        st.dataframe(table, hide_index=True)
        ui.downloads(table, f"kawasaki-sdgs-matrix-{level}", lang, key="matrix")

st.header(t("word.details", lang))  # h2 under the page's h1 (heading order)
visible = [r for r in matrix.counts.index if matrix.counts.loc[r].sum() > 0]
row = ui.bound_select(
    t("matrix.pick_row", lang),
    "row",
    visible,
    state.row,
    lambda r: labels[r],
    all_label=t("filter.none", lang),
)
if row:
    kind, _, ident = row.partition(":")
    kpis = ui.q("kpis", pillar=ident) if kind == "pillar" else ui.q("kpis", initiative=ident)
    linked = matrix.links[matrix.links.row_id == row].drop_duplicates("target_id")
    st.markdown(f"**{t('matrix.linked_targets', lang)}**")
    for target_id in linked.target_id:
        st.markdown(f"- **{md(target_id)}** {md(pick(titles.loc[target_id], 'title', lang))}")
    st.markdown(f"**{t('word.kpis', lang)}**")
    for k in kpis.to_dict("records"):
        st.markdown(f"- {md(pick(k, 'name', lang))} — {md(status_text(k['status'], lang))}")
        ui.page_link("pages/progress.py", t("word.details", lang), state, kpi=k["kpi_id"])
    initiative_ids = (
        [ident] if kind == "initiative" else sorted({i for ids in kpis.initiative_ids for i in ids})
    )
    if initiative_ids:
        st.markdown(f"**{t('word.measures', lang)}**")
        initiatives = ui.q("initiatives").set_index("initiative_id")
        for initiative_id in initiative_ids:
            if kind == "pillar":
                st.markdown(f"*{md(initiative_label(initiatives.loc[initiative_id].to_dict(), lang))}*")
            measures = ui.q("measures", (initiative_id,))
            for _, group in measures.groupby("measure_id", sort=False):
                st.markdown(f"○ **{md(pick(group.iloc[0], 'measure', lang))}**")
                st.markdown("\n".join(f"- {md(pick(a, 'action', lang))}" for a in group.to_dict("records")))
