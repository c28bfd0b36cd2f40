"""The overview (pages/home.py): the city's aim, the pillars' priority KPIs, the 17 goals,
the second term's results."""

from __future__ import annotations

import datetime as dt

from kawasaki import plancontext, queries
from kawasaki.figures.tiles import sdg_tiles_html
from kawasaki.i18n import pick, t
from kawasaki.queries import Con
from kawasaki.site.markup import el, frame_table, link, section, text
from kawasaki.site.views import View
from kawasaki.site.views.parts import caption, credit_lines, intro, kpi_card, note, value
from kawasaki.state import ViewState, page_href


def view(con: Con, state: ViewState, today: dt.date) -> View:
    """The overview in ``state.lang``."""
    lang = state.lang
    body = "".join(
        (
            intro(t("home.intro", lang)),
            _vision(con, lang),
            _city_facts(con, lang),
            _pillars(con, lang),
            section(
                t("home.sdg_grid", lang),
                caption(t("home.sdg_grid_help", lang))
                + sdg_tiles_html(queries.goals(con), lang, lambda g: page_href("explore", lang, goal=g))
                + el("p", link(page_href("coverage", lang), t("coverage.link", lang))),
            ),
            _second_term(con, lang),
        )
    )
    return View(t("home.heading", lang), t("home.intro", lang), body)


def _vision(con: Con, lang: str) -> str:
    texts = queries.plan_texts(con)
    city_image = texts[texts.section == "city_image"].iloc[0]
    goals_text = t("word.clause_separator", lang).join(
        pick(r, "text", lang) for r in texts[texts.section == "basic_goal"].to_dict("records")
    )
    return section(
        t("home.vision", lang),
        text("h3", t("home.city_image_quote", lang, text=pick(city_image, "text", lang)))
        + text("p", t("word.label_value", lang, label=t("home.basic_goals", lang), value=goals_text)),
    )


def _city_facts(con: Con, lang: str) -> str:
    """The facts the plan prints about the city, each with its date as printed and where
    the plan says it (pages/home.py city_facts)."""
    rows = [f for f in plancontext.facts(con, shown_on="home").to_dict("records") if f["figure_ja"]]
    if not rows:
        return ""
    cells = []
    for fact in rows:
        as_of = pick(fact, "as_of", lang) or t("context.no_date", lang)
        cells.append(
            el(
                "div",
                text("dt", pick(fact, "label", lang))
                + text("dd", pick(fact, "figure", lang), class_="kd-v")
                + el(
                    "dd",
                    value(f"{as_of} {plancontext.fact_citation(fact, lang, short=True)}"),
                    class_="kd-caption",
                ),
                class_="kd-metric",
            )
        )
    return section(
        t("context.heading", lang),
        caption(t("context.help", lang)) + el("dl", "".join(cells), class_="kd-metrics"),
    )


def _pillars(con: Con, lang: str) -> str:
    """Each pillar with its priority KPIs, as cards side by side."""
    kpis = queries.kpis(con)
    cards = []
    for pillar in queries.pillars(con).to_dict("records"):
        rows = kpis[kpis.pillar == pillar["pillar"]].to_dict("records")
        cards.append(
            el(
                "div",
                text("h3", pick(pillar, "name", lang))
                + el("ul", "".join(kpi_card(r, lang) for r in rows), class_="kd-kpis"),
                class_="kd-card",
            )
        )
    notes = "".join(
        text(
            "p",
            f"{plancontext.fact_quote(f, lang)} {plancontext.fact_citation(f, lang)}",
            class_="kd-caption kd-v",
        )
        for f in plancontext.facts(con, shown_on="home").to_dict("records")
        if not f["figure_ja"]  # "the KPIs listed are representative ones"
    )
    return section(
        t("home.pillars", lang),
        caption(t("home.pillars_help", lang))
        + notes
        + el("div", "".join(cards), class_="kd-columns")
        + note(t("home.no_actual_note", lang)),
    )


def _second_term(con: Con, lang: str) -> str:
    term2 = queries.kpis(con, plan_term=2)
    achieved = int((term2.status == "achieved").sum())
    return section(
        t("home.term2", lang),
        caption(t("home.term2_help", lang))
        + el("p", text("strong", t("home.term2_summary", lang, total=len(term2), achieved=achieved)))
        + frame_table(plancontext.term2_results(term2, lang), label=t("home.term2", lang))
        + caption(t("verdict.table_note", lang))
        + caption(t("word.fiscal_note", lang))
        + credit_lines(con, ["plan"], lang),
    )
