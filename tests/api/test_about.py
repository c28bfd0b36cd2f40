"""The about page shows how to use the API (curl, pandas, DuckDB) at the site's own
address, in both languages, and the What-changed page links the feed."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import app_database, open_page, page_text, preformatted_texts  # noqa: F401
from tests.frontdoor.conftest import fetch


@pytest.mark.parametrize(("lang", "heading"), [("ja", "オープンデータ API"), ("en", "Open data API")])
def test_about_page_shows_the_api(monkeypatch, lang, heading):
    monkeypatch.setenv("KAWASAKI_PUBLIC_URL", "https://sdgs.example.jp")
    at = open_page("about", lang)
    assert not at.exception
    assert heading in [h.value for h in at.header]
    assert not at.code, "st.code loads the code highlighter (400 KB)"
    code = "\n".join(preformatted_texts(at))
    assert "curl -s https://sdgs.example.jp/api/v1/kpis.json?goal=13" in code
    assert 'pd.read_csv("https://sdgs.example.jp/api/v1/kpis.csv")' in code
    assert "read_csv('https://sdgs.example.jp/api/v1/kpis.csv')" in code
    assert "https://sdgs.example.jp/api/v1/datapackage.json" in page_text(at)


def test_changes_page_links_the_feed():
    at = open_page("changes", "en")
    assert "(./api/v1/releases.atom?lang=en)" in "\n".join(m.value for m in at.markdown)


def test_about_document_shows_the_api(front_door):
    doc = fetch(front_door, "/about?lang=en").text
    assert 'id="api"' in doc and "/api/v1/kpis.csv" in doc and "/api/v1/openapi.json" in doc
