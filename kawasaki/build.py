"""Build data/kawasaki.duckdb from the checked data files, atomically.

The database is written to a temporary file beside the target and renamed into
place only when every check passed and every row was written, so a failed build
leaves the previous database byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from kawasaki.dataset import (
    ACTUALS,
    ATTRIBUTIONS,
    KPIS,
    SDG_GOALS,
    SDG_TARGETS,
    SOURCE_FILES,
    WARD_INDICATORS,
    WARD_PLACES,
    WARD_VALUES,
    WARDS,
    Dataset,
    load_dataset,
)
from kawasaki.problems import DataError, Problem
from kawasaki.progress import assess, better_side
from kawasaki.schema import SCHEMA_SQL, SCHEMA_VERSION


@dataclass(frozen=True)
class BuildResult:
    """What a successful build wrote, and the warnings it printed."""

    db_path: Path
    build_stamp: str
    warnings: list[Problem]
    counts: dict[str, int]


def build(data_dir: Path, db_path: Path) -> BuildResult:
    """Check every file in ``data_dir`` and write ``db_path``; raise DataError on errors."""
    data_dir, db_path = Path(data_dir), Path(db_path)
    ds, problems = load_dataset(data_dir)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(problems)
    sources = _checksums(data_dir)
    stamp = _stamp(sources)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself
    try:
        counts = _write(ds, tmp, sources, stamp)
        os.replace(tmp, db_path)
    except duckdb.ConstraintException as exc:
        # A rule of schema.sql that the checks did not catch: the data's fault all the same,
        # so it is reported as a data problem (no traceback) and nothing is replaced.
        raise DataError([Problem("(build)", 0, "", f"the database refused the data: {exc}")]) from exc
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    warnings = [p for p in problems if p.severity == "warning"]
    return BuildResult(db_path, stamp, warnings, counts)


def _checksums(data_dir: Path) -> list[dict[str, Any]]:
    rows = []
    for rel in SOURCE_FILES:
        data = (data_dir / rel).read_bytes()
        rows.append({"path": rel, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    return rows


def _stamp(sources: list[dict[str, Any]]) -> str:
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for s in sources:
        digest.update(f"{s['path']} {s['sha256']}\n".encode())
    return digest.hexdigest()[:12]


def target_sort_key(target_id: str) -> int:
    """Order targets as the UN does: 9.5 < 9.a < 9.b; 16.9 < 16.10.

    >>> sorted(["9.a", "16.10", "9.5", "16.9"], key=target_sort_key)
    ['9.5', '9.a', '16.9', '16.10']
    """
    goal, _, part = target_id.partition(".")
    sub = int(part) if part.isdigit() else 100 + ord(part[0]) - ord("a")
    return int(goal) * 1000 + sub


def _write(ds: Dataset, path: Path, sources: list[dict[str, Any]], stamp: str) -> dict[str, int]:
    tables = _relations(ds, sources, stamp)
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        for name, rows in tables.items():
            if rows:
                arrow = pa.Table.from_pylist(rows)  # noqa: F841 - read by DuckDB below
                # ``name`` is one of the fixed relation names above, never input.
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM arrow")  # noqa: S608
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return {name: len(rows) for name, rows in tables.items()}


def _joined(items: list[dict[str, str]], lang: str) -> str:
    return "\n".join(i[lang] for i in items)


def _relations(ds: Dataset, sources: list[dict[str, Any]], stamp: str) -> dict[str, list[dict]]:
    """Turn checked rows into the rows of each relation of the schema."""
    t = ds.tables
    kpi_rows, observations, progress, kpi_targets, kpi_initiatives = _kpi_relations(ds)
    texts = []
    s = ds.structure
    for section, items in (
        ("city_image", [{"ja": s.get("city_image_ja", ""), "en": s.get("city_image_en", "")}]),
        ("city_image_note", [{"ja": s.get("city_image_note_ja", ""), "en": s.get("city_image_note_en", "")}]),
        ("basic_goal", s.get("basic_goals", [])),
        ("overview", s.get("overview", [])),
    ):
        texts += [
            {"section": section, "ord": n, "text_ja": i["ja"], "text_en": i["en"]}
            for n, i in enumerate(items, start=1)
            if i["ja"]
        ]
    geometry = {
        f["properties"]["ward_code"]: json.dumps(f["geometry"], separators=(",", ":"))
        for f in ds.geojson.get("features", [])
    }
    return {
        "sdg_goals": [
            {
                "goal": g["goal"],
                "name_ja": g["short_name_ja"],
                "name_en": g["short_name_en"],
                "title_ja": g["title_ja"],
                "title_en": g["title_en"],
                "color_hex": g["color_hex"].upper(),
            }
            for g in t[SDG_GOALS.path]
        ],
        "sdg_targets": [
            {
                "target_id": x["target"],
                "goal": x["goal"],
                "title_ja": x["title_ja"],
                "title_en": x["title_en"],
                "sort_key": target_sort_key(x["target"]),
            }
            for x in t[SDG_TARGETS.path]
        ],
        "pillars": [
            {
                "pillar": p["pillar"],
                "name_ja": p["name_ja"],
                "name_en": p["name_en"],
                "text_ja": _joined(p["text"], "ja"),
                "text_en": _joined(p["text"], "en"),
            }
            for p in ds.pillars
        ],
        "policy_areas": [
            {
                **{k: v for k, v in a.items() if k not in ("_row", "vision")},
                "vision_ja": _joined(a["vision"], "ja"),
                "vision_en": _joined(a["vision"], "en"),
            }
            for a in ds.policy_areas
        ],
        "initiatives": [_public(i) for i in ds.initiatives],
        "measures": [_public(m) for m in ds.measures],
        "measure_actions": [_public(a) for a in ds.actions],
        "plan_texts": texts,
        "kpis": kpi_rows,
        "kpi_targets": kpi_targets,
        "kpi_initiatives": kpi_initiatives,
        "kpi_observations": observations,
        "kpi_progress": progress,
        "wards": [
            {
                "ward_code": w["ward_code"],
                "name_ja": w["name_ja"],
                "name_en": w["name_en"],
                "geometry": geometry[w["ward_code"]],
            }
            for w in t[WARDS.path]
        ],
        "ward_indicator_defs": [
            {**_public(i), "name_en": i["name_en"] or i["name_ja"]} for i in t[WARD_INDICATORS.path]
        ],
        "ward_indicators": [
            {
                "ward_code": v["ward_code"],
                "indicator_id": v["indicator_id"],
                "reference_date": v["reference_date"],
                "value": float(v["value"].value),
                "decimals": v["value"].decimals,
                "unit": v["unit"],
                "source_title": v["source_title"],
                "source_url": v["source_url"],
            }
            for v in t[WARD_VALUES.path]
        ],
        "ward_places": [
            {
                **_public(p),
                "name_en": p["name_en"] or p["name_ja"],
                "plan_section_en": p["plan_section_en"] or p["plan_section_ja"],
                "sort_order": order,
            }
            for order, p in enumerate(t[WARD_PLACES.path], start=1)
        ],
        "attributions": [_public(a) for a in t[ATTRIBUTIONS.path]],
        "build_sources": sources,
        "build_info": [
            {
                "built_at": datetime.now(UTC),
                "build_stamp": stamp,
                "schema_version": SCHEMA_VERSION,
                "data_as_of": str(ds.meta["data_as_of"]),
                "plan_title_ja": ds.meta["plan_title_ja"],
                "plan_title_en": ds.meta["plan_title_en"],
                "kpi_count": len(kpi_rows),
            }
        ],
    }


def _public(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _kpi_relations(ds: Dataset):
    """KPIs with their links, observations (baseline, actuals, target) and progress."""
    kpis, observations, progress, targets, initiatives = [], [], [], [], []
    actuals: dict[str, list[dict]] = {}
    for a in ds.tables[ACTUALS.path]:
        actuals.setdefault(a["kpi_id"], []).append(a)
    for order, k in enumerate(ds.tables[KPIS.path], start=1):
        kid, base, target = k["kpi_id"], k["baseline_value"], k["target_value"]
        qualifier = k["target_qualifier"] or ""
        kpis.append(
            {
                "kpi_id": kid,
                "name_ja": k["name_ja"],
                "name_en": k["name_en"] or k["name_ja"],
                "unit_ja": k["unit_ja"],
                "unit_en": k["unit_en"] or k["unit_ja"],
                "en_scale": k["en_scale"],
                "source_ja": k["source_ja"],
                "source_en": k["source_en"],
                "direction": k["direction"],
                "better": better_side(k["direction"], qualifier),
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
        )
        seen_targets = set()
        for n, target_id in enumerate(k["sdg_targets"] or [], start=1):
            if target_id not in seen_targets:
                seen_targets.add(target_id)
                targets.append({"kpi_id": kid, "target_id": target_id, "ord": n})
        for ini in dict.fromkeys(k["initiatives"] or []):
            initiatives.append({"kpi_id": kid, "initiative_id": ini})
        plan_source = {"source_ja": None, "source_en": None, "note_ja": None, "note_en": None}
        common = {"kpi_id": kid, "period_type": k["period_type"]}
        if base:
            observations.append(
                {
                    **common,
                    **plan_source,
                    "period": k["baseline_period"],
                    "value": float(base.value),
                    "decimals": base.decimals,
                    "kind": "baseline",
                }
            )
        observations.append(
            {
                **common,
                **plan_source,
                "period": k["target_period"],
                "value": float(target.value),
                "decimals": target.decimals,
                "kind": "target",
            }
        )
        mine = sorted(actuals.get(kid, []), key=lambda a: a["period"])
        for a in mine:
            observations.append(
                {
                    **common,
                    "period": a["period"],
                    "value": float(a["value"].value),
                    "decimals": a["value"].decimals,
                    "kind": "actual",
                    "source_ja": a["source_ja"],
                    "source_en": a["source_en"],
                    "note_ja": a["note_ja"],
                    "note_en": a["note_en"],
                }
            )
        result = assess(
            direction=k["direction"],
            qualifier=qualifier,
            baseline_period=k["baseline_period"],
            baseline=float(base.value) if base else None,
            target_period=k["target_period"],
            target=float(target.value),
            actuals=[(a["period"], float(a["value"].value)) for a in mine],
        )
        latest_decimals = None
        latest_kind = None
        if result.status != "no_actual":
            latest_kind = "actual"
            latest_decimals = next(a["value"].decimals for a in mine if a["period"] == result.latest_period)
        elif base:
            latest_kind, latest_decimals = "baseline", base.decimals
        progress.append(
            {
                "kpi_id": kid,
                "latest_period": result.latest_period,
                "latest_value": result.latest_value,
                "latest_decimals": latest_decimals,
                "latest_kind": latest_kind,
                "progress_ratio": result.progress_ratio,
                "expected_value": result.expected_value,
                "status": result.status,
            }
        )
    return kpis, observations, progress, targets, initiatives
