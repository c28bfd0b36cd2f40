"""What the ward map shows, as plain data: which indicator is shown first, the
normalisations an indicator allows (a value divided only by a denominator of the same
ward and the same stated date), quantile classes over the values present (at most 5, equal
values sharing a class) with their colours, ranks and the mean, all gathered in a
``WardMap`` by ``prepare``; ``indicator_facts`` and ``ward_map`` run the queries of
kawasaki.wards.queries on a cursor and return these results, so that the view asks for
each in one call (``q(ward_map, indicator_id, per)``) and data flow one way. A ward
without a value is "no data" (grey, never 0) and is left out of the classes, ranks and
mean; docs/wards.md gives the rules for readers.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kawasaki.i18n import pick, t
from kawasaki.wards import queries

# ColorBrewer YlGnBu, 5 classes (Cynthia Brewer, colorbrewer2.org): sequential and marked
# colour-blind safe; light = small, dark = large. No data is a neutral grey, and is also
# written out on the map, in the legend and in the table.
PALETTE = ("#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494")
NO_DATA = "#BDBDBD"
MAX_CLASSES = 5


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
    return {k: list(v) if hasattr(v, "tolist") else _none(v) for k, v in match.iloc[0].to_dict().items()}


# --- normalisation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Normaliser:
    """A way of dividing a value by a denominator of the same ward and date."""

    key: str
    denominator_kind: str
    factor: int
    numerator_kinds: tuple[str, ...]
    decimals: Mapping[str, int]  # by numerator kind
    named_only: bool = False  # offered only to an indicator naming its denominator (fixed_denominator)

    def unit(self, unit_ja: str, unit_en: str) -> tuple[str, str]:
        """The unit of the result: ('件/人口1万人', 'cases per 10,000 residents')."""
        per_ja = t(f"wardmap.per_unit.{self.key}", "ja")
        per_en = t(f"wardmap.per_unit.{self.key}", "en")
        return f"{unit_ja}/{per_ja}", f"{unit_en} {per_en}"


NORMALISERS: tuple[Normaliser, ...] = (
    Normaliser("per_10k", "population", 10_000, ("count",), {"count": 1}),
    # per 1,000 residents aged 65+ suits services for older people (通いの場), not every count
    Normaliser("per_1k_65", "population_65plus", 1_000, ("count",), {"count": 1}, named_only=True),
    Normaliser("per_km2", "area", 1, ("count", "population"), {"count": 1, "population": 0}),
)


@dataclass(frozen=True)
class Option:
    """A normalisation that can be offered: the normaliser and the denominator indicator it uses."""

    normaliser: Normaliser
    denominator_id: str
    name_ja: str
    name_en: str
    wards: int
    dates: tuple[str, ...] = ()
    fixed: bool = False  # the indicator's fixed_denominator: used whatever its date (stated)

    def name(self, lang: str) -> str:
        """The denominator indicator's name."""
        return pick({"name_ja": self.name_ja, "name_en": self.name_en}, "name", lang)


def normalisation_options(kind: str, denoms: pd.DataFrame) -> list[Option]:
    """The normalisations possible for an indicator of ``kind``, given its denominators
    (kawasaki.wards.queries.denominators).

    For each, the indicator's fixed denominator when it has one of that kind (whatever
    its date), else the same-date denominator matching the most wards (ties: by id).
    """
    options = []
    for n in NORMALISERS:
        if kind not in n.numerator_kinds or denoms.empty:
            continue
        mine = denoms[denoms.denominator_kind == n.denominator_kind]
        fixed = mine[mine.fixed.astype(bool)]
        mine = fixed if len(fixed) or n.named_only else mine[~mine.fixed.astype(bool)]
        if mine.empty:
            continue
        counts = mine.groupby("denominator_id").ward_code.nunique()
        best = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
        chosen = mine[mine.denominator_id == best]
        first = chosen.iloc[0]
        dates = tuple(sorted(set(chosen.reference_date.dropna())))
        wards = int(counts[best])
        options.append(Option(n, best, first["name_ja"], first["name_en"], wards, dates, bool(len(fixed))))
    return options


def normalise(
    value: float | None,
    date: str | None,
    denominator: float | None,
    denominator_date: str | None,
    factor: int,
    *,
    same_date: bool = True,
) -> float | None:
    """``value / denominator × factor``, or None unless both exist, the dates are equal and stated.

    ``same_date=False`` (a fixed denominator, whose date the page states) drops the date rule.

    >>> normalise(217328, "2010-10-01", 39.21, "2010-10-01", 1)
    5542.667686814588
    >>> normalise(217328, "2010-10-01", 39.21, None, 1) is None
    True
    >>> normalise(231640, "2025-03-01", 10.01, "2024-10-01", 1) is None
    True
    """
    if value is None or denominator is None or not denominator:
        return None
    if same_date and (date is None or denominator_date is None or date != denominator_date):
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

    @property
    def secondary(self) -> list[dict[str, Any]]:
        """The wards whose value shown rests on a secondary source (its own or its denominator's)."""
        return [
            r
            for r in self.present
            if r["source_type"] == "secondary" or r["denominator_source_type"] == "secondary"
        ]


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
        mine = mine[mine.fixed.astype(bool) == option.fixed]
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
            "source_type": _none(r.get("source_type")),
            "derived": bool(_none(r.get("derived"))),
            "attribution": _none(r.get("attribution")),
            "denominator": None,
            "denominator_decimals": None,
            "denominator_date": None,
            "denominator_source": None,
            "denominator_url": None,
            "denominator_source_type": None,
            "denominator_attribution": None,
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
                same_date=not option.fixed,
            )
            if row["value"] is not None and d is not None:
                row["denominator"] = d["value"]
                row["denominator_decimals"] = int(d["decimals"])
                row["denominator_date"] = _none(d["reference_date"])
                row["denominator_source"] = d["source_title"]
                row["denominator_url"] = _none(d["source_url"])
                row["denominator_source_type"] = _none(d.get("source_type"))
                row["denominator_attribution"] = _none(d.get("attribution"))
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


# --- from the database ---------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFacts:
    """What the view needs before it draws an indicator: its definition, whether any
    ward has a value, and the normalisations it can offer, by normaliser key."""

    indicator: dict[str, Any]
    has_values: bool
    options: dict[str, Option]


def _inputs(con: queries.Con, indicator_id: str) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """The indicator's definition, its value in each ward and the same-date denominators."""
    indicator = indicator_row(queries.indicators(con), indicator_id)
    return indicator, queries.indicator_values(con, indicator_id), queries.denominators(con, indicator_id)


def _options_by_key(indicator: Mapping[str, Any], denoms: pd.DataFrame) -> dict[str, Option]:
    return {o.normaliser.key: o for o in normalisation_options(indicator["kind"], denoms)}


def indicator_facts(con: queries.Con, indicator_id: str) -> IndicatorFacts:
    """The indicator's definition, whether any ward has a value, and its normalisations
    (KeyError when the indicator is unknown); for ``q(indicator_facts, indicator_id)``."""
    indicator, values, denoms = _inputs(con, indicator_id)
    return IndicatorFacts(indicator, bool(values.value.notna().any()), _options_by_key(indicator, denoms))


def ward_map(con: queries.Con, indicator_id: str, per: str | None = None) -> WardMap:
    """The indicator's ward values, classes and ranks, divided as the normaliser ``per``
    says (a key of ``indicator_facts(...).options``; None: as published); for
    ``q(ward_map, indicator_id, per)``."""
    indicator, values, denoms = _inputs(con, indicator_id)
    return prepare(values, indicator, _options_by_key(indicator, denoms).get(per) if per else None, denoms)
