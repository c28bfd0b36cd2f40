"""What ``data/`` holds: each file's path, its columns and key, and the values allowed.

The loader (kawasaki.dataset), the structure loader (kawasaki.structure) and the
cross-file checks (kawasaki.checks) read these declarations, and the build reads the
``Dataset`` they fill. Nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kawasaki.tables import Col, Row, TableSpec

PILLARS = ("economy", "society", "environment")
DIRECTIONS = ("increase", "decrease", "maintain")
PERIOD_TYPES = ("fiscal", "calendar")
QUALIFIERS = ("以上", "以下")
WARD_KINDS = ("count", "population", "population_65plus", "area", "share", "mean", "density", "change")
# How the build computes a derived ward indicator from the two of ``derived_from``
# (kawasaki.wards.derive): (B − A) ÷ A × 100, or population A × share B ÷ 100.
WARD_DERIVATIONS = ("percent_change", "population_x_share")
WARD_SOURCE_TYPES = ("official", "secondary")
CONTEXT_SHOWN_ON = ("home", "progress")

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
    (Col("target", "id"), Col("goal", "int"), Col("title_en"), Col("title_ja")),
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
        Col("same_indicator_as", "id", required=False),
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
        # the plan's own words on this value (section 1 (2) for the second term), checked
        # against the plan text; shown beside the computed status, never instead of it
        Col("plan_verdict_ja", required=False),
        Col("plan_verdict_en", required=False),
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
        Col("derivation", "enum", required=False, choices=WARD_DERIVATIONS),
        Col("derived_from", "list", required=False),
        Col("fixed_denominator", required=False),
        Col("caution_ja", required=False),
        Col("caution_en", required=False),
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
        Col("source_type", "enum", choices=WARD_SOURCE_TYPES),
        Col("attribution", required=False),
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
PLAN_CONTEXT = TableSpec(
    "plan/context.csv",
    (
        Col("fact_id"),
        Col("shown_on", "list", required=False),
        Col("kpi_id", required=False),
        Col("label_ja"),
        Col("label_en", warn_if_empty=True, required=False),
        Col("figure_ja", required=False),
        Col("figure_en", required=False),
        Col("as_of_ja", required=False),
        Col("as_of_en", required=False),
        Col("quote_ja"),
        Col("text_en", warn_if_empty=True, required=False),
        Col("plan_section_ja"),
        Col("plan_section_en", warn_if_empty=True, required=False),
        Col("plan_line", "int"),
        Col("value", "number", required=False),
        Col("period", "year", required=False),
    ),
    key=("fact_id",),
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
    PLAN_CONTEXT,
)
STRUCTURE = "plan/structure.yaml"
DATASET = "dataset.yaml"
GEOJSON = "wards/wards.geojson"
# The plan's text (OCR): the quotes of plan/context.csv and the verdicts of actuals.csv
# are checked against it.
PLAN_TEXT = "sources/plan_3rd_term_ocr.txt"
SOURCE_FILES = tuple(t.path for t in TABLES) + (STRUCTURE, DATASET, GEOJSON, PLAN_TEXT)


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
    plan_lines: list[str] = field(default_factory=list)  # the plan's text, line 1 first
    releases: list[Any] = field(default_factory=list)  # kawasaki.releases.Release, oldest first
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
