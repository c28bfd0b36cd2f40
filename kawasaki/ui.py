"""The one module of kawasaki/ that imports Streamlit: connection, caching, URL state, widgets.

Pages call ``q(name, ...)`` for cached queries, ``view()`` for the URL state and
``bound_select``/``bound_multiselect`` for filters whose value lives in the URL.
"""

from __future__ import annotations

import html
import importlib
import logging
import os
import re
import runpy
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import streamlit as st

from kawasaki import paths, queries
from kawasaki.build import SCHEMA_SQL, SCHEMA_VERSION
from kawasaki.i18n import LANGS, t
from kawasaki.state import ViewState, parse_params

DbKey = tuple[str, int, int]
_LOG = logging.getLogger(__name__)
_BUILD_LOCK = threading.Lock()
_CATALOG = "kawasaki"  # the name the database file is attached under


def db_key() -> DbKey:
    """Identify the current database file: path, modification time and inode.

    A rebuild renames a new file into place, so the key changes and every cached
    connection and query result is looked up afresh; sessions keep working.
    """
    path = paths.db_path()
    st_ = os.stat(path)
    return (str(path), st_.st_mtime_ns, st_.st_ino)


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, mtime_ns: int, inode: int) -> duckdb.DuckDBPyConnection:
    """One read-only connection per database file version, shared by all sessions.

    The file is attached READ_ONLY to a private in-memory DuckDB, not opened with
    ``duckdb.connect(path)``: that returns DuckDB's cached instance for the path, which
    after a rebuild still reads the replaced file (duckdb/duckdb#15912), so sessions
    would never see the new data. External access is then switched off and the
    configuration locked: no query can write or read any other file.
    """
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS kawasaki (READ_ONLY)", [path])  # the name is _CATALOG
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _cursor(key: DbKey) -> duckdb.DuckDBPyConnection:
    """A cursor of its own for one call (DuckDB connections are not thread-safe)."""
    cursor = _connection(*key).cursor()
    cursor.execute("USE kawasaki")  # _CATALOG
    return cursor


@st.cache_data(max_entries=512, show_spinner=False)
def _query(key: DbKey, name: str, args: tuple, kwargs: tuple) -> Any:
    module, _, function = name.rpartition(".")
    fn = getattr(importlib.import_module(f"kawasaki.{module}") if module else queries, function)
    cursor = _cursor(key)
    try:
        return _plain_text(fn(cursor, *args, **dict(kwargs)))
    finally:
        cursor.close()


def _plain_text(result: Any) -> Any:
    """A result's text columns as Python ``str`` objects, not pandas 3's Arrow-backed "str".

    Pages read rows (``to_dict("records")``, ``.loc``) and every cell of an Arrow-backed
    column is a round trip into Arrow: the KPI list's ``to_dict`` takes 6.2 ms, 2.9 ms
    after this (docs/performance.md). Done once per cached result; the values are the
    same (``str``, NaN where missing).
    """
    import pandas as pd

    if isinstance(result, pd.DataFrame):
        text = {c: object for c, dtype in result.dtypes.items() if isinstance(dtype, pd.StringDtype)}
        return result.astype(text) if text else result
    return result


def q(name: str, *args: Any, **kwargs: Any) -> Any:
    """Run a query on the current database, cached by the database's version.

    ``name`` is a function of kawasaki.queries (``"kpis"``) or of another kawasaki
    module (``"wardmap.indicator_values"``); the function takes a cursor first.
    """
    return _query(db_key(), name, args, tuple(sorted(kwargs.items())))


_TABLES = tuple(re.findall(r"^CREATE TABLE (\w+)", SCHEMA_SQL.read_text(encoding="utf-8"), re.MULTILINE))


@st.cache_data(max_entries=4, show_spinner=False)
def _database_problem(key: DbKey) -> str | None:
    """Why this database file cannot be used (None: it can); the details go to the log."""
    try:
        cursor = _cursor(key)
        try:
            version = cursor.execute("SELECT max(schema_version) FROM build_info").fetchone()[0]
            tables = {
                r[0]
                for r in cursor.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [_CATALOG]
                ).fetchall()
            }
        finally:
            cursor.close()
    except Exception as exc:  # noqa: BLE001 - any failure here means 'cannot use this file'
        _LOG.error("the database %s cannot be used", key[0], exc_info=True)
        return f"{type(exc).__name__}"
    if version != SCHEMA_VERSION:
        _LOG.error("the database %s has schema version %s, expected %s", key[0], version, SCHEMA_VERSION)
        return f"schema version {version}, expected {SCHEMA_VERSION}"
    missing = [name for name in _TABLES if name not in tables]
    if missing:
        _LOG.error("the database %s lacks the tables %s", key[0], missing)
        return f"tables missing: {', '.join(missing)}"
    try:  # read every row once (~20 ms): a truncated or damaged file fails here, not in a page
        cursor = _cursor(key)
        try:
            for name in _TABLES:
                cursor.table(name).fetchall()
        finally:
            cursor.close()
    except Exception as exc:  # noqa: BLE001 - any failure here means 'cannot use this file'
        _LOG.error("the database %s cannot be used (damaged?)", key[0], exc_info=True)
        return f"{type(exc).__name__}"
    return None


def ensure_database() -> None:
    """Build the database when missing; stop with a friendly page when it is unusable."""
    path = paths.db_path()
    if not path.exists():
        from kawasaki.build import build
        from kawasaki.problems import DataError

        with st.spinner("データベースを作成しています… / Building the database…"), _BUILD_LOCK:
            try:
                if not path.exists():  # another session may have built it meanwhile
                    build(paths.data_dir(), path)
            except DataError as exc:
                _LOG.error(
                    "the database %s is missing and the data files have errors:\n%s", path, exc.report()
                )
                _stop_with_database_error("data", exc.report())
            except OSError as exc:
                _LOG.error("the database %s is missing and cannot be written", path, exc_info=True)
                _stop_with_database_error("file", f"{type(exc).__name__}: {exc.strerror or 'cannot write'}")
    try:
        key = db_key()
    except OSError:  # removed again since (make clean?): the next run builds it
        _LOG.error("the database %s disappeared", path, exc_info=True)
        _stop_with_database_error("file", "the file is missing")
    problem = _database_problem(key)
    if problem:
        _stop_with_database_error("file", problem)


def _stop_with_database_error(kind: str, detail: str) -> None:
    st.title("データを表示できません / The data cannot be shown")
    st.error(
        "データベースを読み込めませんでした。管理者は `make db` を実行してデータベースを作り直してください。\n\n"
        "The database could not be read. An administrator should run `make db` to rebuild it."
    )
    if kind == "data":
        st.caption("データファイルの問題 / Problems in the data files:")
        st.code(detail, language=None)
    else:
        st.caption(f"({detail})")
    st.stop()


# --- URL state ------------------------------------------------------------------


def view() -> ViewState:
    """The URL's view state for this run (language remembered for the session)."""
    raw = {name: st.query_params.get_all(name) for name in st.query_params.keys()}
    state = parse_params(raw, q("vocabulary"))
    url_lang = raw.get("lang", [])
    remembered = st.session_state.get("lang")
    if state.lang not in url_lang and remembered in LANGS:
        state = replace(state, lang=remembered)
    st.session_state["lang"] = state.lang
    return state


def canonical_url(state: ViewState, keep: Sequence[str]) -> None:
    """Rewrite the URL to the canonical form of the parameters this page uses."""
    wanted = {k: v for k, v in state.to_params().items() if k in keep or k == "lang"}
    current = {k: ",".join(st.query_params.get_all(k)) for k in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)


def show_notices(state: ViewState) -> None:
    """Say which URL parameters were ignored (values shown as code, never as markup)."""
    for n in state.notices:
        key = {"unknown": "notice.ignored", "too_long": "notice.too_long", "repeated": "notice.repeated"}[
            n.reason
        ]
        st.warning(t(key, state.lang, param=n.param, value=f"`{n.shown_value()}`"), icon=":material/info:")


def _to_url(param: str, key: str, multi: bool) -> None:
    value = st.session_state.get(key)
    if value is None or value == "" or value == [] or value == ():
        if param in st.query_params:
            del st.query_params[param]
    elif multi:
        st.query_params[param] = ",".join(str(v) for v in value)
    else:
        st.query_params[param] = str(value)


def bound_select(
    label: str,
    param: str,
    options: Sequence[Any],
    current: Any,
    format_func: Callable[[Any], str],
    *,
    all_label: str | None = None,
    container: Any = st,
    **kwargs: Any,
) -> Any:
    """A selectbox whose value is the URL parameter ``param``; None means 'all'.

    'All' is the empty string inside the widget (a selectbox shows None as 'no
    selection'), and None to the caller.
    """
    key = f"w_{param}"
    choices = ([""] if all_label is not None else []) + list(options)
    st.session_state[key] = current if current in choices else choices[0]
    value = container.selectbox(
        label,
        choices,
        key=key,
        format_func=lambda v: all_label if v == "" else format_func(v),
        on_change=_to_url,
        args=(param, key, False),
        **kwargs,
    )
    return None if value == "" else value


def bound_multiselect(
    label: str,
    param: str,
    options: Sequence[Any],
    current: Sequence[Any],
    format_func: Callable[[Any], str],
    *,
    container: Any = st,
    **kwargs: Any,
) -> list[Any]:
    """A multiselect whose values are the comma-separated URL parameter ``param``."""
    key = f"w_{param}"
    st.session_state[key] = [v for v in current if v in options]
    return container.multiselect(
        label,
        list(options),
        key=key,
        format_func=format_func,
        on_change=_to_url,
        args=(param, key, True),
        **kwargs,
    )


def bound_radio(
    label: str,
    param: str,
    options: Sequence[str],
    current: str | None,
    format_func: Callable[[Any], str],
    **kw: Any,
) -> str:
    """A horizontal choice (segmented control) bound to ``param``; the first option is the default."""
    key = f"w_{param}"
    st.session_state[key] = current if current in options else options[0]
    value = st.segmented_control(
        label,
        list(options),
        key=key,
        format_func=format_func,
        on_change=_to_url,
        args=(param, key, False),
        **kw,
    )
    return value or options[0]


# --- downloads ---------------------------------------------------------------------


def csv_bytes(df: Any) -> bytes:
    """CSV with a BOM, so that Excel opens Japanese text correctly."""
    return df.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(df: Any, sheet: str = "data") -> bytes:
    """An Excel workbook of one sheet (Japanese text intact)."""
    from io import BytesIO

    buf = BytesIO()
    with __import__("pandas").ExcelWriter(buf, engine="openpyxl") as writer:
        df.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buf.getvalue()


def downloads(df: Any, stem: str, lang: str, key: str) -> None:
    """CSV and Excel download buttons for one table.

    The files are made only when a button is clicked (a callable as ``data``): making
    an Excel file costs ~10 ms, and a page with five tables paid that on every rerun.
    """
    left, right = st.columns(2)
    left.download_button(
        t("word.download_csv", lang),
        lambda: csv_bytes(df),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"csv_{key}",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        t("word.download_xlsx", lang),
        lambda: xlsx_bytes(df, stem),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def page_link(page: str, label: str, state: ViewState, **params: Any) -> None:
    """A link to another page carrying the language and the given parameters."""
    query = {k: str(v) for k, v in params.items() if v is not None}
    if state.lang != "ja":
        query["lang"] = state.lang
    st.page_link(page, label=label, query_params=query)


_FRAME = threading.local()


def run_page(page: Any) -> None:
    """Run the chosen page inside the frame (app.py calls this instead of ``page.run()``)."""
    _FRAME.active = True
    try:
        page.run()
    finally:
        _FRAME.active = False


def current_view() -> ViewState:
    """The view state the frame (app.py) parsed for this run.

    When a page script runs without the frame, it is Streamlit's old multipage mode
    at work: a ``pages/`` folder next to the entry script makes a fresh server (and
    every AppTest run) execute ``pages/<name>.py`` bare until app.py has called
    ``st.navigation`` once. Then the page runs the frame itself, which shows this
    page inside it, and stops the bare run. (``python -m kawasaki serve`` avoids the
    bare run altogether.)
    """
    if not getattr(_FRAME, "active", False):
        runpy.run_path(str(paths.ROOT / "app.py"), run_name="__main__")
        st.stop()
    state = st.session_state.get("_view")
    return state if isinstance(state, ViewState) else view()


def _switch_lang() -> None:
    lang = st.session_state.get("w_lang") or "ja"
    st.session_state["lang"] = lang
    if lang == "ja":
        if "lang" in st.query_params:
            del st.query_params["lang"]
    else:
        st.query_params["lang"] = lang


def header(state: ViewState) -> None:
    """The frame's header: site title, glossary, language switch, data as-of date."""
    lang = state.lang
    info = q("build_info")
    left, middle, right = st.columns([6, 2, 2], vertical_alignment="center")
    left.markdown(f"**{t('app.title', lang)}**  \n{t('app.plan', lang)}")
    with middle.popover(t("nav.glossary", lang), icon=":material/menu_book:", width="stretch"):
        glossary(lang)
    st.session_state["w_lang"] = lang
    right.segmented_control(
        t("lang.switch", lang),
        list(LANGS),
        key="w_lang",
        format_func=lambda code: t("lang.name", code),
        on_change=_switch_lang,
        label_visibility="collapsed",
    )
    as_of = info.get("data_as_of")
    # The accessibility statement, from every page; in the same tab (a Markdown link
    # would open a new one), scrolled to its heading by Streamlit.
    statement = "./about#accessibility" if lang == "ja" else f"./about?lang={lang}#accessibility"
    st.caption(
        html.escape(t("app.data_as_of", lang, date=as_of.strftime("%Y-%m-%d") if as_of else "—"))
        + f'　｜　<a href="{statement}" target="_self">{html.escape(t("about.accessibility_link", lang))}</a>',
        unsafe_allow_html=True,
    )
    _accessibility_fixes()


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


def _accessibility_fixes() -> None:
    """Work-arounds for Streamlit accessibility gaps: caption contrast, focus outline,
    popover focus, wide tables."""
    st.html(f"<style>{_A11Y_CSS}</style><script>{_A11Y_JS}</script>", unsafe_allow_javascript=True)


def document_language(lang: str) -> None:
    """Set <html lang> to the page's language, so screen readers pronounce it right.

    Streamlit serves every page as lang="en"; this small fixed script (no data in it)
    corrects that in the browser (WCAG 3.1.1).
    """
    code = "ja" if lang == "ja" else "en"
    st.html(
        f"<script>document.documentElement.lang = '{code}';</script>",
        unsafe_allow_javascript=True,
    )


def glossary(lang: str) -> None:
    """The short glossary of plain words, reachable from every page."""
    st.markdown(f"**{t('glossary.heading', lang)}**")
    for key in ("kpi", "sdg_target", "fiscal_year", "baseline", "target_value", "progress", "triangle"):
        st.markdown(t(f"glossary.{key}", lang))


@st.cache_resource(max_entries=2, show_spinner=False)
def _file_bytes(key: DbKey) -> bytes:
    # cache_resource: bytes are immutable, so all sessions share one object instead of
    # cache_data unpickling a copy of the whole database file on every rerun.
    return Path(key[0]).read_bytes()


def db_bytes() -> bytes:
    """The database file's bytes (cached per version), for the download button."""
    return _file_bytes(db_key())
