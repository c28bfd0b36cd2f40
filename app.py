"""The frame around every page: page config, database check, URL state, header, navigation."""

import streamlit as st

from kawasaki import ui
from kawasaki.i18n import t

st.set_page_config(
    page_title="川崎市 SDGs未来都市計画 ダッシュボード",
    page_icon=":material/public:",
    layout="wide",
    initial_sidebar_state="collapsed",
)
ui.ensure_database()
state = ui.view()
st.session_state["_view"] = state
lang = state.lang

pages = [
    st.Page(
        "pages/home.py", title=t("nav.home", lang), icon=":material/home:", url_path="home", default=True
    ),
    st.Page("pages/matrix.py", title=t("nav.matrix", lang), icon=":material/grid_on:", url_path="matrix"),
    st.Page("pages/progress.py", title=t("nav.progress", lang), icon=":material/speed:", url_path="progress"),
    st.Page("pages/explore.py", title=t("nav.explore", lang), icon=":material/search:", url_path="explore"),
    st.Page("pages/wards.py", title=t("nav.wards", lang), icon=":material/map:", url_path="wards"),
    st.Page("pages/about.py", title=t("nav.about", lang), icon=":material/info:", url_path="about"),
]
page = st.navigation(pages, position="top")
ui.header(state)
ui.show_notices(state)
ui.run_page(page)
