"""The rows of every table of the database, made from a checked Dataset: one function
per table (``RELATIONS``, in the order of schema.sql), and the build's own row
(``build_info_row``). Pure functions of the data; kawasaki.build writes what they return.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from kawasaki.datafiles import (
    ACTUALS,
    ATTRIBUTIONS,
    KPIS,
    PLAN_CONTEXT,
    SDG_GOALS,
    SDG_TARGETS,
    WARD_INDICATORS,
    WARD_PLACES,
    WARD_VALUES,
    WARDS,
    Dataset,
)
from kawasaki.numbers import Number
from kawasaki.progress import assess, better_side
from kawasaki.releases import release_changes_table, releases_table
from kawasaki.schema import SCHEMA_VERSION
from kawasaki.tables import Row
from kawasaki.wards.derive import derived_values

Rows = list[Row]
# The source, note and plan-verdict columns of an observation: an actual's own; NULL for
# the plan's two (baseline, target).
_SOURCE_COLUMNS = ("source_ja", "source_en", "note_ja", "note_en", "plan_verdict_ja", "plan_verdict_en")


def target_sort_key(target_id: str) -> int:
    """Order targets as the UN does: 9.5 < 9.a < 9.b; 16.9 < 16.10.

    >>> sorted(["9.a", "16.10", "9.5", "16.9"], key=target_sort_key)
    ['9.5', '9.a', '16.9', '16.10']
    """
    goal, _, part = target_id.partition(".")
    sub = int(part) if part.isdigit() else 100 + ord(part[0]) - ord("a")
    return int(goal) * 1000 + sub


def _public(row: Row) -> Row:
    """A checked row without its bookkeeping (``_row``: where it was read)."""
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _joined(items: list[dict[str, str]], lang: str) -> str:
    """Paragraphs of one language joined by newlines."""
    return "\n".join(i[lang] for i in items)


def _value(number: Number) -> Row:
    """A parsed number as the database holds it: a DOUBLE and the decimals printed."""
    return {"value": float(number.value), "decimals": number.decimals}


# --- the SDGs and the plan's structure -------------------------------------------------


def _sdg_goals(ds: Dataset) -> Rows:
    """The 17 goals: short names, full texts and the colour, upper-cased."""
    return [
        {
            "goal": g["goal"],
            "name_ja": g["short_name_ja"],
            "name_en": g["short_name_en"],
            "title_ja": g["title_ja"],
            "title_en": g["title_en"],
            "color_hex": g["color_hex"].upper(),
        }
        for g in ds.tables[SDG_GOALS.path]
    ]


def _sdg_targets(ds: Dataset) -> Rows:
    """The 169 targets with the key that orders them as the UN does."""
    return [
        {
            "target_id": x["target"],
            "goal": x["goal"],
            "title_ja": x["title_ja"],
            "title_en": x["title_en"],
            "sort_key": target_sort_key(x["target"]),
        }
        for x in ds.tables[SDG_TARGETS.path]
    ]


def _pillars(ds: Dataset) -> Rows:
    """The three pillars with their paragraphs joined by newlines."""
    return [
        {
            "pillar": p["pillar"],
            "name_ja": p["name_ja"],
            "name_en": p["name_en"],
            "text_ja": _joined(p["text"], "ja"),
            "text_en": _joined(p["text"], "en"),
        }
        for p in ds.pillars
    ]


def _policy_areas(ds: Dataset) -> Rows:
    """The policy areas with their vision paragraphs joined by newlines."""
    return [
        {
            **{k: v for k, v in a.items() if k not in ("_row", "vision")},
            "vision_ja": _joined(a["vision"], "ja"),
            "vision_en": _joined(a["vision"], "en"),
        }
        for a in ds.policy_areas
    ]


def _initiatives(ds: Dataset) -> Rows:
    """The initiatives of every policy area."""
    return [_public(i) for i in ds.initiatives]


def _measures(ds: Dataset) -> Rows:
    """The measures (○) of every initiative."""
    return [_public(m) for m in ds.measures]


def _measure_actions(ds: Dataset) -> Rows:
    """The action lines of every measure."""
    return [_public(a) for a in ds.actions]


def _plan_texts(ds: Dataset) -> Rows:
    """The 2030 vision texts, numbered within each section; empty ones left out."""
    s = ds.structure
    sections = (
        ("city_image", [{"ja": s.get("city_image_ja", ""), "en": s.get("city_image_en", "")}]),
        ("city_image_note", [{"ja": s.get("city_image_note_ja", ""), "en": s.get("city_image_note_en", "")}]),
        ("basic_goal", s.get("basic_goals", [])),
        ("overview", s.get("overview", [])),
    )
    return [
        {"section": section, "ord": n, "text_ja": i["ja"], "text_en": i["en"]}
        for section, items in sections
        for n, i in enumerate(items, start=1)
        if i["ja"]
    ]


# --- the KPIs ------------------------------------------------------------------------


def _kpis(ds: Dataset) -> Rows:
    """One row per row of kpis.csv, English falling back to Japanese, in the file's order."""
    return [_kpi(k, order) for order, k in enumerate(ds.tables[KPIS.path], start=1)]


def _kpi(k: Row, order: int) -> Row:
    """One KPI's row: its texts, its direction and better side, its baseline and target."""
    base, target = k["baseline_value"], k["target_value"]
    return {
        "kpi_id": k["kpi_id"],
        "name_ja": k["name_ja"],
        "name_en": k["name_en"] or k["name_ja"],
        "unit_ja": k["unit_ja"],
        "unit_en": k["unit_en"] or k["unit_ja"],
        "en_scale": k["en_scale"],
        "source_ja": k["source_ja"],
        "source_en": k["source_en"],
        "direction": k["direction"],
        "better": better_side(k["direction"], k["target_qualifier"] or ""),
        "target_qualifier": k["target_qualifier"],
        "period_type": k["period_type"],
        "baseline_period": k["baseline_period"],
        "baseline_value": float(base.value) if base else None,
        "baseline_decimals": base.decimals if base else None,
        "target_period": k["target_period"],
        "target_value": float(target.value),
        "target_decimals": target.decimals,
        "plan_term": int(k["plan_term"]),
        "pillar": k["pillar"],
        "same_indicator_as": k["same_indicator_as"],
        "note_ja": k["note_ja"],
        "note_en": k["note_en"],
        "sort_order": order,
    }


def _kpi_targets(ds: Dataset) -> Rows:
    """Each KPI's SDG targets at their printed place (a target printed twice: its first)."""
    rows = []
    for k in ds.tables[KPIS.path]:
        seen = set()
        for n, target_id in enumerate(k["sdg_targets"] or [], start=1):
            if target_id not in seen:
                seen.add(target_id)
                rows.append({"kpi_id": k["kpi_id"], "target_id": target_id, "ord": n})
    return rows


def _kpi_initiatives(ds: Dataset) -> Rows:
    """Each KPI's initiatives (each once)."""
    return [
        {"kpi_id": k["kpi_id"], "initiative_id": ini}
        for k in ds.tables[KPIS.path]
        for ini in dict.fromkeys(k["initiatives"] or [])
    ]


def _actuals(ds: Dataset) -> dict[str, Rows]:
    """The rows of actuals.csv by KPI, each KPI's in period order."""
    by_kpi: dict[str, Rows] = {}
    for a in ds.tables[ACTUALS.path]:
        by_kpi.setdefault(a["kpi_id"], []).append(a)
    return {kid: sorted(rows, key=lambda a: a["period"]) for kid, rows in by_kpi.items()}


def _kpi_observations(ds: Dataset) -> Rows:
    """Every value of every KPI: its baseline (if printed), its target, then its actuals."""
    actuals = _actuals(ds)
    return [row for k in ds.tables[KPIS.path] for row in _observations(k, actuals.get(k["kpi_id"], []))]


def _observations(k: Row, actuals: Rows) -> Rows:
    """One KPI's observations; the plan's two carry no source of their own (the KPI's is theirs)."""
    common = {"kpi_id": k["kpi_id"], "period_type": k["period_type"]}
    plan_source = dict.fromkeys(_SOURCE_COLUMNS)
    planned = (
        ("baseline", k["baseline_period"], k["baseline_value"]),
        ("target", k["target_period"], k["target_value"]),
    )
    rows = [
        {**common, **plan_source, "period": period, **_value(number), "kind": kind}
        for kind, period, number in planned
        if number
    ]
    return rows + [
        {
            **common,
            "period": a["period"],
            **_value(a["value"]),
            "kind": "actual",
            **{c: a[c] for c in _SOURCE_COLUMNS},
        }
        for a in actuals
    ]


def _kpi_progress(ds: Dataset) -> Rows:
    """One row per KPI: its latest value and its status by the progress method."""
    actuals = _actuals(ds)
    return [_progress(k, actuals.get(k["kpi_id"], [])) for k in ds.tables[KPIS.path]]


def _progress(k: Row, actuals: Rows) -> Row:
    """One KPI's assessment, with the decimals and kind of the value it rests on."""
    base = k["baseline_value"]
    result = assess(
        direction=k["direction"],
        qualifier=k["target_qualifier"] or "",
        baseline_period=k["baseline_period"],
        baseline=float(base.value) if base else None,
        target_period=k["target_period"],
        target=float(k["target_value"].value),
        actuals=[(a["period"], float(a["value"].value)) for a in actuals],
    )
    latest_kind, latest_decimals, latest = None, None, {}
    if result.status != "no_actual":
        latest_kind = "actual"
        latest = next(a for a in actuals if a["period"] == result.latest_period)
        latest_decimals = latest["value"].decimals
    elif base:
        latest_kind, latest_decimals = "baseline", base.decimals
    return {
        "kpi_id": k["kpi_id"],
        "latest_period": result.latest_period,
        "latest_value": result.latest_value,
        "latest_decimals": latest_decimals,
        "latest_kind": latest_kind,
        "progress_ratio": result.progress_ratio,
        "expected_value": result.expected_value,
        "status": result.status,
        "plan_verdict_ja": latest.get("plan_verdict_ja"),
        "plan_verdict_en": latest.get("plan_verdict_en"),
    }


# --- the wards and the credits --------------------------------------------------------


def _wards(ds: Dataset) -> Rows:
    """The seven wards with their polygon as compact GeoJSON text."""
    geometry = {
        f["properties"]["ward_code"]: json.dumps(f["geometry"], separators=(",", ":"))
        for f in ds.geojson.get("features", [])
    }
    return [
        {
            "ward_code": w["ward_code"],
            "name_ja": w["name_ja"],
            "name_en": w["name_en"],
            "geometry": geometry[w["ward_code"]],
        }
        for w in ds.tables[WARDS.path]
    ]


def _ward_indicator_defs(ds: Dataset) -> Rows:
    """What can be shown per ward, English falling back to Japanese."""
    return [{**_public(i), "name_en": i["name_en"] or i["name_ja"]} for i in ds.tables[WARD_INDICATORS.path]]


def _ward_indicators(ds: Dataset) -> Rows:
    """Every value of values.csv, one per ward, indicator and date, then the values the
    build derives from them (kawasaki.wards.derive)."""
    values = ds.tables[WARD_VALUES.path]
    derived = derived_values(ds.tables[WARD_INDICATORS.path], values)
    return [
        {
            "ward_code": v["ward_code"],
            "indicator_id": v["indicator_id"],
            "reference_date": v["reference_date"],
            **_value(v["value"]),
            "unit": v["unit"],
            "source_title": v["source_title"],
            "source_url": v["source_url"],
            "source_type": v["source_type"],
            "derived": v.get("derived", False),
            "attribution": v["attribution"],
        }
        for v in [*values, *derived]
    ]


def _ward_places(ds: Dataset) -> Rows:
    """The places the plan names, one row per ward each lies in, in the file's order."""
    return [
        {
            **_public(p),
            "name_en": p["name_en"] or p["name_ja"],
            "plan_section_en": p["plan_section_en"] or p["plan_section_ja"],
            "sort_order": order,
        }
        for order, p in enumerate(ds.tables[WARD_PLACES.path], start=1)
    ]


def _plan_context(ds: Dataset) -> Rows:
    """The plan's facts with their quote and place in the plan, in the file's order."""
    return [
        {
            **{k: v for k, v in _public(f).items() if k != "value"},
            "shown_on": f["shown_on"] or [],
            "label_en": f["label_en"] or f["label_ja"],
            "value": float(f["value"].value) if f["value"] else None,
            "decimals": f["value"].decimals if f["value"] else None,
            "sort_order": order,
        }
        for order, f in enumerate(ds.tables[PLAN_CONTEXT.path], start=1)
    ]


def _attributions(ds: Dataset) -> Rows:
    """The credit lines the app shows."""
    return [_public(a) for a in ds.tables[ATTRIBUTIONS.path]]


def build_info_row(ds: Dataset, stamp: str) -> Row:
    """The one row that says which build this is: when, from which files, of which data."""
    return {
        "built_at": datetime.now(UTC),
        "build_stamp": stamp,
        "schema_version": SCHEMA_VERSION,
        "data_as_of": str(ds.meta["data_as_of"]),
        "plan_title_ja": ds.meta["plan_title_ja"],
        "plan_title_en": ds.meta["plan_title_en"],
        "kpi_count": len(ds.tables[KPIS.path]),
    }


# The tables filled from the data, one function each, in the order of schema.sql (a
# table after those it refers to). build_sources and build_info follow: see _rows.
RELATIONS: dict[str, Callable[[Dataset], Rows]] = {
    "sdg_goals": _sdg_goals,
    "sdg_targets": _sdg_targets,
    "pillars": _pillars,
    "policy_areas": _policy_areas,
    "initiatives": _initiatives,
    "measures": _measures,
    "measure_actions": _measure_actions,
    "plan_texts": _plan_texts,
    "kpis": _kpis,
    "kpi_targets": _kpi_targets,
    "kpi_initiatives": _kpi_initiatives,
    "kpi_observations": _kpi_observations,
    "kpi_progress": _kpi_progress,
    "wards": _wards,
    "ward_indicator_defs": _ward_indicator_defs,
    "ward_indicators": _ward_indicators,
    "ward_places": _ward_places,
    "attributions": _attributions,
    "plan_context": _plan_context,
    "releases": releases_table,  # the release history of data/releases/ (kawasaki.releases)
    "release_changes": release_changes_table,
}
