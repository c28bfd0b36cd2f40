"""The data files in ``data/``: their schemas, loading, and every cross-file check.

``load_dataset(data_dir)`` reads every file, checks it, and returns the rows ready
for the build together with the list of problems. Nothing here writes anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kawasaki.problems import Problem
from kawasaki.progress import better_side
from kawasaki.tables import Col, Row, TableSpec, read_table, read_text

PILLARS = ("economy", "society", "environment")
DIRECTIONS = ("increase", "decrease", "maintain")
PERIOD_TYPES = ("fiscal", "calendar")
QUALIFIERS = ("以上", "以下")
WARD_KINDS = ("count", "population", "population_65plus", "area", "share", "mean")

SDG_GOALS = TableSpec(
    "sdg/goals.csv",
    (
        Col("goal", "int"),
        Col("short_name_en"),
        Col("short_name_ja"),
        Col("title_en"),
        Col("title_ja"),
        Col("color_hex"),
    ),
    key=("goal",),
)
SDG_TARGETS = TableSpec(
    "sdg/targets.csv",
    (Col("target"), Col("goal", "int"), Col("title_en"), Col("title_ja")),
    key=("target",),
)
KPIS = TableSpec(
    "kpis/kpis.csv",
    (
        Col("kpi_id"),
        Col("plan_term", "enum", choices=("2", "3")),
        Col("pillar", "enum", required=False, choices=PILLARS),
        Col("initiatives", "list", required=False),
        Col("name_ja"),
        Col("name_en", warn_if_empty=True, required=False),
        Col("source_ja", required=False),
        Col("source_en", required=False),
        Col("unit_ja"),
        Col("unit_en", warn_if_empty=True, required=False),
        Col("en_scale", "int"),
        Col("period_type", "enum", choices=PERIOD_TYPES),
        Col("baseline_period", "year", required=False),
        Col("baseline_value", "number", required=False),
        Col("target_period", "year"),
        Col("target_value", "number"),
        Col("target_qualifier", "enum", required=False, choices=QUALIFIERS),
        Col("direction", "enum", choices=DIRECTIONS),
        Col("sdg_targets", "list", required=False),
        Col("same_indicator_as", required=False),
        Col("note_ja", required=False),
        Col("note_en", required=False),
    ),
    key=("kpi_id",),
)
ACTUALS = TableSpec(
    "kpis/actuals.csv",
    (
        Col("kpi_id"),
        Col("period", "year"),
        Col("value", "number"),
        Col("source_ja"),
        Col("source_en", required=False, warn_if_empty=True),
        Col("note_ja", required=False),
        Col("note_en", required=False),
    ),
    key=("kpi_id", "period"),
    min_rows=0,
)
WARDS = TableSpec("wards/wards.csv", (Col("ward_code"), Col("name_ja"), Col("name_en")), key=("ward_code",))
WARD_INDICATORS = TableSpec(
    "wards/indicators.csv",
    (
        Col("indicator_id"),
        Col("name_ja"),
        Col("name_en", required=False, warn_if_empty=True),
        Col("unit"),
        Col("unit_ja"),
        Col("unit_en"),
        Col("kind", "enum", choices=WARD_KINDS),
        Col("kpi_id", required=False),
        Col("description_ja", required=False),
        Col("description_en", required=False),
    ),
    key=("indicator_id",),
)
WARD_VALUES = TableSpec(
    "wards/values.csv",
    (
        Col("ward_code"),
        Col("indicator_id"),
        Col("reference_date", "date", required=False),
        Col("value", "number"),
        Col("unit"),
        Col("source_title"),
        Col("source_url", required=False),
    ),
    key=("ward_code", "indicator_id", "reference_date"),
    min_rows=0,
)
ATTRIBUTIONS = TableSpec(
    "sources/attributions.csv",
    (Col("key"), Col("text_ja"), Col("text_en"), Col("url", required=False)),
    key=("key",),
)
TABLES = (SDG_GOALS, SDG_TARGETS, KPIS, ACTUALS, WARDS, WARD_INDICATORS, WARD_VALUES, ATTRIBUTIONS)
STRUCTURE = "plan/structure.yaml"
DATASET = "dataset.yaml"
GEOJSON = "wards/wards.geojson"
SOURCE_FILES = tuple(t.path for t in TABLES) + (STRUCTURE, DATASET, GEOJSON)


@dataclass
class Dataset:
    """Everything read from ``data/``, checked, in plain rows."""

    tables: dict[str, list[Row]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    structure: dict[str, Any] = field(default_factory=dict)
    policy_areas: list[Row] = field(default_factory=list)
    initiatives: list[Row] = field(default_factory=list)
    measures: list[Row] = field(default_factory=list)
    actions: list[Row] = field(default_factory=list)
    pillars: list[Row] = field(default_factory=list)
    geojson: dict[str, Any] = field(default_factory=dict)


def load_dataset(data_dir: Path) -> tuple[Dataset, list[Problem]]:
    """Read and check every data file; return the rows and all problems found."""
    problems: list[Problem] = []
    ds = Dataset()
    for spec in TABLES:
        ds.tables[spec.path] = read_table(data_dir, spec, problems)
    ds.meta = _load_meta(data_dir, problems)
    _load_structure(data_dir, ds, problems)
    ds.geojson = _load_geojson(data_dir, problems)
    _check_sdg(ds, problems)
    _check_kpis(ds, problems)
    _check_wards(ds, problems)
    return ds, problems


# --- YAML with line numbers -------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records each mapping's line as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(data_dir: Path, rel: str, problems: list[Problem]) -> Any:
    text = read_text(data_dir / rel, rel, problems)
    if text is None:
        return None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problems.append(Problem(rel, line, "", f"is not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None


def _load_meta(data_dir: Path, problems: list[Problem]) -> dict[str, Any]:
    meta = _read_yaml(data_dir, DATASET, problems)
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        problems.append(Problem(DATASET, 1, "", "must be a mapping of names to values"))
        return {}
    for key in ("data_as_of", "plan_title_ja", "plan_title_en"):
        if not meta.get(key):
            problems.append(Problem(DATASET, meta["__line__"], key, "is missing"))
    as_of = meta.get("data_as_of")
    if as_of and not re.match(r"^\d{4}-\d{2}-\d{2}$", str(as_of)):
        problems.append(Problem(DATASET, meta["__line__"], "data_as_of", f"'{as_of}' is not YYYY-MM-DD"))
    return meta


def _text(node: dict, key: str, rel: str, problems: list[Problem], *, required: bool = True) -> str:
    value = node.get(key)
    if value is None or str(value).strip() == "":
        if required:
            problems.append(Problem(rel, node.get("__line__", 0), key, "is empty"))
        elif key.endswith("_en") or key == "en":
            problems.append(Problem(rel, node.get("__line__", 0), key, "is empty", "warning"))
        return ""
    if not isinstance(value, (str, int, float)):
        problems.append(Problem(rel, node.get("__line__", 0), key, "must be text"))
        return ""
    return str(value).strip()


def _list(node: dict, key: str, rel: str, problems: list[Problem]) -> list[dict]:
    value = node.get(key)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(Problem(rel, node.get("__line__", 0), key, "must be a list of entries"))
        return []
    return value


def _bilingual(items: list[dict], rel: str, problems: list[Problem]) -> list[dict[str, str]]:
    return [
        {"ja": _text(i, "ja", rel, problems), "en": _text(i, "en", rel, problems, required=False)}
        for i in items
    ]


def _load_structure(data_dir: Path, ds: Dataset, problems: list[Problem]) -> None:
    """Flatten plan/structure.yaml into policy areas, initiatives, measures, actions."""
    rel = STRUCTURE
    doc = _read_yaml(data_dir, rel, problems)
    if doc is None:
        return
    if not isinstance(doc, dict):
        problems.append(Problem(rel, 1, "", "must be a mapping with vision, pillars, policy_areas"))
        return
    vision = doc.get("vision") if isinstance(doc.get("vision"), dict) else {}
    if not vision:
        problems.append(Problem(rel, doc["__line__"], "vision", "is missing"))
    ds.structure = {
        "city_image_ja": _text(vision, "city_image_ja", rel, problems) if vision else "",
        "city_image_en": _text(vision, "city_image_en", rel, problems, required=False) if vision else "",
        "city_image_note_ja": str(vision.get("city_image_note_ja", "") or ""),
        "city_image_note_en": str(vision.get("city_image_note_en", "") or ""),
        "basic_goals": _bilingual(_list(vision, "basic_goals", rel, problems), rel, problems)
        if vision
        else [],
        "overview": _bilingual(_list(vision, "overview", rel, problems), rel, problems) if vision else [],
    }
    for p in _list(doc, "pillars", rel, problems):
        pillar = _text(p, "pillar", rel, problems)
        if pillar and pillar not in PILLARS:
            problems.append(
                Problem(rel, p["__line__"], "pillar", f"'{pillar}' is not one of {', '.join(PILLARS)}")
            )
        ds.pillars.append(
            {
                "pillar": pillar,
                "name_ja": _text(p, "name_ja", rel, problems),
                "name_en": _text(p, "name_en", rel, problems, required=False),
                "text": _bilingual(p.get("text") or [], rel, problems),
                "_row": p["__line__"],
            }
        )
    for area in _list(doc, "policy_areas", rel, problems):
        number = area.get("number")
        if not isinstance(number, int):
            problems.append(Problem(rel, area["__line__"], "number", "must be a whole number"))
            continue
        area_id = str(number)
        if any(a["policy_area_id"] == area_id for a in ds.policy_areas):
            problems.append(Problem(rel, area["__line__"], "number", f"duplicate policy area {area_id}"))
            continue
        ds.policy_areas.append(
            {
                "policy_area_id": area_id,
                "number": number,
                "name_ja": _text(area, "name_ja", rel, problems),
                "name_en": _text(area, "name_en", rel, problems, required=False),
                "vision_title_ja": _text(area, "vision_title_ja", rel, problems, required=False),
                "vision_title_en": _text(area, "vision_title_en", rel, problems, required=False),
                "vision": _bilingual(area.get("vision") or [], rel, problems),
                "_row": area["__line__"],
            }
        )
        for ini in _list(area, "initiatives", rel, problems):
            inum = ini.get("number")
            if not isinstance(inum, int):
                problems.append(Problem(rel, ini["__line__"], "number", "must be a whole number"))
                continue
            ini_id = f"{number}-{inum}"
            if any(i["initiative_id"] == ini_id for i in ds.initiatives):
                problems.append(Problem(rel, ini["__line__"], "number", f"duplicate initiative {ini_id}"))
                continue
            ds.initiatives.append(
                {
                    "initiative_id": ini_id,
                    "policy_area_id": area_id,
                    "policy_area_number": number,
                    "number": inum,
                    "name_ja": _text(ini, "name_ja", rel, problems),
                    "name_en": _text(ini, "name_en", rel, problems, required=False),
                    "_row": ini["__line__"],
                }
            )
            for m_index, measure in enumerate(_list(ini, "measures", rel, problems), start=1):
                measure_id = f"{ini_id}-{m_index}"
                ds.measures.append(
                    {
                        "measure_id": measure_id,
                        "initiative_id": ini_id,
                        "number": m_index,
                        "name_ja": _text(measure, "name_ja", rel, problems),
                        "name_en": _text(measure, "name_en", rel, problems, required=False),
                        "_row": measure["__line__"],
                    }
                )
                for a_index, action in enumerate(_list(measure, "actions", rel, problems), start=1):
                    ds.actions.append(
                        {
                            "action_id": f"{measure_id}-{a_index}",
                            "measure_id": measure_id,
                            "number": a_index,
                            "text_ja": _text(action, "ja", rel, problems),
                            "text_en": _text(action, "en", rel, problems, required=False),
                            "_row": action["__line__"],
                        }
                    )


def _load_geojson(data_dir: Path, problems: list[Problem]) -> dict[str, Any]:
    text = read_text(data_dir / GEOJSON, GEOJSON, problems)
    if text is None:
        return {}
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(GEOJSON, exc.lineno, "", f"is not valid JSON: {exc.msg}"))
        return {}
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        problems.append(Problem(GEOJSON, 1, "features", "a GeoJSON FeatureCollection is expected"))
        return {}
    for n, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        if not props.get("ward_code"):
            problems.append(Problem(GEOJSON, 0, f"features[{n}].properties.ward_code", "is missing"))
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(
                Problem(GEOJSON, 0, f"features[{n}].geometry", "must be a Polygon or MultiPolygon")
            )
    return doc


# --- cross-file checks ----------------------------------------------------------


def _check_sdg(ds: Dataset, problems: list[Problem]) -> None:
    goals = {g["goal"] for g in ds.tables[SDG_GOALS.path]}
    for g in ds.tables[SDG_GOALS.path]:
        if not re.match(r"^#[0-9A-Fa-f]{6}$", g["color_hex"]):
            problems.append(
                Problem(SDG_GOALS.path, g["_row"], "color_hex", f"'{g['color_hex']}' is not #RRGGBB")
            )
    for t in ds.tables[SDG_TARGETS.path]:
        if t["goal"] not in goals:
            problems.append(
                Problem(SDG_TARGETS.path, t["_row"], "goal", f"goal {t['goal']} is not in {SDG_GOALS.path}")
            )
        elif not t["target"].startswith(f"{t['goal']}."):
            problems.append(
                Problem(
                    SDG_TARGETS.path,
                    t["_row"],
                    "target",
                    f"'{t['target']}' does not belong to goal {t['goal']}",
                )
            )


def _check_kpis(ds: Dataset, problems: list[Problem]) -> None:
    rel = KPIS.path
    targets = {t["target"] for t in ds.tables[SDG_TARGETS.path]}
    initiatives = {i["initiative_id"] for i in ds.initiatives}
    kpis = {k["kpi_id"]: k for k in ds.tables[rel]}
    for k in ds.tables[rel]:
        row = k["_row"]
        for target in k["sdg_targets"] or []:
            if target not in targets:
                problems.append(
                    Problem(rel, row, "sdg_targets", f"'{target}' is not one of the 169 SDG targets")
                )
        for ini in k["initiatives"] or []:
            if ds.initiatives and ini not in initiatives:
                problems.append(Problem(rel, row, "initiatives", f"initiative '{ini}' is not in {STRUCTURE}"))
        if k["plan_term"] == "3" and not k["pillar"] and not k["initiatives"]:
            problems.append(
                Problem(rel, row, "pillar", "a KPI of this plan needs a pillar, an initiative or both")
            )
        same = k["same_indicator_as"]
        if same and same not in kpis:
            problems.append(Problem(rel, row, "same_indicator_as", f"KPI '{same}' is not in {rel}"))
        if (k["baseline_period"] is None) != (k["baseline_value"] is None):
            problems.append(
                Problem(rel, row, "baseline_value", "baseline_period and baseline_value go together")
            )
        if k["plan_term"] == "3" and k["baseline_value"] is None:
            problems.append(Problem(rel, row, "baseline_value", "a KPI of this plan needs its baseline"))
        if k["baseline_period"] and k["target_period"] < k["baseline_period"]:
            problems.append(Problem(rel, row, "target_period", "is before the baseline period"))
        if k["en_scale"] not in (None, 1, 10, 100, 1000, 10000):
            problems.append(Problem(rel, row, "en_scale", "must be 1 or a power of ten up to 10000"))
        _check_direction(k, problems)
    for a in ds.tables[ACTUALS.path]:
        k = kpis.get(a["kpi_id"])
        if k is None:
            problems.append(
                Problem(ACTUALS.path, a["_row"], "kpi_id", f"KPI '{a['kpi_id']}' is not in {rel}")
            )
        elif k["baseline_period"] and a["period"] <= k["baseline_period"]:
            problems.append(
                Problem(
                    ACTUALS.path,
                    a["_row"],
                    "period",
                    f"{a['period']} is not after the baseline period {k['baseline_period']}",
                )
            )


def _check_direction(k: Row, problems: list[Problem]) -> None:
    """Direction, 以上/以下 and the two values must tell the same story."""
    rel, row = KPIS.path, k["_row"]
    direction, base, target = k["direction"], k["baseline_value"], k["target_value"]
    if direction is None or target is None:
        return
    if direction == "maintain":
        try:
            better_side("maintain", k["target_qualifier"] or "")
        except ValueError as exc:
            problems.append(Problem(rel, row, "target_qualifier", str(exc)))
        if base is not None and base.value != target.value:
            problems.append(Problem(rel, row, "direction", "maintain needs the target equal to the baseline"))
        return
    if base is None:
        return
    if direction == "increase" and not target.value > base.value:
        problems.append(Problem(rel, row, "direction", "increase needs the target above the baseline"))
    if direction == "decrease" and not target.value < base.value:
        problems.append(Problem(rel, row, "direction", "decrease needs the target below the baseline"))


def _check_wards(ds: Dataset, problems: list[Problem]) -> None:
    wards = {w["ward_code"] for w in ds.tables[WARDS.path]}
    kpis = {k["kpi_id"] for k in ds.tables[KPIS.path]}
    indicators = {i["indicator_id"]: i for i in ds.tables[WARD_INDICATORS.path]}
    for i in indicators.values():
        if i["kpi_id"] and i["kpi_id"] not in kpis:
            problems.append(
                Problem(
                    WARD_INDICATORS.path, i["_row"], "kpi_id", f"KPI '{i['kpi_id']}' is not in {KPIS.path}"
                )
            )
    for v in ds.tables[WARD_VALUES.path]:
        if v["ward_code"] not in wards:
            problems.append(
                Problem(
                    WARD_VALUES.path,
                    v["_row"],
                    "ward_code",
                    f"'{v['ward_code']}' is not a Kawasaki ward code (14131–14137)",
                )
            )
        ind = indicators.get(v["indicator_id"])
        if ind is None:
            problems.append(
                Problem(
                    WARD_VALUES.path,
                    v["_row"],
                    "indicator_id",
                    f"'{v['indicator_id']}' is not in {WARD_INDICATORS.path}",
                )
            )
        elif v["unit"] != ind["unit"]:
            problems.append(
                Problem(
                    WARD_VALUES.path,
                    v["_row"],
                    "unit",
                    f"'{v['unit']}' differs from the indicator's unit '{ind['unit']}'",
                )
            )
    features = (ds.geojson or {}).get("features") or []
    codes = [(f.get("properties") or {}).get("ward_code") for f in features]
    if features and sorted(c for c in codes if c) != sorted(wards):
        problems.append(
            Problem(
                GEOJSON, 0, "ward_code", f"the polygons' ward codes {sorted(codes)} differ from {WARDS.path}"
            )
        )
