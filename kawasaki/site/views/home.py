"""The overview (pages/home.py): the city's aim, the pillars' priority KPIs, the 17 goals,
the second term's results."""

from __future__ import annotations

from kawasaki import queries
from kawasaki.figures.tiles import sdg_tiles_html
from kawasaki.i18n import pick, t
from kawasaki.present import kpi_period, kpi_target, kpi_value, status_text
from kawasaki.queries import Con
from kawasaki.site.markup import el, section, table, text
from kawasaki.site.views import View
from kawasaki.site.views.parts import caption, credit_lines, intro, kpi_card, note
from kawasaki.state import ViewState, page_href


def view(con: Con, state: ViewState) -> View:
    """The overview in ``state.lang``."""
    lang = state.lang
    body = "".join(
        (
            intro(t("home.intro", lang)),
            _vision(con, lang),
            _pillars(con, lang),
            section(
                t("home.sdg_grid", lang),
                caption(t("home.sdg_grid_help", lang))
                + sdg_tiles_html(queries.goals(con), lang, lambda g: page_href("explore", lang, goal=g)),
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
    return section(
        t("home.pillars", lang),
        caption(t("home.pillars_help", lang))
        + el("div", "".join(cards), class_="kd-columns")
        + note(t("home.no_actual_note", lang)),
    )


def _second_term(con: Con, lang: str) -> str:
    term2 = queries.kpis(con, plan_term=2).to_dict("records")
    achieved = sum(r["status"] == "achieved" for r in term2)
    rows = [
        (
            pick(r, "name", lang),
            f"{kpi_period(r, 'target', lang)} {kpi_target(r, lang)}",
            f"{kpi_period(r, 'latest', lang)} {kpi_value(r, 'latest', lang)}",
            status_text(r["status"], lang, 2),
        )
        for r in term2
    ]
    columns = [t(f"word.{k}", lang) for k in ("kpi", "target", "latest", "status")]
    return section(
        t("home.term2", lang),
        caption(t("home.term2_help", lang))
        + el("p", text("strong", t("home.term2_summary", lang, total=len(term2), achieved=achieved)))
        + table(columns, rows, label=t("home.term2", lang))
        + caption(t("word.fiscal_note", lang))
        + credit_lines(con, ["plan"], lang),
    )
