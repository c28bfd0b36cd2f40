"""The API's JSON documents that are not flat tables: the goals, the 169 targets with
what links to each, the plan's structure, one KPI with its observations and links, and
the ward polygons as GeoJSON. Each from the query functions the pages use."""

from __future__ import annotations

from typing import Any

from kawasaki import coverage, queries
from kawasaki.api.tables import kpi_row, observation_rows, plain
from kawasaki.queries import Con
from kawasaki.releases import release_changes
from kawasaki.wards import queries as ward_queries


def goals(con: Con) -> list[dict[str, Any]]:
    """The 17 goals with their texts, colour, and how many of this plan's KPIs, targets and
    initiatives touch each (kawasaki.queries.goals, as the home page counts them)."""
    return [
        {k: plain(v) for k, v in r.items()} | {"page": f"/explore?goal={int(r['goal'])}"}
        for r in queries.goals(con).to_dict("records")
    ]


def targets(con: Con) -> list[dict[str, Any]]:
    """The 169 targets with their texts, and the third-term KPIs and initiatives linked to
    each (kawasaki.coverage.by_target, as /coverage shows them); second-term KPIs apart."""
    term2: dict[str, list[str]] = {}
    for r in queries.kpis(con, plan_term=2).to_dict("records"):
        for target in plain(r["targets"]):
            term2.setdefault(target, []).append(r["kpi_id"])
    rows = coverage.by_target(coverage.links(con)).to_dict("records")
    return [
        {
            "target_id": r["target_id"],
            "goal": int(r["goal"]),
            "title_ja": r["title_ja"],
            "title_en": r["title_en"],
            "kpis": list(r["kpi_ids"]),
            "initiatives": list(r["initiative_ids"]),
            "kpis_term2": term2.get(r["target_id"], []),
        }
        for r in rows
    ]


def plan(con: Con) -> dict[str, Any]:
    """The plan's structure: pillars, then policy areas → initiatives (with their KPIs) →
    measures (○) → actions, in the plan's order, ja/en."""
    kpis_of: dict[str, list[str]] = {}
    for r in queries.kpis(con, plan_term=3).to_dict("records"):
        for initiative in plain(r["initiative_ids"]):
            kpis_of.setdefault(initiative, []).append(r["kpi_id"])
    inits = queries.initiatives(con).to_dict("records")
    measures: dict[str, dict[str, dict[str, Any]]] = {}
    for m in queries.measures(con, [i["initiative_id"] for i in inits]).to_dict("records"):
        found = measures.setdefault(m["initiative_id"], {}).setdefault(
            m["measure_id"],
            {
                "measure_id": m["measure_id"],
                "number": int(m["measure_number"]),
                "name_ja": m["measure_ja"],
                "name_en": m["measure_en"],
                "actions": [],
            },
        )
        if plain(m["action_number"]) is not None:
            found["actions"].append(
                {"number": int(m["action_number"]), "text_ja": m["action_ja"], "text_en": m["action_en"]}
            )
    areas = []
    for a in queries.policy_areas(con).to_dict("records"):
        mine = [i for i in inits if i["policy_area_id"] == a["policy_area_id"]]
        areas.append(
            {
                "number": int(a["number"]),
                **{k: plain(a[k]) for k in ("name_ja", "name_en", "vision_title_ja", "vision_title_en")},
                "initiatives": [
                    {
                        "initiative_id": i["initiative_id"],
                        "number": int(i["number"]),
                        "name_ja": i["name_ja"],
                        "name_en": i["name_en"],
                        "kpis": kpis_of.get(i["initiative_id"], []),
                        "measures": list(measures.get(i["initiative_id"], {}).values()),
                    }
                    for i in mine
                ],
            }
        )
    pillars = [
        {k: plain(p[k]) for k in ("pillar", "name_ja", "name_en")}
        for p in queries.pillars(con).to_dict("records")
    ]
    info = queries.build_info(con)
    return {
        "title_ja": info.get("plan_title_ja"),
        "title_en": info.get("plan_title_en"),
        "pillars": pillars,
        "policy_areas": areas,
    }


def kpi_detail(con: Con, kpi_id: str) -> dict[str, Any] | None:
    """One KPI (as in kpis.json) with its observations, its SDG targets with their texts,
    its initiatives, the releases that changed it, and its page; None for an unknown id."""
    row = queries.kpi(con, kpi_id)
    if row is None:
        return None
    names = {i["initiative_id"]: i for i in queries.initiatives(con).to_dict("records")}
    kpi = kpi_row(row)
    return {
        **kpi,
        "observations": [
            {k: v for k, v in o.items() if k != "kpi_id"} for o in observation_rows(con, [kpi_id])
        ],
        "sdg_target_texts": [
            {k: plain(t[k]) for k in ("target_id", "goal", "title_ja", "title_en")}
            for t in queries.kpi_sdg_targets(con, kpi_id).to_dict("records")
        ],
        "initiative_names": [
            {"initiative_id": i, "name_ja": names[i]["name_ja"], "name_en": names[i]["name_en"]}
            for i in kpi["initiatives"]
            if i in names
        ],
        "changes": [
            {
                "release_id": c["release_id"],
                "released_at": plain(c["released_at"]),
                "action": c["action"],
                "period": plain(c["period"]),
                "text_ja": c["text_ja"],
                "text_en": c["text_en"],
            }
            for c in release_changes(con, kpi_id=kpi_id).to_dict("records")
        ],
        "links": {"page": f"/progress?kpi={kpi_id}", "observations": "/api/v1/observations.csv"},
    }


def wards_geojson(con: Con) -> dict[str, Any]:
    """The seven wards as a GeoJSON FeatureCollection (WGS84, simplified; the attribution
    the boundary data requires is in ``attribution``)."""
    geoms = ward_queries.geometries(con)
    features = [
        {
            "type": "Feature",
            "id": w["ward_code"],
            "properties": {"ward_code": w["ward_code"], "name_ja": w["name_ja"], "name_en": w["name_en"]},
            "geometry": geoms[w["ward_code"]],
        }
        for w in ward_queries.wards(con).to_dict("records")
    ]
    credit = {r["key"]: r for r in queries.attributions(con).to_dict("records")}.get("n03", {})
    return {
        "type": "FeatureCollection",
        "attribution": {
            "ja": credit.get("text_ja"),
            "en": credit.get("text_en"),
            "url": plain(credit.get("url")),
        },
        "features": features,
    }
