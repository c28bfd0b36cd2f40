"""The served app in headless Chromium: shared and hostile links, the language switch, a
deep link on a fresh server, and the links a visitor follows (coverage cells, sources).

Each pytest-xdist worker runs the ones it gets in its own browser, on its own served app
(docs/testing.md).
Every page in both languages, on a phone (390 px) and on a desktop (no exception, heading,
tab title, navigation, axe; the screenshots docs/screenshots/<page>-<lang>[-390].png with
``make screenshots``): test_accessibility.py's test_page.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest

from kawasaki.i18n import t

from .conftest import (
    ALERT,
    DEFAULT_VIEWPORT,
    NAV,
    PageLog,
    assert_language,
    assert_no_exception,
    assert_page_ok,
    full_screenshot,
    h1_texts,
    open_app,
    open_page,
    serve,
    wait_idle,
)

pytestmark = pytest.mark.browser


def url(path: str, lang: str, **params: str) -> str:
    query = dict(params)
    if lang != "ja":
        query["lang"] = lang
    return f"{path}?{urlencode(query)}" if query else path


SHARED_LINKS = [
    # (path, params, page name, lang)
    ("/explore", {"goal": "14", "lang": "en"}, "explore", "en"),
    ("/progress", {"kpi": "ghg-reduction"}, "progress", "ja"),
    ("/matrix", {"pillar": "environment"}, "matrix", "ja"),
]


@pytest.mark.parametrize(
    ("path", "params", "name", "lang"),
    SHARED_LINKS,
    ids=[f"{p}?{urlencode(q)}" for p, q, _, _ in SHARED_LINKS],
)
def test_shared_link(page, page_log, path, params, name, lang):
    """A link someone shared opens the page with its state: no error, no 'ignored' notice,
    and the parameters are still in the URL (so the link can be shared again)."""
    open_app(page, f"{path}?{urlencode(params)}")
    assert_page_ok(page, page_log, name, lang)
    assert_language(page, lang)
    alerts = " ".join(page.locator(ALERT).all_inner_texts())
    for param, value in params.items():
        assert f"{param}={value}" not in alerts, f"valid {param}={value} reported as ignored: {alerts!r}"
    kept = parse_qs(urlsplit(page.url).query)
    for param, value in params.items():
        assert kept.get(param) == [value], f"{param}={value} dropped from the URL: {page.url}"


def test_hostile_link(page, page_log):
    """Markup and SQL in the URL: ignored with a notice, never executed, never an error."""
    query = "goal=" + quote("<script>alert(1)</script>") + "&kpi=" + quote("' OR 1=1--")
    open_app(page, f"/explore?{query}")
    assert_no_exception(page, page_log)
    alerts = page.locator(ALERT)
    assert alerts.count() >= 1, "no notice about the ignored URL parameters"
    text = " ".join(alerts.all_inner_texts())
    assert "goal" in text and "kpi" in text, f"notice does not name both parameters: {text!r}"
    assert "<script" not in text, f"markup shown raw in the notice: {text!r}"
    assert page.evaluate("() => [...document.scripts].filter(s => s.text.includes('alert(1)')).length") == 0
    page.wait_for_timeout(500)  # give an injected handler a chance to fire
    assert not page_log.dialogs, f"a dialog fired: {page_log.dialogs}"
    assert not page_log.page_errors, f"JavaScript errors: {page_log.page_errors}"


def test_language_switch(page, page_log):
    """'English' in the header's segmented control switches the page and puts lang=en in the URL."""
    open_app(page, "/")
    assert_page_ok(page, page_log, "home", "ja")
    switch = page.get_by_role("radiogroup", name=t("lang.switch", "ja"))
    switch.get_by_role("radio", name=t("lang.name", "en"), exact=True).click()
    page.wait_for_url(lambda u: parse_qs(urlsplit(u).query).get("lang") == ["en"], timeout=30_000)
    page.locator("h1", has_text=t("home.heading", "en")).wait_for(timeout=30_000)
    wait_idle(page)
    assert_page_ok(page, page_log, "home", "en")
    assert_language(page, "en")
    assert t("home.heading", "ja") not in " ".join(h1_texts(page))


def test_deep_link_on_fresh_server(browser, server_db, tmp_path):
    """A shared link is often the first request after a deploy or restart: it must get the
    whole app (page config, header with the language switch, navigation), not the page alone."""
    log = PageLog()
    log_path = tmp_path / "streamlit.log"
    with (
        serve(server_db, log_path) as base,
        open_page(browser, base, dict(DEFAULT_VIEWPORT), log) as pg,
    ):
        log.watch_server(log_path)
        open_app(pg, "/matrix?pillar=environment")
        assert_no_exception(pg, log)
        problems = []
        if pg.locator(NAV).count() != 1:
            problems.append("no navigation")
        if pg.get_by_role("radiogroup", name=t("lang.switch", "ja")).count() != 1:
            problems.append("no language switch (the header of app.py did not run)")
        expected = f"{t('nav.matrix', 'ja')} | {t('app.title', 'ja')}"
        if pg.title() != expected:
            problems.append(f"tab title {pg.title()!r}, not {expected!r} (no page config)")
        assert not problems, f"first request after start, {pg.url}: {problems}"
        assert_page_ok(pg, log, "matrix", "ja")


def test_a_coverage_cell_opens_its_target(page, page_log, screenshot_dir):
    """A cell of the 169-target grid is a link: it opens the explorer on that target, in the
    page's language; the grid's numbers are real text."""
    open_app(page, url("/coverage", "en", pillar="environment"))
    assert_page_ok(page, page_log, "coverage", "en")
    cells = page.locator("a.cov-cell")
    assert cells.count() == 169
    cell = page.get_by_role("link", name="Target 13.2: KPIs 1, initiatives 1")
    assert cell.inner_text().split() == ["13.2", "1"]
    full_screenshot(page, screenshot_dir / "coverage-environment-en.png")
    cell.click()
    page.wait_for_url(lambda u: parse_qs(urlsplit(u).query).get("target") == ["13.2"], timeout=30_000)
    wait_idle(page)
    assert parse_qs(urlsplit(page.url).query).get("lang") == ["en"]
    assert_page_ok(page, page_log, "explore", "en")


def test_the_ward_map_opens_on_the_2020_census(page, page_log):
    """Without ?indicator= the map shows the 2020 Census population of all seven wards, with its credit."""
    open_app(page, "/wards")
    assert_page_ok(page, page_log, "wards", "ja")
    picker = page.get_by_role("combobox", name=t("wardmap.pick_indicator", "ja"))
    assert picker.input_value() == "人口（令和2年国勢調査・確定）（7区）"
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "凡例：人口（令和2年国勢調査・確定）" in main  # the legend names the indicator shown
    assert "値のある区は7区で、最も大きいのは中原区（263,683人）" in main  # the map in one sentence
    assert "出典：総務省統計局「令和2年国勢調査」" in main


def test_each_source_on_about_links_to_its_own_address(page, page_log):
    """Every attribution line of data/sources/attributions.csv is one link to its URL, and a
    URL printed inside a line's text stays text (Markdown once made it a link running on
    through the Japanese text after it, to an address that does not exist)."""
    import csv

    from kawasaki.paths import ROOT

    with open(ROOT / "data" / "sources" / "attributions.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["url"].startswith("https://")]
    open_app(page, "/about")
    assert_page_ok(page, page_log, "about", "ja")
    links = page.locator('[data-testid="stMain"] a[href^="http"]').evaluate_all(
        "(as) => as.map((a) => [a.textContent.replace(/\\u2060/g, ''), a.getAttribute('href')])"
    )
    for row in rows:
        assert [row["text_ja"], row["url"]] in links, row["key"]
    assert any("https://" in r["text_ja"] for r in rows), "no line prints a URL: the test checks nothing"
    hrefs = {href for _, href in links}
    assert not [h for h in hrefs if "%EF%BC" in h.upper()], "a link ran on into full-width text"
