"""What people read about a prepared ward map (kawasaki.wards.model.WardMap), in
Japanese or English from the locale files: an indicator's picker label, ward names (short
ones for the map), values with their units, dates, differences from the mean, class
labels, the one-sentence summary that is the map's text alternative, the ward table and
its download (numbers as numbers, ISO dates, English column names), the sources of the
values shown, the rows staff add for an indicator without ward data, and the legend as
escaped HTML.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from kawasaki.i18n import pick, t
from kawasaki.numbers import format_number, format_value
from kawasaki.present import initiative_label
from kawasaki.wards.model import NO_DATA, WardMap

# The columns of data/wards/values.csv, in its order: the rows staff add (staff_rows).
STAFF_COLUMNS = (
    "ward_code",
    "indicator_id",
    "reference_date",
    "value",
    "unit",
    "source_title",
    "source_url",
    "source_type",
    "attribution",
)
# The legend's "no data" swatch: grey with the map's diagonal hatching.
NO_DATA_SWATCH = f"repeating-linear-gradient(135deg,{NO_DATA} 0 3px,#4D4D4D 3px 4px)"


def indicator_option(row: Mapping[str, Any], lang: str) -> str:
    """How an indicator reads in the picker: its name, how many wards have a value, and
    whether those values rest on secondary sources (all or some of them)."""
    count, secondary = int(row["ward_count"]), int(row.get("secondary_count") or 0)
    key = "wardmap.option_none" if count == 0 else "wardmap.option"
    if count and secondary:
        key = "wardmap.option_secondary" if secondary == count else "wardmap.option_partly_secondary"
    return t(key, lang, name=pick(row, "name", lang), n=count)


def source_kind(row: Mapping[str, Any], lang: str) -> str:
    """What a ward's value rests on: '公的統計' / 'official statistics', '二次資料' /
    'secondary source', or a calculated value (and whether from a secondary source)."""
    if row["value"] is None:
        return "—"
    secondary = "secondary" in (row["source_type"], row.get("denominator_source_type"))
    if row.get("derived"):
        return t("wardmap.kind_derived_secondary" if secondary else "wardmap.kind_derived", lang)
    return t("wardmap.kind_secondary" if secondary else "wardmap.kind_official", lang)


def definition(indicator: Mapping[str, Any], lang: str) -> str:
    """The indicator's definition as the data give it (how a derived one is computed included)."""
    text = pick(indicator, "description", lang)
    return t("word.label_value", lang, label=t("wardmap.definition", lang), value=text) if text else ""


# --- words ---------------------------------------------------------------------------------


def ward_name(row: Mapping[str, Any], lang: str) -> str:
    """'川崎区' / 'Kawasaki-ku'."""
    return pick(row, "name", lang)


def map_label(row: Mapping[str, Any], lang: str) -> str:
    """A ward's name on the map, short enough not to collide: '川崎区' / 'Kawasaki'.

    >>> map_label({"name_ja": "宮前区", "name_en": "Miyamae-ku"}, "en")
    'Miyamae'
    """
    return ward_name(row, lang).removesuffix(t("wardmap.map_label_drop", lang))


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
    year, month, day = ([int(p) for p in str(date).split("-")] + [None, None])[:3]
    months = t("wardmap.month_names", lang).split()
    if day is not None:
        return t("wardmap.date.day", lang, year=year, month=months[month - 1], day=day)
    if month is not None:
        return t("wardmap.date.month", lang, year=year, month=months[month - 1])
    return t("wardmap.date.year", lang, year=year)


def list_text(parts: Iterable[str], lang: str) -> str:
    """Items one after another, as the language writes a list.

    >>> list_text(["2010年10月1日", "2025年3月1日"], "ja"), list_text(["1 Oct 2010", "1 Mar 2025"], "en")
    ('2010年10月1日、2025年3月1日', '1 Oct 2010, 1 Mar 2025')
    """
    return t("word.list_separator", lang).join(parts)


def dates_text(wm: WardMap, lang: str) -> str:
    """The reference date(s) of the values shown, saying when they differ between wards."""
    if not wm.dates and not wm.undated:
        return "—"
    if len(wm.dates) == 1 and not wm.undated:
        return date_text(wm.dates[0], lang)
    parts = [date_text(d, lang) for d in wm.dates]
    if wm.undated:
        parts.append(t("wardmap.no_date", lang))
    return t("wardmap.mixed_dates", lang, dates=list_text(parts, lang))


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


# --- tables --------------------------------------------------------------------------------


def ward_table(wm: WardMap, lang: str) -> pd.DataFrame:
    """The map's text alternative: one row per ward with value, date, rank and difference."""
    n = len(wm.present)
    columns: dict[str, list[str]] = {
        t("word.ward", lang): [],
        t("word.value", lang): [],
        t("word.date", lang): [],
        t("wardmap.rank", lang): [],
        t("wardmap.difference", lang): [],
        t("wardmap.source_kind", lang): [],
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
            source_kind(r, lang),
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
                "denominator_date": r["denominator_date"],
                "source_title": r["source_title"],
                "source_url": r["source_url"],
                "source_type": r["source_type"],
                "derived": r["derived"] if r["value"] is not None else None,
            }
            for r in wm.rows
        ]
    ).astype({"rank": "Int64"})


def sources(wm: WardMap, lang: str = "ja") -> list[tuple[str, str | None]]:
    """Each distinct source of the values shown (and of their denominators), in ward order;
    a secondary source says so after its title. A derived value has no source of its own
    (the view lists its inputs' sources)."""
    seen: dict[str, str | None] = {}
    mark = t("wardmap.secondary_mark", lang)
    for title, url, kind in [
        *((r["source_title"], r["source_url"], r["source_type"]) for r in wm.present if not r["derived"]),
        *((r["denominator_source"], r["denominator_url"], r["denominator_source_type"]) for r in wm.present),
    ]:
        if title:
            seen.setdefault(title + (mark if kind == "secondary" else ""), url)
    return list(seen.items())


def attribution_keys(wm: WardMap) -> list[str]:
    """The credit lines (attributions.csv keys) the values shown and their denominators ask for."""
    keys = [r["attribution"] for r in wm.present] + [r["denominator_attribution"] for r in wm.present]
    return list(dict.fromkeys(k for k in keys if k))


def fixed_denominator_note(option: Any, lang: str) -> str:
    """What a fixed denominator is and that its date differs from the values' (stated, never hidden)."""
    return t(
        "wardmap.fixed_denominator",
        lang,
        name=option.name(lang),
        date=list_text((date_text(d, lang) for d in option.dates), lang),
        n=wards_count(option.wards, lang),
    )


def staff_rows(indicator: Mapping[str, Any], ward_rows: pd.DataFrame, lang: str) -> str:
    """The rows staff add to data/wards/values.csv for an indicator: one per ward, as a template.

    The parts in <> are placeholders, never values.
    """
    lines = [",".join(STAFF_COLUMNS)]
    for r in ward_rows.to_dict("records"):
        placeholder = t("wardmap.staff_value", lang, ward=ward_name(r, lang))
        lines.append(
            f"{r['ward_code']},{indicator['indicator_id']},YYYY-MM-DD,<{placeholder}>,"
            f"{indicator['unit']},<{t('wardmap.staff_source', lang)}>,<URL>,official,"
        )
    return "\n".join(lines)


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
    if wm.secondary:
        names = list_text((ward_name(r, lang) for r in wm.secondary), lang)
        everywhere = len(wm.secondary) == len(wm.present)
        lines.append(
            t("wardmap.legend_secondary_all" if everywhere else "wardmap.legend_secondary", lang, wards=names)
        )
    if any(r["derived"] for r in wm.present):
        lines.append(t("wardmap.legend_derived", lang))
    style = (
        "<style>.wl{margin:0;padding:0}.wl ul{list-style:none;margin:.25rem 0;padding:0;display:flex;"
        "flex-wrap:wrap;gap:.25rem 1rem}.wl li{display:flex;align-items:center;gap:.4rem;font-size:.9rem}"
        ".wl-sw{display:inline-block;width:1.1rem;height:1.1rem;border:1px solid #4D4D4D;border-radius:2px}"
        ".wl-n{color:#555;font-size:.8rem}.wl p{margin:.1rem 0;font-size:.85rem;color:#333}</style>"
    )
    title = e(pick(wm.indicator, "name", lang))
    legend = e(t("wardmap.legend", lang))  # the template's own characters are safe in HTML
    body = "".join(f"<p>{e(line)}</p>" for line in lines)
    return (
        f'{style}<figure class="wl" aria-label="{e(t("wardmap.legend", lang), quote=True)}">'
        f"<figcaption>{t('word.label_value', lang, label=f'<strong>{legend}</strong>', value=title)}</figcaption>"
        f"<ul>{entries}</ul>{body}</figure>"
    )


def place_initiative(place: Mapping[str, Any], lang: str) -> str:
    """The initiative of a place the plan names (a row of kawasaki.wards.queries.places), as
    '1-④ 安心して暮らせる地域のしくみをつくる取組'."""
    return initiative_label(
        {
            "policy_area_number": place["policy_area_number"],
            "number": place["number"],
            "name_ja": place["initiative_name_ja"],
            "name_en": place["initiative_name_en"],
        },
        lang,
    )


def selected_text(wm: WardMap, ward: str | None, lang: str) -> str | None:
    """The line about the chosen ward: its value, date, rank and difference from the mean
    (or that it has no value); None when no ward (or an unknown one) is chosen."""
    row = next((r for r in wm.rows if r["ward_code"] == ward), None)
    if row is None:
        return None
    name = ward_name(row, lang)
    if row["value"] is None:
        return t("wardmap.selected_none", lang, ward=name)
    return t(
        "wardmap.selected",
        lang,
        ward=name,
        value=row_value_text(wm, row, lang),
        date=date_text(row["reference_date"], lang),
        rank=t("wardmap.rank_of", lang, rank=row["rank"], n=len(wm.present)),
        difference=difference_text(wm, row["difference"], lang),
    )
