"""``plan/structure.yaml``: the plan's vision, pillars and policy areas, flattened.

The file nests policy areas → initiatives → measures (○) → action lines; the loader
gives each entry its id (``1-4`` for initiative ④ of area 1, ``1-4-2`` for its second
measure, ``1-4-2-3`` for that measure's third action) and checks its texts and numbers,
reporting each problem at the line where the entry starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kawasaki.datafiles import PILLARS, STRUCTURE, Dataset
from kawasaki.problems import Problem
from kawasaki.tables import read_yaml, yaml_line


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
        problems.append(Problem(rel, yaml_line(node, key), key, "must be a list of entries (- ja: … en: …)"))
        return []
    return value


def _bilingual(items: list[dict], rel: str, problems: list[Problem]) -> list[dict[str, str]]:
    return [
        {"ja": _text(i, "ja", rel, problems), "en": _text(i, "en", rel, problems, required=False)}
        for i in items
    ]


def load_structure(data_dir: Path, ds: Dataset, problems: list[Problem]) -> None:
    """Flatten plan/structure.yaml into policy areas, initiatives, measures, actions."""
    rel = STRUCTURE
    doc = read_yaml(data_dir, rel, problems)
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
                        yaml_line(doc, "pillars"),
                        "pillars",
                        f"pillar {name} is missing (the plan has three)",
                    )
                )
    areas = _list(doc, "policy_areas", rel, problems)
    if isinstance(doc.get("policy_areas"), list) and not areas:
        problems.append(
            Problem(
                rel,
                yaml_line(doc, "policy_areas"),
                "policy_areas",
                "is empty: the plan needs its policy areas",
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
                    yaml_line(area, "initiatives"),
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
