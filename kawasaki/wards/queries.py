"""The ward map's SQL, as functions taking a DuckDB connection or cursor first (like
kawasaki.queries): the wards, the ward indicators with how many wards they cover, one
indicator's latest value in each ward, the population, 65+ population and area values of
the same ward and date as those values, the ward polygons, the plan's places by ward and
the indicator that measures a KPI. Each statement is a constant with ``?`` parameters;
what the results mean and how they are shown is decided in kawasaki.wards.model and
kawasaki.wards.texts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

Con = duckdb.DuckDBPyConnection
# The kinds of indicator a value can be divided by (kawasaki.wards.model.NORMALISERS).
DENOMINATOR_KINDS = ("population", "population_65plus", "area")


def _df(con: Con, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


def wards(con: Con) -> pd.DataFrame:
    """The 7 wards (code and names), in code order."""
    return _df(con, "SELECT ward_code, name_ja, name_en FROM wards ORDER BY ward_code")


def indicators(con: Con) -> pd.DataFrame:
    """Every ward indicator, with how many wards have a value and the latest date.

    The plan's own indicators (linked to a KPI) come first, then the order of indicators.csv.
    """
    return _df(
        con,
        """
        WITH defs AS (SELECT *, rowid AS ord FROM ward_indicator_defs),
        counts AS (
            SELECT indicator_id, count(DISTINCT ward_code) AS ward_count,
                   max(reference_date) AS latest_date,
                   count(DISTINCT ward_code) FILTER (WHERE source_type = 'secondary') AS secondary_count
            FROM ward_indicators GROUP BY indicator_id
        )
        SELECT d.indicator_id, d.name_ja, d.name_en, d.unit, d.unit_ja, d.unit_en, d.kind, d.kpi_id,
               d.description_ja, d.description_en, d.derivation, d.derived_from, d.fixed_denominator,
               d.caution_ja, d.caution_en,
               coalesce(c.ward_count, 0) AS ward_count, c.latest_date,
               coalesce(c.secondary_count, 0) AS secondary_count, d.ord
        FROM defs d LEFT JOIN counts c USING (indicator_id)
        ORDER BY d.kpi_id IS NULL, d.ord
        """,
    )


def indicator_values(con: Con, indicator_id: str) -> pd.DataFrame:
    """One row per ward (all 7): the indicator's latest value there, or nulls when there is none."""
    return _df(
        con,
        """
        WITH shown AS (  -- the latest value of each ward
            SELECT * FROM ward_indicators WHERE indicator_id = ?
            QUALIFY row_number() OVER (PARTITION BY ward_code ORDER BY reference_date DESC NULLS LAST) = 1
        )
        SELECT w.ward_code, w.name_ja, w.name_en, s.value, s.decimals, s.reference_date,
               s.source_title, s.source_url, s.source_type, s.derived, s.attribution
        FROM wards w LEFT JOIN shown s USING (ward_code)
        ORDER BY w.ward_code
        """,
        [indicator_id],
    )


def denominators(con: Con, indicator_id: str) -> pd.DataFrame:
    """Population, 65+ population and area values of the same ward and the same date as each
    shown value (``fixed`` false), and the latest value in each ward of the indicator's
    ``fixed_denominator``, whatever its date (``fixed`` true: the page says the dates differ)."""
    return _df(
        con,
        """
        WITH shown AS (  -- the latest value of each ward
            SELECT * FROM ward_indicators WHERE indicator_id = ?
            QUALIFY row_number() OVER (PARTITION BY ward_code ORDER BY reference_date DESC NULLS LAST) = 1
        ),
        same_date AS (
            SELECT v.*, false AS fixed
            FROM shown s
            JOIN ward_indicators v ON v.ward_code = s.ward_code AND v.reference_date = s.reference_date
        ),
        fixed AS (  -- the fixed denominator's latest value in each ward
            SELECT v.*, true AS fixed
            FROM ward_indicators v
            JOIN ward_indicator_defs n ON n.fixed_denominator = v.indicator_id AND n.indicator_id = ?
            QUALIFY row_number() OVER (PARTITION BY v.ward_code ORDER BY v.reference_date DESC NULLS LAST) = 1
        )
        SELECT d.kind AS denominator_kind, v.indicator_id AS denominator_id, d.name_ja, d.name_en,
               v.ward_code, v.reference_date, v.value, v.decimals, v.source_title, v.source_url,
               v.source_type, v.attribution, v.fixed
        FROM (SELECT * FROM same_date UNION ALL SELECT * FROM fixed) v
        JOIN ward_indicator_defs d ON d.indicator_id = v.indicator_id
        WHERE list_contains(?::VARCHAR[], d.kind) AND v.indicator_id <> ?
        ORDER BY denominator_kind, denominator_id, v.ward_code
        """,
        [indicator_id, indicator_id, list(DENOMINATOR_KINDS), indicator_id],
    )


def geometries(con: Con) -> dict[str, dict[str, Any]]:
    """Each ward's simplified polygon as a GeoJSON geometry (WGS84, 5 decimals)."""
    rows = con.execute("SELECT ward_code, geometry FROM wards ORDER BY ward_code").fetchall()
    return {code: json.loads(geometry) for code, geometry in rows}


def places(con: Con, ward_code: str | None = None) -> pd.DataFrame:
    """The places the plan names, by ward (all wards, or one), with their initiative."""
    return _df(
        con,
        """
        SELECT p.place_id, p.ward_code, p.name_ja, p.name_en, p.initiative_id,
               p.plan_section_ja, p.plan_section_en, p.note_ja, p.note_en,
               w.name_ja AS ward_name_ja, w.name_en AS ward_name_en,
               i.policy_area_number, i.number, i.name_ja AS initiative_name_ja,
               i.name_en AS initiative_name_en
        FROM ward_places p JOIN wards w USING (ward_code) JOIN initiatives i USING (initiative_id)
        WHERE (? IS NULL OR p.ward_code = ?)
        ORDER BY p.ward_code, p.sort_order
        """,
        [ward_code, ward_code],
    )


def ward_kpi_indicator(con: Con, kpi_id: str) -> str | None:
    """The ward indicator that measures a KPI by ward, if the data define one."""
    row = con.execute(
        "SELECT indicator_id FROM ward_indicator_defs WHERE kpi_id = ? ORDER BY indicator_id LIMIT 1",
        [kpi_id],
    ).fetchone()
    return row[0] if row else None


def all_values(con: Con) -> pd.DataFrame:
    """Every ward value (all dates, derived ones too) with its ward's and indicator's names
    and units, its date and source; in ward, indicator, date order (the open-data file)."""
    return _df(
        con,
        """
        SELECT v.ward_code, w.name_ja AS ward_name_ja, w.name_en AS ward_name_en, v.indicator_id,
               d.name_ja AS indicator_name_ja, d.name_en AS indicator_name_en, v.reference_date,
               v.value, v.decimals, v.unit, d.unit_ja, d.unit_en, v.source_title, v.source_url,
               v.source_type, v.derived, v.attribution
        FROM ward_indicators v JOIN wards w USING (ward_code)
        JOIN ward_indicator_defs d USING (indicator_id)
        ORDER BY v.ward_code, v.indicator_id, v.reference_date NULLS FIRST
        """,
    )
