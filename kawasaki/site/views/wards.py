"""The ward map (pages/wards.py, kawasaki/web/wards.py): the indicator's ward table with its
sentence, the boundary and value credit lines, and the plan's places in each ward."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from kawasaki.i18n import pick, t
from kawasaki.queries import Con
from kawasaki.site.markup import el, esc, frame_table, get_form, items, link, section, select, text
from kawasaki.site.views import View
from kawasaki.site.views.parts import caption, credit_lines, external_link, intro, note
from kawasaki.state import ViewState, lang_params, page_href
from kawasaki.wards import model, notes, svgmap, texts
from kawasaki.wards import queries as ward_queries


def view(con: Con, state: ViewState, today: dt.date) -> View:
    """The chosen (or first) indicator's values by ward, and the places of the chosen ward."""
    lang = state.lang
    indicators = ward_queries.indicators(con)
    indicator_id = state.indicator or model.default_indicator(indicators)
    wm = model.ward_map(con, indicator_id, None)  # as published: the page's default choice
    option = next(r for r in indicators.to_dict("records") if r["indicator_id"] == indicator_id)
    parts = [
        intro(t("wardmap.intro", lang)),
        _pickers(con, indicators, indicator_id, state),
        ward_map_html(con, wm, state.ward, lang, texts.indicator_option(option, lang)),
        _places(con, state.ward, lang),
    ]
    return View(t("wards.heading", lang), texts.summary(wm, lang), "".join(parts))


def ward_map_html(con: Con, wm: model.WardMap, ward: str | None, lang: str, title: str = "") -> str:
    """One indicator by ward, as kawasaki.web.wards.render_ward_map draws it: its notes, the
    sentence, the map (the same SVG) with its legend and credit lines, the ward table, and the
    values' sources."""
    summary = texts.summary(wm, lang)
    left = text("p", title, class_="kd-strong") if title else ""
    left += text("p", summary, class_="kd-v")
    left += svgmap.ward_svg(wm, ward_queries.geometries(con), lang, summary, ward)
    left += texts.legend_html(wm, lang)
    right = section(t("wardmap.table_heading", lang), _table(wm, ward, lang))
    return (
        _notes(con, wm, lang)
        + el(
            "div",
            el("div", left + credit_lines(con, notes.credit_keys(wm), lang)) + el("div", right),
            class_="kd-split",
        )
        + _value_sources(notes.value_sources(con, wm.indicator["indicator_id"], None, lang), lang)
    )


def _pickers(con: Con, indicators, indicator_id: str, state: ViewState) -> str:
    """The indicator and ward pickers, as a form that works without JavaScript."""
    lang = state.lang
    options = [(r["indicator_id"], texts.indicator_option(r, lang)) for r in indicators.to_dict("records")]
    wards = [("", t("wardmap.all_wards", lang))] + [
        (r["ward_code"], pick(r, "name", lang)) for r in ward_queries.wards(con).to_dict("records")
    ]
    return get_form(
        "./wards",
        [
            select(t("wardmap.pick_indicator", lang), "indicator", options, indicator_id),
            select(t("wardmap.pick_ward", lang), "ward", wards, state.ward or ""),
        ],
        t("site.show", lang),
        lang_params(lang),
    )


def _notes(con: Con, wm: model.WardMap, lang: str) -> str:
    """The indicator's caution and definition; no ward figures (and how they will be shown),
    or a warning that the dates differ; that its values cannot be divided (pages/wards.py)."""
    caution = pick(wm.indicator, "caution", lang)
    out = note(caution) if caution else ""
    facts = model.indicator_facts(con, wm.indicator["indicator_id"])
    if not wm.present:
        out += note(f"{t('wardmap.no_ward_data_title', lang)} {t('wardmap.no_ward_data', lang)}")
        description = pick(wm.indicator, "description", lang)
        lines = ([description] if description else []) + notes.ready_lines(facts.options, lang)
        return out + "".join(text("p", line, class_="kd-caption kd-v") for line in lines)
    definition = texts.definition(wm.indicator, lang)
    out += text("p", definition, class_="kd-caption kd-v") if definition else ""
    if len(wm.dates) + (1 if wm.undated else 0) > 1:
        out += note(t("wardmap.mixed_dates_warning", lang))
    if not facts.options and any(wm.indicator["kind"] in n.numerator_kinds for n in model.NORMALISERS):
        out += caption(t("wardmap.no_normalisation", lang))
    return out


def _table(wm: model.WardMap, ward: str | None, lang: str) -> str:
    """The chosen ward's line, the table of every ward, and how the mean was taken."""
    line = texts.selected_text(wm, ward, lang)
    out = text("p", line, class_="kd-strong") if line else ""
    out += frame_table(texts.ward_table(wm, lang), row_headers=True, label=t("wardmap.table_heading", lang))
    if wm.mean is not None:
        out += caption(
            t("wardmap.mean_note", lang, n=len(wm.present), mean=texts.value_text(wm, wm.mean, lang))
        )
    return out


def _value_sources(found: list[tuple[str, str | None]], lang: str) -> str:
    """Each source of the values shown, a derived value's inputs' included."""
    if not found:
        return ""
    return el(
        "div",
        text("p", t("wardmap.value_sources", lang))
        + items(external_link(title, url) for title, url in found),
        class_="kd-caption",
    )


def _places(con: Con, ward: str | None, lang: str) -> str:
    """'The plan in your ward': each place the plan names, with its initiative."""
    places = ward_queries.places(con, ward)
    parts = [caption(t("wardmap.places_intro", lang))]
    if ward is None:
        parts.append(caption(t("wardmap.places_hint", lang)))
    if places.empty:
        names = ward_queries.wards(con).set_index("ward_code")
        label = pick(names.loc[ward].to_dict(), "name", lang) if ward in names.index else ""
        parts.append(note(t("wardmap.places_none", lang, ward=label)))
    for _, group in groupby(places.to_dict("records"), key=lambda r: r["ward_code"]):
        group = list(group)
        heading = text("h3", pick(group[0], "ward_name", lang)) if ward is None else ""
        parts.append(el("div", heading + items(_place(p, lang) for p in group), class_="kd-card"))
    return section(t("wardmap.places_heading", lang), "".join(parts))


def _place(p: dict, lang: str) -> str:
    initiative = texts.place_initiative(p, lang)
    label = t("word.label_value", lang, label=t("wardmap.place_initiative", lang), value=initiative)
    href = page_href("matrix", lang, row=f"initiative:{p['initiative_id']}")
    return (
        text("strong", pick(p, "name", lang))
        + "<br>"
        + esc(label)
        + " "
        + link(href, t("wardmap.open_initiative", lang))
    )
