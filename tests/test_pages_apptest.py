"""Smoke tests of every page with Streamlit's AppTest (no browser, no server).

Each test runs the real app.py (the frame) and a page against a database built from
data/ into a temp dir (tests/conftest.py's ``built_db``). The smoke tests start with empty
caches; the fuzz tests share them (``shared_caches``), as the sessions of a served app do.
"""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from kawasaki import queries
from kawasaki.i18n import LANGS, t
from kawasaki.state import PARAMS, parse_params
from kawasaki.web.frame import page_script, use_navigation
from tests.apptest_helpers import (
    PAGES,
    cold_server,
    exception_text,
    has_heading,
    headings,
    open_page,
    texts,
)


@pytest.fixture(autouse=True)
def app_env(built_db, monkeypatch):
    """The test database."""
    monkeypatch.setenv("KAWASAKI_DB", str(built_db))


@pytest.fixture
def served(monkeypatch):
    """AppTest running app.py the way a warm server does (see tests/apptest_helpers.py)."""
    use_navigation()


# "served": as ``python -m kawasaki serve`` runs every request. "cold": Streamlit's legacy
# pages-directory guess, which a server started some other way is in until app.py's
# st.navigation has run once: the page file starts alone and reruns through the frame.
MODES = ("served", "cold")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.usefixtures("fresh_caches")
def test_page_smoke(name, lang, mode, monkeypatch):
    """Open the app, then the page (as a click in the navigation would), in both languages."""
    if mode == "served":
        use_navigation()
    else:
        cold_server(monkeypatch)
    at = AppTest.from_file("../app.py", default_timeout=30)
    if lang != "ja":
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, exception_text(at)
    if lang != "ja":
        at.query_params["lang"] = lang  # keep the language when switching, as the nav links do
    at.switch_page(page_script(name)).run()
    assert not at.exception, exception_text(at)
    heading = t(f"{name}.heading", lang)
    assert has_heading(at, heading), f"{name}.heading {heading!r} missing; headings: {headings(at)}"
    assert t("app.title", lang) in " ".join(texts(at)), "the frame's header is missing"
    if lang != "ja":
        assert at.query_params.get("lang") == lang, f"lang lost: {at.query_params}"


# --- URL parameter fuzz ----------------------------------------------------------------

FUZZ_VALUES = {
    "empty": "",
    "word": "nope",
    "big": "99",
    "negative": "-1",
    "decimal": "1.5",
    "script": "<script>alert(1)</script>",
    "sql": "' OR 1=1 --",
    "long": "x" * 5000,
    "fullwidth": "１４",
}
# The page whose code reads the most URL parameters (goal, pillar, area): where a value
# that slipped through parsing would do the most harm. Used for the isolated cases.
FUZZ_PAGE = "matrix"


@pytest.fixture(scope="module")
def vocabulary(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        return queries.vocabulary(con)
    finally:
        con.close()


def _check_fuzzed(at: AppTest, name: str, params: dict[str, str]) -> None:
    shown = {k: v[:40] for k, v in params.items()}
    where = f"page {name} with {shown}"
    assert not at.exception, f"{where}:\n{exception_text(at)}"
    heading = t(f"{name}.heading", "ja")
    assert has_heading(at, heading), f"{where}: heading {heading!r} missing; headings: {headings(at)}"


@pytest.mark.parametrize("value", list(FUZZ_VALUES.values()), ids=list(FUZZ_VALUES))
@pytest.mark.parametrize("param", PARAMS)
@pytest.mark.usefixtures("served", "shared_caches")
def test_fuzz_param_alone(param, value, vocabulary):
    """Each parameter alone with each bad value, on FUZZ_PAGE: no exception, heading shown,
    and a notice naming the parameter whenever the value is not valid for it (``1.5``
    is a real SDG target, ``""`` is no value: those give none).

    Runtime choice (measured on 2 cores, ~0.23 s per app run): the full cross product,
    every parameter × value × page as separate app runs, is len(PARAMS) × 9 × 6 runs
    (756 with 14 parameters, ~3 min). Instead (~40 s together):
      - here every parameter × every value alone, on one page (len(PARAMS) × 9 runs), so
        a failure names exactly one parameter and value;
      - in test_fuzz_all_params_on_every_page, every value on every page with ALL the
        parameters set to it at once (6 × 9 = 54 runs), so that every (page, parameter,
        value) triple is still exercised.
    """
    at = open_page(FUZZ_PAGE, "ja", **{param: value})
    _check_fuzzed(at, FUZZ_PAGE, {param: value})
    notices = " ".join(str(w.value) for w in at.warning)
    if parse_params({param: value}, vocabulary).notices:
        assert f"「{param}" in notices, f"no notice names {param!r} for {value[:40]!r}: {notices!r}"
    assert "<script" not in notices, f"markup passed into a notice: {notices!r}"


@pytest.mark.parametrize("value", list(FUZZ_VALUES.values()), ids=list(FUZZ_VALUES))
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.usefixtures("served", "shared_caches")
def test_fuzz_all_params_on_every_page(name, value):
    """Every URL parameter set to the same bad value at once, on every page."""
    params = dict.fromkeys(PARAMS, value)
    at = open_page(name, "ja", **params)
    _check_fuzzed(at, name, params)
