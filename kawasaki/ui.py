"""The one module of kawasaki/ that imports Streamlit: connection, caching, URL state, widgets.

Pages call ``q(name, ...)`` for cached queries, ``view()`` for the URL state and
``bound_select``/``bound_multiselect`` for filters whose value lives in the URL.
"""

from __future__ import annotations

import base64
import functools
import html
import importlib
import logging
import os
import runpy
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import streamlit as st

from kawasaki import paths, queries
from kawasaki.i18n import LANGS, t
from kawasaki.schema import SCHEMA_VERSION, TABLES
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


_RUN = threading.local()  # this script run's database key and result memo (set by ensure_database)


@st.cache_resource(max_entries=2, show_spinner=False)
def _results(path: str, mtime_ns: int, inode: int) -> dict[tuple, Any]:
    """The query results of one database file version, shared by every session.

    A plain dict behind ``st.cache_resource`` (so ``st.cache_resource.clear()`` empties
    it and a rebuilt file gets a new one): a lookup costs a few microseconds, where
    ``st.cache_data`` hashed the arguments and unpickled a copy of the result on every
    call (~0.25 ms per query, 8-16 queries per page; docs/performance.md). Results are
    handed out as copies that cannot change the shared object (``_shared``).
    """
    return {}


MEMO_MAX = 4096  # results kept per database version; the oldest go first
_MEMO_LOCK = threading.Lock()


def _remember(memo: dict, call: Any, value: Any) -> Any:
    """Keep ``value`` for ``call`` (the first one stored wins) and bound the memo's size.

    The filters combine into many argument sets (2^17 choices of goals alone): without
    a bound, a crawler walking them would grow the process's memory without end.
    Lookups need no lock (a dict read is atomic); storing and evicting take one.
    """
    with _MEMO_LOCK:
        result = memo.setdefault(call, value)
        excess = len(memo) - MEMO_MAX
        if excess > 0:
            for old in [k for k in memo if k != "database_problem"][:excess]:
                del memo[old]
    return result


def _run_key() -> tuple[DbKey, dict[tuple, Any]]:
    """The database key and result memo of this run (os.stat once per run, not per query)."""
    run = getattr(_RUN, "key", None)
    if run is not None:
        return run
    key = db_key()
    return key, _results(*key)


def _compute(key: DbKey, name: str, args: tuple, kwargs: tuple) -> Any:
    module, _, function = name.rpartition(".")
    fn = getattr(importlib.import_module(f"kawasaki.{module}") if module else queries, function)
    cursor = _cursor(key)
    try:
        return _plain_text(fn(cursor, *args, **dict(kwargs)))
    finally:
        cursor.close()


def _shared(result: Any) -> Any:
    """A copy of a cached result that the caller may change without changing the cache.

    pandas 3 copies on write, so a shallow copy of a frame costs ~10 us and writing to
    it copies the data first; dicts and lists are copied one level (their values are
    numbers, strings, or read-only nested data such as geometries).
    """
    import pandas as pd

    if isinstance(result, (pd.DataFrame, pd.Series)):
        return result.copy(deep=False)
    if isinstance(result, dict):
        return dict(result)
    if isinstance(result, list):
        return list(result)
    return result


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
    kw = tuple(sorted(kwargs.items()))
    return _memoised((name, args, kw), lambda key: _compute(key, name, args, kw))


def derived(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, computed once per database version and shared like ``q``'s results.

    For what pages compute from query results (the matrix, option labels, tables):
    ``fn`` must depend on its arguments and ``q`` only, and the arguments be hashable.
    """
    # by file, not module: every page script runs as __main__
    return _memoised(("derived", fn.__code__.co_filename, fn.__qualname__, args), lambda key: fn(*args))


def _memoised(call: tuple, compute: Callable[[DbKey], Any]) -> Any:
    """The shared result of ``call`` for this run's database version (``compute(key)``
    on a miss), as a copy the caller may change."""
    key, memo = _run_key()
    try:
        result = memo[call]
    except KeyError:
        result = _remember(memo, call, compute(key))
    return _shared(result)


_SECTIONS: dict[tuple[str, str], Any] = {}


def section(fn: Callable[..., None]) -> Callable[..., None]:
    """Record a widget-free part of a page once and replay it on every later run.

    ``fn(*args)`` draws elements only (no widgets, no session state, no globals that
    change between runs); its positional arguments, with the database version, are
    the cache key, so they must say everything the part depends on (language, filter
    values). Streamlit records the elements a cached function draws and, on a hit,
    re-sends the recorded messages without running it: no queries, no pandas, no
    Plotly or Arrow serialisation (docs/performance.md). The recording is shared by
    every session; a rebuilt database makes a new one.
    """
    ident = (fn.__code__.co_filename, fn.__qualname__)
    recorded = _SECTIONS.get(ident)
    if recorded is None:

        def record(call: str, _draw: Callable[..., None], _args: tuple) -> None:
            _draw(*_args)  # Streamlit hashes only ``call``: it skips parameters named _...

        # One cache per section: Streamlit keys a cached function by module and name.
        record.__module__ = "kawasaki.ui.sections"
        record.__qualname__ = f"{ident[0]}:{ident[1]}"
        recorded = _SECTIONS[ident] = st.cache_resource(max_entries=256, show_spinner=False)(record)

    def replay(*args: Any) -> None:
        # The key as one string: hashing one str is ~10x cheaper than Streamlit's hash
        # of a nested tuple; repr() tells apart every value a page passes (str, int,
        # None, tuples of them).
        recorded(repr((_run_key()[0], args)), fn, args)

    replay.__doc__ = fn.__doc__
    return replay


_TABLES = TABLES


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
    _RUN.key = None
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
    memo = _results(*key)
    _RUN.key = (key, memo)  # the queries of this run use this version and skip os.stat
    if "database_problem" not in memo:
        memo["database_problem"] = _database_problem(key)
    problem = memo["database_problem"]
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


def filter_labels(lang: str) -> dict[str, dict]:
    """The option labels of the goal, policy area and pillar filters (use through
    ``derived(filter_labels, lang)``)."""
    from kawasaki.i18n import pick
    from kawasaki.present import goal_label

    return {
        "goal": {
            r["goal"]: goal_label(r["goal"], pick(r, "name", lang), lang)
            for r in q("goals").to_dict("records")
        },
        "area": {
            r["number"]: f"{r['number']}. {pick(r, 'name', lang)}"
            for r in q("policy_areas").to_dict("records")
        },
        "pillar": {p: t(f"pillar.{p}", lang) for p in ("economy", "society", "environment")},
    }


def plan_filters(state: ViewState, kinds: Sequence[str], columns: Sequence[Any]) -> dict[str, Any]:
    """The filters several pages share -- SDG goals (several), policy area, pillar -- in
    the given order, one per column, each bound to its URL parameter.

    Returns {"goal": [chosen goals], "area": number or None, "pillar": key or None}.
    """
    lang = state.lang
    names = derived(filter_labels, lang)
    chosen: dict[str, Any] = {}
    for kind, column in zip(kinds, columns, strict=True):
        if kind == "goal":
            chosen[kind] = bound_multiselect(
                t("filter.goals", lang),
                "goal",
                list(names["goal"]),
                state.goals,
                names["goal"].__getitem__,
                container=column,
                placeholder=t("filter.all", lang),
            )
        else:
            chosen[kind] = bound_select(
                t(f"filter.{kind}", lang),
                kind,
                list(names[kind]),
                getattr(state, kind),
                names[kind].__getitem__,
                all_label=t("filter.all", lang),
                container=column,
            )
    return chosen


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
    """CSV and Excel download buttons for one table (a DataFrame, or a function making it).

    The files are made only when a button is clicked (a callable as ``data``): making
    an Excel file costs ~10 ms, and a page with five tables paid that on every rerun.
    """
    table = df if callable(df) else (lambda: df)
    # one row of two buttons: a horizontal container is one block, two columns are three
    row = st.container(horizontal=True)
    row.download_button(
        t("word.download_csv", lang),
        lambda: csv_bytes(table()),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"csv_{key}",
        icon=":material/download:",
        on_click="ignore",
    )
    row.download_button(
        t("word.download_xlsx", lang),
        lambda: xlsx_bytes(table(), stem),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def page_link(page: str, label: str, state: ViewState | str, **params: Any) -> None:
    """A link to another page carrying the language (``state`` or a language code) and
    the given parameters."""
    lang = state if isinstance(state, str) else state.lang
    query = {k: str(v) for k, v in params.items() if v is not None}
    if lang != "ja":
        query["lang"] = lang
    st.page_link(page, label=label, query_params=query)


@st.cache_resource(max_entries=8, show_spinner=False)
def _page_prototypes(spec: tuple, lang: str) -> tuple:
    return tuple(
        st.Page(script, title=t(title, lang), icon=icon, url_path=path, default=n == 0)
        for n, (script, title, icon, path) in enumerate(spec)
    )


def navigation_pages(spec: tuple, lang: str) -> list:
    """The st.Page objects of ``spec`` ((script, title key, icon, URL path), ...; the
    first is the default page), made once per language and copied for each run.

    Making them resolves every script's path on disk (~1 ms per session for seven
    pages, docs/performance.md); a copy is needed because st.navigation marks the
    chosen page object as runnable for this run only.
    """
    import copy

    return [copy.copy(page) for page in _page_prototypes(spec, lang)]


def tab_title(page: Any, lang: str) -> str:
    """The browser tab's title: the site's name alone on the default page (its
    ``url_path`` is ""), else "page | site" (WCAG 2.4.2: titles that tell pages apart)."""
    site = t("app.title", lang)
    if not page.url_path:
        return site
    return f"{page.title} | {site}"


@functools.cache
def favicon() -> str:
    """The site's icon (kawasaki/static/favicon.png) as a data URL, read once per process.

    Given as a file path, Streamlit reads the file and registers it as a media file
    on every run of every session.
    """
    data = (Path(__file__).with_name("static") / "favicon.png").read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


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
        on_change=_switch_lang,
        label_visibility="collapsed",
    )
    _header_end(lang)


@section
def _site_title(lang: str) -> None:
    st.markdown(f"**{t('app.title', lang)}**  \n{t('app.plan', lang)}")


@section
def _header_end(lang: str) -> None:
    """The data's as-of date, the accessibility statement's link, the accessibility fixes."""
    as_of = q("build_info").get("data_as_of")
    # The accessibility statement, from every page; in the same tab (a Markdown link
    # would open a new one), scrolled to its heading by Streamlit.
    statement = "./about#accessibility" if lang == "ja" else f"./about?lang={lang}#accessibility"
    st.caption(
        html.escape(t("app.data_as_of", lang, date=as_of.strftime("%Y-%m-%d") if as_of else "—"))
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
    code = "ja" if lang == "ja" else "en"  # one of two fixed values, never from the URL
    st.html(
        f"<style>{_A11Y_CSS}</style><script>document.documentElement.lang = '{code}';{_A11Y_JS}</script>",
        unsafe_allow_javascript=True,
    )


@section
def glossary(lang: str) -> None:
    """The short glossary of plain words, reachable from every page."""
    keys = ("kpi", "sdg_target", "fiscal_year", "baseline", "target_value", "progress", "triangle")
    st.markdown(
        "\n\n".join([f"**{t('glossary.heading', lang)}**", *(t(f"glossary.{k}", lang) for k in keys)])
    )


@st.cache_resource(max_entries=2, show_spinner=False)
def _file_bytes(key: DbKey) -> bytes:
    # cache_resource: bytes are immutable, so all sessions share one object instead of
    # cache_data unpickling a copy of the whole database file on every rerun.
    return Path(key[0]).read_bytes()


def db_bytes() -> bytes:
    """The database file's bytes (cached per version), for the download button."""
    return _file_bytes(db_key())
