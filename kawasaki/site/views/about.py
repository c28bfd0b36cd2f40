"""Data & methods (pages/about.py): the sources and attribution lines, and the build."""

from __future__ import annotations

import datetime as dt

from kawasaki import plancontext, queries
from kawasaki.api import examples
from kawasaki.i18n import pick, t
from kawasaki.queries import Con
from kawasaki.site.markup import el, items, link, locale_markdown, section, text, text_items
from kawasaki.site.views import View
from kawasaki.site.views.parts import caption, external_link, intro, value
from kawasaki.state import ViewState


def view(con: Con, state: ViewState, today: dt.date) -> View:
    """The sources (each linked when it has an https URL) and the build's dates."""
    lang = state.lang
    sources = [
        el("span", external_link(pick(row, "text", lang), row["url"]), class_="kd-v")
        for row in queries.attributions(con).to_dict("records")
    ]
    info = queries.build_info(con)
    built = info["built_at"].strftime("%Y-%m-%d %H:%M %Z")
    build = [
        t("app.data_as_of", lang, date=info["data_as_of"]),
        t("app.build", lang, stamp=info["build_stamp"], built=built),
    ]
    body = "".join(
        (
            intro(t("about.intro", lang)),
            section(t("about.sources", lang), items(sources)),
            section(
                t("about.method", lang),
                locale_markdown(t("about.method_text", lang))
                + locale_markdown(t("pace.method", lang))
                + locale_markdown(t("verdict.method", lang))
                + caption(t("word.fiscal_note", lang)),
            ),
            _plan_facts(con, lang),
            section(t("about.build", lang), text_items(build)),
            _open_data(lang),
            _accessibility(lang),
        )
    )
    return View(t("about.heading", lang), t("about.intro", lang), body)


def _plan_facts(con: Con, lang: str) -> str:
    """Every fact the plan prints that the pages show, with its words and its place in the plan."""
    facts = [
        text("strong", plancontext.fact_head(f, lang), class_="kd-v")
        + "<br>"
        + value(plancontext.fact_quote(f, lang))
        + "<br>"
        + value(plancontext.fact_citation(f, lang))
        for f in plancontext.facts(con).to_dict("records")
    ]
    return section(t("context.about_heading", lang), caption(t("context.about_help", lang)) + items(facts))


def _open_data(lang: str) -> str:
    """The open-data API: what it serves, its two descriptions, and how to read it."""
    base = examples.public_base()
    docs = [
        link(f"{base}/api/v1/openapi.json", "openapi.json (OpenAPI 3.1)"),
        link(f"{base}/api/v1/datapackage.json", "datapackage.json (Frictionless Data Package)"),
    ]
    code = "".join(el("pre", text("code", source)) for _, source in examples.usage(base))
    return section(
        t("about.api", lang),
        locale_markdown(t("about.api_text", lang))
        + items(docs)
        + section(t("about.api_examples", lang), code, 3),
        id="api",
    )


def _accessibility(lang: str) -> str:
    """The accessibility statement, where every page's header links to (#accessibility)."""
    return section(
        t("about.accessibility", lang),
        locale_markdown(t("about.accessibility_text", lang))
        + locale_markdown(t("about.accessibility_features", lang))
        + section(
            t("about.accessibility_tests_heading", lang),
            locale_markdown(t("about.accessibility_tests", lang)),
            3,
        )
        + section(
            t("about.accessibility_known_heading", lang),
            locale_markdown(t("about.accessibility_known", lang)),
            3,
        ),
        id="accessibility",
    )
