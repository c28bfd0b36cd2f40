"""Data & methods: sources and attribution, the progress method, the build, downloads."""

from pathlib import Path

import streamlit as st

from kawasaki import plancontext, queries
from kawasaki.api import examples
from kawasaki.i18n import pick, t
from kawasaki.present import md, md_link
from kawasaki.spreadsheet import csv_bytes
from kawasaki.web import frame, urlstate
from kawasaki.web.cache import q, section
from kawasaki.web.db import db_key
from kawasaki.web.tables import preformatted, text_table


@section
def sources_and_method(lang: str) -> None:
    """Sources, the progress method, the build and its checksums."""
    st.title(t("about.heading", lang))
    st.write(t("about.intro", lang))

    st.header(t("about.sources", lang))
    # each line linked to its source, as the pre-rendered page links it (kawasaki/site/views/about.py)
    st.markdown(
        "\n".join(
            f"- {md_link(pick(row, 'text', lang), row['url'])}"
            for row in q(queries.attributions).to_dict("records")
        )
    )

    st.header(t("about.method", lang))
    st.markdown(t("about.method_text", lang))
    st.markdown(t("pace.method", lang))
    st.markdown(t("verdict.method", lang))
    st.caption(t("word.fiscal_note", lang))

    plan_facts(lang)

    st.header(t("about.build", lang))
    info = q(queries.build_info)
    st.markdown(
        f"- {t('app.data_as_of', lang, date=info['data_as_of'])}\n"
        f"- {t('app.build', lang, stamp=info['build_stamp'], built=info['built_at'].strftime('%Y-%m-%d %H:%M %Z'))}"
    )
    with st.expander(t("about.checksums", lang), icon=":material/fingerprint:"):
        text_table(q(queries.build_sources))  # text, not the canvas grid (its bundle, find-in-page)


def plan_facts(lang: str) -> None:
    """Every fact the plan prints that the pages show, with its words and its place in the plan."""
    st.header(t("context.about_heading", lang))
    st.caption(t("context.about_help", lang))
    lines = []
    for fact in q(plancontext.facts).to_dict("records"):
        head = plancontext.fact_head(fact, lang)
        quote, citation = plancontext.fact_quote(fact, lang), plancontext.fact_citation(fact, lang)
        lines.append(f"- **{md(head)}**  \n  {md(quote)}  \n  {md(citation)}")
    st.markdown("\n".join(lines))


@section
def accessibility(lang: str) -> None:
    # The accessibility statement (アクセシビリティ方針), linked from every page's header.
    st.header(t("about.accessibility", lang), anchor="accessibility")
    st.markdown(t("about.accessibility_text", lang))
    st.markdown(t("about.accessibility_features", lang))
    st.subheader(t("about.accessibility_tests_heading", lang))
    st.markdown(t("about.accessibility_tests", lang))
    st.subheader(t("about.accessibility_known_heading", lang))
    st.markdown(t("about.accessibility_known", lang))


state = frame.page_view()
lang = state.lang
urlstate.canonical_url(state, keep=())
sources_and_method(lang)
st.header(t("about.downloads", lang))
info = q(queries.build_info)
stamp = info["build_stamp"]
db_file = Path(db_key()[0])
# (label, the file's bytes: read or made only when its button is pressed, file name, mime, icon)
files = (
    (
        "about.download_db",
        db_file.read_bytes,
        f"kawasaki-sdgs-{stamp}.duckdb",
        "application/octet-stream",
        ":material/database:",
    ),
    (
        "about.download_kpis",
        lambda: csv_bytes(q(queries.kpi_export)),
        f"kawasaki-sdgs-kpis-{stamp}.csv",
        "text/csv",
        ":material/download:",
    ),
    (
        "about.download_targets",
        lambda: csv_bytes(q(queries.kpi_target_links)),
        f"kawasaki-sdgs-kpi-targets-{stamp}.csv",
        "text/csv",
        ":material/download:",
    ),
)
for label, data, file_name, mime, icon in files:
    st.download_button(t(label, lang), data, file_name=file_name, mime=mime, icon=icon, on_click="ignore")


@section
def open_data(lang: str, base: str) -> None:
    """The open-data API (docs/api.md): what it serves, its descriptions, how to read it."""
    st.header(t("about.api", lang), anchor="api")
    st.markdown(t("about.api_text", lang))
    st.markdown(t("about.api_links", lang, base=base))
    st.subheader(t("about.api_examples", lang))
    for _, code in examples.usage(base):
        # plain wrapped text: no highlighter chunk, no sideways box the keyboard cannot reach
        preformatted(code)


open_data(lang, examples.public_base(urlstate.origin()))

accessibility(lang)
