"""The checks across files: each reference in one data file names a row of another.

They run after every file was read (kawasaki.dataset), on the rows of the ``Dataset``.
A file that could not be used at all is not checked against: ``Dataset.usable`` notes
the check as skipped, and ``check_all`` reports each such file once, as a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kawasaki.datafiles import (
    ACTUALS,
    ATTRIBUTIONS,
    GEOJSON,
    KPIS,
    SDG_GOALS,
    SDG_TARGETS,
    STRUCTURE,
    WARD_INDICATORS,
    WARD_PLACES,
    WARD_VALUES,
    WARDS,
    Dataset,
)
from kawasaki.geometry import check_geometry
from kawasaki.plantext import check_context, check_verdicts
from kawasaki.plausible import check_plausible
from kawasaki.problems import Problem
from kawasaki.progress import better_side
from kawasaki.tables import Row
from kawasaki.wards.derive import check_derivations

# Attributions the pages cite by key (home, explore): without them a page cannot render.
CITED_ATTRIBUTIONS = ("plan", "mofa")


def check_all(ds: Dataset, problems: list[Problem]) -> None:
    """Run every check; then say, once per unusable file, which checks waited for it."""
    for check in CHECKS:
        check(ds, problems)
    for path, checks in ds.skipped.items():
        problems.append(
            Problem(path, 0, "", f"not checked until this file is fixed: {', '.join(checks)}", "warning")
        )


def _check_sdg(ds: Dataset, problems: list[Problem]) -> None:
    """Each goal's colour is #RRGGBB; each target's goal exists and its id starts with it."""
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
    """Each KPI's links, baseline, target and direction; each actual's KPI and period."""
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


def _check_same_indicator(ds: Dataset, problems: list[Problem]) -> None:
    """``same_indicator_as`` links a KPI of the other term in the same unit, both ways;
    a value both terms print (the 2nd term's latest = the 3rd term's baseline) is equal."""
    rel = KPIS.path
    kpis = {k["kpi_id"]: k for k in ds.tables[rel]}
    actuals = {(a["kpi_id"], a["period"]): a for a in ds.tables[ACTUALS.path]}
    for k in ds.tables[rel]:
        other = kpis.get(k["same_indicator_as"] or "")
        if other is None:
            continue  # none, or unknown (reported by _check_kpis)
        row = k["_row"]
        if other["kpi_id"] == k["kpi_id"] or other["plan_term"] == k["plan_term"]:
            problems.append(Problem(rel, row, "same_indicator_as", "must be a KPI of the other plan term"))
            continue
        if other["same_indicator_as"] != k["kpi_id"]:
            message = f"'{other['kpi_id']}' does not point back: set its same_indicator_as to {k['kpi_id']}"
            problems.append(Problem(rel, row, "same_indicator_as", message))
        if other["unit_ja"] != k["unit_ja"]:
            message = f"'{other['kpi_id']}' is in {other['unit_ja']}, this KPI in {k['unit_ja']}"
            problems.append(Problem(rel, row, "unit_ja", message))
        shared = actuals.get((other["kpi_id"], k["baseline_period"]))
        if k["baseline_value"] is not None and shared and shared["value"].value != k["baseline_value"].value:
            message = f"differs from {k['kpi_id']}'s baseline of {k['baseline_period']}: the same indicator's same value"
            problems.append(Problem(ACTUALS.path, shared["_row"], "value", message))


def _check_wards(ds: Dataset, problems: list[Problem]) -> None:
    """Ward values name a known ward and indicator in its unit; the polygons match wards.csv."""
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
        if check_wards:
            _check_ward_code(WARD_VALUES.path, v, wards, problems)
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
        if check_wards:
            _check_ward_code(WARD_PLACES.path, p, wards, problems)
        if check_initiatives and p["initiative_id"] not in initiatives:
            problems.append(
                Problem(
                    WARD_PLACES.path,
                    p["_row"],
                    "initiative_id",
                    f"initiative '{p['initiative_id']}' is not in {STRUCTURE} (write it like 4-1 for 4-①)",
                )
            )


def _check_ward_code(rel: str, row: Row, wards: set[str], problems: list[Problem]) -> None:
    """A row's ``ward_code`` is one of wards.csv's."""
    if row["ward_code"] not in wards:
        message = f"'{row['ward_code']}' is not a Kawasaki ward code (14131–14137)"
        problems.append(Problem(rel, row["_row"], "ward_code", message))


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


CHECKS: tuple[Callable[[Dataset, list[Problem]], None], ...] = (
    _check_sdg,
    _check_kpis,
    _check_wards,
    _check_ward_places,
    _check_attributions,
    check_plausible,
    check_geometry,
    _check_same_indicator,
    check_verdicts,
    check_context,
    check_derivations,
)
