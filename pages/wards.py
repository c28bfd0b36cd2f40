"""Ward map: a ward indicator on a map of the 7 wards, its table, and the plan's places in each ward."""

import streamlit as st

from kawasaki import ui, wardmap, wardview
from kawasaki.i18n import pick, t

state = ui.current_view()
lang = state.lang
ui.canonical_url(state, keep=("indicator", "ward"))

st.title(t("wards.heading", lang))
st.write(t("wardmap.intro", lang))

indicators = ui.q("wardmap.indicators")
options = {r["indicator_id"]: r for r in indicators.to_dict("records")}
wards = {r["ward_code"]: r for r in ui.q("wardmap.wards").to_dict("records")}

left, right = st.columns([3, 2])
indicator_id = ui.bound_select(
    t("wardmap.pick_indicator", lang),
    "indicator",
    list(options),
    state.indicator or wardmap.default_indicator(indicators),
    lambda i: wardmap.indicator_option(options[i], lang),
    container=left,
)
ward = ui.bound_select(
    t("wardmap.pick_ward", lang),
    "ward",
    list(wards),
    state.ward,
    lambda code: pick(wards[code], "name", lang),
    all_label=t("wardmap.all_wards", lang),
    container=right,
)

wardview.render_ward_map(indicator_id, state.with_(indicator=indicator_id, ward=ward))
wardview.render_places(ward, state)
