"""The API's tables (kpis, observations, ward_values): one row per record as plain Python
values, from the same query functions the pages use, and the fields that describe each
column (the CSV header, its Table Schema in datapackage.json and its OpenAPI schema).

Values are the database's numbers plus the plan's printed form (``▲35.0``, ``1,039``:
kawasaki.numbers.format_number, as the pages print them, without the unit); missing is
None (null in JSON, an empty cell in CSV), never 0. Lists are JSON arrays; in CSV they
are joined with ``;``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kawasaki import queries
from kawasaki.numbers import format_number
from kawasaki.present import status_label
from kawasaki.progress import STATUSES
from kawasaki.queries import Con
from kawasaki.wards import queries as ward_queries

LIST_SEPARATOR = ";"
PERIOD_WORDS = {"fiscal": "年度", "calendar": "年"}  # as the plan prints a period's type
TERMS = (3, 2)


@dataclass(frozen=True)
class Field:
    """A column: its name, Table Schema type (string, integer, number, boolean; ``list``:
    a list of ``item`` in JSON, joined with ``;`` in CSV), what it holds, allowed values."""

    name: str
    type: str
    description: str
    item: str = "string"
    enum: tuple[str, ...] = ()
    required: bool = False


def plain(value: Any) -> Any:
    """A value from pandas or DuckDB as plain JSON-able Python: NaN and NA become None,
    numpy numbers and arrays plain numbers and lists, dates ISO text.

    >>> import numpy as np
    >>> plain(np.int32(3)), plain(float("nan")), plain(np.array([1, 2])), plain(dt.date(2026, 4, 1))
    (3, None, [1, 2], '2026-04-01')
    """
    if value is None:
        return None
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


def printed(value: Any, decimals: Any) -> str | None:
    """A value as the plan prints it, without its unit ('▲35.0', '1,039'); None for none.

    >>> printed(-35.0, 1), printed(1039, 0), printed(None, 0)
    ('▲35.0', '1,039', None)
    """
    value = plain(value)
    if value is None:
        return None
    return format_number(value, int(plain(decimals) or 0), lang="ja")


KPI_FIELDS = (
    Field("kpi_id", "string", "The KPI's identifier (stable; the page /progress?kpi=<id>).", required=True),
    Field(
        "plan_term",
        "integer",
        "The plan term: 3 (2026–2029) or 2 (the previous plan's results).",
        required=True,
    ),
    Field("name_ja", "string", "Name as the plan prints it.", required=True),
    Field("name_en", "string", "Name in English (unofficial translation).", required=True),
    Field("unit_ja", "string", "Unit as the plan prints it (%, か所, 万本…).", required=True),
    Field("unit_en", "string", "Unit in English (万 units multiplied out: en_scale).", required=True),
    Field("en_scale", "integer", "English values are value × en_scale (10000 for 万 units).", required=True),
    Field(
        "period_type", "string", "fiscal (年度, April–March) or calendar (年).", enum=("fiscal", "calendar")
    ),
    Field(
        "period_type_ja",
        "string",
        "The period's type as the plan prints it: 年度 or 年.",
        enum=("年度", "年"),
    ),
    Field("baseline_period", "integer", "Year of the baseline (empty for second-term KPIs)."),
    Field("baseline_value", "number", "Baseline as a number (empty when the plan prints none)."),
    Field("baseline_printed", "string", "Baseline as the plan prints it, without the unit (▲35.0)."),
    Field("target_period", "integer", "Year of the target.", required=True),
    Field("target_value", "number", "Target as a number.", required=True),
    Field("target_printed", "string", "Target as the plan prints it, without unit and qualifier."),
    Field(
        "target_qualifier",
        "string",
        "以上 (or more) / 以下 (or less) as printed; empty: none.",
        enum=("以上", "以下"),
    ),
    Field("direction", "string", "What the plan aims for.", enum=("increase", "decrease", "maintain")),
    Field("better", "string", "Which side of the target is better.", enum=("higher", "lower")),
    Field("latest_period", "integer", "Year of the latest actual value (empty: no actual value yet)."),
    Field("latest_value", "number", "The latest actual value (empty: no actual value yet)."),
    Field("latest_printed", "string", "The latest actual value as printed, without the unit."),
    Field("progress_ratio", "number", "(latest − baseline) ÷ (target − baseline); empty without both."),
    Field("status", "string", "Progress status (docs/methodology.md).", enum=STATUSES, required=True),
    Field("status_ja", "string", "The status as the pages say it, in Japanese."),
    Field("status_en", "string", "The status as the pages say it, in English."),
    Field("plan_verdict_ja", "string", "The plan's own words on the latest value (second term)."),
    Field("plan_verdict_en", "string", "The plan's words in English (unofficial translation)."),
    Field("pillar", "string", "Priority KPI of this pillar.", enum=("economy", "society", "environment")),
    Field("policy_areas", "list", "Policy areas (1–5) of the KPI's initiatives.", item="integer"),
    Field("initiatives", "list", "Initiatives whose KPI it is ('1-4' = area 1, ④)."),
    Field("sdg_goals", "list", "SDG goals of its targets.", item="integer"),
    Field("sdg_targets", "list", "SDG targets printed beside the KPI, in the printed order."),
    Field("source_ja", "string", "The data's source as the plan prints it (環境局調べ)."),
    Field("source_en", "string", "The source in English."),
    Field("same_indicator_as", "string", "A KPI of the other term that measures the same thing."),
)
OBSERVATION_FIELDS = (
    Field("kpi_id", "string", "The KPI (kpis.csv).", required=True),
    Field(
        "kind", "string", "baseline, actual or target.", enum=("baseline", "actual", "target"), required=True
    ),
    Field("period", "integer", "The year.", required=True),
    Field(
        "period_type", "string", "fiscal (年度) or calendar (年).", enum=("fiscal", "calendar"), required=True
    ),
    Field("value", "number", "The value as a number.", required=True),
    Field("decimals", "integer", "Decimals the value is printed with.", required=True),
    Field("printed", "string", "The value as printed, without the unit (▲35.0).", required=True),
    Field("source_ja", "string", "Where this value comes from, if not the KPI's source."),
    Field("source_en", "string", "The same in English."),
    Field("note_ja", "string", "A note on the value."),
    Field("note_en", "string", "The note in English."),
)
WARD_FIELDS = (
    Field("ward_code", "string", "JIS code of the ward (14131–14137).", required=True),
    Field("ward_name_ja", "string", "The ward's name.", required=True),
    Field("ward_name_en", "string", "The ward's name in English.", required=True),
    Field("indicator_id", "string", "The indicator.", required=True),
    Field("indicator_name_ja", "string", "The indicator's name.", required=True),
    Field("indicator_name_en", "string", "The indicator's name in English.", required=True),
    Field(
        "reference_date",
        "string",
        "The date the source gives (YYYY-MM-DD, YYYY-MM or YYYY); empty: none printed.",
    ),
    Field("value", "number", "The value.", required=True),
    Field("decimals", "integer", "Decimals the value is printed with.", required=True),
    Field("printed", "string", "The value as printed (1,039), without the unit.", required=True),
    Field("unit", "string", "The unit's id.", required=True),
    Field("unit_ja", "string", "The unit as shown in Japanese."),
    Field("unit_en", "string", "The unit in English."),
    Field("source_title", "string", "The source, as named on the map.", required=True),
    Field("source_url", "string", "The source's address (http(s)); empty: none."),
    Field("source_type", "string", "official or secondary.", enum=("official", "secondary"), required=True),
    Field(
        "derived", "boolean", "Computed by the build from two other values (docs/wards.md).", required=True
    ),
    Field("attribution", "string", "The attribution line it needs (datapackage.json, sources)."),
)


def kpi_row(r: Mapping[str, Any]) -> dict[str, Any]:
    """One KPI (a kpi_list row) as the API gives it."""
    actual = r.get("latest_kind") == "actual"
    term = int(r["plan_term"])
    row = {
        "kpi_id": r["kpi_id"],
        "plan_term": term,
        **{k: plain(r[k]) for k in ("name_ja", "name_en", "unit_ja", "unit_en", "en_scale", "period_type")},
        "period_type_ja": PERIOD_WORDS.get(r["period_type"]),
        "baseline_period": plain(r["baseline_period"]),
        "baseline_value": plain(r["baseline_value"]),
        "baseline_printed": printed(r["baseline_value"], r["baseline_decimals"]),
        "target_period": plain(r["target_period"]),
        "target_value": plain(r["target_value"]),
        "target_printed": printed(r["target_value"], r["target_decimals"]),
        "target_qualifier": plain(r["target_qualifier"]),
        "direction": r["direction"],
        "better": r["better"],
        "latest_period": plain(r["latest_period"]) if actual else None,
        "latest_value": plain(r["latest_value"]) if actual else None,
        "latest_printed": printed(r["latest_value"], r["latest_decimals"]) if actual else None,
        "progress_ratio": plain(r["progress_ratio"]),
        "status": r["status"],
        "status_ja": status_label(r["status"], "ja", term),
        "status_en": status_label(r["status"], "en", term),
        "plan_verdict_ja": plain(r["plan_verdict_ja"]),
        "plan_verdict_en": plain(r["plan_verdict_en"]),
        "pillar": plain(r["pillar"]),
        "policy_areas": plain(r["areas"]),
        "initiatives": plain(r["initiative_ids"]),
        "sdg_goals": plain(r["goals"]),
        "sdg_targets": plain(r["targets"]),
        "source_ja": plain(r["source_ja"]),
        "source_en": plain(r["source_en"]),
        "same_indicator_as": plain(r["same_indicator_as"]),
    }
    return row


def kpi_rows(
    con: Con,
    terms: Sequence[int] = TERMS,
    goals: Sequence[int] = (),
    target: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """The KPIs of ``terms`` (this plan's first, each in the plan's order), filtered as the
    pages filter them (kawasaki.queries.kpis)."""
    rows: list[dict[str, Any]] = []
    for term in terms:
        found = queries.kpis(con, plan_term=term, goals=goals, target=target, status=status)
        rows += [kpi_row(r) for r in found.to_dict("records")]
    return rows


def observation_rows(con: Con, kpi_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Baseline, actual values and target of each KPI (kawasaki.queries.kpi_observations)."""
    rows = []
    for kpi_id in kpi_ids:
        for r in queries.kpi_observations(con, kpi_id).to_dict("records"):
            rows.append(
                {
                    "kpi_id": kpi_id,
                    "kind": r["kind"],
                    "period": plain(r["period"]),
                    "period_type": r["period_type"],
                    "value": plain(r["value"]),
                    "decimals": plain(r["decimals"]),
                    "printed": printed(r["value"], r["decimals"]),
                    **{k: plain(r[k]) for k in ("source_ja", "source_en", "note_ja", "note_en")},
                }
            )
    return rows


def ward_rows(con: Con) -> list[dict[str, Any]]:
    """Every ward value with its date and source (kawasaki.wards.queries.all_values)."""
    rows = []
    for r in ward_queries.all_values(con).to_dict("records"):
        row = {f.name: plain(r.get(f.name)) for f in WARD_FIELDS if f.name != "printed"}
        row["derived"] = bool(row["derived"])
        row["printed"] = printed(r["value"], r["decimals"])
        rows.append({f.name: row[f.name] for f in WARD_FIELDS})
    return rows


def csv_value(value: Any) -> Any:
    """A value as a CSV cell: lists joined with ``;``, booleans true/false, None empty.

    >>> csv_value([13, 14]), csv_value(True), csv_value(None)
    ('13;14', 'true', None)
    """
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
