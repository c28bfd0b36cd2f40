"""openapi.json: an OpenAPI 3.1 description of every endpoint of /api/v1/, made from the
same field lists as the files (kawasaki.api.tables), so the description and the
responses cannot drift apart (schemathesis checks them against each other)."""

from __future__ import annotations

from typing import Any

from kawasaki.api.tables import KPI_FIELDS, OBSERVATION_FIELDS, Field
from kawasaki.progress import STATUSES

GOALS_PATTERN = r"^(1[0-7]|[1-9])(,(1[0-7]|[1-9]))*$"  # goal=13 or goal=13,14
JSON_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
CACHE_HEADERS = {
    "ETag": {
        "description": "The representation's version (the build stamp and its content).",
        "schema": {"type": "string"},
    },
    "Last-Modified": {"description": "When the database was built.", "schema": {"type": "string"}},
    "Cache-Control": {"description": "public, max-age=300", "schema": {"type": "string"}},
}


def field_schema(f: Field) -> dict[str, Any]:
    """The JSON schema of one field (null when not required)."""
    if f.type == "list":
        schema: dict[str, Any] = {"type": "array", "items": {"type": JSON_TYPES[f.item]}}
    else:
        schema = {"type": JSON_TYPES[f.type] if f.required else [JSON_TYPES[f.type], "null"]}
        if f.enum:
            schema["enum"] = [*f.enum] if f.required else [*f.enum, None]
    schema["description"] = f.description
    return schema


def object_schema(fields: tuple[Field, ...], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """An object with exactly these fields (and ``extra`` properties)."""
    props = {f.name: field_schema(f) for f in fields} | (extra or {})
    return {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}


def _params(vocabulary: dict[str, list[str]]) -> dict[str, Any]:
    """The filters of kpis.json and kpis.csv (``vocabulary``: kawasaki.queries.vocabulary)."""
    return {
        "goal": {
            "name": "goal",
            "in": "query",
            "description": "SDG goal(s), 1–17; several as goal=13,14 (a KPI linked to any of them).",
            "schema": {"type": "string", "pattern": GOALS_PATTERN, "maxLength": 40},
            "example": "13",
        },
        "target": {
            "name": "target",
            "in": "query",
            "description": "An SDG target as printed (11.7, 9.a).",
            "schema": {"type": "string", "enum": list(vocabulary["target"])},
            "example": "11.7",
        },
        "term": {
            "name": "term",
            "in": "query",
            "description": "The plan term: 3 (this plan) or 2 (the previous plan's results). Default: both.",
            "schema": {"type": "string", "enum": ["2", "3"]},
        },
        "status": {
            "name": "status",
            "in": "query",
            "description": "Progress status.",
            "schema": {"type": "string", "enum": list(STATUSES)},
        },
    }


def _ok(description: str, media: str, schema: dict[str, Any]) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {"description": description, "headers": CACHE_HEADERS, "content": {media: {"schema": schema}}},
        "304": {"description": "Not modified (If-None-Match matched the ETag)."},
    }
    return responses


def _errors(*codes: str) -> dict[str, Any]:
    words = {
        "400": "A malformed or unknown filter value, or an unknown parameter.",
        "404": "No such KPI.",
        "414": "The query string is too long.",
    }
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {c: {"description": words[c], "content": ref} for c in codes}


def _get(
    summary: str, responses: dict[str, Any], params: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": responses}
    if params:
        op["parameters"] = params
    return {"get": op}


def openapi(server: str, info: dict[str, Any], vocabulary: dict[str, list[str]]) -> dict[str, Any]:
    """The description, with ``server`` (the base URL of /api/v1) as its server and the
    valid values of the filters and the KPI ids from ``vocabulary``."""
    build = {
        "type": "object",
        "properties": {
            "stamp": {"type": "string"},
            "built_at": {"type": "string"},
            "data_as_of": {"type": ["string", "null"]},
        },
        "required": ["stamp", "built_at", "data_as_of"],
    }
    kpi = object_schema(KPI_FIELDS)
    observation = object_schema(tuple(f for f in OBSERVATION_FIELDS if f.name != "kpi_id"))
    detail = object_schema(
        KPI_FIELDS,
        {
            "observations": {"type": "array", "items": observation},
            "sdg_target_texts": {"type": "array", "items": {"type": "object"}},
            "initiative_names": {"type": "array", "items": {"type": "object"}},
            "changes": {"type": "array", "items": {"type": "object"}},
            "links": {"type": "object"},
        },
    )
    params = _params(vocabulary)
    filters = [params[n] for n in ("goal", "target", "term", "status")]
    csv = {"type": "string"}
    paths = {
        "/kpis.json": _get(
            "Every KPI of both terms (filtered)",
            _ok(
                "The KPIs",
                "application/json",
                {
                    "type": "object",
                    "required": ["build", "count", "kpis"],
                    "properties": {
                        "build": {"$ref": "#/components/schemas/Build"},
                        "count": {"type": "integer"},
                        "kpis": {"type": "array", "items": {"$ref": "#/components/schemas/Kpi"}},
                    },
                },
            )
            | _errors("400", "414"),
            filters,
        ),
        "/kpis.csv": _get(
            "The same as CSV (UTF-8, no BOM, CRLF)",
            _ok("The KPIs", "text/csv", csv) | _errors("400", "414"),
            filters,
        ),
        "/kpis/{kpi_id}.json": _get(
            "One KPI with its observations and links",
            _ok("The KPI", "application/json", {"$ref": "#/components/schemas/KpiDetail"}) | _errors("404"),
            [
                {
                    "name": "kpi_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "enum": list(vocabulary["kpi"])},
                    "example": "ghg-reduction",
                }
            ],
        ),
        "/observations.csv": _get(
            "Every KPI's baseline, actual values and target", _ok("Observations", "text/csv", csv)
        ),
        "/ward_values.csv": _get(
            "Every ward value with its date and source", _ok("Ward values", "text/csv", csv)
        ),
        "/goals.json": _get(
            "The 17 goals", _ok("Goals", "application/json", {"type": "object", "required": ["goals"]})
        ),
        "/targets.json": _get(
            "The 169 targets with their linked KPIs and initiatives",
            _ok("Targets", "application/json", {"type": "object", "required": ["targets"]}),
        ),
        "/plan.json": _get(
            "The plan: policy areas → initiatives → measures → actions",
            _ok("The plan", "application/json", {"type": "object", "required": ["policy_areas"]}),
        ),
        "/wards.geojson": _get(
            "The seven wards' polygons (WGS84)",
            _ok("Wards", "application/geo+json", {"type": "object", "required": ["type", "features"]}),
        ),
        "/datapackage.json": _get(
            "The Frictionless Data Package of the CSV files",
            _ok("Data package", "application/json", {"type": "object", "required": ["resources"]}),
        ),
        "/releases.atom": _get(
            "The releases as an Atom feed",
            _ok("Atom 1.0", "application/atom+xml", {"type": "string"}),
            [{"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["ja", "en"]}}],
        ),
        "/kawasaki.duckdb": _get(
            "The whole database (DuckDB file)",
            _ok("The database", "application/octet-stream", {"type": "string"}),
        ),
        "/openapi.json": _get("This description", _ok("OpenAPI 3.1", "application/json", {"type": "object"})),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kawasaki SDGs Future City Plan — open data API",
            "version": f"1 (data {info.get('build_stamp', '')})",
            "description": "Read-only. GET only. docs/api.md describes every field, caching and errors.",
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": {
                "Build": build,
                "Kpi": kpi,
                "KpiDetail": detail,
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "message"],
                            "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
                        }
                    },
                },
            }
        },
    }
