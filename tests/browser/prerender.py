"""The pre-render against the live page: the HTML the server sends for a page's URL (what a
crawler, a link preview or a visitor without JavaScript reads) shows values and table
cells; once Streamlit has drawn the page, each of them is on the live page and nothing of
the pre-render is left. test_accessibility.test_page checks this on every page it loads,
test_front_door on the views test_page does not load."""

from __future__ import annotations

# What the live app shows as text, found in the pre-render: values (kd-v) and the cells of
# every table the app also shows as a table (not those it shows as a data grid, kd-grid).
# Called with a document: the page's own, or the pre-render parsed from the served HTML.
VALUES_JS = """(doc) => {
  const cells = [...doc.querySelectorAll('#root .kd-v, #root .kd-table:not(.kd-grid) td, '
                                      + '#root .kd-table:not(.kd-grid) tbody th')];
  return cells.map((e) => e.textContent.replace(/\\s+/g, ' ').trim()).filter((s) => s);
}"""
PAGE_VALUES_JS = f"() => ({VALUES_JS})(document)"
SERVED_VALUES_JS = f"(html) => ({VALUES_JS})(new DOMParser().parseFromString(html, 'text/html'))"
# (without the word joiners kawasaki.present.md puts before a URL, which keep it text)
LIVE_TEXT_JS = """() => document.querySelector('[data-testid="stMain"]').textContent
  .replace(/\\u2060/g, '').replace(/\\s+/g, ' ')"""
LEFTOVERS_JS = "() => document.querySelectorAll('.kd, .kd-v, #kd-main, .kd-top').length"
# Pages of links to choose from (the briefing's scopes, the 17 goals): no values in their pre-render.
CHOOSERS = {"/briefing", "/explore"}


def path_of(url: str) -> str:
    """The page's path and its own parameters, without lang= (the key of CHOOSERS)."""
    path, _, query = url.partition("?")
    kept = "&".join(p for p in query.split("&") if p and not p.startswith("lang="))
    return f"{path}?{kept}" if kept else path


def assert_pre_render_shown_then_replaced(page, url: str, console_errors: list[str]) -> None:
    """``page`` has just been opened on ``url`` (open_app): each value and table cell of the
    served pre-render is on the live page, no element of the pre-render is left, and the
    page's Content Security Policy refused nothing (``console_errors``: the page's log)."""
    served = page.request.get(url)
    assert served.ok, f"{url}: {served.status}"
    values = page.evaluate(SERVED_VALUES_JS, served.text())
    assert path_of(url) in CHOOSERS or values, f"{url}: no values in the pre-render"
    live = page.evaluate(LIVE_TEXT_JS)  # collapsed expanders' tables are in the DOM too
    missing = [v for v in dict.fromkeys(values) if v not in live]
    assert not missing, f"pre-rendered values the live page {url} does not show: {missing}"
    leftovers = page.evaluate(LEFTOVERS_JS)
    assert not leftovers, f"{url}: {leftovers} element(s) of the pre-render left"
    csp = [m for m in console_errors if "Content Security Policy" in m or "Refused to" in m]
    assert not csp, f"{url}: {csp}"
