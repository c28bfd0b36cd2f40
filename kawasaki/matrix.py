"""The goals × initiatives matrix: which rows and columns to show, and the counts.

A row is one of the 18 initiatives or the priority KPIs of one pillar; a column is
a goal (or, at target level, one of the targets the plan uses). A cell counts the
distinct SDG targets linked through that row's KPIs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from kawasaki.i18n import t


@dataclass(frozen=True)
class Matrix:
    """Counts (rows × columns) with the ids of the rows and columns shown."""

    counts: pd.DataFrame  # index: row_id, columns: goal numbers (int) or target ids (str)
    links: pd.DataFrame  # the (row_id, kpi_id, target_id, goal) links behind the counts

    @property
    def total_links(self) -> int:
        """The number of distinct (row, target) links shown."""
        return int(self.counts.to_numpy().sum())


def build_matrix(
    rows: pd.DataFrame,
    links: pd.DataFrame,
    *,
    level: str = "goal",
    goals: Sequence[int] = (),
    pillar: str | None = None,
    area: int | None = None,
    target: str | None = None,
) -> Matrix:
    """Filter the rows and links, then count targets per cell.

    * ``pillar``: that pillar's row and the initiative rows sharing a KPI with it.
    * ``area``: the initiative rows of that policy area (pillar rows are dropped).
    * ``goals`` / ``target``: only links to those goals / that target; columns too.
    * ``level``: 'goal' (17 columns, or the chosen goals) or 'target' (the targets
      the plan links, after the filters).
    """
    chosen = links
    if goals:
        chosen = chosen[chosen.goal.isin(list(goals))]
    if target:
        chosen = chosen[chosen.target_id == target]
    keep = rows
    if pillar:
        pillar_kpis = set(links.loc[links.row_id == f"pillar:{pillar}", "kpi_id"])
        sharing = set(links.loc[links.kpi_id.isin(pillar_kpis), "row_id"])
        keep = keep[
            (keep.row_id == f"pillar:{pillar}")
            | ((keep.row_kind == "initiative") & keep.row_id.isin(sharing))
        ]
    if area is not None:
        keep = keep[(keep.row_kind == "initiative") & (keep.area == area)]
    chosen = chosen[chosen.row_id.isin(set(keep.row_id))]
    distinct = chosen.drop_duplicates(["row_id", "target_id"])
    if level == "target":
        order = distinct.drop_duplicates("target_id").sort_values("sort_key").target_id.tolist()
        column = "target_id"
    else:
        order = sorted(goals) if goals else list(range(1, 18))
        if target:
            order = sorted(distinct.goal.unique().tolist()) or order
        column = "goal"
    counts = (
        (
            distinct.groupby(["row_id", column])
            .size()
            .unstack(fill_value=0)
            .reindex(index=keep.row_id, columns=order)
        )
        .fillna(0)
        .astype(int)
    )
    return Matrix(counts=counts, links=chosen)


def top_cell(matrix: Matrix) -> tuple[str, object, int] | None:
    """The (row_id, column, count) of the largest cell, first in reading order."""
    if matrix.counts.empty or matrix.total_links == 0:
        return None
    values = matrix.counts.to_numpy()
    r, c = divmod(int(values.argmax()), values.shape[1])
    return matrix.counts.index[r], matrix.counts.columns[c], int(values[r, c])


def column_labels(matrix: Matrix, level: str, lang: str) -> list[str]:
    """The columns' labels: '目標13' per goal, or the target ids."""
    return [t("word.goal_n", lang, n=c) if level == "goal" else str(c) for c in matrix.counts.columns]


def matrix_table(matrix: Matrix, level: str, row_labels: dict[str, str], lang: str) -> pd.DataFrame:
    """The matrix as a table: a row label column, then one column per goal or target."""
    table = matrix.counts.copy()
    table.columns = column_labels(matrix, level, lang)
    table.insert(0, t("word.initiative", lang), [row_labels[r] for r in matrix.counts.index])
    return table


def summary(matrix: Matrix, level: str, row_labels: dict[str, str], lang: str) -> str:
    """The matrix in one sentence (the heatmap's text alternative); '' when it is empty."""
    top = top_cell(matrix)
    if top is None:
        return ""
    return t(
        "matrix.summary",
        lang,
        rows=len(matrix.counts.index),
        cols=len(matrix.counts.columns),
        links=matrix.total_links,
        top_row=row_labels[top[0]],
        top_col=t("word.goal_n", lang, n=top[1]) if level == "goal" else top[1],
        top_n=top[2],
    )
