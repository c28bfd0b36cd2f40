"""datapackage.json: a Frictionless Data Package (v1, tabular) describing the API's CSV
files with their Table Schemas, the sources and the terms the sources state.

Licences: only what a source states (data/sources/SOURCES-upstream.md) is given, each
with the source it belongs to. The plan's own terms of reuse are not stated in data/,
so no licence is claimed for the package as a whole (``terms`` says so).
"""

from __future__ import annotations

from typing import Any

from kawasaki import queries
from kawasaki.api.tables import KPI_FIELDS, LIST_SEPARATOR, OBSERVATION_FIELDS, WARD_FIELDS, Field
from kawasaki.queries import Con

# What a source states about reuse (data/sources/SOURCES-upstream.md), by attribution key.
STATED_TERMS = {
    "n03": {
        "terms": (
            "MLIT 国土数値情報ダウンロードサイトコンテンツ利用規約: copying, adapting and redistributing "
            "are allowed, commercial use included, if the source is credited and processing is "
            "stated (the attribution line does both)."
        ),
        "license": {
            "title": "国土数値情報ダウンロードサイトコンテンツ利用規約 (MLIT)",
            "path": "https://nlftp.mlit.go.jp/ksj/other/agreement.html",
        },
    },
    "census2020": {
        "terms": (
            "The compilation (mu373/election-202602-shugiin) is CC0; the figures are the Statistics "
            "Bureau of Japan's census results, credited as the attribution line says."
        ),
        "license": {
            "name": "CC0-1.0",
            "title": "CC0 1.0 (the compilation mu373/election-202602-shugiin)",
            "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        },
    },
}
PACKAGE_TERMS = (
    "No licence is stated for the plan's own text and values (Kawasaki City, 第3期SDGs未来都市計画): "
    "data/sources states no terms of reuse for them, so none is claimed here; ask the city before "
    "reuse beyond quotation. Each source below carries the attribution line it requires and, where "
    "the source states them, its terms."
)
MISSING = [""]  # an empty cell is missing (never 0)
RESOURCES = (
    ("kpis", "kpis.csv", KPI_FIELDS, ["kpi_id"], "Every KPI of both plan terms with its values and links."),
    (
        "observations",
        "observations.csv",
        OBSERVATION_FIELDS,
        ["kpi_id", "period", "kind"],
        "Each KPI's baseline, actual values and target by year.",
    ),
    (
        "ward_values",
        "ward_values.csv",
        WARD_FIELDS,
        [],
        "Every ward value with its date and source.",
    ),
)
RESOURCE_SOURCES = {"kpis": ("plan", "un_texts", "mofa"), "observations": ("plan",)}


def table_schema(fields: tuple[Field, ...], primary_key: list[str]) -> dict[str, Any]:
    """The Table Schema of a CSV file (lists are strings joined with ';')."""
    out = []
    for f in fields:
        field: dict[str, Any] = {"name": f.name, "type": "string" if f.type == "list" else f.type}
        description = f.description
        if f.type == "list":
            description += f" Several values are separated by '{LIST_SEPARATOR}'."
        field["description"] = description
        constraints: dict[str, Any] = {}
        if f.required:
            constraints["required"] = True
        if f.enum:
            constraints["enum"] = list(f.enum)
        if f.type == "boolean":
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        if constraints:
            field["constraints"] = constraints
        out.append(field)
    schema: dict[str, Any] = {"fields": out, "missingValues": MISSING}
    if primary_key:
        schema["primaryKey"] = primary_key
    return schema


def _source(row: dict[str, Any]) -> dict[str, Any]:
    """A source entry: its attribution lines, its address, what it states about reuse."""
    entry: dict[str, Any] = {"title": row["text_en"], "title_ja": row["text_ja"], "key": row["key"]}
    url = row.get("url")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        entry["path"] = url
    if row["key"] in STATED_TERMS:
        entry["terms"] = STATED_TERMS[row["key"]]["terms"]
    return entry


def datapackage(con: Con) -> dict[str, Any]:
    """The descriptor: the package, its sources, and one resource per CSV file."""
    info = queries.build_info(con)
    lines = {r["key"]: r for r in queries.attributions(con).to_dict("records")}
    ward_keys = sorted(
        {
            str(k)
            for k in con.execute("SELECT DISTINCT attribution FROM ward_indicators").fetchall()
            for k in k
            if k
        }
    )
    resources = []
    for name, path, fields, key, description in RESOURCES:
        keys = RESOURCE_SOURCES.get(name, ("wards", *ward_keys))
        resource: dict[str, Any] = {
            "name": name,
            "path": path,
            "profile": "tabular-data-resource",
            "title": description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
            "schema": table_schema(fields, key),
            "sources": [_source(lines[k]) for k in keys if k in lines],
        }
        stated = [STATED_TERMS[k]["license"] for k in keys if k in STATED_TERMS]
        if stated:
            resource["licenses"] = stated
        resources.append(resource)
    if "kpis" in [r["name"] for r in resources]:
        resources[1]["schema"]["foreignKeys"] = [
            {"fields": "kpi_id", "reference": {"resource": "kpis", "fields": "kpi_id"}}
        ]
    built = info.get("built_at")
    return {
        "profile": "tabular-data-package",
        "name": "kawasaki-sdgs-future-city-plan",
        "title": f"{info.get('plan_title_en')} — open data",
        "title_ja": f"{info.get('plan_title_ja')}　オープンデータ",
        "description": (
            "KPIs, their values by year and ward statistics of Kawasaki City's 3rd-term SDGs Future "
            "City Plan (2026–2029), as the dashboard shows them. Values are as the plan prints them "
            "plus a plain number column; an empty cell is missing, never 0. JSON endpoints and the "
            "ward polygons (wards.geojson): openapi.json."
        ),
        "created": built.isoformat() if built else None,
        "build_stamp": info.get("build_stamp"),
        "data_as_of": info["data_as_of"].isoformat() if info.get("data_as_of") else None,
        "terms": PACKAGE_TERMS,
        "sources": [_source(r) for r in lines.values()],
        "resources": resources,
    }
