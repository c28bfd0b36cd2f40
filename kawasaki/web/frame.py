"""The frame around every page: the database check, the navigation, the header with the
language switch and glossary, links between pages, and Streamlit's accessibility gaps.

app.py is the frame's script and holds the page list (``PAGES``); everything it calls
is here.
"""

from __future__ import annotations

import base64
import copy
import functools
import html
import logging
import threading
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from kawasaki import paths, queries
from kawasaki.i18n import LANGS, t
from kawasaki.site.pages import GLOSSARY, PageSpec, page_script, registered_pages  # noqa: F401 - re-exported
from kawasaki.site.pages import tab_title as plain_tab_title
from kawasaki.state import ViewState, lang_params, page_href
from kawasaki.web import db
from kawasaki.web.cache import derived, q, section, start_run
from kawasaki.web.urlstate import switch_lang, view

_LOG = logging.getLogger(__name__)
_VIEW = "_view"  # where the frame leaves this run's view state for the page


# --- the pages ----------------------------------------------------------------------


def use_navigation() -> None:
    """Make Streamlit run app.py (the frame) for every URL of this process.

    A ``pages/`` folder next to the entry script makes Streamlit 1.67 treat the app as a
    legacy "pages directory" app until app.py's ``st.navigation`` has run once in the
    process: a deep link such as /matrix on a fresh server (and every AppTest run, which
    resets the flag) runs pages/matrix.py alone, without the frame. Our pages are
    ``st.navigation`` pages; this says so for every PagesManager the process creates.
    Called by ``python -m kawasaki serve``, the tests and the bench before the first
    session; a page that still finds itself run alone calls it and reruns
    (``page_view``).
    """
    original = PagesManager.__init__
    if getattr(original, "navigation_only", False):
        return

    def init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    init.navigation_only = True  # type: ignore[attr-defined]
    init.streamlit_init = original  # type: ignore[attr-defined]
    PagesManager.__init__ = init  # type: ignore[method-assign]
    PagesManager.uses_pages_directory = False


@st.cache_resource(max_entries=8, show_spinner=False)
def _page_prototypes(spec: tuple[PageSpec, ...], lang: str) -> tuple:
    return tuple(
        st.Page(script, title=t(title, lang), icon=icon, url_path=path, default=n == 0)
        for n, (script, title, icon, path) in enumerate(spec)
    )


def navigation_pages(spec: tuple[PageSpec, ...], lang: str) -> list:
    """The st.Page objects of ``spec``, made once per language and copied for each run.

    Making them resolves every script's path on disk (~1 ms per session for seven
    pages, docs/performance.md); a copy is needed because st.navigation marks the
    chosen page object as runnable for this run only.
    """
    return [copy.copy(page) for page in _page_prototypes(spec, lang)]


def tab_title(page: Any, lang: str) -> str:
    """The browser tab's title of an st.Page: the site's name alone on the default page
    (its ``url_path`` is ""), else "page | site" (kawasaki.site.pages.tab_title; the
    front door's documents carry the same)."""
    return plain_tab_title(page.title, not page.url_path, lang)


@functools.cache
def favicon() -> str:
    """The site's icon (kawasaki/static/favicon.png) as a data URL, read once per process.

    Given as a file path, Streamlit reads the file and registers it as a media file
    on every run of every session.
    """
    data = (Path(__file__).parent.parent / "static" / "favicon.png").read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def page_link(name: str, label: str, state: ViewState | str, **params: Any) -> None:
    """A link to the page ``name`` (its URL path) carrying the language (``state`` or a
    language code) and the given parameters."""
    lang = state if isinstance(state, str) else state.lang
    query = {k: str(v) for k, v in params.items() if v is not None} | lang_params(lang)
    st.page_link(page_script(name), label=label, query_params=query)


# --- one run of the frame -------------------------------------------------------------

_FRAME = threading.local()


def open_view() -> ViewState:
    """Open the current database for this run (or stop with a friendly page) and read
    the URL's view state, which the page then gets from ``page_view``."""
    try:
        key = start_run()
    except OSError:
        _LOG.error("the database %s is missing", paths.db_path(), exc_info=True)
        _stop_unusable("the file is missing")
    problem = derived(db.problem, key)
    if problem:
        _stop_unusable(problem)
    state = view()
    st.session_state[_VIEW] = state
    return state


def _stop_unusable(detail: str) -> None:
    st.title("データを表示できません / The data cannot be shown")
    st.error(
        "データベースを読み込めませんでした。管理者は `make db` を実行してデータベースを作り直してください。\n\n"
        "The database could not be read. An administrator should run `make db` to rebuild it."
    )
    st.caption(f"({detail})")
    st.stop()


def run_page(page: Any) -> None:
    """Run the chosen page inside the frame (app.py calls this instead of ``page.run()``)."""
    _FRAME.active = True
    try:
        page.run()
    finally:
        _FRAME.active = False


def page_view() -> ViewState:
    """The view state the frame parsed for this run (the first line of every page).

    A page run without the frame (see ``use_navigation``) switches the process to
    navigation mode and reruns, which runs app.py and this page inside it.
    """
    if not getattr(_FRAME, "active", False):
        use_navigation()
        st.rerun()
    state = st.session_state.get(_VIEW)
    return state if isinstance(state, ViewState) else view()


# --- the header -----------------------------------------------------------------------


def header(state: ViewState) -> None:
    """The frame's header: site title, glossary, language switch, data as-of date."""
    lang = state.lang
    if paths.preview():
        _preview_banner(lang)
    left, middle, right = st.columns([6, 2, 2], vertical_alignment="center")
    with left:
        _site_title(lang)
    with middle.popover(t("nav.glossary", lang), icon=":material/menu_book:", width="stretch"):
        glossary(lang)
    st.session_state["w_lang"] = lang
    right.segmented_control(
        t("lang.switch", lang),
        list(LANGS),
        key="w_lang",
        format_func=lambda code: t("lang.name", code),
        on_change=switch_lang,
        label_visibility="collapsed",
    )
    _header_end(lang)


@section
def _preview_banner(lang: str) -> None:
    """Says on every page that this is an unpublished build (``python -m kawasaki preview``)."""
    st.warning(t("changes.preview_banner", lang), icon=":material/visibility:")


@section
def _site_title(lang: str) -> None:
    st.markdown(f"**{t('app.title', lang)}**  \n{t('app.plan', lang)}")


@section
def _header_end(lang: str) -> None:
    """The data's as-of date with the link to what changed, the accessibility statement's
    link, the accessibility fixes."""
    as_of = q(queries.build_info).get("data_as_of")
    changes = f'<a href="{page_href("changes", lang)}" target="_self">{html.escape(t("changes.header_link", lang))}</a>'
    # The accessibility statement, from every page; in the same tab (a Markdown link
    # would open a new one), scrolled to its heading by Streamlit.
    statement = page_href("about", lang, fragment="accessibility")
    st.caption(
        t(
            "changes.header_as_of",
            lang,
            as_of=html.escape(t("app.data_as_of", lang, date=as_of.strftime("%Y-%m-%d") if as_of else "—")),
            link=changes,
        )
        + f'　｜　<a href="{statement}" target="_self">{html.escape(t("about.accessibility_link", lang))}</a>',
        unsafe_allow_html=True,
    )
    _accessibility_fixes(lang)


# Streamlit 1.67 draws st.caption at opacity 0.6 (#828180 on white, 3.9:1) and links in it
# at 3.0:1; WCAG 1.4.3 asks 4.5:1. CAPTION_COLOUR keeps captions quieter than body text at
# 5.5:1. Keyboard focus: its top navigation shows only a 1.05:1 tint, and buttons, links
# and expanders a half-transparent ring of 2.2:1 (WCAG 2.4.7, and 3:1 for a state under
# 1.4.11): add a solid outline in the theme's primary colour (5.8:1 on white).
CAPTION_COLOUR = "#6B6965"
FOCUS_COLOUR = "#00698C"
_A11Y_CSS = (
    f'[data-testid="stCaptionContainer"]{{opacity:1;color:{CAPTION_COLOUR}}}'
    f'[data-testid="stApp"] :is(a,button,summary):focus-visible'
    f"{{outline:2px solid {FOCUS_COLOUR};outline-offset:1px}}"
    f'[data-testid="stTable"]>div:focus-visible{{outline:2px solid {FOCUS_COLOUR};outline-offset:-2px}}'
    # a long unbroken cell (a SHA-256 checksum, a URL) wraps instead of scrolling inside a
    # cell box the keyboard cannot reach (axe: scrollable-region-focusable)
    '[data-testid="stTable"] td [data-testid="stMarkdownContainer"] :is(p,li){overflow-wrap:anywhere}'
)

# Two things Streamlit's markup lacks, added by a fixed script (no data in it):
# * Its popover opens without moving focus, and its content sits at the end of the page
#   (a portal), so a screen reader does not read the glossary when it opens. When a
#   popover without focusable content opens, focus moves to it (its role is dialog, its
#   name the button's label); Tab or Shift+Tab from it closes it (as Escape does) and
#   goes on from the button.
# * A table (st.table) too wide for a phone scrolls sideways inside a box that the
#   keyboard cannot reach (WCAG 2.1.1): such a box gets tabindex=0 while it scrolls.
# See docs/accessibility.md.
_A11Y_JS = """
(() => {
  if (window.__kawasakiA11y) return;
  window.__kawasakiA11y = true;
  const POPOVER = '[data-testid="stPopoverBody"]';
  const FOCUSABLE = 'a[href],button,input,select,textarea,[tabindex]:not([tabindex="-1"])';
  const fix = () => {
    for (const body of document.querySelectorAll(POPOVER + ':not([data-focus-moved])')) {
      body.setAttribute('data-focus-moved', '');
      if (!body.querySelector(FOCUSABLE)) {
        body.tabIndex = -1;
        body.focus({preventScroll: true});
      }
    }
    for (const box of document.querySelectorAll('[data-testid="stTable"] > div')) {
      const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute('tabindex')) box.tabIndex = 0;
      else if (!scrolls && box.getAttribute('tabindex') === '0') box.removeAttribute('tabindex');
    }
  };
  new MutationObserver(fix).observe(document.body, {childList: true, subtree: true});
  window.addEventListener('resize', fix);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Tab' && event.target instanceof Element && event.target.matches(POPOVER)) {
      document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
    }
  }, true);
})();
"""


def _accessibility_fixes(lang: str) -> None:
    """Work-arounds for Streamlit accessibility gaps: caption contrast, focus outline,
    popover focus, wide tables, and <html lang>.

    Streamlit serves every page as lang="en"; the first line of the script sets the
    page's language, so screen readers pronounce it right (WCAG 3.1.1). One element
    for all of it (every element costs each session, docs/performance.md).
    """
    st.html(f"<style>{_A11Y_CSS}</style><script>{a11y_script(lang)}</script>", unsafe_allow_javascript=True)


def a11y_script(lang: str) -> str:
    """The text of the accessibility script for ``lang``: fixed apart from the language code,
    so the Content-Security-Policy names it by its hash (kawasaki.web.headers)."""
    code = "ja" if lang == "ja" else "en"  # one of two fixed values, never from the URL
    return f"document.documentElement.lang = '{code}';{_A11Y_JS}"


@section
def glossary(lang: str) -> None:
    """The short glossary of plain words, reachable from every page."""
    st.markdown(
        "\n\n".join([f"**{t('glossary.heading', lang)}**", *(t(f"glossary.{k}", lang) for k in GLOSSARY)])
    )
