"""The data files in ``data/``: their schemas, loading, and every cross-file check.

``load_dataset(data_dir)`` reads every file, checks it, and returns the rows ready
for the build together with the list of problems. Nothing here writes anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
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
# Attributions the pages cite by key (home, explore): without them a page cannot render.
CITED_ATTRIBUTIONS = ("plan", "mofa")

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
WARD_PLACES = TableSpec(
    "wards/places.csv",
    (
        Col("place_id"),
        Col("ward_code"),
        Col("name_ja"),
        Col("name_en", required=False, warn_if_empty=True),
        Col("initiative_id"),
        Col("plan_section_ja"),
        Col("plan_section_en", required=False, warn_if_empty=True),
        Col("note_ja", required=False),
        Col("note_en", required=False),
    ),
    key=("place_id", "ward_code"),
    min_rows=0,
)
TABLES = (
    SDG_GOALS,
    SDG_TARGETS,
    KPIS,
    ACTUALS,
    WARDS,
    WARD_INDICATORS,
    WARD_VALUES,
    ATTRIBUTIONS,
    WARD_PLACES,
)
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
    # Files that cannot be used at all (missing, unreadable, a column missing, no rows):
    # checks of other files against them are skipped and listed in one line each,
    # instead of every referencing row reporting a dangling reference.
    unusable: set[str] = field(default_factory=set)
    skipped: dict[str, list[str]] = field(default_factory=dict)

    def usable(self, path: str, check: str) -> bool:
        """True if ``path`` can be checked against; otherwise note ``check`` as skipped."""
        if path not in self.unusable:
            return True
        checks = self.skipped.setdefault(path, [])
        if check not in checks:
            checks.append(check)
        return False


def load_dataset(data_dir: Path) -> tuple[Dataset, list[Problem]]:
    """Read and check every data file; return the rows and all problems found."""
    problems: list[Problem] = []
    ds = Dataset()
    for spec in TABLES:
        before = len(problems)
        ds.tables[spec.path] = read_table(data_dir, spec, problems)
        if not ds.tables[spec.path] and any(p.severity == "error" for p in problems[before:]):
            ds.unusable.add(spec.path)  # unreadable, a column missing, or no row without errors
    ds.meta = _load_meta(data_dir, problems)
    _load_structure(data_dir, ds, problems)
    if not ds.initiatives:
        ds.unusable.add(STRUCTURE)
    ds.geojson = _load_geojson(data_dir, problems)
    if not ds.geojson.get("features"):
        ds.unusable.add(GEOJSON)
    _check_sdg(ds, problems)
    _check_kpis(ds, problems)
    _check_wards(ds, problems)
    _check_ward_places(ds, problems)
    _check_attributions(ds, problems)
    for path, checks in ds.skipped.items():
        problems.append(
            Problem(path, 0, "", f"not checked until this file is fixed: {', '.join(checks)}", "warning")
        )
    return ds, problems


# --- YAML with line numbers -------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records each mapping's line as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__keys__"] = {
        k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)
    }
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    """Keep a date as the text written; it is checked where it is used, so that a date
    that does not exist (2026-11-31) is reported with its line instead of crashing."""
    return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _line(node: dict, key: str) -> int:
    """The line of ``key`` in a YAML mapping (of the mapping when the key is absent)."""
    return node.get("__keys__", {}).get(key) or node.get("__line__", 0)


def _read_yaml(data_dir: Path, rel: str, problems: list[Problem]) -> Any:
    text = read_text(data_dir / rel, rel, problems)
    if text is None:
        return None
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problems.append(Problem(rel, line, "", f"is not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. "!!int abc", nesting too deep
        problems.append(Problem(rel, 0, "", f"is not valid YAML: {type(exc).__name__}: {exc}"[:300]))
        return None
    if doc is None:
        problems.append(Problem(rel, 0, "", "file is empty (or only comments); see docs/data.md"))
    return doc


def _load_meta(data_dir: Path, problems: list[Problem]) -> dict[str, Any]:
    meta = _read_yaml(data_dir, DATASET, problems)
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        problems.append(Problem(DATASET, 1, "", "must be a mapping of names to values"))
        return {}
    for key in ("data_as_of", "plan_title_ja", "plan_title_en"):
        if not meta.get(key):
            problems.append(Problem(DATASET, _line(meta, key), key, "is missing"))
        elif not isinstance(meta[key], str):
            problems.append(Problem(DATASET, _line(meta, key), key, "must be text"))
    as_of = meta.get("data_as_of")
    if as_of and isinstance(as_of, str):
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", as_of):
            problems.append(
                Problem(DATASET, _line(meta, "data_as_of"), "data_as_of", f"'{as_of}' is not YYYY-MM-DD")
            )
        else:
            try:
                date.fromisoformat(as_of)
            except ValueError:
                problems.append(
                    Problem(
                        DATASET,
                        _line(meta, "data_as_of"),
                        "data_as_of",
                        f"'{as_of}' is not a date that exists",
                    )
                )
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


def _optional_list(node: dict, key: str, rel: str, problems: list[Problem]) -> list[dict]:
    """An optional list of {ja, en} entries: [] when absent, a problem when not a list."""
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(Problem(rel, _line(node, key), key, "must be a list of entries (- ja: … en: …)"))
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
        if pillar in PILLARS and any(q["pillar"] == pillar for q in ds.pillars):
            problems.append(Problem(rel, p["__line__"], "pillar", f"duplicate pillar {pillar}"))
            continue
        ds.pillars.append(
            {
                "pillar": pillar,
                "name_ja": _text(p, "name_ja", rel, problems),
                "name_en": _text(p, "name_en", rel, problems, required=False),
                "text": _bilingual(_optional_list(p, "text", rel, problems), rel, problems),
                "_row": p["__line__"],
            }
        )
    if isinstance(doc.get("pillars"), list):
        for name in PILLARS:
            if not any(q["pillar"] == name for q in ds.pillars):
                problems.append(
                    Problem(
                        rel,
                        _line(doc, "pillars"),
                        "pillars",
                        f"pillar {name} is missing (the plan has three)",
                    )
                )
    areas = _list(doc, "policy_areas", rel, problems)
    if isinstance(doc.get("policy_areas"), list) and not areas:
        problems.append(
            Problem(
                rel, _line(doc, "policy_areas"), "policy_areas", "is empty: the plan needs its policy areas"
            )
        )
    for area in areas:
        number = area.get("number")
        if not _is_number(number):
            problems.append(Problem(rel, area["__line__"], "number", "must be a whole number from 1 to 99"))
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
                "vision": _bilingual(_optional_list(area, "vision", rel, problems), rel, problems),
                "_row": area["__line__"],
            }
        )
        if area.get("initiatives") == []:
            problems.append(
                Problem(
                    rel,
                    _line(area, "initiatives"),
                    "initiatives",
                    "is empty: a policy area needs an initiative",
                )
            )
        for ini in _list(area, "initiatives", rel, problems):
            inum = ini.get("number")
            if not _is_number(inum):
                problems.append(
                    Problem(rel, ini["__line__"], "number", "must be a whole number from 1 to 99")
                )
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


def _is_number(value: Any) -> bool:
    """A policy area's or initiative's number: a whole number from 1 to 99 (not true/false)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 99


def _load_geojson(data_dir: Path, problems: list[Problem]) -> dict[str, Any]:
    text = read_text(data_dir / GEOJSON, GEOJSON, problems)
    if text is None:
        return {}
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(GEOJSON, exc.lineno, "", f"is not valid JSON: {exc.msg}"))
        return {}
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, nesting too deep
        problems.append(Problem(GEOJSON, 0, "", f"is not valid JSON: {type(exc).__name__}: {exc}"[:300]))
        return {}
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        problems.append(Problem(GEOJSON, 1, "features", "a GeoJSON FeatureCollection is expected"))
        return {}
    if not features:
        problems.append(Problem(GEOJSON, 1, "features", f"is empty: one feature per ward of {WARDS.path}"))
        return {}
    before = len(problems)
    for n, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            problems.append(Problem(GEOJSON, 0, f"features[{n}]", "must be a GeoJSON Feature object"))
            continue
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        geometry = feature.get("geometry") if isinstance(feature.get("geometry"), dict) else {}
        code = props.get("ward_code")
        if not code:
            problems.append(Problem(GEOJSON, 0, f"features[{n}].properties.ward_code", "is missing"))
        elif not isinstance(code, str):
            problems.append(
                Problem(GEOJSON, 0, f"features[{n}].properties.ward_code", f'must be text ("{code}")')
            )
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(
                Problem(GEOJSON, 0, f"features[{n}].geometry", "must be a Polygon or MultiPolygon")
            )
        elif not isinstance(geometry.get("coordinates"), list) or not geometry["coordinates"]:
            problems.append(Problem(GEOJSON, 0, f"features[{n}].geometry.coordinates", "are missing"))
    return {} if len(problems) > before else doc


# --- cross-file checks ----------------------------------------------------------


def _check_sdg(ds: Dataset, problems: list[Problem]) -> None:
    goals = {g["goal"] for g in ds.tables[SDG_GOALS.path]}
    check_goals = ds.usable(SDG_GOALS.path, f"{SDG_TARGETS.path} goal")
    for g in ds.tables[SDG_GOALS.path]:
        if not re.match(r"^#[0-9A-Fa-f]{6}$", g["color_hex"]):
            problems.append(
                Problem(SDG_GOALS.path, g["_row"], "color_hex", f"'{g['color_hex']}' is not #RRGGBB")
            )
    for t in ds.tables[SDG_TARGETS.path]:
        if check_goals and t["goal"] not in goals:
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
    check_targets = ds.usable(SDG_TARGETS.path, f"{rel} sdg_targets")
    check_initiatives = ds.usable(STRUCTURE, f"{rel} initiatives")
    for k in ds.tables[rel]:
        row = k["_row"]
        for target in k["sdg_targets"] or []:
            if check_targets and target not in targets:
                problems.append(
                    Problem(rel, row, "sdg_targets", f"'{target}' is not one of the 169 SDG targets")
                )
        for ini in k["initiatives"] or []:
            if check_initiatives and ini not in initiatives:
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
    check_kpis = ds.usable(rel, f"{ACTUALS.path} kpi_id")
    for a in ds.tables[ACTUALS.path]:
        k = kpis.get(a["kpi_id"])
        if k is None and check_kpis:
            problems.append(
                Problem(ACTUALS.path, a["_row"], "kpi_id", f"KPI '{a['kpi_id']}' is not in {rel}")
            )
        elif k is not None and k["baseline_period"] and a["period"] <= k["baseline_period"]:
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
    qualifier = k["target_qualifier"]
    if direction == "increase" and qualifier == "以下":
        problems.append(
            Problem(
                rel, row, "target_qualifier", "以下 contradicts direction increase: write 以上 or nothing"
            )
        )
    if direction == "decrease" and qualifier == "以上" and not target.value < 0:
        problems.append(
            Problem(
                rel,
                row,
                "target_qualifier",
                "以上 with direction decrease needs a negative target (▲45.4%以上 = a reduction of at least "
                "45.4%): write 以下 or nothing",
            )
        )
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
    check_kpis = ds.usable(KPIS.path, f"{WARD_INDICATORS.path} kpi_id")
    check_wards = ds.usable(WARDS.path, f"{WARD_VALUES.path} ward_code")
    check_indicators = ds.usable(WARD_INDICATORS.path, f"{WARD_VALUES.path} indicator_id")
    for i in indicators.values():
        if check_kpis and i["kpi_id"] and i["kpi_id"] not in kpis:
            problems.append(
                Problem(
                    WARD_INDICATORS.path, i["_row"], "kpi_id", f"KPI '{i['kpi_id']}' is not in {KPIS.path}"
                )
            )
    for v in ds.tables[WARD_VALUES.path]:
        if check_wards and v["ward_code"] not in wards:
            problems.append(
                Problem(
                    WARD_VALUES.path,
                    v["_row"],
                    "ward_code",
                    f"'{v['ward_code']}' is not a Kawasaki ward code (14131–14137)",
                )
            )
        ind = indicators.get(v["indicator_id"])
        if ind is None and check_indicators:
            problems.append(
                Problem(
                    WARD_VALUES.path,
                    v["_row"],
                    "indicator_id",
                    f"'{v['indicator_id']}' is not in {WARD_INDICATORS.path}",
                )
            )
        elif ind is not None and v["unit"] != ind["unit"]:
            problems.append(
                Problem(
                    WARD_VALUES.path,
                    v["_row"],
                    "unit",
                    f"'{v['unit']}' differs from the indicator's unit '{ind['unit']}'",
                )
            )
    # _load_geojson returns features only when each has a text ward_code and a polygon.
    codes = sorted(f["properties"]["ward_code"] for f in (ds.geojson or {}).get("features") or [])
    compare = ds.usable(GEOJSON, f"ward codes against {WARDS.path}") and ds.usable(
        WARDS.path, f"{GEOJSON} ward codes"
    )
    if compare and codes != sorted(wards):
        problems.append(
            Problem(GEOJSON, 0, "ward_code", f"the polygons' ward codes {codes} differ from {WARDS.path}")
        )


def _check_ward_places(ds: Dataset, problems: list[Problem]) -> None:
    """Each place of the plan sits in a known ward and links to an initiative of the plan."""
    wards = {w["ward_code"] for w in ds.tables[WARDS.path]}
    initiatives = {i["initiative_id"] for i in ds.initiatives}
    check_wards = ds.usable(WARDS.path, f"{WARD_PLACES.path} ward_code")
    check_initiatives = ds.usable(STRUCTURE, f"{WARD_PLACES.path} initiative_id")
    for p in ds.tables[WARD_PLACES.path]:
        if check_wards and p["ward_code"] not in wards:
            problems.append(
                Problem(
                    WARD_PLACES.path,
                    p["_row"],
                    "ward_code",
                    f"'{p['ward_code']}' is not a Kawasaki ward code (14131–14137)",
                )
            )
        if check_initiatives and p["initiative_id"] not in initiatives:
            problems.append(
                Problem(
                    WARD_PLACES.path,
                    p["_row"],
                    "initiative_id",
                    f"initiative '{p['initiative_id']}' is not in {STRUCTURE} (write it like 4-1 for 4-①)",
                )
            )


def _check_attributions(ds: Dataset, problems: list[Problem]) -> None:
    """The attributions the pages cite by key must be there."""
    if ATTRIBUTIONS.path in ds.unusable:
        return
    keys = {a["key"] for a in ds.tables[ATTRIBUTIONS.path]}
    for key in CITED_ATTRIBUTIONS:
        if key not in keys:
            problems.append(
                Problem(ATTRIBUTIONS.path, 0, "key", f"the row '{key}' is missing (the pages cite it)")
            )
