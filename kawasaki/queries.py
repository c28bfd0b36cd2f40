"""Read-only queries of the built database. Each takes a DuckDB connection (or cursor).

Every query binds its parameters with ``?``; none builds SQL from input. Results
are pandas DataFrames (or plain dicts for single rows) that the pages render.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

Con = duckdb.DuckDBPyConnection


def _df(con: Con, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


def _one(con: Con, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
    cur = con.execute(sql, list(params))
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row, strict=True))


def build_info(con: Con) -> dict[str, Any]:
    """The build's stamp, time, schema version and data-as-of date."""
    return _one(con, "SELECT * FROM build_info") or {}


def build_sources(con: Con) -> pd.DataFrame:
    """Each source file with its checksum and size."""
    return _df(con, "SELECT path, sha256, bytes FROM build_sources ORDER BY path")


def attributions(con: Con) -> pd.DataFrame:
    """The attribution lines the app must show."""
    return _df(con, "SELECT key, text_ja, text_en, url FROM attributions")


def plan_texts(con: Con) -> pd.DataFrame:
    """The plan's vision texts (city image, basic goals, overview)."""
    return _df(con, "SELECT section, ord, text_ja, text_en FROM plan_texts ORDER BY section, ord")


def vocabulary(con: Con) -> dict[str, list[str]]:
    """Every valid value of each URL parameter, for checking links."""
    one = lambda sql: [str(r[0]) for r in con.execute(sql).fetchall()]  # noqa: E731
    return {
        "goal": one("SELECT goal FROM sdg_goals ORDER BY goal"),
        "target": one("SELECT target_id FROM sdg_targets ORDER BY sort_key"),
        "area": one("SELECT number FROM policy_areas ORDER BY number"),
        "pillar": one("SELECT pillar FROM pillars ORDER BY pillar"),
        "kpi": one("SELECT kpi_id FROM kpis ORDER BY sort_order"),
        "initiative": one("SELECT initiative_id FROM initiatives ORDER BY policy_area_number, number"),
        "row": one(
            "SELECT 'pillar:' || pillar FROM pillars UNION ALL SELECT 'initiative:' || initiative_id FROM initiatives"
        ),
        "ward": one("SELECT ward_code FROM wards ORDER BY ward_code"),
        "indicator": one("SELECT indicator_id FROM ward_indicator_defs ORDER BY indicator_id"),
    }


def goals(con: Con) -> pd.DataFrame:
    """The 17 goals with how many of the plan's KPIs, targets and initiatives touch each."""
    return _df(
        con,
        """
        WITH linked AS (
            SELECT t.goal, kt.kpi_id, kt.target_id, ki.initiative_id
            FROM kpi_targets kt
            JOIN kpis k USING (kpi_id)
            JOIN sdg_targets t USING (target_id)
            LEFT JOIN kpi_initiatives ki USING (kpi_id)
            WHERE k.plan_term = 3
        )
        SELECT g.goal, g.name_ja, g.name_en, g.title_ja, g.title_en, g.color_hex,
               count(DISTINCT l.kpi_id) AS kpi_count,
               count(DISTINCT l.target_id) AS target_count,
               count(DISTINCT l.initiative_id) AS initiative_count
        FROM sdg_goals g LEFT JOIN linked l USING (goal)
        GROUP BY ALL ORDER BY g.goal
        """,
    )


def targets(con: Con, goal: int | None = None, *, used_only: bool = False) -> pd.DataFrame:
    """SDG targets (optionally of one goal, optionally only those the plan links)."""
    return _df(
        con,
        """
        SELECT t.target_id, t.goal, t.title_ja, t.title_en, t.sort_key,
               count(DISTINCT kt.kpi_id) AS kpi_count
        FROM sdg_targets t
        LEFT JOIN (SELECT kt.* FROM kpi_targets kt JOIN kpis k USING (kpi_id) WHERE k.plan_term = 3) kt
            USING (target_id)
        WHERE (? IS NULL OR t.goal = ?)
        GROUP BY ALL
        HAVING NOT ? OR count(kt.kpi_id) > 0
        ORDER BY t.sort_key
        """,
        [goal, goal, used_only],
    )


def pillars(con: Con) -> pd.DataFrame:
    """The three pillars (economy, society, environment) in the plan's order."""
    return _df(
        con,
        """
        SELECT * FROM pillars
        ORDER BY CASE pillar WHEN 'economy' THEN 1 WHEN 'society' THEN 2 ELSE 3 END
        """,
    )


def policy_areas(con: Con) -> pd.DataFrame:
    """The five policy areas."""
    return _df(con, "SELECT * FROM policy_areas ORDER BY number")


def initiatives(con: Con, area: int | None = None) -> pd.DataFrame:
    """The 18 initiatives (or one area's), with their policy area's names."""
    return _df(
        con,
        """
        SELECT i.*, a.name_ja AS area_name_ja, a.name_en AS area_name_en
        FROM initiatives i JOIN policy_areas a USING (policy_area_id)
        WHERE (? IS NULL OR i.policy_area_number = ?)
        ORDER BY i.policy_area_number, i.number
        """,
        [area, area],
    )


def kpis(
    con: Con,
    *,
    plan_term: int = 3,
    goals: Sequence[int] = (),
    target: str | None = None,
    area: int | None = None,
    pillar: str | None = None,
    status: str | None = None,
    initiative: str | None = None,
    kpi_id: str | None = None,
) -> pd.DataFrame:
    """KPIs with their progress and links, filtered; in the order of kpis.csv."""
    return _df(
        con,
        """
        SELECT * FROM kpi_list
        WHERE plan_term = ?
          AND (len(?::INTEGER[]) = 0 OR list_has_any(goals, ?::INTEGER[]))
          AND (? IS NULL OR list_contains(targets, ?))
          AND (? IS NULL OR list_contains(areas, ?))
          AND (? IS NULL OR pillar = ?)
          AND (? IS NULL OR status = ?)
          AND (? IS NULL OR list_contains(initiative_ids, ?))
          AND (? IS NULL OR kpi_id = ?)
        ORDER BY sort_order
        """,
        [
            plan_term,
            list(goals),
            list(goals),
            target,
            target,
            area,
            area,
            pillar,
            pillar,
            status,
            status,
            initiative,
            initiative,
            kpi_id,
            kpi_id,
        ],
    )


def kpi(con: Con, kpi_id: str) -> dict[str, Any] | None:
    """One KPI with its progress and links, or None."""
    return _one(con, "SELECT * FROM kpi_list WHERE kpi_id = ?", [kpi_id])


def kpi_observations(con: Con, kpi_id: str) -> pd.DataFrame:
    """Baseline, actual values and target of one KPI, by period."""
    return _df(
        con,
        """
        SELECT period, period_type, value, decimals, kind, source_ja, source_en, note_ja, note_en
        FROM kpi_observations WHERE kpi_id = ?
        ORDER BY period, CASE kind WHEN 'baseline' THEN 1 WHEN 'actual' THEN 2 ELSE 3 END
        """,
        [kpi_id],
    )


def kpi_sdg_targets(con: Con, kpi_id: str) -> pd.DataFrame:
    """The SDG targets printed beside one KPI, in the printed order, with their text."""
    return _df(
        con,
        """
        SELECT t.target_id, t.goal, t.title_ja, t.title_en, g.color_hex
        FROM kpi_targets kt JOIN sdg_targets t USING (target_id) JOIN sdg_goals g USING (goal)
        WHERE kt.kpi_id = ? ORDER BY kt.ord
        """,
        [kpi_id],
    )


def measures(con: Con, initiative_ids: Sequence[str]) -> pd.DataFrame:
    """Measures (○) of the given initiatives with their action lines, one row per action."""
    return _df(
        con,
        """
        SELECT m.initiative_id, m.measure_id, m.number AS measure_number,
               m.name_ja AS measure_ja, m.name_en AS measure_en,
               a.number AS action_number, a.text_ja AS action_ja, a.text_en AS action_en
        FROM measures m LEFT JOIN measure_actions a USING (measure_id)
        JOIN initiatives i USING (initiative_id)
        WHERE list_contains(?::VARCHAR[], m.initiative_id)
        ORDER BY i.policy_area_number, i.number, m.number, a.number
        """,
        [list(initiative_ids)],
    )


def matrix_rows(con: Con) -> pd.DataFrame:
    """Rows of the goals × initiatives matrix: the 3 pillars' priority KPIs, then 18 initiatives."""
    return _df(
        con,
        """
        SELECT 'pillar:' || pillar AS row_id, 'pillar' AS row_kind, NULL::INTEGER AS area,
               pillar, NULL AS initiative_id, name_ja, name_en,
               CASE pillar WHEN 'economy' THEN 1 WHEN 'society' THEN 2 ELSE 3 END AS ord
        FROM pillars
        UNION ALL
        SELECT 'initiative:' || initiative_id, 'initiative', policy_area_number, NULL, initiative_id,
               name_ja, name_en, 100 + policy_area_number * 10 + number
        FROM initiatives
        ORDER BY ord
        """,
    )


def matrix_links(con: Con) -> pd.DataFrame:
    """Every (matrix row, KPI, SDG target) link of this plan's KPIs."""
    return _df(
        con,
        """
        WITH rows AS (
            SELECT 'pillar:' || pillar AS row_id, kpi_id FROM kpis WHERE plan_term = 3 AND pillar IS NOT NULL
            UNION ALL
            SELECT 'initiative:' || initiative_id, kpi_id FROM kpi_initiatives
        )
        SELECT r.row_id, r.kpi_id, kt.target_id, t.goal, t.sort_key
        FROM rows r JOIN kpi_targets kt USING (kpi_id) JOIN sdg_targets t USING (target_id)
        ORDER BY r.row_id, t.sort_key
        """,
    )


def initiatives_for(con: Con, *, goal: int | None = None, target: str | None = None) -> pd.DataFrame:
    """Initiatives whose KPIs link to a goal or a target, with the linked targets."""
    return _df(
        con,
        """
        SELECT i.initiative_id, i.policy_area_number, i.number, i.name_ja, i.name_en,
               list(DISTINCT kt.target_id) AS targets, list(DISTINCT kt.kpi_id) AS kpis
        FROM initiatives i
        JOIN kpi_initiatives ki USING (initiative_id)
        JOIN kpi_targets kt USING (kpi_id)
        JOIN sdg_targets t USING (target_id)
        WHERE (? IS NULL OR t.goal = ?) AND (? IS NULL OR kt.target_id = ?)
        GROUP BY ALL
        ORDER BY i.policy_area_number, i.number
        """,
        [goal, goal, target, target],
    )


def kpi_target_links(con: Con) -> pd.DataFrame:
    """Every KPI–SDG target link with both texts, for the download on the about page."""
    return _df(
        con,
        """
        SELECT k.kpi_id, k.name_ja AS kpi_name_ja, k.name_en AS kpi_name_en, kt.target_id,
               t.goal, t.title_ja AS target_title_ja, t.title_en AS target_title_en
        FROM kpi_targets kt JOIN kpis k USING (kpi_id) JOIN sdg_targets t USING (target_id)
        ORDER BY k.sort_order, kt.ord
        """,
    )


def kpi_export(con: Con) -> pd.DataFrame:
    """All KPIs with their values, years, units, direction, status and links (flat, for CSV)."""
    return _df(
        con,
        """
        SELECT k.kpi_id, k.plan_term, k.pillar, k.name_ja, k.name_en, k.unit_ja, k.unit_en,
               k.source_ja, k.source_en, k.period_type, k.direction, k.target_qualifier,
               k.baseline_period, k.baseline_value, k.target_period, k.target_value,
               p.latest_period, p.latest_value, p.latest_kind, p.progress_ratio, p.status,
               p.plan_verdict_ja, p.plan_verdict_en, k.same_indicator_as,
               (SELECT string_agg(initiative_id, ';' ORDER BY initiative_id)
                  FROM kpi_initiatives i WHERE i.kpi_id = k.kpi_id) AS initiatives,
               (SELECT string_agg(target_id, ';' ORDER BY ord)
                  FROM kpi_targets x WHERE x.kpi_id = k.kpi_id) AS sdg_targets
        FROM kpis k JOIN kpi_progress p USING (kpi_id)
        ORDER BY k.sort_order
        """,
    )
