"""SDG coverage (pages/coverage.py): how many of the 169 targets the plan touches, the
grid of targets (each a link to the explorer), per goal, and every target with its KPIs
and initiatives (kawasaki.coverage, as the page)."""

from __future__ import annotations

import datetime as dt

from kawasaki import coverage, queries
from kawasaki.i18n import t
from kawasaki.queries import Con
from kawasaki.site.markup import el, frame_table, section, text
from kawasaki.site.views import View
from kawasaki.site.views.parts import caption, credit_lines, intro
from kawasaki.state import ViewState, page_href


def view(con: Con, state: ViewState, today: dt.date) -> View:
    """The coverage under the state's goals, policy area and pillar."""
    lang = state.lang
    found = coverage.view_tables(
        coverage.links(con),
        queries.goals(con),
        queries.kpis(con),
        queries.initiatives(con),
        lang,
        state.goals,
        state.area,
        state.pillar,
    )
    sentence = t("coverage.summary", lang, **found["all"])
    if state.goals:
        sentence += t("word.gap_separator", lang) + t("coverage.summary_shown", lang, **found["totals"])
    grid = coverage.grid_html(
        found["targets"],
        found["goals"],
        lang,
        lambda target: page_href("explore", lang, target=target),
        lambda goal: page_href("explore", lang, goal=goal),
    )
    body = "".join(
        (
            intro(t("coverage.intro", lang)),
            el("p", text("strong", sentence, class_="kd-v")),
            caption(t("coverage.filtered_note", lang)) if state.area or state.pillar else "",
            caption(t("coverage.how", lang)),
            section(t("coverage.grid_heading", lang), caption(t("coverage.grid_help", lang)) + grid),
            section(
                t("coverage.goal_heading", lang),
                frame_table(found["goal_table"], label=t("coverage.goal_heading", lang)),
            ),
            el(  # closed, like the page's expander: 169 rows follow
                "details",
                text("summary", t("coverage.table_heading", lang))
                + frame_table(found["table"], label=t("coverage.table_heading", lang)),
                class_="kd-details",
            ),
            credit_lines(con, ("plan", "un_texts", "mofa"), lang),
        )
    )
    return View(t("coverage.heading", lang), sentence, body)
