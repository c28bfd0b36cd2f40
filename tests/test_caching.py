"""The shared caches behind the pages (kawasaki.web.cache: q, derived, section).

Query results and derived tables are shared by every session, and the widget-free
parts of the pages are recorded once and replayed (docs/performance.md). What a
visitor would notice if that went wrong: another visitor's filter changing what they
see, a page drawn differently the second time, or yesterday's data after a rebuild.
"""

from __future__ import annotations

import pickle
import re

import pytest
from streamlit.testing.v1 import AppTest

from kawasaki import queries
from kawasaki.web import cache, db
from tests.apptest_helpers import app_database, exception_text, open_page, page_text  # noqa: F401
from tests.conftest import ROOT

VISITS = [
    ("home", {}),
    ("home", {"lang": "en"}),
    ("matrix", {"goal": "13,14", "level": "target", "row": "pillar:environment"}),
    ("matrix", {"area": "3"}),
    ("progress", {}),
    ("progress", {"group": "pillar", "status": "no_actual", "lang": "en"}),
    ("progress", {"kpi": "ghg-reduction"}),
    ("explore", {"goal": "13"}),
    ("explore", {"target": "9.a", "lang": "en"}),
    ("coverage", {}),
    ("coverage", {"pillar": "environment", "goal": "13,14", "lang": "en"}),
    ("progress", {"kpi": "t2-waste-per-capita"}),
    ("wards", {}),
    ("wards", {"ward": "14131", "indicator": "aging_rate_census_2010"}),
    ("briefing", {"area": "3"}),
    ("about", {"lang": "en"}),
]


def _memo() -> dict:
    return cache.memo(db.db_key())


def _snapshot() -> dict:
    return {k: pickle.dumps(v) for k, v in _memo().items()}


def test_pages_do_not_change_the_shared_results():
    """Every page with filters, twice: no cached query result or derived table changes."""
    for name, params in VISITS:
        open_page(name, **params)
    before = _snapshot()
    assert len(before) > 20  # the pages did use the shared results
    for name, params in reversed(VISITS):
        open_page(name, **params)
    after = _snapshot()
    changed = [k for k in before if after[k] != before[k]]
    assert not changed, f"pages changed shared results: {changed}"


def html_bodies(at) -> list[str]:
    return [el.proto.body for el in at.get("html")]


@pytest.mark.parametrize("name,params", VISITS, ids=[f"{n}-{'-'.join(p.values())}" for n, p in VISITS])
def test_a_replayed_page_is_the_page_drawn(name, params):
    """The second visit (sections replayed from the recording) shows what the first drew."""
    first = open_page(name, **params)
    again = open_page(name, **params)
    assert page_text(again) == page_text(first)
    assert html_bodies(again) == html_bodies(first)  # HTML bars, legends, tiles (the SVG is in the Markdown)
    assert [d.value.to_dict() for d in again.dataframe] == [d.value.to_dict() for d in first.dataframe]


def test_a_result_handed_out_can_be_changed_without_changing_the_cache():
    """A page that writes to a result it got (pandas copy-on-write) changes only its copy."""
    open_page("home")
    kpis = cache.q(queries.kpis)
    names = kpis["name_ja"].tolist()
    kpis.loc[:, "name_ja"] = "changed"
    kpis["extra"] = 1
    fresh = cache.q(queries.kpis)
    assert fresh["name_ja"].tolist() == names and "extra" not in fresh.columns
    info = cache.q(queries.build_info)
    info["data_as_of"] = None
    assert cache.q(queries.build_info)["data_as_of"] is not None


def test_the_shared_results_stay_bounded(monkeypatch):
    """Many filter combinations (a crawler) evict the oldest results instead of growing
    the process without end; the newest ones are still answered."""
    monkeypatch.setattr(cache, "MEMO_MAX", 30)
    open_page("progress")
    for goal in range(1, 18):
        for status in ("achieved", "no_actual", None):
            cache.q(queries.kpis, goals=(goal,), status=status)
    memo = _memo()
    assert len(memo) <= 30
    assert _query_key(queries.kpis, goals=(17,), status=None) in memo
    assert _query_key(queries.kpis, goals=(1,), status="achieved") not in memo


def _query_key(fn, **kwargs) -> tuple:
    """The memo key of ``q(fn, **kwargs)``."""
    return ("q", *cache.ident(fn), (), tuple(sorted(kwargs.items())))


SECTION_SCRIPT = """
import streamlit as st

from kawasaki.web.cache import section


@section
def part(lang: str) -> None:
    st.markdown("{text}")


part("ja")
"""


def test_an_edited_section_shows_its_new_output(tmp_path):
    """A running server keys a section by its code: editing its body and rerunning shows
    the edit, not the old recording (Streamlit's own caches hash the code the same way)."""
    script = tmp_path / "page.py"
    shown = []
    for text in ("before the edit", "after the edit"):
        script.write_text(SECTION_SCRIPT.replace("{text}", text), encoding="utf-8")
        at = AppTest.from_file(str(script), default_timeout=30).run()
        assert not at.exception, exception_text(at)
        shown.append([m.value for m in at.markdown])
    assert shown == [["before the edit"], ["after the edit"]]


RULE_BREAKERS = {
    "a page global": (
        "lang = 'ja'\n\n@section\ndef part() -> None:\n    st.markdown(lang)\n\npart()",
        "global 'lang'",
    ),
    "a widget": ("@section\ndef part() -> None:\n    st.button('x')\n\npart()", "draws a widget (button)"),
    "the session": (
        "@section\ndef part() -> None:\n    st.markdown(st.session_state.get('x', ''))\n\npart()",
        "uses session_state",
    ),
    "the URL": (
        "@section\ndef part() -> None:\n    st.markdown(str(st.query_params))\n\npart()",
        "uses query_params",
    ),
    "a closure": (
        "def outer(text):\n    @section\n    def part() -> None:\n        st.markdown(text)\n\n    part()\n\nouter('x')",
        "uses text from the enclosing function",
    ),
}


@pytest.mark.parametrize("case", RULE_BREAKERS)
def test_a_section_that_breaks_the_rules_is_refused(case, caplog):
    """The section rules are checked when a section first runs, not only documented: it
    depends on its arguments (and q) alone and draws no widget."""
    body, message = RULE_BREAKERS[case]
    script = "import streamlit as st\n\nfrom kawasaki.web.cache import section\n\n" + body
    assert message in _refusal(script, caplog)


def _refusal(script: str, caplog) -> str:
    """The SectionRuleError a script stops with (the page shows it redacted; the log has it)."""
    with caplog.at_level("ERROR"):
        at = AppTest.from_string(script, default_timeout=30).run()
    assert at.exception, "the script ran without an error"
    errors = [r.exc_text or "" for r in caplog.records if r.exc_info or r.exc_text]
    errors += [str(r.exc_info[1]) for r in caplog.records if r.exc_info]
    return "\n".join(e for e in errors if "SectionRuleError" in e or "pass it" in e or "widget" in e)


def test_a_derived_function_reading_a_page_global_is_refused(caplog):
    script = (
        "import streamlit as st\n\nfrom kawasaki.web.cache import derived\n\nchosen = 3\n\n"
        "def labels(lang):\n    return {lang: chosen}\n\nst.write(derived(labels, 'ja'))\n"
    )
    assert "reads the global 'chosen'" in _refusal(script, caplog)


def test_only_the_web_package_imports_streamlit():
    """kawasaki/ is plain Python apart from kawasaki/web/ (tests import it without mocks)."""
    importing = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "kawasaki").rglob("*.py")
        if "web" not in path.relative_to(ROOT / "kawasaki").parts
        and re.search(
            r"^\s*(import streamlit|from streamlit)", path.read_text(encoding="utf-8"), re.MULTILINE
        )
    ]
    assert importing == []
