"""Keyboard use of the served app: order, visible focus, filters, downloads, glossary, language.

Everything here is done with key presses only (Tab, Shift+Tab, arrows, Enter, Space,
Escape); the mouse is never used. See docs/accessibility.md.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from kawasaki.i18n import t
from kawasaki.present import contrast_ratio
from kawasaki.web.frame import registered_pages

from .conftest import open_app, wait_idle

pytestmark = pytest.mark.browser

# What the focused element is: tag, role, accessible name (roughly), nearest data-testid.
_ACTIVE_JS = """
() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {tag: 'BODY', role: '', name: '', testid: ''};
  let p = e, testid = '';
  while (p && !testid) { testid = (p.dataset && p.dataset.testid) || ''; p = p.parentElement; }
  const name = (e.getAttribute('aria-label') || e.innerText || e.value || '').replace(/\\s+/g, ' ').trim();
  return {tag: e.tagName, role: e.getAttribute('role') || '', name: name.slice(0, 80), testid};
}
"""
# A CSS-pixel box around the focused element (its outline or focus ring included).
_FOCUS_BOX_JS = """
(pad) => {
  const r = document.activeElement.getBoundingClientRect();
  const x = Math.max(0, r.left - pad), y = Math.max(0, r.top - pad);
  const w = Math.min(window.innerWidth, r.right + pad) - x, h = Math.min(window.innerHeight, r.bottom + pad) - y;
  return {x, y, width: w, height: h};
}
"""
MIN_CHANGED_PIXELS = 40  # a 1 px border around even a small control changes far more


def next_frames(page) -> None:
    """Wait two animation frames: what a key press changed (focus, its style) is drawn."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def tab(page, key: str = "Tab") -> dict:
    page.keyboard.press(key)
    next_frames(page)
    return page.evaluate(_ACTIVE_JS)


def tab_to(page, predicate, *, limit: int = 60, key: str = "Tab") -> list[dict]:
    """Press Tab until ``predicate(active)`` holds; return every stop on the way (last = match)."""
    stops = []
    for _ in range(limit):
        stops.append(tab(page, key))
        if predicate(stops[-1]):
            return stops
    raise AssertionError(f"not reached in {limit} presses of {key} on {page.url}; stops: {names(stops)}")


def names(stops: list[dict]) -> list[str]:
    return [f"{s['testid']}:{s['name'][:24]}" for s in stops]


def focus_change(page) -> int:
    """How many pixels around the focused element change by >= 3:1 contrast when it loses
    focus (WCAG 2.4.7 visible focus, with the 3:1 of 1.4.11 for the indicator)."""
    box = page.evaluate(_FOCUS_BOX_JS, 6)
    if box["width"] < 1 or box["height"] < 1:
        return 0
    # animations="disabled" finishes the focus transitions before the picture is taken.
    focused = page.screenshot(clip=box, caret="hide", animations="disabled")
    page.evaluate(
        "() => { window.__focusedForTest = document.activeElement; document.activeElement.blur(); }"
    )
    next_frames(page)
    plain = page.screenshot(clip=box, caret="hide", animations="disabled")
    # Focus back (still counts as keyboard focus), so that the next Tab goes on from here.
    still_visible = page.evaluate(
        "() => { const e = window.__focusedForTest; e.focus(); return e.matches(':focus-visible'); }"
    )
    assert still_visible, "re-focusing lost the keyboard focus style"
    a = Image.open(io.BytesIO(focused)).convert("RGB")
    b = Image.open(io.BytesIO(plain)).convert("RGB")
    changed = 0
    for pa, pb in zip(a.get_flattened_data(), b.get_flattened_data(), strict=True):
        if pa != pb and contrast_ratio(_hex(pa), _hex(pb)) >= 3:
            changed += 1
    return changed


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{v:02X}" for v in rgb)


def first(stops: list[dict], predicate) -> int:
    for i, s in enumerate(stops):
        if predicate(s):
            return i
    raise AssertionError(f"no such stop in {names(stops)}")


def test_tab_order_and_visible_focus_on_matrix(page):
    """From the top of /matrix, Tab reaches the navigation, the glossary, the language
    switch, then every filter in reading order, and each stop shows where focus is."""
    open_app(page, "/matrix")
    lang = "ja"
    filters = [t(k, lang) for k in ("filter.goals", "filter.pillar", "filter.area", "filter.target")]
    stops, invisible = [], []
    for _ in range(40):
        stop = tab(page)
        stops.append(stop)
        if stop["tag"] == "MAIN":
            continue  # the scrolling main area itself (Chrome makes scrollers focusable)
        if focus_change(page) < MIN_CHANGED_PIXELS:
            invisible.append(f"{stop['testid']}:{stop['name'][:30]}")
        if stop["name"] == t("matrix.pick_row", lang):
            break
    order = [
        first(stops, lambda s: s["testid"] == "stSkipToContent"),
        first(stops, lambda s: s["testid"] == "stTopNavLink"),
        first(stops, lambda s: s["testid"] == "stPopoverButton" and t("nav.glossary", lang) in s["name"]),
        first(stops, lambda s: s["role"] == "radio" and s["name"] == t("lang.name", lang)),
        *(first(stops, lambda s, f=f: s["role"] == "combobox" and s["name"] == f) for f in filters),
        first(stops, lambda s: s["role"] == "radio" and s["name"] == t("filter.by_goal", lang)),
        first(stops, lambda s: s["tag"] == "SUMMARY" and t("word.show_table", lang) in s["name"]),
        first(stops, lambda s: s["name"] == t("matrix.pick_row", lang)),
    ]
    assert order == sorted(order), f"focus order out of reading order: {names(stops)}"
    nav = [s["name"] for s in stops if s["testid"] == "stTopNavLink"]
    assert len(nav) == len(registered_pages()), f"navigation links reached: {nav}"
    assert not invisible, f"no visible focus indicator (>= 3:1) on: {invisible}"


def heatmap_rows(chart) -> int:
    """The heatmap's row labels as drawn (the SVG's row labels, kawasaki.figures.heatmapsvg)."""
    return chart.evaluate("c => c.querySelectorAll('.kd-heatrows > text').length")


def test_pillar_filter_by_keyboard(page):
    """Open the pillar select with the keyboard, choose 'environment': the heatmap redraws
    with the pillar's rows and the URL carries pillar=environment."""
    lang = "ja"
    open_app(page, "/matrix")
    chart = page.locator(".kd-heatfig")  # the SVG heatmap: an image named by its summary
    rows_before = heatmap_rows(chart)
    label_before = chart.get_attribute("aria-label")
    tab_to(page, lambda s: s["role"] == "combobox" and s["name"] == t("filter.pillar", lang))
    page.keyboard.press("ArrowDown")  # opens the list
    page.locator('[role="option"]').first.wait_for()
    wanted = t("pillar.environment", lang)
    for _ in range(6):
        active = page.evaluate(
            "() => { const id = document.activeElement.getAttribute('aria-activedescendant');"
            " return id ? document.getElementById(id).innerText.trim() : ''; }"
        )
        if active == wanted:
            break
        page.keyboard.press("ArrowDown")
    else:
        raise AssertionError(f"option {wanted!r} not reached with the arrow keys")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda u: parse_qs(urlsplit(u).query).get("pillar") == ["environment"], timeout=30_000)
    wait_idle(page)
    rows_after = heatmap_rows(chart)
    assert rows_after == 3 < rows_before, f"heatmap rows {rows_before} → {rows_after}"
    assert chart.get_attribute("aria-label") != label_before, "the chart's text alternative did not change"
    assert page.evaluate(_ACTIVE_JS)["name"] == t("filter.pillar", lang), "focus left the select"


def test_table_and_download_by_keyboard(page):
    """The table behind the heatmap opens with Enter, and its CSV downloads with Enter."""
    lang = "ja"
    open_app(page, "/matrix")
    tab_to(page, lambda s: s["tag"] == "SUMMARY" and t("word.show_table", lang) in s["name"])
    page.keyboard.press("Enter")
    page.locator('[data-testid="stExpander"] [data-testid="stTable"]').wait_for()
    wait_idle(page)
    tab_to(page, lambda s: t("word.download_csv", lang) in s["name"])
    with page.expect_download(timeout=30_000) as info:
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    body = open(download.path(), "rb").read()
    assert body.startswith(b"\xef\xbb\xbf") and t("word.initiative", lang).encode() in body


def test_glossary_by_keyboard(page):
    """Enter on the glossary opens it and moves focus into it, so a screen reader reads it
    (a dialog named 'Glossary'); Escape closes it and returns focus to its button; Tab from
    the open glossary closes it and goes on to the language switch."""
    lang = "en"
    open_app(page, "/explore?goal=13&lang=en")
    button_name = t("nav.glossary", lang)
    tab_to(page, lambda s: s["testid"] == "stPopoverButton" and button_name in s["name"])
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=button_name)
    dialog.wait_for()
    page.wait_for_timeout(300)
    active = page.evaluate(_ACTIVE_JS)
    assert active["role"] == "dialog" and active["name"] == button_name, f"focus after opening: {active}"
    text = dialog.inner_text()
    for word in ("KPI", "SDG target", "fiscal year", "baseline", "target", "progress"):
        assert word.lower() in text.lower(), f"{word!r} missing from the glossary: {text[:300]!r}"
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    active = page.evaluate(_ACTIVE_JS)
    assert active["testid"] == "stPopoverButton", f"focus after Escape: {active}"
    page.keyboard.press("Enter")
    dialog.wait_for()
    page.wait_for_timeout(300)
    active = tab(page)
    dialog.wait_for(state="detached")
    assert active["role"] == "radio", f"Tab from the open glossary went to {active}"


def test_language_switch_by_keyboard(page):
    """The language switch is one Tab stop; an arrow key moves to English, Space chooses it."""
    open_app(page, "/progress")
    tab_to(page, lambda s: s["role"] == "radio" and s["name"] == t("lang.name", "ja"))
    page.keyboard.press("ArrowRight")
    assert page.evaluate(_ACTIVE_JS)["name"] == t("lang.name", "en")
    page.keyboard.press("Space")
    page.wait_for_url(lambda u: parse_qs(urlsplit(u).query).get("lang") == ["en"], timeout=30_000)
    page.locator("h1", has_text=t("progress.heading", "en")).wait_for(timeout=30_000)


def test_no_keyboard_trap_on_the_ward_map(page):
    """Tab goes through the whole ward page (pickers, the interactive-map switch, table,
    downloads, places) and comes back to the top; the interactive map, once switched on,
    is a Tab stop that Tab leaves again: nothing holds the focus."""
    lang = "ja"
    open_app(page, "/wards")
    stops = tab_to(page, lambda s: s["testid"] == "stSkipToContent", limit=120)
    stops += tab_to(page, lambda s: s["testid"] == "stSkipToContent", limit=120)
    seen = {s["name"] for s in stops}
    for wanted in (
        t("wardmap.pick_indicator", lang),
        t("wardmap.pick_ward", lang),
        t("word.download_csv", lang),
    ):
        assert any(wanted in name for name in seen), f"{wanted!r} not reached by Tab: {names(stops)}"
    # the SVG map has nothing to operate (no stop); its interactive form is one switch away
    switch = t("wardmap.interactive", lang)
    assert any(switch in s["name"] for s in stops), (
        f"the interactive-map switch is not reached: {names(stops)}"
    )
    back = tab_to(page, lambda s: s["testid"] == "stTopNavLink", limit=120, key="Shift+Tab")
    assert back, "Shift+Tab does not go back to the navigation"
    # the interactive (deck.gl) map: in the Tab order, and Tab leaves it again
    tab_to(page, lambda s: switch in s["name"], limit=60)
    page.keyboard.press("Space")
    wait_idle(page)
    tab_to(page, lambda s: s["testid"] == "stDeckGlJsonChart", limit=60)
    assert tab_to(page, lambda s: s["testid"] != "stDeckGlJsonChart", limit=10), "Tab stays in the map"
