"""The one module of kawasaki/ that imports Streamlit: connection, caching, URL state, widgets.

Pages call ``q(name, ...)`` for cached queries, ``view()`` for the URL state and
``bound_select``/``bound_multiselect`` for filters whose value lives in the URL.
"""

from __future__ import annotations

import importlib
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
from kawasaki.build import SCHEMA_VERSION
from kawasaki.i18n import LANGS, t
from kawasaki.state import ViewState, parse_params

DbKey = tuple[str, int, int]


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
    """One read-only connection per database file version, shared by all sessions."""
    return duckdb.connect(path, read_only=True)


@st.cache_data(max_entries=512, show_spinner=False)
def _query(key: DbKey, name: str, args: tuple, kwargs: tuple) -> Any:
    module, _, function = name.rpartition(".")
    fn = getattr(importlib.import_module(f"kawasaki.{module}") if module else queries, function)
    cursor = _connection(*key).cursor()  # DuckDB connections are not thread-safe
    try:
        return fn(cursor, *args, **dict(kwargs))
    finally:
        cursor.close()


def q(name: str, *args: Any, **kwargs: Any) -> Any:
    """Run a query on the current database, cached by the database's version.

    ``name`` is a function of kawasaki.queries (``"kpis"``) or of another kawasaki
    module (``"wardmap.indicator_values"``); the function takes a cursor first.
    """
    return _query(db_key(), name, args, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=4, show_spinner=False)
def _database_problem(key: DbKey) -> str | None:
    try:
        cursor = _connection(*key).cursor()
        version = cursor.execute("SELECT schema_version FROM build_info").fetchone()[0]
        cursor.close()
    except Exception as exc:  # noqa: BLE001 - any failure here means 'cannot use this file'
        return f"{type(exc).__name__}"
    if version != SCHEMA_VERSION:
        return f"schema version {version}, expected {SCHEMA_VERSION}"
    return None


def ensure_database() -> None:
    """Build the database when missing; stop with a friendly page when it is unusable."""
    path = paths.db_path()
    if not path.exists():
        from kawasaki.build import build
        from kawasaki.problems import DataError

        with st.spinner("データベースを作成しています… / Building the database…"):
            try:
                build(paths.data_dir(), path)
            except DataError as exc:
                _stop_with_database_error("data", exc.report())
    problem = _database_problem(db_key())
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
    """CSV and Excel download buttons for one table."""
    left, right = st.columns(2)
    left.download_button(
        t("word.download_csv", lang),
        csv_bytes(df),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"csv_{key}",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        t("word.download_xlsx", lang),
        xlsx_bytes(df, stem),
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
    st.caption(t("app.data_as_of", lang, date=as_of.strftime("%Y-%m-%d") if as_of else "—"))


def glossary(lang: str) -> None:
    """The short glossary of plain words, reachable from every page."""
    st.markdown(f"**{t('glossary.heading', lang)}**")
    for key in ("kpi", "sdg_target", "fiscal_year", "baseline", "target_value", "progress", "triangle"):
        st.markdown(t(f"glossary.{key}", lang))


@st.cache_data(max_entries=2, show_spinner=False)
def _file_bytes(key: DbKey) -> bytes:
    return Path(key[0]).read_bytes()


def db_bytes() -> bytes:
    """The database file's bytes (cached per version), for the download button."""
    return _file_bytes(db_key())
