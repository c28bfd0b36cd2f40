"""Council briefing: one policy area, pillar, SDG goal or KPI as a printable document,
with the briefing as PDF and each chart as PNG. Without a scope in the URL: a chooser."""

import streamlit as st

from kawasaki import queries
from kawasaki.briefing import Briefing, only_scope, scope_is_ambiguous, scope_of, today_in_kawasaki
from kawasaki.i18n import pick, t
from kawasaki.present import goal_label, md
from kawasaki.web import briefing as briefview
from kawasaki.web import charts, frame, urlstate, widgets
from kawasaki.web.cache import derived, q, section

state = frame.page_view()
lang = state.lang
scope = scope_of(state)
urlstate.canonical_url(only_scope(state, scope), keep=("area", "pillar", "goal", "kpi", "since"))
briefview.print_style()


def labels(lang: str) -> dict[str, dict]:
    """The chooser's options and labels: areas, pillars, goals with KPIs, every KPI."""
    goals = q(queries.goals)
    kpis = [*q(queries.kpis).to_dict("records"), *q(queries.kpis, plan_term=2).to_dict("records")]
    return {
        "area": derived(widgets.filter_labels, lang)["area"],
        "pillar": {
            p: t("pillar.priority", lang, pillar=t(f"pillar.{p}", lang))
            for p in ("economy", "society", "environment")
        },
        "goal": {
            r["goal"]: goal_label(r["goal"], pick(r, "name", lang), lang)
            for r in goals[goals.kpi_count > 0].to_dict("records")
        },
        "kpi": {k["kpi_id"]: pick(k, "name", lang) for k in kpis},
    }


@section
def chooser_heading(lang: str) -> None:
    st.title(t("briefing.heading", lang))
    st.write(t("briefing.intro", lang))
    st.markdown(f"**{t('briefing.choose', lang)}**")


def chooser() -> None:
    """One select per kind of scope; choosing writes it to the URL, which opens the briefing."""
    chooser_heading(lang)
    names = derived(labels, lang)
    none = t("filter.none", lang)
    left, right = st.columns(2)
    for kind, column in (("area", left), ("pillar", right), ("goal", left), ("kpi", right)):
        widgets.bound_select(
            t(f"briefing.pick_{kind}", lang),
            kind,
            list(names[kind]),
            None,
            names[kind].get,
            all_label=none,
            container=column,
        )


def document(b: Briefing) -> None:
    """The briefing as the PDF lays it out: header, summary, sections, legend, sources."""
    st.caption(md(f"{t('app.title', lang)} ｜ {b.document}"))
    st.title(md(b.title))
    st.caption(md(b.subtitle))
    st.markdown("　".join(md(line) for line in b.meta()))
    for n, text in enumerate(b.intro):
        st.markdown(f"**{md(text)}**" if n == 0 and b.scope.kind == "area" else md(text))
    st.markdown(f"**{md(b.summary)}**")
    for note in b.notes:
        st.caption(md(note))
    if b.since:
        st.subheader(md(b.changes_heading()))
        st.markdown("\n".join(f"- {md(line)}" for line in b.changes_lines()))
    for n, part in enumerate(b.sections, start=1):
        with st.container(key=f"{briefview.KEEP_KEY}-{n}"):  # printed on one page
            st.subheader(md(part.heading))
            if part.note:
                st.caption(md(part.note))
            if part.chart:
                chart = part.chart
                st.markdown(f"**{md(chart.title)}**")
                if "<svg " in chart.html:  # the KPI's series as SVG: the page does not load Plotly
                    charts.svg_chart(chart.html)
                elif chart.html:  # progress bars as HTML
                    st.html(chart.html)
                else:
                    st.plotly_chart(
                        chart.figure, config={"displayModeBar": False}, alt=chart.alt, key=f"chart_{n}"
                    )
                st.download_button(
                    t("briefing.download_png", lang, name=chart.title),
                    briefview.png_download(b, chart.name),
                    file_name=f"{chart.name}.png",
                    mime="image/png",
                    icon=":material/image:",
                    on_click="ignore",
                    key=f"png_{n}",
                )
        if part.rows:
            # st.table renders its cells as Markdown: escape the data's strings
            cells = part.table(b.columns)
            st.table({column: [md(v) for v in values] for column, values in cells.items()}, hide_index=True)
            for row in part.rows:
                st.caption(f"**{md(row.name)}**  \n" + "  \n".join(md(d) for d in row.details))
    if b.target_texts:
        st.subheader(t("briefing.target_texts", lang))
        st.markdown("\n".join(f"- {md(line)}" for line in b.target_texts))
    if b.legend:
        st.subheader(t("briefing.legend", lang))
        st.markdown(
            "\n".join(
                "- " + t("word.label_value", lang, label=md(label), value=md(meaning))
                for label, meaning in b.legend
            )
        )
    st.subheader(t("briefing.sources", lang))
    st.markdown("\n".join(f"- {md(line)}" for line in b.attributions))


if scope is None:
    chooser()
    st.stop()

if scope_is_ambiguous(state):
    st.info(t("briefing.scope_used", lang, param=f"{scope.kind}={scope.value}"), icon=":material/info:")
shown = briefview.briefing(scope.kind, scope.value, lang, today_in_kawasaki(), state.since)
with st.container(horizontal=True, vertical_alignment="center", key="briefing-actions"):
    st.button(
        t("briefing.other", lang), on_click=briefview.clear_scope, icon=":material/arrow_back:", key="other"
    )
    unavailable = briefview.pdf_unavailable(lang)  # a font or Chromium missing: say so
    if unavailable:
        st.error(unavailable, icon=":material/error:")
    else:
        st.download_button(
            t("briefing.download_pdf", lang),
            briefview.pdf_download(shown),
            file_name=f"{shown.file_stem}.pdf",
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            type="primary",
            on_click="ignore",
            key="pdf",
        )
widgets.bound_date(
    t("briefing.since_pick", lang), "since", state.since, help=t("briefing.since_help", lang), width=280
)
st.caption(t("briefing.print_hint", lang))
with st.container(key=briefview.DOC_KEY, width=briefview.DOC_WIDTH):
    document(shown)
