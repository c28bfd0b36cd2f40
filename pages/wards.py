"""Ward map: a ward indicator on a map of the 7 wards, its table, and the plan's places in each ward."""

import streamlit as st

from kawasaki.i18n import pick, t
from kawasaki.wards import model, texts
from kawasaki.wards import queries as ward_queries
from kawasaki.web import frame, urlstate, widgets
from kawasaki.web import wards as wardview
from kawasaki.web.cache import derived, q, section


def labels(lang: str) -> dict:
    """The pickers' options and labels, and the indicator shown first."""
    indicators = q(ward_queries.indicators)
    return {
        "indicator": {
            r["indicator_id"]: texts.indicator_option(r, lang) for r in indicators.to_dict("records")
        },
        "ward": {r["ward_code"]: pick(r, "name", lang) for r in q(ward_queries.wards).to_dict("records")},
        "default": model.default_indicator(indicators),
    }


@section
def heading(lang: str) -> None:
    st.title(t("wards.heading", lang))
    st.write(t("wardmap.intro", lang))


state = frame.page_view()
lang = state.lang
urlstate.canonical_url(state, keep=("indicator", "ward"))
heading(lang)
names = derived(labels, lang)

left, right = st.columns([3, 2])
indicator_id = widgets.bound_select(
    t("wardmap.pick_indicator", lang),
    "indicator",
    list(names["indicator"]),
    state.indicator or names["default"],
    names["indicator"].__getitem__,
    container=left,
)
ward = widgets.bound_select(
    t("wardmap.pick_ward", lang),
    "ward",
    list(names["ward"]),
    state.ward,
    names["ward"].__getitem__,
    all_label=t("wardmap.all_wards", lang),
    container=right,
)

wardview.render_ward_map(indicator_id, state.with_(indicator=indicator_id, ward=ward))
wardview.render_places(ward, state)
