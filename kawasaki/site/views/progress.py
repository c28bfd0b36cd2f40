"""KPI progress (pages/progress.py): the KPIs grouped by policy area or pillar, each group's
table, the second term's table; with ``?kpi=`` one KPI's details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kawasaki import plancontext, queries
from kawasaki.figures.seriessvg import kpi_series_svg
from kawasaki.i18n import pick, t
from kawasaki.present import (
    goal_label,
    group_kpis,
    initiative_label,
    kpi_choices,
    kpi_period,
    kpi_summary,
    kpi_table,
    kpi_target,
    kpi_value,
    status_key,
)
from kawasaki.progress import STATUSES
from kawasaki.queries import Con
from kawasaki.releases import kpi_change_lines
from kawasaki.site.markup import (
    el,
    esc,
    filled,
    frame_table,
    get_form,
    items,
    link,
    section,
    select,
    text,
    text_items,
)
from kawasaki.site.views import View
from kawasaki.site.views.parts import caption, intro, note, status_badge, value
from kawasaki.site.views.wards import ward_map_html
from kawasaki.state import ViewState, lang_params, page_href
from kawasaki.wards import model
from kawasaki.wards import queries as ward_queries


def view(con: Con, state: ViewState, today: dt.date) -> View:
    """The KPI list under the state's filters, or one KPI's details (the pace on ``today``)."""
    lang = state.lang
    k = queries.kpi(con, state.kpi) if state.kpi else None
    if k is not None:
        return View(
            t("progress.heading", lang),
            kpi_summary(k, lang),
            _heading(con, lang) + _picker(con, state) + _detail(con, k, lang, today),
            title=pick(k, "name", lang),
            image=("kpi", k["kpi_id"]),
        )
    return View(t("progress.heading", lang), t("progress.intro", lang), _overview(con, state, today))


def _heading(con: Con, lang: str) -> str:
    """The page's intro and what the plan says of its KPIs ("representative ones")."""
    facts = plancontext.facts(con, shown_on="progress").to_dict("records")
    return intro(t("progress.intro", lang)) + "".join(_plan_note(f, lang) for f in facts)


def _plan_note(fact: dict[str, Any], lang: str) -> str:
    """A fact of the plan as a quiet line: its words and where the plan says them."""
    words = f"{plancontext.fact_quote(fact, lang)} {plancontext.fact_citation(fact, lang)}"
    return text("p", words, class_="kd-caption kd-v")


def counts_sentence(kpis: Any, lang: str) -> str:
    """'28件のKPI。達成 0、順調 0、…' (progress.summary_chart)."""
    counts = {s: int((kpis.status == s).sum()) for s in STATUSES}
    return t("progress.summary_chart", lang, n=len(kpis), **counts)


def _overview(con: Con, state: ViewState, today: dt.date) -> str:
    lang = state.lang
    kpis = queries.kpis(con, goals=state.goals, area=state.area, pillar=state.pillar, status=state.status)
    parts = [
        _heading(con, lang),
        _picker(con, state),
        text("p", counts_sentence(kpis, lang), class_="kd-v"),
    ]
    if len(kpis) and (kpis.status == "no_actual").all():
        parts.append(note(t("home.no_actual_note", lang)))
    if kpis.empty:
        parts.append(note(t("progress.none", lang)))
    for title, part in group_kpis(kpis, state.group or "area", queries.policy_areas(con), lang):
        parts.append(
            section(
                title,
                text("p", counts_sentence(part, lang), class_="kd-v")
                + frame_table(kpi_table(part, lang, today), label=title)
                + caption(t("pace.explain", lang)),
            )
        )
    term2 = queries.kpis(con, plan_term=2)
    parts.append(
        section(
            t("progress.term2_heading", lang),
            caption(t("progress.term2_help", lang))
            + frame_table(kpi_table(term2, lang, today), label=t("progress.term2_heading", lang))
            + caption(t("verdict.table_note", lang))
            + caption(t("word.fiscal_note", lang)),
        )
    )
    return "".join(parts)


def _picker(con: Con, state: ViewState) -> str:
    """The KPI picker, as a form that works without JavaScript."""
    lang = state.lang
    choices = kpi_choices(queries.kpis(con), queries.kpis(con, plan_term=2), lang)
    options = [("", t("filter.none", lang)), *choices.items()]
    return get_form(
        "./progress",
        [select(t("progress.pick_kpi", lang), "kpi", options, state.kpi or "")],
        t("site.show", lang),
        lang_params(lang),
    )


def _detail(con: Con, k: dict[str, Any], lang: str, today: dt.date) -> str:
    """One KPI: status, values, the pace it needs and the plan's verdict, its sentence, the
    plan's facts, sources, SDG targets, the other term's same indicator, initiatives, changes."""
    kpi_id = k["kpi_id"]
    values = [
        (
            t("word.labelled", lang, label=t("word.baseline", lang), value=kpi_period(k, "baseline", lang)),
            kpi_value(k, "baseline", lang),
        ),
        (_latest_label(k, lang), kpi_value(k, "latest", lang) if k["latest_kind"] == "actual" else None),
        (
            t("word.labelled", lang, label=t("word.target", lang), value=kpi_period(k, "target", lang)),
            kpi_target(k, lang),
        ),
    ]
    linked = plancontext.linked_kpi(con, kpi_id)
    chart = plancontext.kpi_chart_observations(con, kpi_id)
    summary = kpi_summary(k, lang) + plancontext.chart_extras_text(k, chart, lang, linked)
    parts = [
        el("p", link(page_href("progress", lang), t("word.back", lang))),
        text("h2", pick(k, "name", lang), class_="kd-v"),
        el("p", status_badge(k["status"], lang, int(k["plan_term"]))),
        caption(t(f"status.explain.{status_key(k['status'], k['plan_term'])}", lang)),
        _metrics(values, lang),
        _pace(k, lang, today),
        _verdict(k, lang),
        text("h3", t("progress.series", lang)),
        kpi_series_svg(k, chart, lang, summary),  # the chart the app draws, in the first paint
        text("p", summary, class_="kd-v"),
        "".join(_fact_box(f, lang) for f in plancontext.facts(con, kpi_id=kpi_id).to_dict("records")),
        _sources(con, k, lang),
        _targets(con, kpi_id, lang),
        _by_ward(con, kpi_id, lang),
        _linked(k, linked, lang),
        _initiatives(con, k, lang),
        _changes(con, kpi_id, lang),
    ]
    return "".join(parts)


def _metrics(values: list[tuple[str, str | None]], lang: str) -> str:
    """Labelled values side by side, as the app's metrics; a missing one says "no data"."""
    return el(
        "dl",
        "".join(
            el(
                "div",
                text("dt", label) + text("dd", shown or t("word.no_data", lang), class_="kd-v"),
                class_="kd-metric",
            )
            for label, shown in values
        ),
        class_="kd-metrics",
    )


def _pace(k: dict[str, Any], lang: str, today: dt.date) -> str:
    """The change per year the straight line needs and its value this (fiscal) year."""
    figures = plancontext.pace_figures(k, lang, today)
    if not figures:
        return ""
    return _metrics(figures, lang) + caption(t("pace.explain", lang))


def _verdict(k: dict[str, Any], lang: str) -> str:
    """The plan's own words on the latest value, beside the computed status (never instead)."""
    parts = plancontext.verdict_parts(k, lang)
    if parts is None:
        return ""
    period, words, explain = parts
    line = filled(
        t("verdict.line", lang, period="{period}", words="{words}"), period=esc(period), words=esc(words)
    )
    return el("p", line, class_="kd-v") + caption(explain)


def _fact_box(fact: dict[str, Any], lang: str) -> str:
    """A fact the plan prints about the KPI (its longer-term goal): figure, words, place."""
    lines = (
        text("strong", plancontext.fact_head(fact, lang, dated=False), class_="kd-v"),
        value(plancontext.fact_quote(fact, lang)),
        value(plancontext.fact_citation(fact, lang)),
    )
    return el("p", "<br>".join(lines), class_="kd-note")


def _by_ward(con: Con, kpi_id: str, lang: str) -> str:
    """The KPI by ward, when a ward indicator measures it (as the page's ward map)."""
    indicator_id = ward_queries.ward_kpi_indicator(con, kpi_id)
    if indicator_id is None:
        return ""
    wm = model.ward_map(con, indicator_id, None)
    return section(t("progress.by_ward", lang), ward_map_html(con, wm, None, lang), level=3)


def _linked(k: dict[str, Any], other: dict[str, Any] | None, lang: str) -> str:
    """The same indicator in the other plan term, its values, and a link to its details."""
    if other is None:
        return ""
    heading, lines, note_text = plancontext.linked_lines(k, other, lang)
    open_link = link(
        page_href("progress", lang, kpi=other["kpi_id"]),
        t("linked.open", lang, name=pick(other, "name", lang)),
    )
    return section(
        heading, items(value(line) for line in lines) + caption(note_text) + el("p", open_link), level=3
    )


def _changes(con: Con, kpi_id: str, lang: str) -> str:
    """This KPI's changes from the release history, newest first (#16)."""
    lines = kpi_change_lines(con, kpi_id, lang)
    inner = items(value(line) for line in lines) if lines else caption(t("changes.kpi_none", lang))
    inner += el("p", link(page_href("changes", lang), t("nav.changes", lang)))
    return section(t("changes.kpi_heading", lang), inner, level=3)


def _latest_label(k: dict[str, Any], lang: str) -> str:
    label = t("word.latest", lang)
    if k["latest_kind"] == "actual":
        return t("word.labelled", lang, label=label, value=kpi_period(k, "latest", lang))
    return label


def _sources(con: Con, k: dict[str, Any], lang: str) -> str:
    lines = [
        t("progress.source_line", lang, source=pick(k, "source", lang))
        if k["source_ja"]
        else t("progress.source_plan_only", lang)
    ]
    observations = queries.kpi_observations(con, k["kpi_id"])
    for o in observations[observations.kind == "actual"].to_dict("records"):
        if o["source_ja"]:
            lines.append(t("progress.actual_source", lang, source=pick(o, "source", lang)))
    out = "".join(caption(line) for line in lines)
    if k["note_ja"]:
        out += note(pick(k, "note", lang))
    return out


def _targets(con: Con, kpi_id: str, lang: str) -> str:
    targets = queries.kpi_sdg_targets(con, kpi_id)
    if not len(targets):
        return ""
    names = queries.goals(con).set_index("goal")
    groups = []
    for goal, group in targets.groupby("goal", sort=False):
        groups.append(
            text("p", goal_label(goal, pick(names.loc[goal], "name", lang), lang), class_="kd-strong")
            + items(
                f"{text('strong', r['target_id'])} {esc(pick(r, 'title', lang))}"
                for r in group.to_dict("records")
            )
        )
    return section(t("progress.linked_targets", lang), "".join(groups), level=3)


def _initiatives(con: Con, k: dict[str, Any], lang: str) -> str:
    lines = []
    if k["pillar"]:
        lines.append(t("progress.priority_of", lang, pillar=t(f"pillar.{k['pillar']}", lang)))
    initiatives = queries.initiatives(con).set_index("initiative_id")
    lines += [initiative_label(initiatives.loc[i].to_dict(), lang) for i in k["initiative_ids"]]
    if not lines:
        return ""
    return section(t("progress.linked_initiatives", lang), text_items(lines), level=3)
