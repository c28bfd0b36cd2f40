"""The frame around every page: page config, database check, URL state, header, navigation."""

from pathlib import Path

import streamlit as st

from kawasaki import ui
from kawasaki.i18n import t

ICON = str(Path(__file__).with_name("kawasaki") / "static" / "favicon.png")  # local: no CDN fetch

st.set_page_config(
    page_title=t("app.title", "ja"), page_icon=ICON, layout="wide", initial_sidebar_state="collapsed"
)
ui.ensure_database()
state = ui.view()
st.session_state["_view"] = state
lang = state.lang
if lang != "ja":
    st.set_page_config(page_title=t("app.title", lang))
ui.document_language(lang)

pages = [
    st.Page(
        "pages/home.py", title=t("nav.home", lang), icon=":material/home:", url_path="home", default=True
    ),
    st.Page("pages/matrix.py", title=t("nav.matrix", lang), icon=":material/grid_on:", url_path="matrix"),
    st.Page("pages/progress.py", title=t("nav.progress", lang), icon=":material/speed:", url_path="progress"),
    st.Page("pages/explore.py", title=t("nav.explore", lang), icon=":material/search:", url_path="explore"),
    st.Page("pages/wards.py", title=t("nav.wards", lang), icon=":material/map:", url_path="wards"),
    st.Page("pages/briefing.py", title=t("nav.briefing", lang), icon=":material/print:", url_path="briefing"),
    st.Page("pages/about.py", title=t("nav.about", lang), icon=":material/info:", url_path="about"),
]
page = st.navigation(pages, position="top")
ui.header(state)
ui.show_notices(state)
ui.run_page(page)
