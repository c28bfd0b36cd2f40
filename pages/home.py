"""Overview: the city's aim, the three pillars and their KPIs, the 17 goals, second-term results."""

import streamlit as st

from kawasaki import plancontext, queries
from kawasaki.figures.tiles import sdg_tiles_html
from kawasaki.i18n import pick, t
from kawasaki.present import (
    STATUS_STYLE,
    kpi_latest,
    kpi_period,
    kpi_target,
    kpi_value,
    md,
    status_label,
)
from kawasaki.state import page_href
from kawasaki.web import frame, urlstate
from kawasaki.web.cache import q, section
from kawasaki.web.tables import text_table


@section
def page(lang: str) -> None:
    """The whole page: it has no widgets, so it is drawn once per language and replayed."""
    st.title(t("home.heading", lang))
    st.write(t("home.intro", lang))

    texts = q(queries.plan_texts)
    city_image = texts[texts.section == "city_image"].iloc[0]
    st.header(t("home.vision", lang))  # h2 under the page's h1 (heading order)
    st.markdown("### " + t("home.city_image_quote", lang, text=md(pick(city_image, "text", lang))))
    goals_text = t("word.clause_separator", lang).join(
        md(pick(r, "text", lang)) for r in texts[texts.section == "basic_goal"].to_dict("records")
    )
    st.markdown(t("word.label_value", lang, label=t("home.basic_goals", lang), value=goals_text))

    city_facts(lang)

    st.header(t("home.pillars", lang))
    st.caption(t("home.pillars_help", lang))
    for fact in q(plancontext.facts, shown_on="home").to_dict("records"):
        if not fact["figure_ja"]:  # "the KPIs listed are representative ones"
            st.caption(md(f"{plancontext.fact_quote(fact, lang)} {plancontext.fact_citation(fact, lang)}"))
    kpis = q(queries.kpis)
    columns = st.columns(3)
    for column, pillar in zip(columns, q(queries.pillars).to_dict("records"), strict=True):
        with column.container(border=True):
            st.subheader(md(pick(pillar, "name", lang)))
            for row in kpis[kpis.pillar == pillar["pillar"]].to_dict("records"):
                _, icon, badge = STATUS_STYLE[row["status"]]
                # one element per card (name, status badge, values): each element costs
                # every visitor's session time (docs/performance.md)
                st.markdown(
                    f"**{md(pick(row, 'name', lang))}**  \n"
                    f":{badge}-badge[:material/{icon}: {status_label(row['status'], lang)}]  \n"
                    f"{t('word.baseline', lang)}: "
                    f"{md(kpi_period(row, 'baseline', lang) + ' ' + kpi_value(row, 'baseline', lang))}  \n"
                    f"{t('word.latest', lang)}: {md(kpi_latest(row, lang))}  \n"
                    f"{t('word.target', lang)}: "
                    f"{md(kpi_period(row, 'target', lang) + ' ' + kpi_target(row, lang))}"
                )
                frame.page_link("progress", t("word.details", lang), lang, kpi=row["kpi_id"])
            with st.expander(t("home.pillar_text", lang, pillar=md(pick(pillar, "name", lang)))):
                st.markdown(md(pick(pillar, "text", lang)))
    st.info(t("home.no_actual_note", lang), icon=":material/hourglass_empty:")

    st.header(t("home.sdg_grid", lang))
    st.caption(t("home.sdg_grid_help", lang))
    st.html(sdg_tiles_html(q(queries.goals), lang, lambda goal: page_href("explore", lang, goal=goal)))
    frame.page_link("coverage", t("coverage.link", lang), lang)

    st.header(t("home.term2", lang))
    st.caption(t("home.term2_help", lang))
    term2 = q(queries.kpis, plan_term=2)
    achieved = int((term2.status == "achieved").sum())
    st.markdown(f"**{t('home.term2_summary', lang, total=len(term2), achieved=achieved)}**")
    text_table(plancontext.term2_results(term2, lang))
    st.caption(t("verdict.table_note", lang))
    st.caption(t("word.fiscal_note", lang))
    attribution = q(queries.attributions).set_index("key").loc["plan"]
    st.caption(md(pick(attribution, "text", lang)))


def city_facts(lang: str) -> None:
    """The facts the plan prints about the city (population, stations, partners…), each
    with its date as printed and where the plan says it."""
    rows = [f for f in q(plancontext.facts, shown_on="home").to_dict("records") if f["figure_ja"]]
    if not rows:
        return
    st.header(t("context.heading", lang))
    st.caption(t("context.help", lang))
    for start in range(0, len(rows), 3):
        for column, fact in zip(st.columns(3), rows[start : start + 3], strict=False):
            with column:
                st.metric(md(pick(fact, "label", lang)), md(pick(fact, "figure", lang)))
                as_of = pick(fact, "as_of", lang) or t("context.no_date", lang)
                st.caption(md(f"{as_of} {plancontext.fact_citation(fact, lang, short=True)}"))


state = frame.page_view()
urlstate.canonical_url(state, keep=())
page(state.lang)
