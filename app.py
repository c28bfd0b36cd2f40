"""The frame around every page: page config, database check, URL state, header, navigation."""

import streamlit as st

from kawasaki import ui
from kawasaki.i18n import t

# (script, title key, icon, URL path); the first is the default page (/).
PAGES = (
    ("pages/home.py", "nav.home", ":material/home:", "home"),
    ("pages/matrix.py", "nav.matrix", ":material/grid_on:", "matrix"),
    ("pages/progress.py", "nav.progress", ":material/speed:", "progress"),
    ("pages/explore.py", "nav.explore", ":material/search:", "explore"),
    ("pages/wards.py", "nav.wards", ":material/map:", "wards"),
    ("pages/briefing.py", "nav.briefing", ":material/print:", "briefing"),
    ("pages/about.py", "nav.about", ":material/info:", "about"),
)

# The favicon is local (no CDN fetch), sent inline: no file read per session.
st.set_page_config(
    page_title=t("app.title", "ja"), page_icon=ui.favicon(), layout="wide", initial_sidebar_state="collapsed"
)
ui.ensure_database()
state = ui.view()
st.session_state["_view"] = state
lang = state.lang

page = st.navigation(ui.navigation_pages(PAGES, lang), position="top")
# Each page's own tab title (WCAG 2.4.2): "ゴール×取組 | 川崎市 SDGs未来都市計画 ダッシュボード".
st.set_page_config(page_title=ui.tab_title(page, lang))
ui.header(state)
ui.show_notices(state)
ui.run_page(page)
