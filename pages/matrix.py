"""Goals × initiatives: a heatmap of SDG targets linked through each row's KPIs."""

import streamlit as st

from kawasaki import queries
from kawasaki.figures.heatmapsvg import matrix_svg
from kawasaki.i18n import pick, t
from kawasaki.matrix import Matrix, build_matrix, matrix_table
from kawasaki.matrix import summary as matrix_summary
from kawasaki.present import initiative_label, md, row_label, status_text
from kawasaki.web import charts, frame, urlstate, widgets
from kawasaki.web.cache import derived, q, section
from kawasaki.web.downloads import downloads
from kawasaki.web.tables import text_table

# What the filters show and the matrix they make are computed once per database
# version (derived), the parts without widgets drawn once per filter and replayed
# (section): a visitor's click costs little more than Streamlit's own work.


def labels(lang: str) -> dict[str, dict]:
    """The target filter's labels, and each matrix row's label."""
    targets = q(queries.targets, used_only=True)
    return {
        "target": {
            r["target_id"]: f"{r['target_id']} {pick(r, 'title', lang)[:60]}…"
            for r in targets.to_dict("records")
        },
        "target_goal": dict(zip(targets.target_id, targets.goal, strict=True)),
        "row": {r["row_id"]: row_label(r, lang) for r in q(queries.matrix_rows).to_dict("records")},
    }


def matrix_for(level: str, goals: tuple, pillar: str | None, area: int | None, target: str | None) -> Matrix:
    return build_matrix(
        q(queries.matrix_rows),
        q(queries.matrix_links),
        level=level,
        goals=goals,
        pillar=pillar,
        area=area,
        target=target,
    )


def visible_rows(*filters) -> list[str]:
    """The rows with at least one link under the filters (the row picker's options)."""
    counts = derived(matrix_for, *filters).counts
    return counts.index[counts.sum(axis=1) > 0].tolist()


def table_for(lang: str, filters: tuple):
    """The matrix as a table: a row label column, then one column per goal or target."""
    return matrix_table(derived(matrix_for, *filters), filters[0], derived(labels, lang)["row"], lang)


@section
def chart(lang: str, filters: tuple) -> None:
    """The heatmap with its one-sentence summary (or why it is empty)."""
    level = filters[0]
    matrix = derived(matrix_for, *filters)
    row_labels = derived(labels, lang)["row"]
    if matrix.total_links == 0:
        st.info(t("matrix.no_cells", lang), icon=":material/filter_alt_off:")
        return
    summary = matrix_summary(matrix, level, row_labels, lang)
    st.caption(t("matrix.cell_help", lang))
    charts.svg_chart(matrix_svg(matrix, level, row_labels, lang))  # inline SVG: no Plotly on the page
    st.markdown(md(summary))


@section
def table(lang: str, filters: tuple) -> None:
    text_table(table_for(lang, filters))  # text, not the canvas grid (its bundle, find-in-page)


@section
def row_details(lang: str, filters: tuple, row: str) -> None:
    """One row's linked targets, KPIs (with links) and measures."""
    matrix = derived(matrix_for, *filters)
    titles = q(queries.targets, used_only=True).set_index("target_id")
    kind, _, ident = row.partition(":")
    kpis = q(queries.kpis, pillar=ident) if kind == "pillar" else q(queries.kpis, initiative=ident)
    linked = matrix.links[matrix.links.row_id == row].drop_duplicates("target_id")
    st.markdown(f"**{t('matrix.linked_targets', lang)}**")
    st.markdown(
        "\n".join(
            f"- **{md(target_id)}** {md(pick(titles.loc[target_id], 'title', lang))}"
            for target_id in linked.target_id
        )
    )
    st.markdown(f"**{t('word.kpis', lang)}**")
    for k in kpis.to_dict("records"):
        st.markdown(f"- {md(pick(k, 'name', lang))} — {md(status_text(k['status'], lang))}")
        frame.page_link("progress", t("word.details", lang), lang, kpi=k["kpi_id"])
    initiative_ids = (
        [ident] if kind == "initiative" else sorted({i for ids in kpis.initiative_ids for i in ids})
    )
    if initiative_ids:
        st.markdown(f"**{t('word.measures', lang)}**")
        initiatives = q(queries.initiatives).set_index("initiative_id")
        for initiative_id in initiative_ids:
            if kind == "pillar":
                st.markdown(f"*{md(initiative_label(initiatives.loc[initiative_id].to_dict(), lang))}*")
            measures = q(queries.measures, (initiative_id,))
            for _, group in measures.groupby("measure_id", sort=False):
                st.markdown(f"○ **{md(pick(group.iloc[0], 'measure', lang))}**")
                st.markdown("\n".join(f"- {md(pick(a, 'action', lang))}" for a in group.to_dict("records")))


@section
def heading(lang: str) -> None:
    st.title(t("matrix.heading", lang))
    st.write(t("matrix.intro", lang))


state = frame.page_view()
lang = state.lang
urlstate.canonical_url(state, keep=("goal", "pillar", "area", "target", "level", "row"))
heading(lang)
names = derived(labels, lang)

chosen = widgets.plan_filters(state, ("goal", "pillar", "area"), st.columns(3))
chosen_goals, pillar, area = chosen["goal"], chosen["pillar"], chosen["area"]
c4, c5 = st.columns([3, 2])
target = widgets.bound_select(
    t("filter.target", lang),
    "target",
    [x for x, g in names["target_goal"].items() if not chosen_goals or g in chosen_goals],
    state.target,
    names["target"].__getitem__,
    all_label=t("filter.all", lang),
    container=c4,
)
with c5:
    level = widgets.bound_radio(
        t("filter.columns", lang),
        "level",
        ["goal", "target"],
        state.level,
        lambda v: t(f"filter.by_{v}", lang),
    )

filters = (level, tuple(chosen_goals), pillar, area, target)
matrix = derived(matrix_for, *filters)
chart(lang, filters)
if matrix.total_links:
    with st.expander(t("word.show_table", lang), icon=":material/table:"):
        table(lang, filters)
        downloads(lambda: table_for(lang, filters), f"kawasaki-sdgs-matrix-{level}", lang, key="matrix")

st.header(t("word.details", lang))  # h2 under the page's h1 (heading order)
row = widgets.bound_select(
    t("matrix.pick_row", lang),
    "row",
    derived(visible_rows, *filters),
    state.row,
    names["row"].__getitem__,
    all_label=t("filter.none", lang),
)
if row:
    row_details(lang, filters, row)
