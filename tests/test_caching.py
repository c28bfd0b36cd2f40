"""The shared caches behind the pages (kawasaki.ui: q, derived, section).

Query results and derived tables are shared by every session, and the widget-free
parts of the pages are recorded once and replayed (docs/performance.md). What a
visitor would notice if that went wrong: another visitor's filter changing what they
see, a page drawn differently the second time, or yesterday's data after a rebuild.
"""

from __future__ import annotations

import pickle

import pytest

from kawasaki import ui
from tests.apptest_helpers import app_database, open_page, page_text, plotly_specs  # noqa: F401

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
    ("wards", {}),
    ("wards", {"ward": "14131", "indicator": "aging_rate_census_2010"}),
    ("briefing", {"area": "3"}),
    ("about", {"lang": "en"}),
]


def _memo() -> dict:
    return ui._results(*ui.db_key())


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


@pytest.mark.parametrize("name,params", VISITS, ids=[f"{n}-{'-'.join(p.values())}" for n, p in VISITS])
def test_a_replayed_page_is_the_page_drawn(name, params):
    """The second visit (sections replayed from the recording) shows what the first drew."""
    first = open_page(name, **params)
    again = open_page(name, **params)
    assert page_text(again) == page_text(first)
    assert plotly_specs(again) == plotly_specs(first)
    assert [d.value.to_dict() for d in again.dataframe] == [d.value.to_dict() for d in first.dataframe]


def test_a_result_handed_out_can_be_changed_without_changing_the_cache():
    """A page that writes to a result it got (pandas copy-on-write) changes only its copy."""
    open_page("home")
    kpis = ui.q("kpis")
    names = kpis["name_ja"].tolist()
    kpis.loc[:, "name_ja"] = "changed"
    kpis["extra"] = 1
    fresh = ui.q("kpis")
    assert fresh["name_ja"].tolist() == names and "extra" not in fresh.columns
    info = ui.q("build_info")
    info["data_as_of"] = None
    assert ui.q("build_info")["data_as_of"] is not None


def test_the_shared_results_stay_bounded(monkeypatch):
    """Many filter combinations (a crawler) evict the oldest results instead of growing
    the process without end; the newest ones are still answered."""
    monkeypatch.setattr(ui, "MEMO_MAX", 30)
    open_page("progress")
    for goal in range(1, 18):
        for status in ("achieved", "no_actual", None):
            ui.q("kpis", goals=(goal,), status=status)
    memo = _memo()
    assert len(memo) <= 30 and "database_problem" in memo
    assert ("kpis", (), (("goals", (17,)), ("status", None))) in memo
    assert ("kpis", (), (("goals", (1,)), ("status", "achieved"))) not in memo
