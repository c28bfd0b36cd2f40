"""The pre-rendered documents in Chromium: with JavaScript off every page shows its content;
axe-core finds no WCAG 2.1 A/AA violation in them; and once Streamlit has started, its
page shows the same numbers and nothing of the pre-render is left.

"Pre-rendered" pages are also opened with JavaScript on but Streamlit's scripts blocked:
that is what a visitor sees before the app starts (axe needs JavaScript to run).
The live pages' own audit is tests/browser/test_accessibility.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from kawasaki.i18n import LANGS, t

from .conftest import DEFAULT_VIEWPORT, PageLog, open_app, open_page
from .prerender import CHOOSERS, PAGE_VALUES_JS, assert_pre_render_shown_then_replaced
from .test_accessibility import AXE_OPTIONS, PAGES, PHONE

pytestmark = pytest.mark.browser

# URL -> the page's heading key (the briefing's heading is its scope's title)
VIEWS = {
    "/": "home.heading",
    "/matrix": "matrix.heading",
    "/progress": "progress.heading",
    "/progress?kpi=ghg-reduction": "progress.heading",
    "/progress?kpi=t2-green-innovation": "progress.heading",  # the status beside the plan's words
    "/explore?goal=13": "explore.heading",
    "/wards": "wards.heading",
    "/coverage": "coverage.heading",
    "/briefing": "briefing.heading",
    "/briefing?pillar=environment": None,
    "/changes": "changes.heading",
    "/about": "about.heading",
}


def url(path: str, lang: str) -> str:
    return path if lang == "ja" else f"{path}{'&' if '?' in path else '?'}lang={lang}"


@contextmanager
def before_the_app(browser, base: str, *, javascript: bool, viewport: dict | None = None) -> Iterator:
    """A page of the served app as it is before Streamlit starts: JavaScript off, or on
    with Streamlit's scripts blocked (and every request off this machine blocked)."""
    context = browser.new_context(
        viewport=viewport or dict(DEFAULT_VIEWPORT),
        locale="ja-JP",
        base_url=base,
        java_script_enabled=javascript,
    )

    def route(r) -> None:
        here = r.request.url.startswith(base) and "/static/js/" not in r.request.url
        r.continue_() if here else r.abort()

    context.route("**/*", route)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page
    finally:
        context.close()


def expected_heading(path: str, lang: str) -> str | None:
    key = VIEWS[path]
    return t(key, lang) if key else None


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_reads_without_javascript(browser, app_server, lang):
    with before_the_app(browser, app_server, javascript=False) as page:
        for path in VIEWS:
            page.goto(url(path, lang), wait_until="load")
            assert page.evaluate("() => document.documentElement.lang") == lang
            headings = page.locator("h1").all_inner_texts()
            assert len(headings) == 1, f"{path}: {headings}"
            wanted = expected_heading(path, lang)
            assert wanted is None or headings[0] == wanted, f"{path}: {headings}"
            main = page.locator("main").inner_text()
            assert len(main) > 300 and t("site.noscript", lang) in main, path
            assert path in CHOOSERS or page.evaluate(PAGE_VALUES_JS), f"{path}: no values shown"


@pytest.mark.parametrize(
    ("lang", "viewport"),
    [("ja", DEFAULT_VIEWPORT), ("en", DEFAULT_VIEWPORT), ("ja", PHONE)],
    ids=["ja", "en", "ja-390"],
)
def test_axe_finds_nothing_in_the_pre_rendered_pages(browser, app_server, lang, viewport):
    from axe_playwright_python.sync_playwright import Axe

    found = []
    with before_the_app(browser, app_server, javascript=True, viewport=dict(viewport)) as page:
        for path in VIEWS:
            page.goto(url(path, lang), wait_until="load")
            wide = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
            assert not wide, f"{path} scrolls sideways at {viewport['width']} px"
            for violation in Axe().run(page, options=AXE_OPTIONS).response["violations"]:
                for node in violation["nodes"]:
                    found.append(
                        f"{url(path, lang)}: {violation['id']} {node['target']} {node['html'][:120]!r}"
                    )
    assert not found, "\n".join(found)


def test_pre_rendered_numbers_are_the_live_apps_and_the_pre_render_is_replaced(browser, app_server):
    """The views test_accessibility.test_page does not load (it checks its own pages the
    same way, prerender.assert_pre_render_shown_then_replaced): each value and table cell
    of the pre-render is on the live page, and nothing of the pre-render is left."""
    views = [path for path in VIEWS if path not in PAGES]
    assert views, "every view is one of test_page's: this test checks nothing"
    for path in views:
        log = PageLog()
        with open_page(browser, app_server, dict(DEFAULT_VIEWPORT), log) as page:
            open_app(page, path)
            assert_pre_render_shown_then_replaced(page, path, log.console_errors)
            assert page.locator('[data-testid="stMain"] h1').count() == 1, path
            assert not log.page_errors, f"{path}: {log.page_errors}"


def test_switching_language_keeps_html_lang_in_step_without_a_reload(page, page_log):
    open_app(page, "/progress")
    page.evaluate("window.__notReloaded = true")
    page.get_by_role("radio", name="English").or_(page.get_by_text("English", exact=True)).first.click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.evaluate("window.__notReloaded === true")
    assert not [m for m in page_log.console_errors if "Content Security Policy" in m]
