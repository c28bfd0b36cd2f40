"""The frame around every page: page config, database check, URL state, header, navigation."""

import streamlit as st

from kawasaki.i18n import t
from kawasaki.web import frame, urlstate

# (script, title key, icon, URL path); the first is the default page (/). The one list
# of pages: kawasaki.site.pages.registered_pages() reads it for links, tests and the bench.
PAGES = (
    ("pages/home.py", "nav.home", ":material/home:", "home"),
    ("pages/matrix.py", "nav.matrix", ":material/grid_on:", "matrix"),
    ("pages/progress.py", "nav.progress", ":material/speed:", "progress"),
    ("pages/explore.py", "nav.explore", ":material/search:", "explore"),
    ("pages/coverage.py", "nav.coverage", ":material/apps:", "coverage"),
    ("pages/wards.py", "nav.wards", ":material/map:", "wards"),
    ("pages/briefing.py", "nav.briefing", ":material/print:", "briefing"),
    ("pages/changes.py", "nav.changes", ":material/history:", "changes"),
    ("pages/about.py", "nav.about", ":material/info:", "about"),
)

# The favicon is local (no CDN fetch), sent inline: no file read per session.
st.set_page_config(
    page_title=t("app.title", "ja"),
    page_icon=frame.favicon(),
    layout="wide",
    initial_sidebar_state="collapsed",
)
state = frame.open_view()
lang = state.lang

page = st.navigation(frame.navigation_pages(PAGES, lang), position="top")
# Each page's own tab title (WCAG 2.4.2): "ゴール×取組 | 川崎市 SDGs未来都市計画 ダッシュボード".
st.set_page_config(page_title=frame.tab_title(page, lang))
frame.header(state)
urlstate.show_notices(state)
frame.run_page(page)
