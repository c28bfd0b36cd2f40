"""The ward map: ward indicators, normalisation, classes, colours and the pydeck map of the 7 wards.

Query functions take a DuckDB connection (or cursor) first, like kawasaki.queries;
everything else is a pure function of their results. No Streamlit here: the page
(pages/wards.py) and kawasaki/wardview.py render what these functions build.

Rules (docs/wards.md explains them for readers):

* A ward without a value is "no data": drawn grey (#BDBDBD), never 0.
* A value is divided by a denominator only when the denominator is for the same
  ward *and* the same reference date. A date that is not stated matches nothing.
* Classes are quantile classes over the values present (at most 5): each class holds
  about the same number of wards; equal values share a class.
"""

from __future__ import annotations

import html
import json
import math
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from kawasaki.i18n import pick, t
from kawasaki.numbers import format_number, format_value

Con = duckdb.DuckDBPyConnection

# ColorBrewer YlGnBu, 5 classes (Cynthia Brewer, colorbrewer2.org): sequential and marked
# colour-blind safe; light = small, dark = large. No data is a neutral grey, and is also
# written out on the map, in the legend and in the table.
PALETTE = ("#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494")
NO_DATA = "#BDBDBD"
OUTLINE = "#4D4D4D"
# The legend's "no data" swatch: grey with the map's diagonal hatching.
NO_DATA_SWATCH = f"repeating-linear-gradient(135deg,{NO_DATA} 0 3px,#4D4D4D 3px 4px)"
MAX_CLASSES = 5
HATCH_SPACING = 0.01  # degrees between the hatch lines of a ward without data (about 9 px on the map)
LABEL_FONT = "'Noto Sans CJK JP', 'Noto Sans JP', 'IPAGothic', 'Hiragino Sans', Meiryo, sans-serif"
DENOMINATOR_KINDS = ("population", "population_65plus", "area")


# --- queries ------------------------------------------------------------------------


def _df(con: Con, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


def wards(con: Con) -> pd.DataFrame:
    """The 7 wards (code and names), in code order."""
    return _df(con, "SELECT ward_code, name_ja, name_en FROM wards ORDER BY ward_code")


def indicators(con: Con) -> pd.DataFrame:
    """Every ward indicator, with how many wards have a value and the latest date.

    The plan's own indicators (linked to a KPI) come first, then the order of indicators.csv.
    """
    return _df(
        con,
        """
        WITH defs AS (SELECT *, rowid AS ord FROM ward_indicator_defs),
        counts AS (
            SELECT indicator_id, count(DISTINCT ward_code) AS ward_count,
                   max(reference_date) AS latest_date
            FROM ward_indicators GROUP BY indicator_id
        )
        SELECT d.indicator_id, d.name_ja, d.name_en, d.unit, d.unit_ja, d.unit_en, d.kind, d.kpi_id,
               d.description_ja, d.description_en,
               coalesce(c.ward_count, 0) AS ward_count, c.latest_date, d.ord
        FROM defs d LEFT JOIN counts c USING (indicator_id)
        ORDER BY d.kpi_id IS NULL, d.ord
        """,
    )


def indicator_values(con: Con, indicator_id: str) -> pd.DataFrame:
    """One row per ward (all 7): the indicator's latest value there, or nulls when there is none."""
    return _df(
        con,
        """
        WITH shown AS (  -- the latest value of each ward
            SELECT * FROM ward_indicators WHERE indicator_id = ?
            QUALIFY row_number() OVER (PARTITION BY ward_code ORDER BY reference_date DESC NULLS LAST) = 1
        )
        SELECT w.ward_code, w.name_ja, w.name_en, s.value, s.decimals, s.reference_date,
               s.source_title, s.source_url
        FROM wards w LEFT JOIN shown s USING (ward_code)
        ORDER BY w.ward_code
        """,
        [indicator_id],
    )


def denominators(con: Con, indicator_id: str) -> pd.DataFrame:
    """Population, 65+ population and area values of the same ward and the same date as each shown value."""
    return _df(
        con,
        """
        WITH shown AS (  -- the latest value of each ward
            SELECT * FROM ward_indicators WHERE indicator_id = ?
            QUALIFY row_number() OVER (PARTITION BY ward_code ORDER BY reference_date DESC NULLS LAST) = 1
        )
        SELECT d.kind AS denominator_kind, v.indicator_id AS denominator_id, d.name_ja, d.name_en,
               v.ward_code, v.reference_date, v.value, v.decimals, v.source_title, v.source_url
        FROM shown s
        JOIN ward_indicators v ON v.ward_code = s.ward_code AND v.reference_date = s.reference_date
        JOIN ward_indicator_defs d ON d.indicator_id = v.indicator_id
        WHERE list_contains(?::VARCHAR[], d.kind) AND v.indicator_id <> ?
        ORDER BY denominator_kind, denominator_id, v.ward_code
        """,
        [indicator_id, list(DENOMINATOR_KINDS), indicator_id],
    )


def geometries(con: Con) -> dict[str, dict[str, Any]]:
    """Each ward's simplified polygon as a GeoJSON geometry (WGS84, 5 decimals)."""
    rows = con.execute("SELECT ward_code, geometry FROM wards ORDER BY ward_code").fetchall()
    return {code: json.loads(geometry) for code, geometry in rows}


def places(con: Con, ward_code: str | None = None) -> pd.DataFrame:
    """The places the plan names, by ward (all wards, or one), with their initiative."""
    return _df(
        con,
        """
        SELECT p.place_id, p.ward_code, p.name_ja, p.name_en, p.initiative_id,
               p.plan_section_ja, p.plan_section_en, p.note_ja, p.note_en,
               w.name_ja AS ward_name_ja, w.name_en AS ward_name_en,
               i.policy_area_number, i.number, i.name_ja AS initiative_name_ja,
               i.name_en AS initiative_name_en
        FROM ward_places p JOIN wards w USING (ward_code) JOIN initiatives i USING (initiative_id)
        WHERE (? IS NULL OR p.ward_code = ?)
        ORDER BY p.ward_code, p.sort_order
        """,
        [ward_code, ward_code],
    )


def ward_kpi_indicator(con: Con, kpi_id: str) -> str | None:
    """The ward indicator that measures a KPI by ward, if the data define one."""
    row = con.execute(
        "SELECT indicator_id FROM ward_indicator_defs WHERE kpi_id = ? ORDER BY indicator_id LIMIT 1",
        [kpi_id],
    ).fetchone()
    return row[0] if row else None


# --- choosing an indicator -----------------------------------------------------------


def default_indicator(inds: pd.DataFrame) -> str:
    """The indicator shown when none is asked for: most wards covered, then latest, then file order."""
    rows = inds.to_dict("records")
    best = max(
        rows,
        key=lambda r: (int(r["ward_count"]), _missing_last(r["latest_date"]), -int(r["ord"])),
    )
    return str(best["indicator_id"])


def _missing_last(date: Any) -> str:
    return "" if _none(date) is None else str(date)


def indicator_row(inds: pd.DataFrame, indicator_id: str) -> dict[str, Any]:
    """One indicator's definition as a dict (KeyError when unknown)."""
    match = inds[inds.indicator_id == indicator_id]
    if match.empty:
        raise KeyError(indicator_id)
    return {k: _none(v) for k, v in match.iloc[0].to_dict().items()}


def indicator_option(row: Mapping[str, Any], lang: str) -> str:
    """How an indicator reads in the picker: its name and how many wards have a value."""
    count = int(row["ward_count"])
    key = "wardmap.option_none" if count == 0 else "wardmap.option"
    return t(key, lang, name=pick(row, "name", lang), n=count)


# --- normalisation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Normaliser:
    """A way of dividing a value by a denominator of the same ward and date."""

    key: str
    denominator_kind: str
    factor: int
    numerator_kinds: tuple[str, ...]
    decimals: Mapping[str, int]  # by numerator kind

    def unit(self, unit_ja: str, unit_en: str) -> tuple[str, str]:
        """The unit of the result: ('件/人口1万人', 'cases per 10,000 residents')."""
        per_ja = t(f"wardmap.per_unit.{self.key}", "ja")
        per_en = t(f"wardmap.per_unit.{self.key}", "en")
        return f"{unit_ja}/{per_ja}", f"{unit_en} {per_en}"


NORMALISERS: tuple[Normaliser, ...] = (
    Normaliser("per_10k", "population", 10_000, ("count",), {"count": 1}),
    Normaliser("per_1k_65", "population_65plus", 1_000, ("count",), {"count": 1}),
    Normaliser("per_km2", "area", 1, ("count", "population"), {"count": 1, "population": 0}),
)
NORMALISER_BY_KEY = {n.key: n for n in NORMALISERS}


@dataclass(frozen=True)
class Option:
    """A normalisation that can be offered: the normaliser and the denominator indicator it uses."""

    normaliser: Normaliser
    denominator_id: str
    name_ja: str
    name_en: str
    wards: int
    dates: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        """The denominator indicator's name."""
        return pick({"name_ja": self.name_ja, "name_en": self.name_en}, "name", lang)


def normalisation_options(kind: str, denoms: pd.DataFrame) -> list[Option]:
    """The normalisations possible for an indicator of ``kind``, given same-date denominators.

    For each, the denominator indicator matching the most wards is used (ties: by id).
    """
    options = []
    for n in NORMALISERS:
        if kind not in n.numerator_kinds or denoms.empty:
            continue
        mine = denoms[denoms.denominator_kind == n.denominator_kind]
        if mine.empty:
            continue
        counts = mine.groupby("denominator_id").ward_code.nunique()
        best = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
        chosen = mine[mine.denominator_id == best]
        first = chosen.iloc[0]
        dates = tuple(sorted(set(chosen.reference_date)))
        options.append(Option(n, best, first["name_ja"], first["name_en"], int(counts[best]), dates))
    return options


def normalise(
    value: float | None,
    date: str | None,
    denominator: float | None,
    denominator_date: str | None,
    factor: int,
) -> float | None:
    """``value / denominator × factor``, or None unless both exist, the dates are equal and stated.

    >>> normalise(217328, "2010-10-01", 39.21, "2010-10-01", 1)
    5542.667686814588
    >>> normalise(217328, "2010-10-01", 39.21, None, 1) is None
    True
    >>> normalise(231640, "2025-03-01", 10.01, "2024-10-01", 1) is None
    True
    """
    if value is None or denominator is None or not denominator:
        return None
    if date is None or denominator_date is None or date != denominator_date:
        return None
    return value / denominator * factor


# --- classes and colours -----------------------------------------------------------------


def quantile_classes(values: Sequence[float], k: int = MAX_CLASSES) -> list[tuple[float, float]]:
    """Up to ``k`` classes with about equal numbers of values; equal values share a class.

    Returns each class as (lowest, highest) value in it, in increasing order.

    >>> quantile_classes([1, 2, 3, 4, 5, 6, 7])
    [(1, 2), (3, 3), (4, 5), (6, 6), (7, 7)]
    >>> quantile_classes([5, 5, 5])
    [(5, 5)]
    >>> quantile_classes([])
    []
    """
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return []
    k = max(1, min(k, len(set(ordered))))
    groups: dict[int, list[float]] = {}
    for v in ordered:
        groups.setdefault(bisect_left(ordered, v) * k // n, []).append(v)
    return [(g[0], g[-1]) for _, g in sorted(groups.items())]


def class_colours(k: int) -> list[str]:
    """Colours for ``k`` classes, spread over the palette from light to dark.

    >>> class_colours(3)
    ['#FFFFCC', '#41B6C4', '#253494']
    >>> class_colours(1)
    ['#41B6C4']
    """
    if k <= 0:
        return []
    if k == 1:
        return [PALETTE[len(PALETTE) // 2]]
    last = len(PALETTE) - 1
    return [PALETTE[round(i * last / (k - 1))] for i in range(k)]


def class_of(value: float | None, classes: Sequence[tuple[float, float]]) -> int | None:
    """The index of the class holding ``value`` (None for no data).

    >>> class_of(4.5, [(1, 2), (3, 3), (4, 5)])
    2
    """
    if value is None:
        return None
    for i, (lo, hi) in enumerate(classes):
        if lo <= value <= hi:
            return i
    raise ValueError(f"{value} is in no class")


def ranks(values: Sequence[float | None]) -> list[int | None]:
    """Rank 1 for the largest value; equal values share the better rank; no data has no rank.

    >>> ranks([3, None, 5, 3])
    [2, None, 1, 2]
    """
    present = sorted((v for v in values if v is not None), reverse=True)
    return [None if v is None else present.index(v) + 1 for v in values]


def hex_to_rgb(colour: str) -> list[int]:
    """'#BDBDBD' → [189, 189, 189]."""
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


# --- the prepared map -----------------------------------------------------------------------


@dataclass(frozen=True)
class WardMap:
    """Everything the map, legend, table and text alternative show for one indicator."""

    indicator: dict[str, Any]
    rows: list[dict[str, Any]]  # one per ward, in code order
    classes: list[tuple[float, float]]
    colours: list[str]
    mean: float | None
    decimals: int
    unit_ja: str
    unit_en: str
    option: Option | None = None
    dates: list[str] = field(default_factory=list)  # distinct dates of the values shown
    undated: int = 0  # values whose source prints no date

    @property
    def present(self) -> list[dict[str, Any]]:
        """The wards with a value."""
        return [r for r in self.rows if r["value"] is not None]

    @property
    def missing(self) -> list[dict[str, Any]]:
        """The wards without a value ("no data")."""
        return [r for r in self.rows if r["value"] is None]


def _none(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def prepare(
    values: pd.DataFrame,
    indicator: Mapping[str, Any],
    option: Option | None = None,
    denoms: pd.DataFrame | None = None,
) -> WardMap:
    """Combine the values of one indicator (optionally normalised) into a WardMap."""
    rows = []
    by_ward: dict[str, dict[str, Any]] = {}
    if option is not None and denoms is not None:
        mine = denoms[denoms.denominator_id == option.denominator_id]
        by_ward = {r["ward_code"]: r for r in mine.to_dict("records")}
    for r in values.to_dict("records"):
        raw, date = _none(r["value"]), _none(r["reference_date"])
        row = {
            "ward_code": r["ward_code"],
            "name_ja": r["name_ja"],
            "name_en": r["name_en"],
            "raw_value": raw,
            "raw_decimals": None if _none(r["decimals"]) is None else int(r["decimals"]),
            "reference_date": date,
            "source_title": _none(r["source_title"]),
            "source_url": _none(r["source_url"]),
            "denominator": None,
            "denominator_decimals": None,
            "denominator_source": None,
            "denominator_url": None,
        }
        if option is None:
            row["value"] = raw
        else:
            d = by_ward.get(r["ward_code"])
            row["value"] = normalise(
                raw,
                date,
                None if d is None else d["value"],
                None if d is None else _none(d["reference_date"]),
                option.normaliser.factor,
            )
            if row["value"] is not None and d is not None:
                row["denominator"] = d["value"]
                row["denominator_decimals"] = int(d["decimals"])
                row["denominator_source"] = d["source_title"]
                row["denominator_url"] = _none(d["source_url"])
        rows.append(row)
    present = [r["value"] for r in rows if r["value"] is not None]
    classes = quantile_classes(present)
    colours = class_colours(len(classes))
    mean = sum(present) / len(present) if present else None
    for r, rank in zip(rows, ranks([r["value"] for r in rows]), strict=True):
        cls = class_of(r["value"], classes)
        r["class"] = cls
        r["colour"] = NO_DATA if cls is None else colours[cls]
        r["rank"] = rank
        r["difference"] = None if r["value"] is None or mean is None else r["value"] - mean
    kind = str(indicator["kind"])
    if option is None:
        decimals = max((r["raw_decimals"] for r in rows if r["raw_decimals"] is not None), default=0)
        unit_ja, unit_en = str(indicator["unit_ja"]), str(indicator["unit_en"])
    else:
        decimals = option.normaliser.decimals[kind]
        unit_ja, unit_en = option.normaliser.unit(str(indicator["unit_ja"]), str(indicator["unit_en"]))
    dated = [r for r in rows if r["value"] is not None]
    return WardMap(
        indicator=dict(indicator),
        rows=rows,
        classes=classes,
        colours=colours,
        mean=mean,
        decimals=decimals,
        unit_ja=unit_ja,
        unit_en=unit_en,
        option=option,
        dates=sorted({r["reference_date"] for r in dated if r["reference_date"]}),
        undated=sum(1 for r in dated if not r["reference_date"]),
    )


# --- words ---------------------------------------------------------------------------------


def ward_name(row: Mapping[str, Any], lang: str) -> str:
    """'川崎区' / 'Kawasaki-ku'."""
    return pick(row, "name", lang)


def map_label(row: Mapping[str, Any], lang: str) -> str:
    """A ward's name on the map, short enough not to collide: '川崎区' / 'Kawasaki'.

    >>> map_label({"name_ja": "宮前区", "name_en": "Miyamae-ku"}, "en")
    'Miyamae'
    """
    name = ward_name(row, lang)
    return name.removesuffix("-ku") if lang != "ja" else name


def value_text(wm: WardMap, value: float | None, lang: str, decimals: int | None = None) -> str:
    """A value with its unit, or 'データなし' / 'no data'."""
    d = wm.decimals if decimals is None else decimals
    return format_value(value, d, wm.unit_ja, wm.unit_en, lang=lang)


def row_value_text(wm: WardMap, row: Mapping[str, Any], lang: str) -> str:
    """A ward's value as stored (its own decimals), or 'no data'."""
    decimals = row["raw_decimals"] if wm.option is None and row["raw_decimals"] is not None else None
    return value_text(wm, row["value"], lang, decimals)


def difference_text(wm: WardMap, difference: float | None, lang: str) -> str:
    """'+1,234人' / '▲1,234人' (ja), '+1,234 people' / '−1,234 people' (en); '—' without a value."""
    if difference is None:
        return "—"
    text = value_text(wm, difference, lang)
    rounded = format_number(difference, wm.decimals, lang=lang)
    return text if rounded.startswith(("▲", "−")) or rounded.strip("0.,") == "" else f"+{text}"


def date_text(date: str | None, lang: str) -> str:
    """A reference date as people read it: '2020年10月1日' / '1 Oct 2020'; unstated dates say so.

    >>> date_text("2020-10-01", "ja"), date_text("2024-04", "en"), date_text("2005", "ja")
    ('2020年10月1日', 'Apr 2024', '2005年')
    """
    if not date:
        return t("wardmap.no_date", lang)
    parts = [int(p) for p in str(date).split("-")]
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    if lang == "ja":
        return "".join(f"{p}{u}" for p, u in zip(parts, ("年", "月", "日"), strict=False))
    if len(parts) == 3:
        return f"{parts[2]} {months[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{months[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def dates_text(wm: WardMap, lang: str) -> str:
    """The reference date(s) of the values shown, saying when they differ between wards."""
    if not wm.dates and not wm.undated:
        return "—"
    if len(wm.dates) == 1 and not wm.undated:
        return date_text(wm.dates[0], lang)
    parts = [date_text(d, lang) for d in wm.dates]
    if wm.undated:
        parts.append(t("wardmap.no_date", lang))
    return t("wardmap.mixed_dates", lang, dates="、".join(parts) if lang == "ja" else ", ".join(parts))


def class_label(wm: WardMap, i: int, lang: str) -> str:
    """'154,212 – 169,926人' (or one value when the class holds one)."""
    lo, hi = wm.classes[i]
    if lo == hi:
        return value_text(wm, lo, lang)
    low = format_number(lo, wm.decimals, lang=lang)
    return f"{low} – {value_text(wm, hi, lang)}"


def wards_count(n: int, lang: str) -> str:
    """'3区' / '3 wards' / '1 ward'."""
    return t("wardmap.wards_one" if n == 1 else "wardmap.wards_n", lang, n=n)


def summary(wm: WardMap, lang: str) -> str:
    """One sentence saying what the map shows (its text alternative)."""
    name = pick(wm.indicator, "name", lang)
    present = wm.present
    if not present:
        return t("wardmap.summary_none", lang, name=name)
    top = max(present, key=lambda r: r["value"])
    low = min(present, key=lambda r: r["value"])
    if len(present) == 1:
        text = t(
            "wardmap.summary_one",
            lang,
            name=name,
            top=ward_name(top, lang),
            top_value=row_value_text(wm, top, lang),
        )
    else:
        text = t(
            "wardmap.summary",
            lang,
            name=name,
            n=wards_count(len(present), lang),
            top=ward_name(top, lang),
            top_value=row_value_text(wm, top, lang),
            low=ward_name(low, lang),
            low_value=row_value_text(wm, low, lang),
        )
    if wm.missing:
        text += t("wardmap.summary_missing", lang, n=wards_count(len(wm.missing), lang))
    return text


# --- table ---------------------------------------------------------------------------------


def ward_table(wm: WardMap, lang: str) -> pd.DataFrame:
    """The map's text alternative: one row per ward with value, date, rank and difference."""
    n = len(wm.present)
    columns: dict[str, list[str]] = {
        t("word.ward", lang): [],
        t("word.value", lang): [],
        t("word.date", lang): [],
        t("wardmap.rank", lang): [],
        t("wardmap.difference", lang): [],
    }
    if wm.option is not None:
        columns[t("wardmap.raw_value", lang)] = []
        columns[t("wardmap.denominator", lang)] = []
    for r in wm.rows:
        cells = [
            ward_name(r, lang),
            row_value_text(wm, r, lang),
            date_text(r["reference_date"], lang) if r["value"] is not None else "—",
            "—" if r["rank"] is None else t("wardmap.rank_of", lang, rank=r["rank"], n=n),
            difference_text(wm, r["difference"], lang),
        ]
        if wm.option is not None:
            raw = format_value(
                r["raw_value"],
                r["raw_decimals"] or 0,
                str(wm.indicator["unit_ja"]),
                str(wm.indicator["unit_en"]),
                lang=lang,
            )
            cells += [raw, _denominator_text(wm, r, lang)]
        for column, cell in zip(columns, cells, strict=True):
            columns[column].append(cell)
    return pd.DataFrame(columns)


def _denominator_text(wm: WardMap, row: Mapping[str, Any], lang: str) -> str:
    if row["denominator"] is None or wm.option is None:
        return t("wardmap.no_denominator", lang)
    kind = wm.option.normaliser.denominator_kind
    return format_value(
        row["denominator"],
        row["denominator_decimals"] or 0,
        t(f"wardmap.denominator_unit.{kind}", "ja"),
        t(f"wardmap.denominator_unit.{kind}", "en"),
        lang=lang,
    )


def download_table(wm: WardMap) -> pd.DataFrame:
    """The ward table as data: numbers as numbers, ISO dates, stable English column names."""
    option = wm.option
    return pd.DataFrame(
        [
            {
                "ward_code": r["ward_code"],
                "ward_name_ja": r["name_ja"],
                "ward_name_en": r["name_en"],
                "indicator_id": wm.indicator["indicator_id"],
                "value": None if r["value"] is None else round(r["value"], wm.decimals),
                "unit_ja": wm.unit_ja,
                "unit_en": wm.unit_en,
                "reference_date": r["reference_date"],
                "rank": r["rank"],
                "difference_from_mean": None
                if r["difference"] is None
                else round(r["difference"], wm.decimals),
                "mean_of_wards": None if wm.mean is None else round(wm.mean, wm.decimals),
                "normalised": option.normaliser.key if option else None,
                "raw_value": r["raw_value"],
                "denominator_id": option.denominator_id if option and r["denominator"] is not None else None,
                "denominator_value": r["denominator"],
                "source_title": r["source_title"],
                "source_url": r["source_url"],
            }
            for r in wm.rows
        ]
    ).astype({"rank": "Int64"})


def sources(wm: WardMap) -> list[tuple[str, str | None]]:
    """Each distinct source of the values shown (and of their denominators), in ward order."""
    seen: dict[str, str | None] = {}
    for r in wm.rows:
        if r["value"] is not None and r["source_title"]:
            seen.setdefault(r["source_title"], r["source_url"])
    for r in wm.rows:
        if r["value"] is not None and r["denominator_source"]:
            seen.setdefault(r["denominator_source"], r["denominator_url"])
    return list(seen.items())


# --- legend --------------------------------------------------------------------------------


def legend_html(wm: WardMap, lang: str) -> str:
    """The map's legend: one swatch per class and one for no data, the unit, dates and method."""
    e = html.escape
    items = [
        (colour, class_label(wm, i, lang), sum(1 for r in wm.rows if r["class"] == i))
        for i, colour in enumerate(wm.colours)
    ]
    if wm.missing:
        items.append((NO_DATA_SWATCH, t("word.no_data", lang), len(wm.missing)))
    entries = "".join(
        f'<li><span class="wl-sw" style="background:{colour}"></span>'
        f"<span>{e(label)}</span>"
        f'<span class="wl-n">{e(wards_count(count, lang))}</span></li>'
        for colour, label, count in items
    )
    unit = wm.unit_ja if lang == "ja" else wm.unit_en
    lines = [
        t("wardmap.legend_unit", lang, unit=unit),
        t("wardmap.legend_date", lang, date=dates_text(wm, lang)),
    ]
    if wm.classes:
        lines.append(t("wardmap.legend_method", lang))
    style = (
        "<style>.wl{margin:0;padding:0}.wl ul{list-style:none;margin:.25rem 0;padding:0;display:flex;"
        "flex-wrap:wrap;gap:.25rem 1rem}.wl li{display:flex;align-items:center;gap:.4rem;font-size:.9rem}"
        ".wl-sw{display:inline-block;width:1.1rem;height:1.1rem;border:1px solid #4D4D4D;border-radius:2px}"
        ".wl-n{color:#555;font-size:.8rem}.wl p{margin:.1rem 0;font-size:.85rem;color:#333}</style>"
    )
    title = e(pick(wm.indicator, "name", lang))
    colon = "：" if lang == "ja" else ": "
    body = "".join(f"<p>{e(line)}</p>" for line in lines)
    return (
        f'{style}<figure class="wl" aria-label="{e(t("wardmap.legend", lang), quote=True)}">'
        f"<figcaption><strong>{e(t('wardmap.legend', lang))}</strong>{colon}{title}</figcaption>"
        f"<ul>{entries}</ul>{body}</figure>"
    )


# --- the deck -------------------------------------------------------------------------------


class CompactDeck(pdk.Deck):
    """A pydeck Deck serialised without indentation and with UTF-8 text.

    pydeck indents its JSON, which puts every coordinate on its own line and makes the
    ward polygons about three times larger on the wire; this keeps them small.
    """

    def to_json(self) -> str:
        """The deck.gl JSON spec, compact."""
        return json.dumps(
            self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False
        )


def _rings(geometry: Mapping[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def _ring_area(ring: Sequence[Sequence[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def _inside(x: float, y: float, polygon: Sequence[Sequence[Sequence[float]]]) -> bool:
    crossings = 0
    for ring in polygon:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


def label_point(geometry: Mapping[str, Any]) -> tuple[float, float]:
    """A point inside the ward's largest part, for its name label.

    The centroid of the largest polygon when it lies inside; otherwise the middle of
    the widest stretch of the polygon along the centroid's latitude.
    """
    polygon = max(_rings(geometry), key=lambda p: abs(_ring_area(p[0])))
    ring = polygon[0]
    area = _ring_area(ring)
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
    x, y = cx / (6 * area), cy / (6 * area)
    if not _inside(x, y, polygon):
        xs = sorted(
            x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            for r in polygon
            for (x1, y1), (x2, y2) in zip(r, r[1:], strict=False)
            if (y1 > y) != (y2 > y)
        )
        a, b = max(zip(xs[::2], xs[1::2], strict=False), key=lambda s: s[1] - s[0])
        x = (a + b) / 2
    return round(x, 5), round(y, 5)


def hatch_lines(geometry: Mapping[str, Any], spacing: float = HATCH_SPACING) -> list[list[list[float]]]:
    """Diagonal hatching clipped to a (Multi)Polygon, as line segments: the map's mark for "no data".

    >>> square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    >>> hatch_lines(square, 0.5)
    [[[0.0, 0.5], [0.5, 1.0]], [[0.0, 0.0], [1.0, 1.0]], [[0.5, 0.0], [1.0, 0.5]]]
    """
    rings = [ring for polygon in _rings(geometry) for ring in polygon]
    diagonals = [x - y for ring in rings for x, y in ring]
    segments = []
    step = math.floor(min(diagonals) / spacing) + 1
    while step * spacing < max(diagonals):
        c = step * spacing
        crossings = []
        for ring in rings:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                f1, f2 = x1 - y1 - c, x2 - y2 - c
                if (f1 > 0) != (f2 > 0):
                    k = f1 / (f1 - f2)
                    crossings.append((round(x1 + k * (x2 - x1), 5), round(y1 + k * (y2 - y1), 5)))
        crossings.sort()
        segments += [[list(a), list(b)] for a, b in zip(crossings[::2], crossings[1::2], strict=False)]
        step += 1
    return segments


def bounds(geoms: Mapping[str, Mapping[str, Any]]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of all the polygons."""
    xs, ys = [], []
    for geometry in geoms.values():
        for polygon in _rings(geometry):
            for ring in polygon:
                xs += [p[0] for p in ring]
                ys += [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


TILE = 512  # deck.gl's MapView: the world is 512 px wide at zoom 0


def fit_view(box: tuple[float, float, float, float], width: int = 340, height: int = 400) -> pdk.ViewState:
    """A view centred on ``box`` at the zoom that fits it into ``width`` × ``height`` pixels.

    The default fits a phone's width; wider screens show the whole city with room around it.

    >>> fit_view((139.44928, 35.4698, 139.83582, 35.64267)).zoom
    9.27
    """
    west, south, east, north = box

    def merc_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(width * 360 / (TILE * (east - west)))
    zoom_y = math.log2(height * 2 * math.pi / (TILE * (merc_y(north) - merc_y(south))))
    centre_y = math.degrees(2 * math.atan(math.exp((merc_y(north) + merc_y(south)) / 2)) - math.pi / 2)
    return pdk.ViewState(
        longitude=round((west + east) / 2, 5),
        latitude=round(centre_y, 5),
        zoom=round(min(zoom_x, zoom_y), 2),
        min_zoom=8,
        max_zoom=15,
    )


def feature_collection(
    wm: WardMap, geoms: Mapping[str, Mapping[str, Any]], lang: str, selected: str | None
) -> dict:
    """The 7 wards as GeoJSON features carrying what the tooltip and the fill need."""
    features = []
    for r in wm.rows:
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "ward_code": r["ward_code"],
                    "name_ja": r["name_ja"],
                    "name_en": r["name_en"],
                    "value": row_value_text(wm, r, lang),
                    "date": date_text(r["reference_date"], lang) if r["value"] is not None else "—",
                    "fill": hex_to_rgb(r["colour"]),
                    "line": 3 if r["ward_code"] == selected else 1,
                },
                "geometry": geoms[r["ward_code"]],
            }
        )
    return {"type": "FeatureCollection", "features": features}


def ward_deck(
    wm: WardMap,
    geoms: Mapping[str, Mapping[str, Any]],
    lang: str,
    selected: str | None = None,
) -> pdk.Deck:
    """A choropleth of the 7 wards on a plain background (no basemap is fetched)."""
    e = html.escape
    fc = feature_collection(wm, geoms, lang, selected)
    labels = []
    for r in wm.rows:
        x, y = label_point(geoms[r["ward_code"]])
        labels.append({"position": [x, y], "text": map_label(r, lang)})
    # pydeck turns plain strings into "@@=" accessors; literal strings need pdk.types.String.
    polygons = pdk.Layer(
        "GeoJsonLayer",
        data=fc,
        id="wards",
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=hex_to_rgb(OUTLINE),
        get_line_width="properties.line",
        line_width_units=pdk.types.String("pixels"),
        auto_highlight=True,
        highlight_color=[0, 0, 0, 40],
    )
    no_data = pdk.Layer(
        "GeoJsonLayer",
        data={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {
                        "type": "MultiLineString",
                        "coordinates": hatch_lines(geoms[r["ward_code"]]),
                    },
                }
                for r in wm.missing
            ],
        },
        id="no-data-hatch",
        stroked=True,
        get_line_color=[77, 77, 77, 170],
        get_line_width=1,
        line_width_units=pdk.types.String("pixels"),
        pickable=False,
    )
    names = pdk.Layer(
        "TextLayer",
        data=labels,
        id="ward-names",
        get_position="position",
        get_text="text",
        get_size=11,
        get_color=[26, 26, 26],
        character_set=pdk.types.String("auto"),
        font_family=pdk.types.String(LABEL_FONT),
        background=True,
        get_background_color=[255, 255, 255, 215],
        background_padding=[2, 0],
        line_height=1.15,
        pickable=False,
    )
    tooltip = {
        "html": (
            "<b>{name_ja}</b> {name_en}<br/>"
            f"{e(pick(wm.indicator, 'name', lang))}: <b>{{value}}</b><br/>"
            f"{e(t('word.date', lang))}: {{date}}"
        ),
        "style": {
            "backgroundColor": "#1A1A1A",
            "color": "#FFFFFF",
            "fontSize": "13px",
            "maxWidth": "240px",
            "whiteSpace": "normal",
            "lineHeight": "1.4",
        },
    }
    return CompactDeck(
        layers=[polygons, no_data, names],
        initial_view_state=fit_view(bounds(geoms)),
        views=[pdk.View("MapView", controller={"scrollZoom": False, "dragRotate": False})],
        map_provider=None,
        tooltip=tooltip,
    )


def geojson_bytes(deck_json: str) -> int:
    """Bytes of the ward GeoJSON inside a deck's JSON spec (what the browser receives for the map)."""
    spec = json.loads(deck_json)
    layer = next(x for x in spec["layers"] if x.get("@@type") == "GeoJsonLayer")
    return len(json.dumps(layer["data"], separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def staff_rows(indicator: Mapping[str, Any], ward_rows: pd.DataFrame, lang: str) -> str:
    """The rows staff add to data/wards/values.csv for an indicator: one per ward, as a template.

    The parts in <> are placeholders, never values.
    """
    lines = ["ward_code,indicator_id,reference_date,value,unit,source_title,source_url"]
    for r in ward_rows.to_dict("records"):
        placeholder = t("wardmap.staff_value", lang, ward=ward_name(r, lang))
        lines.append(
            f"{r['ward_code']},{indicator['indicator_id']},YYYY-MM-DD,<{placeholder}>,"
            f"{indicator['unit']},<{t('wardmap.staff_source', lang)}>,<URL>"
        )
    return "\n".join(lines)
