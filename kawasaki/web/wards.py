"""The ward map on screen: map, legend, ward table, downloads, sources and the plan's places.

Used by pages/wards.py and, for a KPI measured by ward, by the progress page::

    from kawasaki.web.wards import render_kpi_ward_map
    render_kpi_ward_map("kayoi-no-ba", state)   # False when no ward indicator exists

Data flow one way: this view asks ``kawasaki.web.cache.q`` for what kawasaki.wards computes
from a cursor (``q(model.ward_map, indicator_id, per)``); every calculation is there, with no
Streamlit.
"""

from __future__ import annotations

from itertools import groupby

import pandas as pd
import streamlit as st

from kawasaki import queries
from kawasaki.i18n import pick, t
from kawasaki.present import md, md_link
from kawasaki.state import ViewState
from kawasaki.wards import choropleth, model, notes, svgmap, texts
from kawasaki.wards import queries as ward_queries
from kawasaki.web import frame
from kawasaki.web.cache import q, section
from kawasaki.web.charts import svg_chart
from kawasaki.web.downloads import downloads
from kawasaki.web.tables import preformatted, text_table

MAP_HEIGHT = 320
# Where an initiative is shown with its KPIs and measures.
INITIATIVE_PAGE = "matrix"


def render_kpi_ward_map(kpi_id: str, state: ViewState, *, key: str | None = None) -> bool:
    """The "by ward" map of a KPI, when a ward indicator measures it; False (nothing drawn) otherwise."""
    indicator_id = q(ward_queries.ward_kpi_indicator, kpi_id)
    if indicator_id is None:
        return False
    render_ward_map(indicator_id, state, key=key or f"kpi_{kpi_id}", link_kpi=False)
    return True


def render_ward_map(
    indicator_id: str, state: ViewState, *, key: str = "wardmap", link_kpi: bool = True
) -> model.WardMap:
    """Map, legend, attribution and ward table (with downloads) of one indicator; no pickers.

    ``link_kpi`` adds a link to the KPI the indicator measures (off on the KPI's own page).
    The map, the table and their texts are drawn once per choice and replayed
    (``section``); only the "show values" choice, the interactive-map toggle (a session
    choice: the SVG map by default, the pydeck deck and its deck.gl chunk only when asked)
    and the downloads are widgets.
    """
    lang = state.lang
    facts = q(model.indicator_facts, indicator_id)
    indicator = facts.indicator
    option = _normalisation(indicator, facts.options, lang, key) if facts.has_values else None
    per = option.normaliser.key if option else None
    wm = q(model.ward_map, indicator_id, per)
    _notes(lang, indicator_id, per)
    left, right = st.columns([2, 3], gap="medium")
    with left:
        interactive = st.toggle(
            t("wardmap.interactive", lang), key=f"{key}_interactive", help=t("wardmap.interactive_help", lang)
        )
        _map(lang, indicator_id, per, state.ward, interactive)
    with right:
        _table(lang, indicator_id, per, state.ward)
        downloads(
            lambda: texts.download_table(wm),
            f"kawasaki-wards-{indicator_id}{f'-{per}' if per else ''}",
            lang,
            key,
        )
        if link_kpi and indicator.get("kpi_id"):
            frame.page_link("progress", t("wardmap.kpi_link", lang), state, kpi=indicator["kpi_id"])
    _sources(lang, indicator_id, per)
    return wm


@section
def _notes(lang: str, indicator_id: str, per: str | None) -> None:
    """The indicator's definition and caution; no ward figures (and the rows staff add), or
    a warning that the dates differ."""
    wm = q(model.ward_map, indicator_id, per)
    caution = pick(wm.indicator, "caution", lang)
    if caution:
        st.warning(md(caution), icon=":material/warning:")
    if not wm.present:
        _no_ward_data(
            wm.indicator, q(ward_queries.wards), q(model.indicator_facts, indicator_id).options, lang
        )
        return
    definition = texts.definition(wm.indicator, lang)
    if definition:
        st.caption(md(definition))
    if len(wm.dates) + (1 if wm.undated else 0) > 1:
        st.warning(t("wardmap.mixed_dates_warning", lang), icon=":material/event:")


@section
def _map(lang: str, indicator_id: str, per: str | None, ward: str | None, interactive: bool) -> None:
    """The map (SVG drawn here; the pydeck deck when ``interactive``), legend, sentence, credits."""
    wm = q(model.ward_map, indicator_id, per)
    summary = texts.summary(wm, lang)
    # the map in one sentence first, for everyone (the alt text is for screen readers); the
    # pre-rendered page has it in the same place, so its copy is the first large paint
    st.markdown(md(summary))
    if interactive:
        deck = choropleth.ward_deck(wm, q(ward_queries.geometries), lang, ward)
        st.pydeck_chart(deck, height=MAP_HEIGHT, alt=summary)
    else:
        svg_chart(svgmap.ward_svg(wm, q(ward_queries.geometries), lang, summary, ward))
    st.html(texts.legend_html(wm, lang))
    _boundary_credit(lang, notes.credit_keys(wm))


@section
def _table(lang: str, indicator_id: str, per: str | None, ward: str | None) -> None:
    wm = q(model.ward_map, indicator_id, per)
    st.header(t("wardmap.table_heading", lang))
    _selected_ward(wm, ward, lang)
    text_table(texts.ward_table(wm, lang))
    if wm.mean is not None:
        st.caption(
            t(
                "wardmap.mean_note",
                lang,
                n=len(wm.present),
                mean=texts.value_text(wm, wm.mean, lang),
            )
        )


@section
def _sources(lang: str, indicator_id: str, per: str | None) -> None:
    _value_sources(q(notes.value_sources, indicator_id, per, lang), lang)


def _normalisation(indicator: dict, options: dict, lang: str, key: str) -> model.Option | None:
    """The "show values" choice (kept in the session, not the URL); None = as published."""
    kind = indicator["kind"]
    if not options:
        if any(kind in n.numerator_kinds for n in model.NORMALISERS):
            st.caption(t("wardmap.no_normalisation", lang))
        return None
    choice = st.segmented_control(
        t("wardmap.per_label", lang),
        ["none", *options],
        default="none",
        key=f"{key}_per_{indicator['indicator_id']}",
        format_func=lambda k: t(f"wardmap.per.{k}", lang),
    )
    option = options.get(choice or "none")
    if option is not None and option.fixed:
        st.caption(md(texts.fixed_denominator_note(option, lang)))
    elif option is not None:
        st.caption(
            t(
                "wardmap.denominator_used",
                lang,
                name=option.name(lang),
                date=texts.list_text((texts.date_text(d, lang) for d in option.dates), lang),
                n=texts.wards_count(option.wards, lang),
            )
        )
    return option


def _no_ward_data(indicator: dict, wards: pd.DataFrame, options: dict, lang: str) -> None:
    """Say that there are no ward figures, how they will be shown once they are in (its
    normalisations), and show staff the exact rows to add."""
    st.info(
        f"**{t('wardmap.no_ward_data_title', lang)}**  \n{t('wardmap.no_ward_data', lang)}",
        icon=":material/info:",
    )
    description = pick(indicator, "description", lang)
    if description:
        st.caption(md(description))
    for line in notes.ready_lines(options, lang):
        st.caption(md(line))
    with st.expander(t("wardmap.staff_heading", lang), icon=":material/edit_note:"):
        st.markdown(t("wardmap.staff_how", lang))
        preformatted(texts.staff_rows(indicator, wards, lang))


def _selected_ward(wm: model.WardMap, ward: str | None, lang: str) -> None:
    text = texts.selected_text(wm, ward, lang)
    if text is not None:
        st.markdown(f"**{md(text)}**")


def _boundary_credit(lang: str, keys: list[str]) -> None:
    """Credit lines right under the map (``keys``, kawasaki.wards.notes.credit_keys)."""
    attributions = q(queries.attributions).set_index("key")
    for key in keys:  # one paragraph each, as the pre-rendered page has them
        if key in attributions.index:
            row = attributions.loc[key].to_dict()
            st.caption(md_link(pick(row, "text", lang), row.get("url")))


def _value_sources(found: list[tuple[str, str | None]], lang: str) -> None:
    """Each source of the values shown (and of their denominators), as published; for a
    derived value, its inputs' sources (kawasaki.wards.notes.value_sources)."""
    if found:
        items = "\n".join(f"- {md_link(title, url)}" for title, url in found)
        st.caption(f"{t('wardmap.value_sources', lang)}:\n{items}")


def render_places(ward: str | None, state: ViewState) -> None:
    """ "The plan in your ward": the places the plan names, each linked to its initiative."""
    _places(state.lang, ward)


@section
def _places(lang: str, ward: str | None) -> None:
    st.header(t("wardmap.places_heading", lang))
    st.caption(t("wardmap.places_intro", lang))
    places = q(ward_queries.places, ward)
    if ward is None:
        st.caption(t("wardmap.places_hint", lang))
    if places.empty:
        names = q(ward_queries.wards).set_index("ward_code")
        label = pick(names.loc[ward].to_dict(), "name", lang) if ward in names.index else ""
        st.info(t("wardmap.places_none", lang, ward=label))
        return
    rows = places.to_dict("records")
    for _, group in groupby(rows, key=lambda r: r["ward_code"]):
        group = list(group)
        # one box per ward, not per place: each box is an element of every visitor's session
        with st.container(border=True):
            if ward is None:
                st.subheader(md(pick(group[0], "ward_name", lang)))  # Markdown: escaped
            for p in group:
                _place(p, lang, detailed=ward is not None)


def _place(p: dict, lang: str, *, detailed: bool) -> None:
    initiative = texts.place_initiative(p, lang)
    st.markdown(f"**{md(pick(p, 'name', lang))}**  \n{t('wardmap.place_initiative', lang)}: {md(initiative)}")
    if detailed:
        st.caption(f"{t('wardmap.place_section', lang)}: {md(pick(p, 'plan_section', lang))}")
        note = pick(p, "note", lang)
        if note:
            st.caption(f"{t('wardmap.place_note', lang)}: {md(note)}")
    frame.page_link(
        INITIATIVE_PAGE,
        t("wardmap.open_initiative", lang),
        lang,
        row=f"initiative:{p['initiative_id']}",
    )
