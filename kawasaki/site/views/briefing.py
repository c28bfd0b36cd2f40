"""The council briefing (pages/briefing.py): without a scope, links to every briefing of a
policy area, pillar and goal; with one, the briefing's title, summary and KPI tables
(kawasaki.briefing.build_briefing, as the page and the PDF)."""

from __future__ import annotations

import datetime as dt

from kawasaki import queries
from kawasaki.briefing import PILLARS, KpiRow, build_briefing, scope_of
from kawasaki.i18n import pick, t
from kawasaki.present import goal_label
from kawasaki.queries import Con
from kawasaki.site.markup import el, items, link, section, table, text, text_items
from kawasaki.site.views import View
from kawasaki.site.views.parts import caption, intro, note, value
from kawasaki.state import ViewState, page_href


def view(con: Con, state: ViewState, today: dt.date) -> View:
    """The chooser, or the briefing of the state's one scope as prepared ``today`` (with the
    changes since ``?since=`` when asked)."""
    lang = state.lang
    scope = scope_of(state)
    if scope is None:
        return View(t("briefing.heading", lang), t("briefing.intro", lang), _chooser(con, lang))
    b = build_briefing(con, scope.kind, scope.value, lang, today, state.since)
    parts = [
        caption(f"{t('app.title', lang)}{t('word.bar_separator', lang)}{b.document}"),
        caption(b.subtitle),
        caption(t("word.gap_separator", lang).join(b.meta()[1:])),  # data as of, build (not today's date)
        *(text("p", line) for line in b.intro),
        el("p", text("strong", b.summary)),
        *(caption(n) for n in b.notes),
    ]
    if b.since:
        parts.append(section(b.changes_heading(), items(value(line) for line in b.changes_lines())))
    for part in b.sections:
        inner = (caption(part.note) if part.note else "") + (
            table(b.columns, (row.cells() for row in part.rows), label=part.heading) if part.rows else ""
        )
        inner += "".join(_row_details(row) for row in part.rows)
        parts.append(section(part.heading, inner))
    if b.target_texts:
        parts.append(section(t("briefing.target_texts", lang), text_items(b.target_texts)))
    if b.legend:
        lines = (t("word.label_value", lang, label=label, value=meaning) for label, meaning in b.legend)
        parts.append(section(t("briefing.legend", lang), text_items(lines)))
    parts.append(section(t("briefing.sources", lang), text_items(b.attributions)))
    return View(b.title, b.summary, "".join(parts))


def _row_details(row: KpiRow) -> str:
    """The lines printed under a KPI's row: its place, SDG targets, the pace it needs, the
    plan's verdict, source and note (as on the page and in the PDF)."""
    lines = [text("strong", row.name, class_="kd-v"), *(value(d) for d in row.details)]
    return el("p", "<br>".join(lines), class_="kd-caption")


def _chooser(con: Con, lang: str) -> str:
    """Every briefing of a policy area, a pillar and a goal, as links."""
    areas = [
        link(
            page_href("briefing", lang, area=r["number"]),
            t("briefing.title_area", lang, n=r["number"], name=pick(r, "name", lang)),
        )
        for r in queries.policy_areas(con).to_dict("records")
    ]
    pillars = [
        link(
            page_href("briefing", lang, pillar=p),
            t("pillar.priority", lang, pillar=t(f"pillar.{p}", lang)),
        )
        for p in PILLARS
    ]
    goals = queries.goals(con)
    goal_links = [
        link(page_href("briefing", lang, goal=r["goal"]), goal_label(r["goal"], pick(r, "name", lang), lang))
        for r in goals[goals.kpi_count > 0].to_dict("records")
    ]
    return "".join(
        (
            intro(t("briefing.intro", lang)),
            note(t("briefing.choose", lang)),
            section(t("briefing.pick_area", lang), items(areas), level=3),
            section(t("briefing.pick_pillar", lang), items(pillars), level=3),
            section(t("briefing.pick_goal", lang), items(goal_links), level=3),
        )
    )
