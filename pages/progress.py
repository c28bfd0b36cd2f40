"""KPI progress: a bullet per KPI grouped by policy area or pillar, and one KPI's details."""

import datetime as dt

import streamlit as st

from kawasaki import plancontext, queries
from kawasaki.clock import today_in_kawasaki
from kawasaki.figures.bars import progress_bars_html
from kawasaki.figures.seriessvg import kpi_series_svg
from kawasaki.i18n import pick, t
from kawasaki.present import (
    STATUS_STYLE,
    goal_label,
    group_kpis,
    grouped_kpi_table,
    initiative_label,
    kpi_choices,
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
from kawasaki.releases import kpi_change_lines
from kawasaki.wards import queries as ward_queries
from kawasaki.web import charts, frame, kpidetail, urlstate, widgets
from kawasaki.web.cache import derived, q, section
from kawasaki.web.downloads import downloads
from kawasaki.web.tables import text_table
from kawasaki.web.wards import render_kpi_ward_map

state = frame.page_view()
lang = state.lang
today = today_in_kawasaki()  # the current fiscal year of the pace (Asia/Tokyo)
urlstate.canonical_url(state, keep=("goal", "area", "pillar", "status", "group", "kpi"))


@section
def heading(lang: str) -> None:
    st.title(t("progress.heading", lang))
    st.write(t("progress.intro", lang))
    for fact in q(plancontext.facts, shown_on="progress").to_dict("records"):  # "representative KPIs"
        st.caption(md(f"{plancontext.fact_quote(fact, lang)} {plancontext.fact_citation(fact, lang)}"))


def labels(lang: str) -> dict[str, dict]:
    """The KPI picker's labels."""
    return {"kpi": kpi_choices(q(queries.kpis), q(queries.kpis, plan_term=2), lang)}


def groups_for(lang: str, filters: tuple) -> list:
    """The KPIs under the filters, grouped by area or pillar: [(title, rows), ...]."""
    goals, area, pillar, status, group_by = filters
    kpis = q(queries.kpis, goals=goals, area=area, pillar=pillar, status=status)
    return list(group_kpis(kpis, group_by, q(queries.policy_areas), lang))


@section
def overview(lang: str, filters: tuple) -> None:
    """How many KPIs the filters show, by status."""
    goals, area, pillar, status, _ = filters
    kpis = q(queries.kpis, goals=goals, area=area, pillar=pillar, status=status)
    counts = {s: int((kpis.status == s).sum()) for s in STATUSES}
    st.markdown(md(t("progress.summary_chart", lang, n=len(kpis), **counts)))
    if counts["no_actual"] == len(kpis) and len(kpis):
        st.info(t("home.no_actual_note", lang), icon=":material/hourglass_empty:")
    st.caption(t("progress.chart_help", lang))
    if kpis.empty:
        st.info(t("progress.none", lang), icon=":material/filter_alt_off:")


@section
def group_chart(lang: str, filters: tuple, n: int) -> None:
    """One group's heading, chart (a bullet per KPI) and the chart in one sentence."""
    title, part = derived(groups_for, lang, filters)[n]
    group_counts = {s: int((part.status == s).sum()) for s in STATUSES}
    summary = t("progress.summary_chart", lang, n=len(part), **group_counts)
    # The group's heading (h2 under the page's h1) and the chart in one sentence, as one
    # element (each element costs every visitor's session); every KPI's sentence is in
    # the chart's alt text.
    st.markdown(f"## {md(title)}\n\n{md(summary)}")
    # HTML bars, not Plotly: the list view does not load the 4.7 MB Plotly bundle; each
    # bar's text alternative is its KPI's sentence (kawasaki.figures.bars)
    st.html(progress_bars_html(part, lang, summary))


@section
def group_rows(lang: str, filters: tuple, n: int, today: dt.date) -> None:
    text_table(kpi_table(derived(groups_for, lang, filters)[n][1], lang, today))
    st.caption(t("pace.explain", lang))


@section
def second_term(lang: str, today: dt.date) -> None:
    st.header(t("progress.term2_heading", lang))
    st.caption(t("progress.term2_help", lang))
    text_table(kpi_table(q(queries.kpis, plan_term=2), lang, today))
    st.caption(t("verdict.table_note", lang))
    st.caption(t("word.fiscal_note", lang))


@section
def detail_top(lang: str, kpi_id: str, today: dt.date) -> None:
    """One KPI: values, the pace it needs, the plan's verdict, chart, source and SDG targets
    (drawn once per day, replayed)."""
    k = q(queries.kpi, kpi_id)
    goals = q(queries.goals).set_index("goal")
    frame.page_link("progress", t("word.back", lang), lang)
    st.header(md(pick(k, "name", lang)))
    frame.page_link("briefing", t("briefing.link", lang), lang, kpi=kpi_id)
    _, icon, badge = STATUS_STYLE[k["status"]]
    st.badge(status_label(k["status"], lang, k["plan_term"]), icon=f":material/{icon}:", color=badge)
    st.caption(t(f"status.explain.{status_key(k['status'], k['plan_term'])}", lang))
    c1, c2, c3 = st.columns(3)
    c1.metric(
        t("word.labelled", lang, label=t("word.baseline", lang), value=kpi_period(k, "baseline", lang)),
        md(kpi_value(k, "baseline", lang)),  # the metric's value is Markdown: units escaped
    )
    latest_label = t("word.latest", lang)
    if k["latest_kind"] == "actual":
        latest_label = t("word.labelled", lang, label=latest_label, value=kpi_period(k, "latest", lang))
    c2.metric(
        latest_label,
        md(kpi_value(k, "latest", lang)) if k["latest_kind"] == "actual" else t("word.no_data", lang),
    )
    c3.metric(
        t("word.labelled", lang, label=t("word.target", lang), value=kpi_period(k, "target", lang)),
        md(kpi_target(k, lang)),
    )
    kpidetail.pace_metrics(k, lang, today)
    kpidetail.verdict(k, lang)
    observations = q(queries.kpi_observations, kpi_id)
    chart = q(plancontext.kpi_chart_observations, kpi_id)
    linked = q(plancontext.linked_kpi, kpi_id)
    summary = kpi_summary(k, lang) + plancontext.chart_extras_text(k, chart, lang, linked)
    st.subheader(t("progress.series", lang))
    charts.svg_chart(kpi_series_svg(k, chart, lang, summary))  # inline SVG: the page does not load Plotly
    st.markdown(md(summary))
    kpidetail.facts(kpi_id, lang)
    with st.expander(t("word.show_table", lang), icon=":material/table:"):
        text_table(kpi_table(q(queries.kpis, plan_term=k["plan_term"], kpi_id=kpi_id), lang, today))
    if k["source_ja"]:
        st.caption(t("progress.source_line", lang, source=md(pick(k, "source", lang))))
    else:
        st.caption(t("progress.source_plan_only", lang))
    for o in observations[observations.kind == "actual"].to_dict("records"):
        if o["source_ja"]:
            st.caption(t("progress.actual_source", lang, source=md(pick(o, "source", lang))))
    if k["note_ja"]:
        st.info(md(pick(k, "note", lang)), icon=":material/info:")
    targets = q(queries.kpi_sdg_targets, kpi_id)
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


@section
def detail_bottom(lang: str, kpi_id: str) -> None:
    """One KPI's place in the plan: the same indicator in the other term, pillar,
    initiatives and their measures."""
    k = q(queries.kpi, kpi_id)
    kpidetail.linked_term(k, lang)
    placements = []
    if k["pillar"]:
        placements.append(t("progress.priority_of", lang, pillar=t(f"pillar.{k['pillar']}", lang)))
    initiatives = q(queries.initiatives).set_index("initiative_id")
    if placements or k["initiative_ids"]:
        st.subheader(t("progress.linked_initiatives", lang))
    for text in placements:
        st.markdown(f"- {md(text)}")
    for initiative_id in k["initiative_ids"]:
        row = initiatives.loc[initiative_id].to_dict()
        st.markdown(f"- **{md(initiative_label(row, lang))}**")
        with st.expander(t("word.measures", lang)):
            measures = q(queries.measures, (initiative_id,))
            for _, group in measures.groupby("measure_id", sort=False):
                st.markdown(f"○ **{md(pick(group.iloc[0], 'measure', lang))}**")
                st.markdown("\n".join(f"- {md(pick(a, 'action', lang))}" for a in group.to_dict("records")))


@section
def detail_changes(lang: str, kpi_id: str) -> None:
    """This KPI's changes from the release history, newest first."""
    st.subheader(t("changes.kpi_heading", lang))
    lines = q(kpi_change_lines, kpi_id, lang)
    if not lines:
        st.caption(t("changes.kpi_none", lang))
        return
    st.markdown("\n".join(f"- {md(line)}" for line in lines))
    frame.page_link("changes", t("nav.changes", lang), lang)


def show_detail(kpi_id: str) -> None:
    """Everything about one KPI: values, chart, source, SDG targets, ward map, initiatives."""
    detail_top(lang, kpi_id, today)
    if q(ward_queries.ward_kpi_indicator, kpi_id) is not None:
        st.subheader(t("progress.by_ward", lang))
        render_kpi_ward_map(kpi_id, state)
    detail_bottom(lang, kpi_id)
    detail_changes(lang, kpi_id)


heading(lang)
names = derived(labels, lang)
chosen = widgets.bound_select(
    t("progress.pick_kpi", lang),
    "kpi",
    list(names["kpi"]),
    state.kpi,
    names["kpi"].__getitem__,
    all_label=t("filter.none", lang),
)
if chosen:
    show_detail(chosen)
    st.stop()

c1, c2, c3, c4 = st.columns(4)
chosen = widgets.plan_filters(state, ("goal", "area", "pillar"), (c1, c2, c3))
chosen_goals, area, pillar = chosen["goal"], chosen["area"], chosen["pillar"]
status = widgets.bound_select(
    t("filter.status", lang),
    "status",
    list(STATUSES),
    state.status,
    lambda s: status_text(s, lang),
    all_label=t("filter.all", lang),
    container=c4,
)
group_by = widgets.bound_radio(
    t("filter.group_by", lang),
    "group",
    ["area", "pillar"],
    state.group,
    lambda g: t(f"progress.group_{g}", lang),
)

if area or pillar or len(chosen_goals) == 1:
    scope = {"area": area} if area else {"pillar": pillar} if pillar else {"goal": chosen_goals[0]}
    frame.page_link("briefing", t("briefing.link", lang), state, **scope)
filters = (tuple(chosen_goals), area, pillar, status, group_by)
overview(lang, filters)
groups = derived(groups_for, lang, filters)
if groups:
    # One CSV/Excel of every KPI shown (each with its group), not a pair per group:
    # every widget costs each visitor's session (docs/performance.md).
    st.caption(t("progress.download_shown", lang))
    downloads(
        lambda: grouped_kpi_table(groups, group_by, lang, today),
        f"kawasaki-kpis-by-{group_by}",
        lang,
        key="kpis_shown",
    )
for n in range(len(groups)):
    group_chart(lang, filters, n)
    with st.expander(t("word.show_table", lang), icon=":material/table:"):
        group_rows(lang, filters, n, today)  # each chart's table right after it (accessibility)
second_term(lang, today)
