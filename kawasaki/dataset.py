"""Loading ``data/``: read every file, check it, and collect every problem in one run.

``load_dataset(data_dir)`` returns the rows ready for the build together with the list
of problems. The files and their columns are declared in kawasaki.datafiles; CSV and
YAML are read by kawasaki.tables, plan/structure.yaml by kawasaki.structure, and the
checks across files are kawasaki.checks. Nothing here writes anything.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from kawasaki.checks import check_all
from kawasaki.clock import today_in_kawasaki
from kawasaki.datafiles import DATASET, GEOJSON, PLAN_TEXT, STRUCTURE, TABLES, WARDS, Dataset
from kawasaki.plausible import as_of_problem
from kawasaki.problems import Problem
from kawasaki.releases import load_releases
from kawasaki.structure import load_structure
from kawasaki.tables import read_table, read_text, read_yaml, yaml_line


def load_dataset(data_dir: Path, today: date | None = None) -> tuple[Dataset, list[Problem]]:
    """Read and check every data file; return the rows and all problems found.

    ``today`` (default: today in Japan) is the date ``data_as_of`` may not be after.
    """
    problems: list[Problem] = []
    ds = Dataset()
    for spec in TABLES:
        before = len(problems)
        ds.tables[spec.path] = read_table(data_dir, spec, problems)
        if not ds.tables[spec.path] and any(p.severity == "error" for p in problems[before:]):
            ds.unusable.add(spec.path)  # unreadable, a column missing, or no row without errors
    ds.meta = _load_meta(data_dir, problems, today or today_in_kawasaki())
    load_structure(data_dir, ds, problems)
    if not ds.initiatives:
        ds.unusable.add(STRUCTURE)
    ds.geojson = _load_geojson(data_dir, problems)
    if not ds.geojson.get("features"):
        ds.unusable.add(GEOJSON)
    text = read_text(data_dir / PLAN_TEXT, PLAN_TEXT, problems)
    ds.plan_lines = text.split("\n") if text else []
    if not ds.plan_lines:
        ds.unusable.add(PLAN_TEXT)
    ds.releases = load_releases(data_dir, problems)
    check_all(ds, problems)
    return ds, problems


def _load_meta(data_dir: Path, problems: list[Problem], today: date) -> dict[str, Any]:
    """dataset.yaml: the data-as-of date and the plan's titles."""
    meta = read_yaml(data_dir, DATASET, problems)
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        problems.append(Problem(DATASET, 1, "", "must be a mapping of names to values"))
        return {}
    for key in ("data_as_of", "plan_title_ja", "plan_title_en"):
        if not meta.get(key):
            problems.append(Problem(DATASET, yaml_line(meta, key), key, "is missing"))
        elif not isinstance(meta[key], str):
            problems.append(Problem(DATASET, yaml_line(meta, key), key, "must be text"))
    as_of = meta.get("data_as_of")
    if as_of and isinstance(as_of, str):
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", as_of):
            problems.append(
                Problem(DATASET, yaml_line(meta, "data_as_of"), "data_as_of", f"'{as_of}' is not YYYY-MM-DD")
            )
        else:
            try:
                future = as_of_problem(date.fromisoformat(as_of), today)
            except ValueError:
                future = f"'{as_of}' is not a date that exists"
            if future:
                problems.append(Problem(DATASET, yaml_line(meta, "data_as_of"), "data_as_of", future))
    return meta


def _load_geojson(data_dir: Path, problems: list[Problem]) -> dict[str, Any]:
    """wards.geojson: one (Multi)Polygon feature per ward; {} unless every feature is usable."""
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
