"""Explore by SDG (pages/explore.py): without a goal the 17 goals as links; with one, its
banner, counts and the tables of linked KPIs, initiatives and measures."""

from __future__ import annotations

import datetime as dt

from kawasaki import queries
from kawasaki.figures.tiles import goal_banner_html, sdg_tiles_html
from kawasaki.i18n import pick, t
from kawasaki.present import explore_choices, explore_tables, goal_label
from kawasaki.queries import Con
from kawasaki.site.markup import el, frame_table, get_form, link, section, select, text
from kawasaki.site.views import View
from kawasaki.site.views.parts import credit_lines, intro, note
from kawasaki.state import ViewState, lang_params, page_href

TABLES = (("kpis", "explore.kpis"), ("initiatives", "explore.initiatives"), ("measures", "explore.measures"))


def view(con: Con, state: ViewState, today: dt.date) -> View:
    """The goal tiles, or one goal (or one of its targets) with what links to it."""
    lang = state.lang
    goals = queries.goals(con)
    pickers = _pickers(con, goals, state)
    if state.goal is None:
        tiles = sdg_tiles_html(goals, lang, lambda g: page_href("explore", lang, goal=g))
        body = intro(t("explore.intro", lang)) + pickers + tiles + _coverage_link(lang)
        return View(t("explore.heading", lang), t("explore.intro", lang), body)
    g = goals.set_index("goal").loc[state.goal]
    parts = [
        intro(t("explore.intro", lang)),
        pickers,
        _coverage_link(lang, state.goal),
        goal_banner_html(state.goal, pick(g, "name", lang), pick(g, "title", lang), g["color_hex"], lang),
    ]
    if state.target:
        title = queries.targets(con, state.goal).set_index("target_id").loc[state.target]
        parts.append(text("p", f"{t('explore.target_text', lang)} — {state.target}", class_="kd-strong"))
        parts.append(text("blockquote", pick(title, "title", lang)))
    found = tables_for(con, state.goal, state.target, lang)
    counts = t(
        "explore.counts",
        lang,
        kpis=found["kpis"],
        initiatives=found["initiatives"],
        measures=found["measures"],
    )
    if not found["kpis"]:
        parts.append(note(t("explore.none", lang)))
    else:
        parts.append(text("p", counts, class_="kd-v"))
        for key, heading in TABLES:
            parts.append(
                section(t(heading, lang), frame_table(found["tables"][key], label=t(heading, lang)), 3)
            )
    parts.append(credit_lines(con, ("plan", "mofa"), lang))
    label = goal_label(state.goal, pick(g, "name", lang), lang)
    summary = f"{t('word.label_value', lang, label=label, value=pick(g, 'title', lang))} {counts}"
    return View(t("explore.heading", lang), summary, "".join(parts), image=("goal", str(state.goal)))


def _coverage_link(lang: str, goal: int | None = None) -> str:
    """The link to the SDG coverage (/coverage), of one goal when given."""
    if goal is None:
        return el("p", link(page_href("coverage", lang), t("coverage.link", lang)))
    return el("p", link(page_href("coverage", lang, goal=goal), t("coverage.link_goal", lang, goal=goal)))


def _pickers(con: Con, goals, state: ViewState) -> str:
    """The goal (and target) pickers, as a form that works without JavaScript."""
    lang = state.lang
    names = explore_choices(goals, queries.targets(con), lang)
    fields = [
        select(
            t("filter.goal", lang),
            "goal",
            [("", t("explore.choose_goal", lang)), *((str(g), label) for g, label in names["goal"].items())],
            str(state.goal or ""),
        )
    ]
    if state.goal is not None:
        targets = names["targets"].get(state.goal, {})
        fields.append(
            select(
                t("filter.target", lang),
                "target",
                [("", t("explore.any_target", lang)), *targets.items()],
                state.target or "",
            )
        )
    return get_form("./explore", fields, t("site.show", lang), lang_params(lang))


def tables_for(con: Con, goal: int, target: str | None, lang: str) -> dict:
    """The KPI, initiative and measure tables of a goal (or one of its targets), with counts
    (pages/explore.py ``tables_for``, on a connection)."""
    kpis = queries.kpis(con, goals=(goal,), target=target)
    initiatives = queries.initiatives_for(con, goal=None if target else goal, target=target)
    measures = queries.measures(con, tuple(initiatives.initiative_id))
    return {
        "tables": explore_tables(kpis, initiatives, measures, goal, lang),
        "kpis": len(kpis),
        "initiatives": len(initiatives),
        "measures": measures.measure_id.nunique(),
    }
