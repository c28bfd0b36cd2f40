"""SDG coverage: which of the 169 targets the plan touches, through which KPIs and initiatives.

The plan links SDG targets to its KPIs only (the numbers printed beside each KPI). A
target is *touched* when at least one third-term KPI is linked to it; its initiatives
are those of its KPIs (a pillar's priority KPI without an initiative adds none). The
filters narrow the KPIs counted: a pillar keeps that pillar's priority KPIs, a policy
area the KPIs of its initiatives (and only those initiatives). ``links`` is the one
query; everything else is a pure function of its rows, tested in tests/test_coverage.py.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import pandas as pd

from kawasaki.i18n import pick, t
from kawasaki.present import contrast_ratio, initiative_label, text_colour_on

Con = duckdb.DuckDBPyConnection
# Cell colours by number of linked KPIs: grey (dashed edge) for none, then light to mid
# blue, the matrix heatmap's scale. Dark text meets 4.5:1 on each (tests/test_coverage.py).
UNTOUCHED = "#EEEEEE"
SHADES = ((1, 1, "#DCEAF5"), (2, 2, "#B3D3EA"), (3, 5, "#7FB2DA"), (6, None, "#4292C6"))


def links(con: Con) -> pd.DataFrame:
    """Every (SDG target, third-term KPI) link with the KPI's pillar and initiatives, and
    every target (a target without a KPI has one row with no KPI)."""
    return con.execute(
        """
        SELECT t.target_id, t.goal, t.sort_key, t.title_ja, t.title_en,
               k.kpi_id, k.sort_order, k.pillar, k.initiative_ids, k.areas
        FROM sdg_targets t
        LEFT JOIN kpi_targets kt USING (target_id)
        LEFT JOIN kpi_list k ON k.kpi_id = kt.kpi_id AND k.plan_term = 3
        ORDER BY t.sort_key, k.sort_order
        """
    ).df()


def initiative_area(initiative_id: str) -> int:
    """The policy area of an initiative id: '3-1' → 3."""
    return int(initiative_id.split("-")[0])


def by_target(rows: pd.DataFrame, *, pillar: str | None = None, area: int | None = None) -> pd.DataFrame:
    """One row per target, in the UN's order: the KPIs and initiatives linked under the filters.

    Columns: target_id, goal, sort_key, title_ja, title_en, kpi_ids, initiative_ids,
    kpi_count, initiative_count.
    """
    out = []
    for target_id, group in rows.groupby("target_id", sort=False):
        first = group.iloc[0]
        kpis, initiatives = [], []
        for r in group.to_dict("records"):
            if not isinstance(r["kpi_id"], str):
                continue
            if pillar is not None and r["pillar"] != pillar:
                continue
            mine = [i for i in _items(r["initiative_ids"]) if area is None or initiative_area(i) == area]
            if area is not None and not mine:
                continue
            kpis.append(r["kpi_id"])
            initiatives += mine
        initiatives = sorted(set(initiatives), key=lambda i: tuple(int(p) for p in i.split("-")))
        out.append(
            {
                "target_id": target_id,
                "goal": int(first["goal"]),
                "sort_key": int(first["sort_key"]),
                "title_ja": first["title_ja"],
                "title_en": first["title_en"],
                "kpi_ids": list(dict.fromkeys(kpis)),
                "initiative_ids": initiatives,
            }
        )
    table = pd.DataFrame(out)
    table["kpi_count"] = [len(k) for k in table.kpi_ids]
    table["initiative_count"] = [len(i) for i in table.initiative_ids]
    return table.sort_values("sort_key", ignore_index=True)


def _items(value: Any) -> list[str]:
    """A list column's value (list or numpy array; None/NaN for none) as a list."""
    if value is None or isinstance(value, float):
        return []
    return [str(v) for v in value]


def by_goal(targets: pd.DataFrame, goals: pd.DataFrame) -> pd.DataFrame:
    """Per goal: its targets, how many the plan touches, and those it does not (in order)."""
    rows = []
    for g in goals.to_dict("records"):
        mine = targets[targets.goal == g["goal"]]
        touched = mine[mine.kpi_count > 0]
        rows.append(
            {
                "goal": int(g["goal"]),
                "name_ja": g["name_ja"],
                "name_en": g["name_en"],
                "color_hex": g["color_hex"],
                "targets": len(mine),
                "touched": len(touched),
                "untouched_ids": list(mine[mine.kpi_count == 0].target_id),
            }
        )
    return pd.DataFrame(rows)


def shade(kpi_count: int) -> tuple[str, str]:
    """(background, text colour) of a target cell with ``kpi_count`` KPIs.

    >>> shade(0)
    ('#EEEEEE', '#1A1A1A')
    >>> shade(21)[0]
    '#4292C6'
    """
    if kpi_count <= 0:
        return UNTOUCHED, text_colour_on(UNTOUCHED)
    for low, high, colour in SHADES:
        if kpi_count >= low and (high is None or kpi_count <= high):
            return colour, text_colour_on(colour)
    raise ValueError(kpi_count)


def shade_labels(lang: str) -> list[tuple[str, str]]:
    """The legend: (colour, what it means) for untouched and each shade."""
    items = [(UNTOUCHED, t("coverage.legend_none", lang))]
    for low, high, colour in SHADES:
        if high is None:
            items.append((colour, t("coverage.legend_more", lang, n=low)))
        elif low == high == 1:
            items.append((colour, t("coverage.legend_one", lang)))
        elif low == high:
            items.append((colour, t("word.kpi_count", lang, n=low)))
        else:
            items.append((colour, t("coverage.legend_range", lang, low=low, high=high)))
    return items


def cell_label(row: dict[str, Any], lang: str) -> str:
    """A cell's accessible name: 'ターゲット13.1：KPI 10件、取組 5件'."""
    key = "coverage.cell_none" if row["kpi_count"] == 0 else "coverage.cell"
    return t(key, lang, target=row["target_id"], kpis=row["kpi_count"], initiatives=row["initiative_count"])


_STYLE = (
    "<style>.cov{margin:0;padding:0}.cov ol{list-style:none;margin:0;padding:0}"
    ".cov-row{display:flex;align-items:flex-start;gap:6px;padding:4px 0;border-bottom:1px solid #E3E6EA}"
    ".cov-goal{flex:0 0 4.6rem;font-weight:700;font-size:.85rem;padding:6px 6px;border-radius:4px;"
    "text-decoration:none !important;line-height:1.2}"
    ".cov-cells{display:flex;flex-wrap:wrap;gap:3px;list-style:none;margin:0;padding:0;flex:1}"
    ".cov-cell{display:flex;flex-direction:column;align-items:center;justify-content:center;width:3.1rem;"
    "height:2.5rem;border-radius:3px;border:1px solid #8A9099;text-decoration:none !important;line-height:1.1}"
    ".cov-cell span{color:inherit !important}.cov-none{border:1px dashed #6B6B6B}"
    ".cov-id{font-size:.72rem}.cov-n{font-size:.95rem;font-weight:700}"
    ".cov-cell:focus-visible,.cov-goal:focus-visible{outline:3px solid #1A1A1A;outline-offset:1px}"
    ".cov-sum{flex:0 0 3.2rem;font-size:.8rem;text-align:right;padding-top:6px;color:#333}"
    ".cov-legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;margin:.5rem 0 0;padding:0;"
    "font-size:.85rem}.cov-legend li{display:flex;align-items:center;gap:.35rem}"
    ".cov-sw{display:inline-block;width:1.1rem;height:1.1rem;border:1px solid #6B6B6B;border-radius:2px}</style>"
)


def grid_html(
    targets: pd.DataFrame,
    goals: pd.DataFrame,
    lang: str,
    target_href: Callable[[str], str],
    goal_href: Callable[[int], str],
) -> str:
    """The 17-row grid: one row per goal (``goals``, a ``by_goal`` table), one cell per target,
    shaded by its number of KPIs, each a link; every string escaped, colours from constants."""
    e = html.escape
    rows = []
    for g in goals.to_dict("records"):
        cells = []
        for r in targets[targets.goal == g["goal"]].to_dict("records"):
            background, colour = shade(r["kpi_count"])
            label = e(cell_label(r, lang), quote=True)
            extra = " cov-none" if r["kpi_count"] == 0 else ""
            cells.append(
                f'<li><a class="cov-cell{extra}" href="{e(target_href(r["target_id"]), quote=True)}" '
                f'target="_self" aria-label="{label}" title="{label}" style="background:{background};color:{colour}">'
                f'<span class="cov-id">{e(r["target_id"])}</span><span class="cov-n">{int(r["kpi_count"])}</span>'
                "</a></li>"
            )
        colour = g["color_hex"]
        goal_name = e(t("word.goal_n", lang, n=g["goal"]) + " " + pick(g, "name", lang), quote=True)
        summary = e(t("coverage.goal_touched", lang, touched=g["touched"], total=g["targets"]))
        rows.append(
            f'<li class="cov-row"><a class="cov-goal" href="{e(goal_href(int(g["goal"])), quote=True)}" '
            f'target="_self" aria-label="{goal_name}" title="{goal_name}" '
            f'style="background:{colour};color:{text_colour_on(colour)} !important">'
            f"{e(t('word.goal_n', lang, n=g['goal']))}</a>"
            f'<ul class="cov-cells">{"".join(cells)}</ul><span class="cov-sum">{summary}</span></li>'
        )
    legend = "".join(
        f'<li><span class="cov-sw" style="background:{c}"></span><span>{e(text)}</span></li>'
        for c, text in shade_labels(lang)
    )
    name = e(t("coverage.grid_label", lang), quote=True)
    return (
        f'{_STYLE}<nav class="cov" aria-label="{name}"><ol>{"".join(rows)}</ol>'
        f'<ul class="cov-legend" aria-label="{e(t("coverage.legend", lang), quote=True)}">{legend}</ul></nav>'
    )


def min_contrast() -> float:
    """The lowest text contrast over every cell colour (for the tests: WCAG asks 4.5)."""
    colours = [UNTOUCHED, *(c for _, _, c in SHADES)]
    return min(contrast_ratio(text_colour_on(c), c) for c in colours)


def table(
    targets: pd.DataFrame,
    kpi_names: dict[str, str],
    initiative_names: dict[str, str],
    lang: str,
) -> pd.DataFrame:
    """The grid as a table (its text alternative and download): one row per target."""
    separator = t("word.list_separator", lang)
    rows = targets.to_dict("records")
    return pd.DataFrame(
        {
            t("word.goal", lang): [t("word.goal_n", lang, n=r["goal"]) for r in rows],
            t("word.target_sdg", lang): [r["target_id"] for r in rows],
            t("coverage.kpi_count", lang): [r["kpi_count"] for r in rows],
            t("coverage.initiative_count", lang): [r["initiative_count"] for r in rows],
            t("word.kpis", lang): [separator.join(kpi_names[k] for k in r["kpi_ids"]) for r in rows],
            t("word.initiatives", lang): [
                separator.join(initiative_names[i] for i in r["initiative_ids"]) for r in rows
            ],
            t("coverage.target_text", lang): [pick(r, "title", lang) for r in rows],
        }
    )


def goal_table(goals: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per goal: targets touched of all, and the untouched ones (the summary under the grid)."""
    separator = t("word.list_separator", lang)
    rows = goals.to_dict("records")
    return pd.DataFrame(
        {
            t("word.goal", lang): [
                f"{t('word.goal_n', lang, n=r['goal'])} {pick(r, 'name', lang)}" for r in rows
            ],
            t("coverage.touched_column", lang): [
                t("coverage.goal_touched", lang, touched=r["touched"], total=r["targets"]) for r in rows
            ],
            t("coverage.untouched_column", lang): [separator.join(r["untouched_ids"]) or "—" for r in rows],
        }
    )


def totals(targets: pd.DataFrame) -> dict[str, int]:
    """How many targets there are, how many the plan touches, and how many it does not."""
    touched = int((targets.kpi_count > 0).sum())
    return {"targets": len(targets), "touched": touched, "untouched": len(targets) - touched}


def only_goals(
    targets: pd.DataFrame, goals: pd.DataFrame, chosen: Sequence[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The targets and goal rows of the chosen goals (all when none is chosen)."""
    if not chosen:
        return targets, goals
    return targets[targets.goal.isin(chosen)], goals[goals.goal.isin(chosen)]


def view_tables(
    rows: pd.DataFrame,
    goals: pd.DataFrame,
    kpis: pd.DataFrame,
    initiatives: pd.DataFrame,
    lang: str,
    chosen: Sequence[int],
    area: int | None,
    pillar: str | None,
) -> dict[str, Any]:
    """What the coverage page shows under its filters, from the rows of ``links``, the
    goals, the KPIs and the initiatives (kawasaki.queries): per target, per goal, the
    totals over all goals and over the chosen ones, and the two tables."""
    targets = by_target(rows, pillar=pillar, area=area)
    everything = totals(targets)
    targets, goal_rows = only_goals(targets, by_goal(targets, goals), chosen)
    kpi_names = {r["kpi_id"]: pick(r, "name", lang) for r in kpis.to_dict("records")}
    initiative_names = {r["initiative_id"]: initiative_label(r, lang) for r in initiatives.to_dict("records")}
    return {
        "targets": targets,
        "goals": goal_rows,
        "totals": totals(targets),
        "all": everything,
        "table": table(targets, kpi_names, initiative_names, lang),
        "goal_table": goal_table(goal_rows, lang),
    }
