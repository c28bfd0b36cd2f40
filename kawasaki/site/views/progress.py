"""KPI progress (pages/progress.py): the KPIs grouped by policy area or pillar, each group's
table, the second term's table; with ``?kpi=`` one KPI's details."""

from __future__ import annotations

from typing import Any

from kawasaki import queries
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
from kawasaki.site.markup import (
    el,
    esc,
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
from kawasaki.site.views.parts import caption, intro, note, status_badge
from kawasaki.state import ViewState, lang_params, page_href


def view(con: Con, state: ViewState) -> View:
    """The KPI list under the state's filters, or one KPI's details."""
    lang = state.lang
    k = queries.kpi(con, state.kpi) if state.kpi else None
    if k is not None:
        return View(
            t("progress.heading", lang),
            kpi_summary(k, lang),
            intro(t("progress.intro", lang)) + _picker(con, state) + _detail(con, k, lang),
            title=pick(k, "name", lang),
            image=("kpi", k["kpi_id"]),
        )
    return View(t("progress.heading", lang), t("progress.intro", lang), _overview(con, state))


def counts_sentence(kpis: Any, lang: str) -> str:
    """'28件のKPI。達成 0、順調 0、…' (progress.summary_chart)."""
    counts = {s: int((kpis.status == s).sum()) for s in STATUSES}
    return t("progress.summary_chart", lang, n=len(kpis), **counts)


def _overview(con: Con, state: ViewState) -> str:
    lang = state.lang
    kpis = queries.kpis(con, goals=state.goals, area=state.area, pillar=state.pillar, status=state.status)
    parts = [
        intro(t("progress.intro", lang)),
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
                + frame_table(kpi_table(part, lang), label=title),
            )
        )
    term2 = queries.kpis(con, plan_term=2)
    parts.append(
        section(
            t("progress.term2_heading", lang),
            caption(t("progress.term2_help", lang))
            + frame_table(kpi_table(term2, lang), label=t("progress.term2_heading", lang))
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


def _detail(con: Con, k: dict[str, Any], lang: str) -> str:
    """One KPI: status, values, its sentence, sources, SDG targets, initiatives."""
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
    metrics = "".join(
        el(
            "div",
            text("dt", label) + text("dd", value or t("word.no_data", lang), class_="kd-v"),
            class_="kd-metric",
        )
        for label, value in values
    )
    parts = [
        el("p", link(page_href("progress", lang), t("word.back", lang))),
        text("h2", pick(k, "name", lang), class_="kd-v"),
        el("p", status_badge(k["status"], lang, int(k["plan_term"]))),
        caption(t(f"status.explain.{status_key(k['status'], k['plan_term'])}", lang)),
        el("dl", metrics, class_="kd-metrics"),
        text("p", kpi_summary(k, lang), class_="kd-v"),
        _sources(con, k, lang),
        _targets(con, kpi_id, lang),
        _initiatives(con, k, lang),
    ]
    return "".join(parts)


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
