"""Running the real app under Streamlit's AppTest, on a database built for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(autouse=True)
def app_database(built_db, monkeypatch):
    """Point the app at the test database and start every test with empty caches."""
    monkeypatch.setenv("KAWASAKI_DB", str(built_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(page: str, **params: str) -> AppTest:
    """Run app.py with ``params`` in the URL, then switch to ``pages/<page>.py``."""
    at = AppTest.from_file(APP, default_timeout=30).run()
    if page != "home":
        # AppTest needs one run before it can switch to a page registered with
        # st.navigation, and a page switch drops the query string (as in a browser).
        at.switch_page(f"pages/{page}.py").run()
    for name, value in params.items():
        at.query_params[name] = value
    if params:
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """All visible text of markdown, titles, headers, captions and alerts, joined."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error"):
        parts += [getattr(el, "value", "") or getattr(el, "body", "") for el in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def plotly_specs(at: AppTest) -> list[dict]:
    """The Plotly figures on the page, as their JSON specs."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def url(at: AppTest) -> dict[str, str]:
    """The page's query parameters after the run."""
    return {
        k: at.query_params[k] if isinstance(at.query_params[k], str) else at.query_params[k][0]
        for k in at.query_params
    }
