"""``plan/structure.yaml``: the plan's vision, pillars and policy areas, flattened.

The file nests policy areas → initiatives → measures (○) → action lines; the loader
gives each entry its id (``1-4`` for initiative ④ of area 1, ``1-4-2`` for its second
measure, ``1-4-2-3`` for that measure's third action) and checks its texts and numbers,
reporting each problem at the line where the entry starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kawasaki.datafiles import PILLARS, STRUCTURE, Dataset
from kawasaki.problems import Problem
from kawasaki.tables import Row, read_yaml, yaml_line


def load_structure(data_dir: Path, ds: Dataset, problems: list[Problem]) -> None:
    """Flatten plan/structure.yaml into ds: the vision, the pillars, the policy areas and below."""
    doc = read_yaml(data_dir, STRUCTURE, problems)
    if doc is None:
        return
    if not isinstance(doc, dict):
        problems.append(Problem(STRUCTURE, 1, "", "must be a mapping with vision, pillars, policy_areas"))
        return
    ds.structure = _vision(doc, problems)
    ds.pillars = _pillars(doc, problems)
    for area in _policy_areas(doc, problems):
        _policy_area(area, ds, problems)


# --- the parts of the file -------------------------------------------------------------


def _vision(doc: dict, problems: list[Problem]) -> dict[str, Any]:
    """``vision``: the city image of section 1 (3), its note, the basic goals, the overview."""
    vision = doc.get("vision") if isinstance(doc.get("vision"), dict) else {}
    if not vision:
        problems.append(Problem(STRUCTURE, doc["__line__"], "vision", "is missing"))
        return {
            "city_image_ja": "",
            "city_image_en": "",
            "city_image_note_ja": "",
            "city_image_note_en": "",
            "basic_goals": [],
            "overview": [],
        }
    return {
        "city_image_ja": _text(vision, "city_image_ja", problems),
        "city_image_en": _text(vision, "city_image_en", problems, required=False),
        "city_image_note_ja": str(vision.get("city_image_note_ja", "") or ""),
        "city_image_note_en": str(vision.get("city_image_note_en", "") or ""),
        "basic_goals": _bilingual(_list(vision, "basic_goals", problems), problems),
        "overview": _bilingual(_list(vision, "overview", problems), problems),
    }


def _pillars(doc: dict, problems: list[Problem]) -> list[Row]:
    """``pillars``: economy, society and environment, each once, with their paragraphs."""
    pillars: list[Row] = []
    for p in _list(doc, "pillars", problems):
        pillar = _text(p, "pillar", problems)
        if pillar and pillar not in PILLARS:
            problems.append(
                Problem(STRUCTURE, p["__line__"], "pillar", f"'{pillar}' is not one of {', '.join(PILLARS)}")
            )
        if pillar in PILLARS and any(q["pillar"] == pillar for q in pillars):
            problems.append(Problem(STRUCTURE, p["__line__"], "pillar", f"duplicate pillar {pillar}"))
            continue
        pillars.append(
            {
                "pillar": pillar,
                "name_ja": _text(p, "name_ja", problems),
                "name_en": _text(p, "name_en", problems, required=False),
                "text": _bilingual(_optional_list(p, "text", problems), problems),
                "_row": p["__line__"],
            }
        )
    if isinstance(doc.get("pillars"), list):
        for name in PILLARS:
            if not any(q["pillar"] == name for q in pillars):
                message = f"pillar {name} is missing (the plan has three)"
                problems.append(Problem(STRUCTURE, yaml_line(doc, "pillars"), "pillars", message))
    return pillars


def _policy_areas(doc: dict, problems: list[Problem]) -> list[dict]:
    """``policy_areas``: the entries of section 2 (1), at least one."""
    areas = _list(doc, "policy_areas", problems)
    if isinstance(doc.get("policy_areas"), list) and not areas:
        message = "is empty: the plan needs its policy areas"
        problems.append(Problem(STRUCTURE, yaml_line(doc, "policy_areas"), "policy_areas", message))
    return areas


def _policy_area(area: dict, ds: Dataset, problems: list[Problem]) -> None:
    """One policy area (its id is its number), then its initiatives."""
    number = _number(area, problems)
    if number is None:
        return
    area_id = str(number)
    if _taken(area, "policy area", area_id, (a["policy_area_id"] for a in ds.policy_areas), problems):
        return
    ds.policy_areas.append(
        {
            "policy_area_id": area_id,
            "number": number,
            "name_ja": _text(area, "name_ja", problems),
            "name_en": _text(area, "name_en", problems, required=False),
            "vision_title_ja": _text(area, "vision_title_ja", problems, required=False),
            "vision_title_en": _text(area, "vision_title_en", problems, required=False),
            "vision": _bilingual(_optional_list(area, "vision", problems), problems),
            "_row": area["__line__"],
        }
    )
    if area.get("initiatives") == []:
        message = "is empty: a policy area needs an initiative"
        problems.append(Problem(STRUCTURE, yaml_line(area, "initiatives"), "initiatives", message))
    for ini in _list(area, "initiatives", problems):
        _initiative(ini, number, ds, problems)


def _initiative(ini: dict, area: int, ds: Dataset, problems: list[Problem]) -> None:
    """One initiative (``1-4`` for ④ of area 1), then its measures."""
    number = _number(ini, problems)
    if number is None:
        return
    ini_id = f"{area}-{number}"
    if _taken(ini, "initiative", ini_id, (i["initiative_id"] for i in ds.initiatives), problems):
        return
    ds.initiatives.append(
        {
            "initiative_id": ini_id,
            "policy_area_id": str(area),
            "policy_area_number": area,
            "number": number,
            **_named(ini, problems),
        }
    )
    for m_index, measure in enumerate(_list(ini, "measures", problems), start=1):
        _measure(measure, ini_id, m_index, ds, problems)


def _measure(measure: dict, ini_id: str, number: int, ds: Dataset, problems: list[Problem]) -> None:
    """One measure (○), numbered by its place in the initiative, then its action lines."""
    measure_id = f"{ini_id}-{number}"
    ds.measures.append(
        {
            "measure_id": measure_id,
            "initiative_id": ini_id,
            "number": number,
            **_named(measure, problems),
        }
    )
    for a_index, action in enumerate(_list(measure, "actions", problems), start=1):
        ds.actions.append(
            {
                "action_id": f"{measure_id}-{a_index}",
                "measure_id": measure_id,
                "number": a_index,
                "text_ja": _text(action, "ja", problems),
                "text_en": _text(action, "en", problems, required=False),
                "_row": action["__line__"],
            }
        )


# --- the values inside an entry --------------------------------------------------------


def _number(node: dict, problems: list[Problem]) -> int | None:
    """A policy area's or initiative's number, 1 to 99 (not true/false); None once reported."""
    value = node.get("number")
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 99:
        return value
    problems.append(Problem(STRUCTURE, node["__line__"], "number", "must be a whole number from 1 to 99"))
    return None


def _taken(node: dict, kind: str, ident: str, earlier: Iterable[str], problems: list[Problem]) -> bool:
    """True (and reported) if an earlier entry of this kind already has the id ``ident``."""
    if ident in earlier:
        problems.append(Problem(STRUCTURE, node["__line__"], "number", f"duplicate {kind} {ident}"))
        return True
    return False


def _named(node: dict, problems: list[Problem]) -> Row:
    """An entry's name in Japanese (required) and English (a warning when empty), and its line."""
    return {
        "name_ja": _text(node, "name_ja", problems),
        "name_en": _text(node, "name_en", problems, required=False),
        "_row": node["__line__"],
    }


def _text(node: dict, key: str, problems: list[Problem], *, required: bool = True) -> str:
    """A text value, stripped; '' once reported (an empty English text is a warning)."""
    value = node.get(key)
    if value is None or str(value).strip() == "":
        if required:
            problems.append(Problem(STRUCTURE, node.get("__line__", 0), key, "is empty"))
        elif key.endswith("_en") or key == "en":
            problems.append(Problem(STRUCTURE, node.get("__line__", 0), key, "is empty", "warning"))
        return ""
    if not isinstance(value, (str, int, float)):
        problems.append(Problem(STRUCTURE, node.get("__line__", 0), key, "must be text"))
        return ""
    return str(value).strip()


def _list(node: dict, key: str, problems: list[Problem]) -> list[dict]:
    """A required list of entries; [] once reported."""
    value = node.get(key)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(Problem(STRUCTURE, node.get("__line__", 0), key, "must be a list of entries"))
        return []
    return value


def _optional_list(node: dict, key: str, problems: list[Problem]) -> list[dict]:
    """An optional list of {ja, en} entries: [] when absent, a problem when not a list."""
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        message = "must be a list of entries (- ja: … en: …)"
        problems.append(Problem(STRUCTURE, yaml_line(node, key), key, message))
        return []
    return value


def _bilingual(items: list[dict], problems: list[Problem]) -> list[dict[str, str]]:
    """Entries of ``ja`` (required) and ``en`` (a warning when empty) texts."""
    return [{"ja": _text(i, "ja", problems), "en": _text(i, "en", problems, required=False)} for i in items]
