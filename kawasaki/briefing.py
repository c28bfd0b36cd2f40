"""Council briefings: everything one briefing shows, gathered from the database.

A briefing covers one *scope*: a policy area, the priority KPIs of a pillar, an SDG goal
or one KPI. ``build_briefing(con, "area", "3", "ja")`` returns a :class:`Briefing`: title,
dates and build stamp, the KPI rows with exactly the strings the progress page prints
(``kawasaki.present.kpi_table``), the charts (``kawasaki.figures``) and the attribution
lines. pages/briefing.py renders it on screen and kawasaki.pdf on paper, so the screen,
the print-out and the PDF show the same numbers. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from kawasaki import plancontext, queries
from kawasaki.clock import TOKYO, today_in_kawasaki  # noqa: F401 - TOKYO: kawasaki.pdf imports it here
from kawasaki.figures.bars import progress_bars_html
from kawasaki.figures.progress import progress_chart
from kawasaki.figures.seriessvg import kpi_series_svg
from kawasaki.figures.timeseries import kpi_timeseries
from kawasaki.i18n import pick, t
from kawasaki.present import (
    goal_label,
    group_kpis,
    initiative_label,
    kpi_summary,
    kpi_table,
    line_text,
    pace_text,
    status_key,
    status_text,
    verdict_text,
)
from kawasaki.progress import STATUSES
from kawasaki.releases import changes_since
from kawasaki.state import ViewState

Con = duckdb.DuckDBPyConnection

# The URL parameters that name a briefing's scope, in the order that wins when a link
# names several (the narrowest first).
SCOPES = ("kpi", "area", "pillar", "goal")
PILLARS = ("economy", "society", "environment")


@dataclass(frozen=True)
class Scope:
    """What one briefing is about: ``Scope("area", "3")``, ``Scope("kpi", "ghg-reduction")``."""

    kind: str  # one of SCOPES
    value: str

    @property
    def slug(self) -> str:
        """The scope in file names: 'area-3'."""
        return f"{self.kind}-{self.value}"


class UnknownScope(ValueError):
    """A policy area, pillar, goal or KPI that the database does not have."""


def scope_of(state: ViewState) -> Scope | None:
    """The scope the URL state names; with several, the first in SCOPES (and the first goal).

    >>> scope_of(ViewState(area=3, goals=(13,)))
    Scope(kind='area', value='3')
    >>> scope_of(ViewState(goals=(13, 14)))
    Scope(kind='goal', value='13')
    >>> scope_of(ViewState(lang="en")) is None
    True
    """
    for kind, value in _scope_values(state):
        if value is not None:
            return Scope(kind, str(value))
    return None


def scope_is_ambiguous(state: ViewState) -> bool:
    """True when the URL names more than one scope (or more than one goal).

    >>> scope_is_ambiguous(ViewState(area=3, pillar="economy")), scope_is_ambiguous(ViewState(area=3))
    (True, False)
    """
    given = sum(value is not None for _, value in _scope_values(state))
    return given > 1 or len(state.goals) > 1


def _scope_values(state: ViewState) -> list[tuple[str, Any]]:
    goal = state.goals[0] if state.goals else None
    values = {"kpi": state.kpi, "area": state.area, "pillar": state.pillar, "goal": goal}
    return [(kind, values[kind]) for kind in SCOPES]


def only_scope(state: ViewState, scope: Scope | None) -> ViewState:
    """The state with ``scope`` as its only scope parameter (the briefing's canonical URL).

    >>> only_scope(ViewState(area=3, goals=(13,), lang="en"), Scope("area", "3")).to_params()
    {'lang': 'en', 'area': '3'}
    """
    cleared = state.with_(kpi=None, area=None, pillar=None, goals=())
    if scope is None:
        return cleared
    if scope.kind == "area":
        return cleared.with_(area=int(scope.value))
    if scope.kind == "goal":
        return cleared.with_(goals=(int(scope.value),))
    return cleared.with_(**{scope.kind: scope.value})


@dataclass(frozen=True)
class KpiRow:
    """One KPI as the progress page's table prints it, with the lines printed under it."""

    kpi_id: str
    plan_term: int
    name: str
    baseline: str  # '2023年度 ▲35.0%'
    latest: str  # '実績値なし' or '2025年度 794件'
    target: str  # '2027年度 ▲45.4%以上'
    progress: str  # '進捗 45%' or '実績値なし'
    status: str  # with its symbol: '… 実績値なし'
    status_key: str  # achieved, on_track, behind, not_achieved, no_actual (for the colour)
    details: tuple[str, ...]  # placement, SDG targets, pace, the plan's verdict, source, note
    summary: str  # one sentence (the text alternative of its chart)

    def cells(self) -> tuple[str, str, str, str, str, str]:
        """The six cells of the KPI table, in the order of ``Briefing.columns``."""
        return (self.name, self.baseline, self.latest, self.target, self.progress, self.status)


@dataclass(frozen=True)
class Chart:
    """A chart of the briefing: the Plotly figure, its title, text alternative and file name."""

    name: str  # file name without extension: 'kawasaki-briefing-area-3-ja-1'
    title: str
    figure: go.Figure
    alt: str
    html: str = (
        ""  # the chart as HTML for the page (progress bars, the KPI's SVG series); '' to draw the figure
    )


@dataclass(frozen=True)
class Section:
    """A heading with its chart (if any) and its KPI table."""

    heading: str
    rows: tuple[KpiRow, ...]
    chart: Chart | None = None
    note: str | None = None

    def table(self, columns: tuple[str, ...]) -> dict[str, list[str]]:
        """The KPI table as {column heading: cells} (for st.table)."""
        return {c: [row.cells()[i] for row in self.rows] for i, c in enumerate(columns)}


@dataclass(frozen=True)
class Briefing:
    """Everything one briefing shows, in the order it shows it."""

    scope: Scope
    lang: str
    document: str  # '議会説明資料'
    title: str
    subtitle: str
    intro: tuple[str, ...]
    generated: dt.date
    data_as_of: dt.date | None
    build_stamp: str
    summary: str
    notes: tuple[str, ...]
    columns: tuple[str, ...]  # headings of the KPI table
    sections: tuple[Section, ...]
    target_texts: tuple[str, ...]  # a KPI briefing: its SDG targets with their text
    legend: tuple[tuple[str, str], ...]  # (status with symbol, what it means)
    attributions: tuple[str, ...]
    since: dt.date | None = None  # "changes since": the date asked for (None: no such section)
    changes: tuple[str, ...] = ()  # the changes of its KPIs released since then, with their dates

    @property
    def charts(self) -> list[Chart]:
        """Every chart, in order."""
        return [s.chart for s in self.sections if s.chart is not None]

    @property
    def rows(self) -> list[KpiRow]:
        """Every KPI row, in order (a KPI appears once)."""
        seen: dict[str, KpiRow] = {}
        for section in self.sections:
            for row in section.rows:
                seen.setdefault(row.kpi_id, row)
        return list(seen.values())

    @property
    def file_stem(self) -> str:
        """'kawasaki-briefing-area-3-ja'."""
        return f"kawasaki-briefing-{self.scope.slug}-{self.lang}"

    def meta(self) -> tuple[str, str, str]:
        """The lines under the title: prepared date, data as-of date, build stamp."""
        return (
            t("briefing.generated", self.lang, date=self.generated.isoformat()),
            t("briefing.as_of", self.lang, date=_date_text(self.data_as_of)),
            t("briefing.build", self.lang, stamp=self.build_stamp),
        )

    def changes_heading(self) -> str:
        """The heading of the "changes since" section."""
        return t("briefing.changes_since", self.lang, date=_date_text(self.since))

    def changes_lines(self) -> tuple[str, ...]:
        """The "changes since" section's lines, or the one line saying there were none."""
        return self.changes or (t("briefing.changes_none", self.lang, date=_date_text(self.since)),)

    def footer(self) -> str:
        """The line at the foot of every printed page (without the page number)."""
        return t(
            "briefing.footer",
            self.lang,
            as_of=_date_text(self.data_as_of),
            stamp=self.build_stamp,
            generated=self.generated.isoformat(),
        )


def _date_text(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def _items(value: Any) -> list[Any]:
    """A list column's value (a list or a numpy array from DuckDB) as a list; None as []."""
    return [] if value is None or isinstance(value, float) else list(value)


def _clean(value: Any) -> Any:
    """None for pandas' NaN, the value otherwise."""
    return None if isinstance(value, float) and value != value else value


# --- building -----------------------------------------------------------------------


def build_briefing(
    con: Con,
    kind: str,
    value: str | int,
    lang: str,
    today: dt.date | None = None,
    since: dt.date | str | None = None,
) -> Briefing:
    """The briefing of one scope in ``lang``, with the changes of its KPIs released on or
    after ``since`` when given; raises UnknownScope for a value not in the data."""
    scope = Scope(kind, str(value).strip())
    if kind not in SCOPES:
        raise UnknownScope(f"unknown briefing scope {kind!r}: use one of {', '.join(SCOPES)}")
    content = _BUILDERS[kind](con, scope.value, lang)
    info = queries.build_info(con)
    generated = today or today_in_kawasaki()
    stem = f"kawasaki-briefing-{scope.slug}-{lang}"
    sections = []
    for n, (heading, kpis, chart, note) in enumerate(content["sections"], start=1):
        sections.append(
            Section(
                heading=heading,
                rows=kpi_rows(con, kpis, lang, goal=content.get("goal"), today=generated),
                chart=Chart(f"{stem}-{n}", *chart) if chart else None,
                note=note,
            )
        )
    term3 = content["kpis"]
    all_rows = [row for section in sections for row in section.rows]
    return Briefing(
        scope=scope,
        lang=lang,
        document=t("briefing.document", lang),
        title=content["title"],
        subtitle=t("briefing.subtitle", lang, plan=t("app.plan", lang)),
        intro=tuple(p for p in content["intro"] if p),
        generated=generated,
        data_as_of=info.get("data_as_of"),
        build_stamp=str(info.get("build_stamp", "")),
        summary=content.get("summary") or _summary(term3, lang),
        notes=tuple(_notes(term3, lang) + content.get("notes", [])),
        columns=tuple(kpi_table(term3.head(0), lang).columns),
        sections=tuple(sections),
        target_texts=tuple(content.get("target_texts", ())),
        legend=_legend(all_rows, lang),
        attributions=_attributions(con, content["attributions"], lang),
        since=dt.date.fromisoformat(str(since)) if since else None,
        changes=changes_since(con, str(since), tuple(r.kpi_id for r in all_rows), lang) if since else (),
    )


def kpi_rows(
    con: Con, kpis: pd.DataFrame, lang: str, goal: int | None = None, today: dt.date | None = None
) -> tuple[KpiRow, ...]:
    """The KPI rows: the progress page's table cells, plus placement, SDG targets, the pace
    its straight line needs on ``today`` (the date prepared), the plan's verdict, source and note.

    With ``goal``, only that goal's SDG targets are listed under each KPI.
    """
    if kpis.empty:
        return ()
    table = kpi_table(kpis, lang)
    initiatives = queries.initiatives(con).set_index("initiative_id")
    rows = []
    for record, cells in zip(kpis.to_dict("records"), table.itertuples(index=False, name=None), strict=True):
        name, baseline, latest, target, progress, status = cells
        plan_term = int(record["plan_term"])
        rows.append(
            KpiRow(
                kpi_id=record["kpi_id"],
                plan_term=plan_term,
                name=name,
                baseline=baseline,
                latest=latest,
                target=target,
                progress=progress,
                status=status,
                status_key=record["status"],
                details=_details(record, initiatives, lang, goal, today or today_in_kawasaki()),
                summary=kpi_summary(record, lang),
            )
        )
    return tuple(rows)


def _details(
    record: dict[str, Any], initiatives: pd.DataFrame, lang: str, goal: int | None, today: dt.date
) -> tuple[str, ...]:
    lines = []
    places = []
    if _clean(record.get("pillar")):
        places.append(t("progress.priority_of", lang, pillar=t(f"pillar.{record['pillar']}", lang)))
    for initiative_id in _items(record.get("initiative_ids")):
        places.append(initiative_label(initiatives.loc[initiative_id].to_dict(), lang))
    if places:
        lines.append(t("briefing.detail_placed", lang, places=t("word.clause_separator", lang).join(places)))
    targets = [x for x in _items(record.get("targets")) if goal is None or str(x).split(".")[0] == str(goal)]
    if targets:
        lines.append(t("briefing.detail_targets", lang, targets=t("word.list_separator", lang).join(targets)))
    if _clean(record.get("baseline_value")) is not None:
        pace, line = pace_text(record, lang, today), line_text(record, lang, today)
        lines.append(t("pace.detail", lang, pace=pace, line=line))
    if _clean(record.get("plan_verdict_ja")):
        verdict = t(
            "word.label_value", lang, label=t("verdict.column", lang), value=verdict_text(record, lang)
        )
        lines.append(verdict)
    if _clean(record.get("source_ja")):
        lines.append(t("progress.source_line", lang, source=pick(record, "source", lang)))
    else:
        lines.append(t("progress.source_plan_only", lang))
    if _clean(record.get("note_ja")):
        lines.append(t("briefing.detail_note", lang, note=pick(record, "note", lang)))
    return tuple(lines)


def _summary(kpis: pd.DataFrame, lang: str) -> str:
    counts = {s: int((kpis.status == s).sum()) for s in STATUSES}
    return t("progress.summary_chart", lang, n=len(kpis), **counts)


def _notes(kpis: pd.DataFrame, lang: str) -> list[str]:
    notes = []
    if len(kpis) and (kpis.status == "no_actual").all():
        notes.append(t("home.no_actual_note", lang))
    if kpis.empty:
        notes.append(t("briefing.none", lang))
    notes.append(t("word.fiscal_note", lang))
    return notes


def _legend(rows: list[KpiRow], lang: str) -> tuple[tuple[str, str], ...]:
    present = {(r.status_key, r.plan_term) for r in rows}
    order = {s: i for i, s in enumerate(STATUSES)}
    return tuple(
        (status_text(s, lang, term), t(f"status.explain.{status_key(s, term)}", lang))
        for s, term in sorted(present, key=lambda p: (order[p[0]], -p[1]))
    )


def _attributions(con: Con, keys: tuple[str, ...], lang: str) -> tuple[str, ...]:
    table = queries.attributions(con).set_index("key")
    return tuple(pick(table.loc[key], "text", lang) for key in keys if key in table.index)


def _progress_chart(
    kpis: pd.DataFrame, lang: str, about: str | None = None
) -> tuple[str, go.Figure, str, str] | None:
    """(title, figure, text alternative, HTML) of a progress chart; ``about`` names its
    group. The page shows the HTML bars; the PNG and the PDF draw the figure."""
    if kpis.empty:
        return None
    alt = " ".join(kpi_summary(r, lang) for r in kpis.to_dict("records"))
    title = t("briefing.chart", lang)
    if about:
        title = t("word.labelled", lang, label=title, value=about)
    # names above the bars: readable on a phone (390 px) as on paper
    return (
        title,
        progress_chart(kpis, lang, names_above=True),
        alt,
        progress_bars_html(kpis, lang, _summary(kpis, lang)),
    )


def _unknown(what: str, value: str, choices: list[str]) -> UnknownScope:
    return UnknownScope(f"unknown {what} {value!r}: choose one of {', '.join(choices)}")


def _area(con: Con, value: str, lang: str) -> dict[str, Any]:
    areas = queries.policy_areas(con)
    match = areas[areas.number.astype(str) == value]
    if match.empty:
        raise _unknown("policy area", value, [str(n) for n in areas.number])
    area = match.iloc[0].to_dict()
    kpis = queries.kpis(con, area=int(value))
    return {
        "title": t("briefing.title_area", lang, n=value, name=pick(area, "name", lang)),
        "intro": [
            t("briefing.vision", lang, title=pick(area, "vision_title", lang)),
            pick(area, "vision", lang),
        ],
        "kpis": kpis,
        "sections": [(t("briefing.kpis", lang), kpis, _progress_chart(kpis, lang), None)],
        "attributions": ("plan",),
    }


def _pillar(con: Con, value: str, lang: str) -> dict[str, Any]:
    pillars = queries.pillars(con)
    match = pillars[pillars.pillar == value]
    if match.empty:
        raise _unknown("pillar", value, list(pillars.pillar))
    pillar = match.iloc[0].to_dict()
    kpis = queries.kpis(con, pillar=value)
    term2 = queries.kpis(con, plan_term=2, pillar=value)
    sections = [(t("briefing.kpis", lang), kpis, _progress_chart(kpis, lang), None)]
    if len(term2):
        note = f"{t('progress.term2_help', lang)} {t('briefing.term2_note', lang)}"
        sections.append((t("progress.term2_heading", lang), term2, None, note))
    return {
        "title": t("pillar.priority", lang, pillar=t(f"pillar.{value}", lang)),
        "intro": pick(pillar, "text", lang).split("\n"),
        "kpis": kpis,
        "sections": sections,
        "attributions": ("plan",),
    }


def _goal(con: Con, value: str, lang: str) -> dict[str, Any]:
    goals = queries.goals(con)
    match = goals[goals.goal.astype(str) == value]
    if match.empty:
        raise _unknown("SDG goal", value, [str(g) for g in goals.goal])
    goal = match.iloc[0].to_dict()
    kpis = queries.kpis(con, goals=(int(value),))
    groups = group_kpis(kpis, "area", queries.policy_areas(con), lang)
    return {
        "title": goal_label(int(value), pick(goal, "name", lang), lang),
        "intro": [pick(goal, "title", lang)],
        "kpis": kpis,
        "goal": int(value),
        "sections": [(heading, part, _progress_chart(part, lang, heading), None) for heading, part in groups],
        "attributions": ("plan", "unic", "un_texts", "mofa"),
    }


def _kpi(con: Con, value: str, lang: str) -> dict[str, Any]:
    k = queries.kpi(con, value)
    if k is None:
        choices = queries.vocabulary(con)["kpi"]
        raise _unknown("KPI", value, choices)
    plan_term = int(k["plan_term"])
    kpis = queries.kpis(con, plan_term=plan_term, kpi_id=value)
    observations = plancontext.kpi_chart_observations(con, value)
    alt = kpi_summary(k, lang) + plancontext.chart_extras_text(
        k, observations, lang, plancontext.linked_kpi(con, value)
    )
    series = kpi_series_svg(k, observations, lang, alt)  # the page's SVG; the PNG and PDF draw the figure
    chart = (t("briefing.series", lang), kpi_timeseries(k, observations, lang), alt, series)
    targets = queries.kpi_sdg_targets(con, value)
    notes = [t("progress.term2_help", lang)] if plan_term == 2 else []
    for fact in plancontext.facts(con, kpi_id=value).to_dict("records"):  # a longer-term goal
        notes.append(f"{plancontext.fact_quote(fact, lang)} {plancontext.fact_citation(fact, lang)}")
    return {
        "title": pick(k, "name", lang),
        "intro": [],
        "kpis": kpis,
        "summary": kpi_summary(k, lang),
        "notes": notes,
        "sections": [(t("briefing.kpis", lang), kpis, chart, None)],
        "target_texts": [f"{r['target_id']} {pick(r, 'title', lang)}" for r in targets.to_dict("records")],
        "attributions": ("plan", "un_texts", "mofa") if len(targets) else ("plan",),
    }


_BUILDERS = {"area": _area, "pillar": _pillar, "goal": _goal, "kpi": _kpi}
