"""The view's state in the URL: read it for this run, show what was ignored, write a
widget's value back, keep the address canonical.

Parsing untrusted parameters is plain Python (kawasaki.state); this module only
moves values between Streamlit's ``st.query_params``, the session and a ViewState.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import streamlit as st

from kawasaki import queries
from kawasaki.i18n import DEFAULT_LANG, LANGS, t
from kawasaki.state import DROPPED, PARAMS, ViewState, lang_params, parse_params
from kawasaki.web.cache import q

NOTICE_KEYS = {
    "unknown": "notice.ignored",
    "too_long": "notice.too_long",
    "repeated": "notice.repeated",
    "more": "notice.more",
    "dropped": "notice.dropped",
}


def view() -> ViewState:
    """The URL's view state for this run (language remembered for the session)."""
    # Only the parameters the app knows are read (a URL may carry 1,000 others).
    raw = {name: st.query_params.get_all(name) for name in (*PARAMS, DROPPED) if name in st.query_params}
    state = parse_params(raw, q(queries.vocabulary))
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
    for n in state.notices:  # at most kawasaki.state.MAX_NOTICES + 1 of them
        if n.reason in ("more", "dropped"):
            text = t(NOTICE_KEYS[n.reason], state.lang, count=n.shown_value())
        else:
            text = t(NOTICE_KEYS[n.reason], state.lang, param=n.param, value=f"`{n.shown_value()}`")
        st.warning(text, icon=":material/info:")


def report_dropped_queries() -> None:
    """Make a query string that Streamlit drops visible to the page.

    Streamlit 1.67 replaces a query string of more than 1,000 parameters or 512Ki
    characters by an empty one (``sanitize_query_string``, called by ``AppSession``
    for every rerun request): the page would show no filter while the address bar still
    shows one. In its place the page now gets ``_dropped=<number of parameters>``, says
    so (``notice.dropped``) and rewrites the address to what it shows. Called once by
    ``python -m kawasaki serve``.
    """
    from streamlit.runtime import app_session

    sanitize = app_session.sanitize_query_string
    if getattr(sanitize, "reports_dropped", False):
        return

    def sanitize_reporting(query_string: str) -> str:
        kept = sanitize(query_string)
        if query_string and not kept:
            return f"{DROPPED}={query_string.count('&') + 1}"
        return kept

    sanitize_reporting.reports_dropped = True  # type: ignore[attr-defined]
    app_session.sanitize_query_string = sanitize_reporting  # type: ignore[attr-defined]


def write_param(param: str, key: str, multi: bool) -> None:
    """Copy the widget value ``st.session_state[key]`` into the URL parameter ``param``
    (a widget's on_change callback); an empty value removes the parameter."""
    value = st.session_state.get(key)
    if value is None or value == "" or value == [] or value == ():
        if param in st.query_params:
            del st.query_params[param]
    elif multi:
        st.query_params[param] = ",".join(str(v) for v in value)
    else:
        st.query_params[param] = str(value)


def switch_lang() -> None:
    """The language switch's callback: remember the language and put it in the URL."""
    lang = st.session_state.get("w_lang") or DEFAULT_LANG
    st.session_state["lang"] = lang
    if lang_params(lang):
        st.query_params["lang"] = lang
    elif "lang" in st.query_params:
        del st.query_params["lang"]


def origin() -> str:
    """The scheme, host and base path this session was opened at ("https://host[/prefix]"),
    for absolute links a visitor copies (the API examples); localhost when unknown."""
    from urllib.parse import urlsplit

    from kawasaki.api.examples import LOCAL, plain_url

    parts = urlsplit(st.context.url or "")
    path = parts.path.rsplit("/", 1)[0] if parts.path.count("/") > 1 else ""
    found = f"{parts.scheme}://{parts.netloc}{path}"
    return found if plain_url(found) else LOCAL
