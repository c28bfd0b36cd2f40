"""Goals × initiatives (pages/matrix.py): the matrix as a table with its sentence; with
``?row=`` that row's linked targets and KPIs."""

from __future__ import annotations

import datetime as dt

from kawasaki import queries
from kawasaki.figures.heatmapsvg import matrix_svg
from kawasaki.i18n import pick, t
from kawasaki.matrix import build_matrix, matrix_table, summary
from kawasaki.present import row_label, status_text
from kawasaki.queries import Con
from kawasaki.site.markup import esc, frame_table, items, link, section, text
from kawasaki.site.views import View
from kawasaki.site.views.parts import caption, intro, note
from kawasaki.state import ViewState, page_href


def view(con: Con, state: ViewState, today: dt.date) -> View:
    """The matrix under the state's filters (level, goals, pillar, area, target)."""
    lang = state.lang
    level = state.level or "goal"
    matrix = build_matrix(
        queries.matrix_rows(con),
        queries.matrix_links(con),
        level=level,
        goals=state.goals,
        pillar=state.pillar,
        area=state.area,
        target=state.target,
    )
    labels = {r["row_id"]: row_label(r, lang) for r in queries.matrix_rows(con).to_dict("records")}
    parts = [intro(t("matrix.intro", lang))]
    if matrix.total_links == 0:
        parts.append(note(t("matrix.no_cells", lang)))
    else:
        sentence = summary(matrix, level, labels, lang)
        parts += [
            caption(t("matrix.cell_help", lang)),
            matrix_svg(matrix, level, labels, lang),  # the app's heatmap, in the first paint
            text("p", sentence, class_="kd-v"),
            frame_table(
                matrix_table(matrix, level, labels, lang),
                row_headers=True,
                label=t("matrix.table_caption", lang),
                grid=True,  # the app's table behind the heatmap is a data grid
            ),
        ]
    if state.row:
        parts.append(_row(con, matrix, state.row, labels, lang))
    return View(t("matrix.heading", lang), t("matrix.intro", lang), "".join(parts))


def _row(con: Con, matrix, row: str, labels: dict[str, str], lang: str) -> str:
    """One row's linked targets and KPIs (with links to their details)."""
    titles = queries.targets(con, used_only=True).set_index("target_id")
    kind, _, ident = row.partition(":")
    kpis = queries.kpis(con, pillar=ident) if kind == "pillar" else queries.kpis(con, initiative=ident)
    linked = matrix.links[matrix.links.row_id == row].drop_duplicates("target_id")
    targets = items(
        f"{text('strong', target_id)} {esc(pick(titles.loc[target_id], 'title', lang))}"
        for target_id in linked.target_id
    )
    kpi_items = items(
        f"{esc(pick(k, 'name', lang))} — {esc(status_text(k['status'], lang))} "
        + link(page_href("progress", lang, kpi=k["kpi_id"]), t("word.details", lang))
        for k in kpis.to_dict("records")
    )
    return section(
        labels[row],
        text("h3", t("matrix.linked_targets", lang)) + targets + text("h3", t("word.kpis", lang)) + kpi_items,
    )
