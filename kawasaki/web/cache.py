"""The one caching mechanism of the app: results shared per database version, and
recorded page sections.

- ``q(fn, *args, **kwargs)``: ``fn(cursor, *args, **kwargs)`` on the current database
  (a query of kawasaki.queries, or any function taking a cursor first), computed once
  per database version and shared by every session.
- ``derived(fn, *args)``: ``fn(*args)`` for what pages compute from query results
  (option labels, the matrix per filter choice, exported files), shared the same way.
- ``@section``: a widget-free part of a page, drawn once per argument set and replayed.

A function is known by its file, name and code, so an edited page function is a new
entry in a running server. The rules a shared function must follow (it depends on its
arguments and ``q`` only; a section draws no widget) are checked the first time it
runs (``SectionRuleError``), not only written down.
"""

from __future__ import annotations

import dis
import threading
import types
from collections.abc import Callable
from typing import Any

import streamlit as st

from kawasaki.web import db

MEMO_MAX = 4096  # results kept per database version; the oldest go first
SECTION_RECORDINGS = 256  # argument sets recorded per section

_MEMO_LOCK = threading.Lock()
_RUN = threading.local()  # this script run's database key and result memo (start_run)


class SectionRuleError(RuntimeError):
    """A shared function or section that breaks the caching rules (a programming error)."""


@st.cache_resource(max_entries=2, show_spinner=False)
def _results(path: str, mtime_ns: int, inode: int, size: int) -> dict[tuple, Any]:
    """The shared results of one database file version.

    A plain dict behind ``st.cache_resource`` (so ``st.cache_resource.clear()`` empties
    it and a rebuilt file gets a new one): a lookup costs a few microseconds, where
    ``st.cache_data`` hashed the arguments and unpickled a copy of the result on every
    call (~0.25 ms per query, 8-16 queries per page; docs/performance.md). Results are
    handed out as copies that cannot change the shared object (``_shared``).
    """
    return {}


def memo(key: db.DbKey) -> dict[tuple, Any]:
    """The shared results of the database version ``key`` (for tests and tools)."""
    return _results(*key)


def start_run() -> db.DbKey:
    """Fix the database version of this script run (one ``os.stat`` per run, not per
    query); raises OSError when the file is missing."""
    _RUN.key = None
    key = db.db_key()
    _RUN.key = (key, _results(*key))
    return key


def _run_key() -> tuple[db.DbKey, dict[tuple, Any]]:
    run = getattr(_RUN, "key", None)
    if run is not None:
        return run
    key = db.db_key()
    return key, _results(*key)


def _remember(results: dict, call: Any, value: Any) -> Any:
    """Keep ``value`` for ``call`` (the first one stored wins) and bound the memo's size.

    The filters combine into many argument sets (2^17 choices of goals alone): without
    a bound, a crawler walking them would grow the process's memory without end.
    Lookups need no lock (a dict read is atomic); storing and evicting take one.
    """
    with _MEMO_LOCK:
        result = results.setdefault(call, value)
        excess = len(results) - MEMO_MAX
        if excess > 0:
            for old in list(results)[:excess]:
                del results[old]
    return result


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


# --- the rules -------------------------------------------------------------------

# Streamlit names that a shared function or a section must not use: the session's
# state and the URL differ between visitors, and a widget drawn inside a recording
# would be replayed without its callback.
_SESSION_NAMES = frozenset({"session_state", "query_params"})
_WIDGET_NAMES = frozenset(
    {
        "button",
        "download_button",
        "checkbox",
        "toggle",
        "radio",
        "selectbox",
        "multiselect",
        "segmented_control",
        "pills",
        "slider",
        "select_slider",
        "text_input",
        "text_area",
        "number_input",
        "date_input",
        "time_input",
        "file_uploader",
        "data_editor",
        "color_picker",
        "bound_select",
        "bound_multiselect",
        "bound_radio",
        "plan_filters",
        "downloads",
    }
)
_CHECKED: set[tuple[str, types.CodeType]] = set()


def ident(fn: Callable[..., Any]) -> tuple[str, str, types.CodeType]:
    """What a shared function is known by: its file, its name and its code.

    Code objects compare by value: the same function compiled again (every page script
    runs anew on each visit) is the same entry, an edited one a new entry.
    """
    code = fn.__code__
    return (code.co_filename, fn.__qualname__, code)


def _names(code: types.CodeType) -> tuple[set[str], set[str]]:
    """The globals a function's code loads, and every name it uses (attributes too),
    including those of the functions, lambdas and comprehensions inside it."""
    globals_, names = set(), set(code.co_names)
    for ins in dis.get_instructions(code):
        if ins.opname == "LOAD_GLOBAL":
            globals_.add(ins.argval)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            inner_globals, inner_names = _names(const)
            globals_ |= inner_globals
            names |= inner_names
    return globals_, names


def _allowed_global(name: str, value: Any) -> bool:
    """Modules, functions, classes and CONSTANTS are fixed for the process; anything else
    a function reads from its module (a page's ``state``, ``lang``) can differ per run."""
    return (
        isinstance(value, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type))
        or callable(value)
        or name.isupper()
        or (name.startswith("_") and name[1:].isupper())
    )


def check_rules(fn: Callable[..., Any], *, draws: bool) -> None:
    """Raise SectionRuleError when ``fn`` may depend on more than its arguments and ``q``
    (a closure, a changing global, the session or the URL) or, for a section
    (``draws``), when it draws a widget. Checked once per function version."""
    code = fn.__code__
    if (code.co_filename, code) in _CHECKED:
        return
    where = f"{fn.__qualname__} ({code.co_filename}:{code.co_firstlineno})"
    if code.co_freevars:
        raise SectionRuleError(
            f"{where} uses {', '.join(code.co_freevars)} from the enclosing function: pass it as an argument"
        )
    globals_, names = _names(code)
    scope = fn.__globals__
    builtins = scope.get("__builtins__", {})
    for name in sorted(globals_):
        if name in scope:
            if not _allowed_global(name, scope[name]):
                raise SectionRuleError(f"{where} reads the global {name!r}: pass it as an argument")
        elif name not in (builtins if isinstance(builtins, dict) else vars(builtins)):
            raise SectionRuleError(f"{where} reads {name!r}, which is not defined when it first runs")
    used = names & _SESSION_NAMES
    if used:
        raise SectionRuleError(
            f"{where} uses {', '.join(sorted(used))}: the same result is shown to everyone"
        )
    if draws and names & _WIDGET_NAMES:
        raise SectionRuleError(
            f"{where} draws a widget ({', '.join(sorted(names & _WIDGET_NAMES))}): "
            "widgets belong in the page body"
        )
    _CHECKED.add((code.co_filename, code))


# --- shared results --------------------------------------------------------------


def q(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(cursor, *args, **kwargs)`` on the current database, computed once per
    database version and shared by every session (handed out as a copy).

    >>> from kawasaki import queries
    >>> q(queries.kpis, goals=(13,))  # doctest: +SKIP
    """
    kw = tuple(sorted(kwargs.items()))
    return _memoised(("q", *ident(fn), args, kw), fn, lambda key: _query(key, fn, args, kw))


def derived(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, computed once per database version and shared like ``q``'s results.

    For what pages compute from query results (the matrix, option labels, tables,
    exported files): ``fn`` depends on its arguments and ``q`` only (checked), and the
    arguments are hashable.
    """
    return _memoised(("derived", *ident(fn), args), fn, lambda key: fn(*args))


def _query(key: db.DbKey, fn: Callable[..., Any], args: tuple, kwargs: tuple) -> Any:
    cursor = db.cursor(key)
    try:
        return _plain_text(fn(cursor, *args, **dict(kwargs)))
    finally:
        cursor.close()


def _memoised(call: tuple, fn: Callable[..., Any], compute: Callable[[db.DbKey], Any]) -> Any:
    """The shared result of ``call`` for this run's database version (``compute(key)``
    on a miss), as a copy the caller may change."""
    key, results = _run_key()
    try:
        result = results[call]
    except KeyError:
        check_rules(fn, draws=False)
        result = _remember(results, call, compute(key))
    return _shared(result)


# --- recorded sections -----------------------------------------------------------

_SECTIONS: dict[tuple[str, str, types.CodeType], Any] = {}


def section(fn: Callable[..., None]) -> Callable[..., None]:
    """Record a widget-free part of a page once and replay it on every later run.

    ``fn(*args)`` draws elements only (no widgets, no session state, no globals that
    change between runs: checked on its first run); its positional arguments, with the
    database version, are the cache key, so they must say everything the part depends
    on (language, filter values). Streamlit records the elements a cached function
    draws and, on a hit, re-sends the recorded messages without running it: no
    queries, no pandas, no Plotly or Arrow serialisation (docs/performance.md). The
    recording is shared by every session; a rebuilt database or an edited function
    makes a new one.
    """
    key = ident(fn)
    recorded = _SECTIONS.get(key)
    if recorded is None:

        def record(call: str, _draw: Callable[..., None], _args: tuple) -> None:
            _draw(*_args)  # Streamlit hashes only ``call``: it skips parameters named _...

        # One cache per section version: Streamlit keys a cached function by its module
        # and qualified name (and its source, which is the same for every ``record``).
        record.__module__ = "kawasaki.web.sections"
        record.__qualname__ = f"{key[0]}:{key[1]}:{hash(key[2]):x}"
        recorded = _SECTIONS[key] = st.cache_resource(max_entries=SECTION_RECORDINGS, show_spinner=False)(
            record
        )

    def replay(*args: Any) -> None:
        check_rules(fn, draws=True)
        # The key as one string: hashing one str is ~10x cheaper than Streamlit's hash
        # of a nested tuple; repr() tells apart every value a page passes (str, int,
        # None, tuples of them).
        recorded(repr((_run_key()[0], args)), fn, args)

    replay.__doc__ = fn.__doc__
    replay.__wrapped__ = fn  # type: ignore[attr-defined]
    return replay
