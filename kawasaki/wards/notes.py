"""What the ward map says around its values, for the page (kawasaki.web.wards) and its
pre-rendered document (kawasaki.site.views.wards) alike: the credit lines the values ask
for, every source of the values shown (a derived value's inputs' sources included), and
how an indicator without ward values will be shown once they are in.
"""

from __future__ import annotations

from typing import Any

from kawasaki.i18n import t
from kawasaki.queries import Con
from kawasaki.wards import texts
from kawasaki.wards.model import WardMap, indicator_facts, ward_map

BOUNDARY_CREDITS = ("n03", "wards")  # the boundaries (MLIT N03) and the ward statistics


def credit_keys(wm: WardMap) -> list[str]:
    """The credit lines (attributions.csv keys) under the map: the boundaries', the ward
    statistics', and those the values shown ask for (the 2020 Census compilation's, say)."""
    return list(dict.fromkeys((*BOUNDARY_CREDITS, *texts.attribution_keys(wm))))


def value_sources(con: Con, indicator_id: str, per: str | None, lang: str) -> list[tuple[str, str | None]]:
    """Each source (title, URL) of the values shown and of their denominators, as published;
    for a derived value (or denominator), its inputs' sources; for ``q(value_sources, …)``."""
    wm = ward_map(con, indicator_id, per)
    found = texts.sources(wm, lang)
    derived = [wm.indicator] if wm.indicator.get("derivation") else []
    if wm.option is not None:
        denominator = indicator_facts(con, wm.option.denominator_id).indicator
        derived += [denominator] if denominator.get("derivation") else []
    for indicator in derived:
        for input_id in indicator.get("derived_from") or []:
            found += texts.sources(ward_map(con, input_id, None), lang)
    return list(dict.fromkeys(found))


def ready_lines(options: dict[str, Any], lang: str) -> list[str]:
    """For an indicator without ward values: how each of its normalisations will show them
    (a fixed denominator with its date said)."""
    lines = []
    for option in options.values():
        label = t(f"wardmap.per.{option.normaliser.key}", lang)
        how = texts.fixed_denominator_note(option, lang) if option.fixed else option.name(lang)
        lines.append(t("wardmap.ready", lang, per=label, how=how))
    return lines
