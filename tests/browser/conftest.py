"""The served app in real headless Chromium: server, browser and page fixtures, and helpers.

One served app (``python -m kawasaki serve``, as in production) and one browser serve
the whole session; every test gets a fresh
browser context (its own cookies, viewport and locale) in which every request to a host
other than 127.0.0.1/localhost is blocked, so the tests never depend on the internet.

Fixtures: ``page`` (+ ``page_log``: blocked requests, console/page errors, dialogs, the
server's log during the test), ``viewport`` (override with parametrize), ``screenshot_dir``,
``browser``, ``app_server`` (base URL), ``server_db``.

Helpers for tests:
    open_app(page, "/progress?lang=en")     load a page and wait until the app is idle
    wait_idle(page)                          wait until Streamlit has finished (re)rendering
    full_screenshot(page, dir / "x.png")     the whole page (not only the viewport), as PNG
    assert_no_horizontal_scroll(page)        nothing wider than the viewport
    serve(db, log) / open_page(...)          a server / a page of one's own (context managers)

Screenshots go to $KAWASAKI_SCREENSHOTS (``make screenshots`` sets docs/screenshots);
when it is not set (``make test``), full_screenshot does nothing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kawasaki.i18n import LANGS, t

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
HERE = Path(__file__).resolve().parent

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_VIEWPORT = {"width": 1280, "height": 900}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

SERVER_START_TIMEOUT = 60.0
IDLE_TIMEOUT = 30.0
IDLE_QUIET = 0.25  # seconds without any sign of work before the app counts as idle
INPUT_SETTLE = 0.5  # seconds after a key press or click in which a widget may still send its rerun
MAX_SCREENSHOT_HEIGHT = 8000

# The element Streamlit scrolls (the page itself does not scroll): <section/main
# data-testid="stMain">. Measured on Streamlit 1.67: stMain.scrollHeight is the content
# height, document.documentElement.scrollHeight stays at the viewport height.
MAIN = '[data-testid="stMain"]'

# Installed in every page before Streamlit's own scripts (``open_page``): it reads the
# app's websocket, so that waiting for the app is exact rather than a guess of quiet time.
# A BackMsg carrying rerun_script (field 11) asks for a run; a ForwardMsg carrying
# script_finished (field 6) with any status but FINISHED_EARLY_FOR_RERUN (2) ends the last
# run asked for (streamlit/proto/{Back,Forward}Msg.proto, Streamlit 1.67). Key presses and
# clicks are time-stamped: a widget sends its rerun a moment after the event.
_WATCH_JS = """
(() => {
  if (window.__kawasakiWatch) return;
  const w = window.__kawasakiWatch = {asked: 0, finished: 0, pending: false, inputAt: -1e9};
  // The top-level fields of a protobuf message: [field number, varint value or null].
  const fields = (bytes) => {
    const out = [];
    let i = 0;
    const varint = () => {
      let value = 0, scale = 1, byte;
      do { byte = bytes[i++]; value += (byte & 127) * scale; scale *= 128; } while (byte & 128 && i < bytes.length);
      return value;
    };
    while (i < bytes.length) {
      const key = varint(), field = Math.floor(key / 8), type = key & 7;
      if (type === 0) out.push([field, varint()]);
      else if (type === 2) { const n = varint(); i += n; out.push([field, null]); }
      else if (type === 1) { i += 8; out.push([field, null]); }
      else if (type === 5) { i += 4; out.push([field, null]); }
      else break;
    }
    return out;
  };
  const asBytes = (data) => data instanceof ArrayBuffer ? new Uint8Array(data)
    : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
  const Native = window.WebSocket;
  class Watched extends Native {
    constructor(...args) {
      super(...args);
      // a run cut off by a lost connection never finishes: the connection state says busy
      this.addEventListener('close', () => { w.pending = false; });
      this.addEventListener('message', (event) => {
        const bytes = asBytes(event.data);
        if (!bytes) return;
        for (const [field, value] of fields(bytes))
          if (field === 6 && value !== 2) { w.finished += 1; w.pending = false; }
      });
    }
    send(data) {
      const bytes = asBytes(data);
      if (bytes && fields(bytes).some(([field]) => field === 11)) { w.asked += 1; w.pending = true; }
      return super.send(data);
    }
  }
  window.WebSocket = Watched;
  for (const type of ['keydown', 'keyup', 'pointerdown', 'pointerup', 'click', 'input', 'change'])
    window.addEventListener(type, () => { w.inputAt = performance.now(); }, true);
})();
"""

# Everything that means "Streamlit is still working", checked in the browser.
# Returns a list of reasons (empty = idle) so a timeout can say what was still busy.
_BUSY_JS = """
([settleMs, mustHaveRun]) => {
  const busy = [];
  const w = window.__kawasakiWatch;
  if (w) {
    if (w.pending) busy.push('a script run asked for has not finished');
    if (mustHaveRun && !w.finished) busy.push('no script run finished yet');
    if (performance.now() - w.inputAt < settleMs) busy.push('a key press or click just now');
  }
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return busy.concat(['no stApp']);
  const script = app.getAttribute('data-test-script-state');
  if (script !== 'notRunning') busy.push('script state ' + script);
  const conn = app.getAttribute('data-test-connection-state');
  if (conn !== 'CONNECTED') busy.push('connection ' + conn);
  const count = (sel) => document.querySelectorAll(sel).length;
  if (count('[data-testid="stAppSkeleton"]')) busy.push('app skeleton');
  if (count('[data-testid="stSkeleton"]')) busy.push('skeleton');
  if (count('[data-testid="stStatusWidget"]')) busy.push('status widget');
  if (count('[data-stale="true"]')) busy.push('stale elements');
  for (const c of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (!c.querySelector('.main-svg')) { busy.push('plotly chart not drawn'); break; }
  for (const c of document.querySelectorAll('[data-testid="stDeckGlJsonChart"]'))
    if (!c.querySelector('canvas')) { busy.push('deck.gl chart not drawn'); break; }
  for (const c of document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
    if (!c.querySelector('canvas, svg')) { busy.push('vega chart not drawn'); break; }
  if (document.fonts && document.fonts.status !== 'loaded') busy.push('fonts loading');
  return busy;
}
"""


# --- markers ----------------------------------------------------------------------------


def pytest_collection_modifyitems(config, items) -> None:
    """Mark every test under tests/browser with ``browser`` (``-m "not browser"`` skips them).
    Under ``make test`` they are not grouped: each pytest-xdist worker serves the app and
    starts Chromium once (session fixtures) for whichever browser tests it is given."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- server -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.read().decode("utf-8", "replace").strip()
    except OSError:
        return None


@pytest.fixture(scope="session")
def server_db(built_db) -> Path:
    """The served app's database: the session's ``built_db``, built from data/ by the real
    builder into a temp dir (data/kawasaki.duckdb is neither read nor written; every
    reader opens it read-only)."""
    return built_db


@contextmanager
def serve(db: Path, log_path: Path) -> Iterator[str]:
    """Serve the app as production does (``python -m kawasaki serve``: st.App with the
    front door) on a free port against ``db``; yield its base URL.

    Waits for /_stcore/health to answer "ok" (60 s at most); on failure prints the
    server's log and fails the test. The server is terminated on exit.
    """
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "kawasaki",
        "serve",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--runner.postScriptGC",
        "false",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "KAWASAKI_DB": str(db), "PYTHONUNBUFFERED": "1"}
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while _health(f"{base}/_stcore/health") != "ok":
            if proc.poll() is not None or time.monotonic() > deadline:
                why = (
                    f"exited with code {proc.returncode}"
                    if proc.poll() is not None
                    else f"did not answer within {SERVER_START_TIMEOUT:.0f} s"
                )
                log_text = log_path.read_text(encoding="utf-8", errors="replace")
                print(f"--- streamlit server log ({log_path}) ---\n{log_text}")
                pytest.fail(f"the Streamlit server {why}; its log is printed above", pytrace=False)
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_server(server_db) -> Iterator[str]:
    """The real app served for the whole session; yields its base URL."""
    with serve(server_db, server_log_path(server_db)) as base:
        yield base


def server_log_path(db: Path) -> Path:
    return db.parent / "streamlit.log"


# --- browser ----------------------------------------------------------------------------


@cache
def _refusing_socket() -> socket.socket:
    """A loopback port bound for the whole process (the cache keeps it) but never
    listening: a connection to it is refused at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def launch_chromium(playwright):
    """Debian's Chromium with CHROMIUM_ARGS, every request to a host other than
    127.0.0.1/localhost sent to a proxy that refuses it (the tests never depend on the
    internet). A proxy rather than Playwright routing: routing every request through this
    process costs about 0.4 s of CPU per page load and turns Chromium's HTTP cache off."""
    port = _refusing_socket().getsockname()[1]
    proxy = {"server": f"http://127.0.0.1:{port}", "bypass": ",".join(sorted(LOCAL_HOSTS))}
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, proxy=proxy)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's headless Chromium driven by Playwright's sync API (one for the session)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make system-deps` (installs chromium and Japanese fonts); "
            "`make test` and `make screenshots` do it for you.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        b = launch_chromium(pw)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


@dataclass
class PageLog:
    """What happened in one test's page: requests blocked, console errors, dialogs."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    server_log: Path | None = None  # the server's log, read from server_log_offset on
    server_log_offset: int = 0

    def __str__(self) -> str:
        parts = [
            f"{name}: {getattr(self, name)}"
            for name in ("blocked", "console_errors", "page_errors", "dialogs")
            if getattr(self, name)
        ]
        return "; ".join(parts) or "(nothing logged)"

    def watch_server(self, log_path: Path) -> None:
        """Report what the server logs from now on (see ``server_output``)."""
        self.server_log = log_path
        self.server_log_offset = log_path.stat().st_size if log_path.exists() else 0

    def server_output(self, limit: int = 6000) -> str:
        """What the server logged since ``watch_server``, e.g. the traceback behind an
        exception the browser shows redacted (client.showErrorDetails = "none")."""
        if self.server_log is None or not self.server_log.exists():
            return ""
        with open(self.server_log, "rb") as fh:
            fh.seek(self.server_log_offset)
            text = fh.read().decode("utf-8", "replace").strip()
        return text if len(text) <= limit else "…" + text[-limit:]


@pytest.fixture
def viewport() -> dict[str, int]:
    """The viewport of the test's page; override with ``@pytest.mark.parametrize("viewport", [...])``."""
    return dict(DEFAULT_VIEWPORT)


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return True  # data:, blob:, about: never leave the machine
    return (parts.hostname or "") in LOCAL_HOSTS


@contextmanager
def open_page(browser, base_url: str, viewport: dict[str, int], log: PageLog) -> Iterator:
    """A new browser context and page on ``base_url``: Japanese locale, every request to a
    host other than 127.0.0.1/localhost blocked, and blocked URLs, console errors, uncaught
    page errors and dialogs recorded in ``log`` (a dialog is dismissed)."""
    context = browser.new_context(
        viewport=viewport,
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        base_url=base_url,
    )

    def on_dialog(d) -> None:
        log.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    # launch_chromium's proxy refuses other hosts; such a request fails here.
    context.on("requestfailed", lambda r: _is_local(r.url) or log.blocked.append(r.url))
    context.add_init_script(_WATCH_JS)
    pg = context.new_page()
    pg.set_default_timeout(IDLE_TIMEOUT * 1000)
    pg.on("console", lambda m: m.type == "error" and log.console_errors.append(m.text))
    pg.on("pageerror", lambda e: log.page_errors.append(str(e)))
    pg.on("dialog", on_dialog)
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="session")
def warm_server(browser, app_server) -> str:
    """The session's server after one visit to "/".

    Streamlit 1.67 treats an app with a ``pages/`` folder as a legacy pages-directory app
    until app.py's st.navigation has run once in the server process: until then a deep
    link (/progress…) runs the page file alone, without the frame. Opening "/" first keeps
    the other tests independent of their order; test_deep_link_on_fresh_server checks the
    cold start itself.
    """
    with open_page(browser, app_server, dict(DEFAULT_VIEWPORT), PageLog()) as pg:
        open_app(pg, "/")
    return app_server


@pytest.fixture
def page(browser, warm_server, server_db, viewport, page_log) -> Iterator:
    """A fresh context and page per test on the session's server (see ``open_page``);
    tests that care about dialogs, blocked requests or errors look at ``page_log``."""
    page_log.watch_server(server_log_path(server_db))
    with open_page(browser, warm_server, viewport, page_log) as pg:
        yield pg


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """$KAWASAKI_SCREENSHOTS (relative to the repository root) or a pytest temp folder."""
    named = os.environ.get("KAWASAKI_SCREENSHOTS", "").strip()
    folder = (ROOT / named) if screenshots_kept() else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- helpers ----------------------------------------------------------------------------


def busy_reasons(page, *, must_have_run: bool = False, settle: float = INPUT_SETTLE) -> list[str]:
    """Why the app is not idle right now (empty list: idle): ``must_have_run``, a page just
    loaded is busy until its first script run has finished; a key press or click less than
    ``settle`` seconds ago counts as work."""
    return page.evaluate(_BUSY_JS, [settle * 1000, must_have_run])


def wait_idle(
    page, *, quiet: float = IDLE_QUIET, timeout: float = IDLE_TIMEOUT, must_have_run: bool = False
) -> None:
    """Wait until the app has shown no sign of work for ``quiet`` seconds.

    Signs of work: a script run the page asked for (over the websocket) has not finished,
    a key press or click was less than max(quiet, INPUT_SETTLE) s ago (its widget may not
    have sent its rerun yet), the script state on stApp is not ``notRunning``, the connection is not
    ``CONNECTED``, a skeleton (stSkeleton/stAppSkeleton), the status widget or stale elements
    (data-stale="true") are on the page, a chart has not drawn yet, or fonts are loading.
    """
    deadline = time.monotonic() + timeout
    idle_since: float | None = None
    reasons: list[str] = []
    while True:
        now = time.monotonic()
        # the quiet time counts towards INPUT_SETTLE: after a click, max(quiet, settle)
        reasons = busy_reasons(page, must_have_run=must_have_run, settle=INPUT_SETTLE - quiet)
        if reasons:
            idle_since = None
        elif idle_since is None:
            idle_since = now
        elif now - idle_since >= quiet:
            return
        if now > deadline:
            raise AssertionError(
                f"the app at {page.url} was not idle after {timeout:.0f} s; still busy: {reasons}"
            )
        page.wait_for_timeout(50)


def open_app(page, path_and_query: str = "/", *, timeout: float = IDLE_TIMEOUT) -> None:
    """Load a page of the served app (path relative to its base URL) and wait until its
    first script run has finished and the app is idle."""
    page.goto(path_and_query, wait_until="domcontentloaded", timeout=timeout * 1000)
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    wait_idle(page, timeout=timeout, must_have_run=True)


def _scroll_metrics(page) -> dict[str, int]:
    return page.evaluate(
        """(sel) => {
          const m = document.querySelector(sel) || document.scrollingElement;
          return {scrollHeight: m.scrollHeight, clientHeight: m.clientHeight};
        }""",
        MAIN,
    )


def screenshots_kept() -> bool:
    """Whether screenshots are kept: $KAWASAKI_SCREENSHOTS names their folder."""
    return bool(os.environ.get("KAWASAKI_SCREENSHOTS", "").strip())


def full_screenshot(page, path: Path | str) -> Path:
    """A PNG of the whole page, not just the viewport.

    Streamlit scrolls inside stMain and renders some elements only when they come into
    view, so ``full_page=True`` captures only one screen. Instead: scroll stMain through
    its content to trigger lazy rendering, grow the viewport to the content height (at most
    8000 px), wait until idle, screenshot, and restore the viewport.

    When screenshots are not kept (no $KAWASAKI_SCREENSHOTS, as in ``make test``) nothing
    is done: the picture would go to a temp folder nobody reads. A test that needs every
    lazy element drawn grows the viewport itself (test_accessibility.tall).
    """
    path = Path(path)
    if not screenshots_kept():
        return path
    original = page.viewport_size or dict(DEFAULT_VIEWPORT)
    page.evaluate(
        """async (sel) => {
          const m = document.querySelector(sel) || document.scrollingElement;
          for (let y = 0; y < m.scrollHeight; y += Math.max(200, m.clientHeight / 2)) {
            m.scrollTop = y;
            await new Promise((r) => setTimeout(r, 50));
          }
          m.scrollTop = m.scrollHeight;
          await new Promise((r) => setTimeout(r, 100));
          m.scrollTop = 0;
        }""",
        MAIN,
    )
    wait_idle(page, quiet=0.3)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Growing the viewport can reflow the page (wider charts, wrapping): repeat until stable.
    height = original["height"]
    for _ in range(4):
        wanted = min(max(_scroll_metrics(page)["scrollHeight"], original["height"]), MAX_SCREENSHOT_HEIGHT)
        if wanted == height:
            break
        height = wanted
        page.set_viewport_size({"width": original["width"], "height": height})
        wait_idle(page, quiet=0.3)
    wait_idle(page)
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    page.set_viewport_size(original)
    return path


def assert_no_horizontal_scroll(page) -> None:
    """Neither the document nor stMain scrolls sideways at the current viewport."""
    result = page.evaluate(
        """(sel) => {
          const out = [];
          for (const [name, el] of [['document', document.documentElement],
                                    ['stMain', document.querySelector(sel)]]) {
            if (el && el.scrollWidth > el.clientWidth + 1)
              out.push(`${name}: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
          }
          if (!out.length) return out;
          const vw = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('[data-testid]')]
            .filter((e) => e.getBoundingClientRect().right > vw + 1)
            .slice(0, 5)
            .map((e) => `${e.dataset.testid} (right edge ${Math.round(e.getBoundingClientRect().right)} px)`);
          return out.concat(['elements past the right edge: ' + (wide.join(', ') || 'none found')]);
        }""",
        MAIN,
    )
    assert not result, f"horizontal scrolling at {page.viewport_size} on {page.url}: {result}"


# --- what every page must show (test_accessibility.test_page, test_pages) -----------------

NAV_KEYS = ("nav.home", "nav.matrix", "nav.progress", "nav.explore", "nav.coverage", "nav.wards", "nav.about")

EXCEPTION = '[data-testid="stException"]'
ALERT = '[data-testid="stAlert"]'
NAV = '[data-testid="stTopNav"]'


def h1_texts(page) -> list[str]:
    return [s.strip() for s in page.locator('[data-testid="stMain"] h1').all_inner_texts()]


def assert_no_exception(page, page_log) -> None:
    """No exception box on the page; on failure, show the server's log (the browser only
    shows a redacted message)."""
    exceptions = page.locator(EXCEPTION)
    if exceptions.count():
        shown = exceptions.first.inner_text()[:500]
        raise AssertionError(
            f"exception on {page.url}: {shown}\n--- server log during this test ---\n"
            f"{page_log.server_output() or '(nothing)'}"
        )


def assert_page_ok(page, page_log, name: str, lang: str) -> None:
    """No exception, the page's heading as the h1, and no script error in the browser."""
    assert_no_exception(page, page_log)
    heading = t(f"{name}.heading", lang)
    found = h1_texts(page)
    assert any(heading == text or heading in text for text in found), (
        f"heading {heading!r} ({name}.heading, {lang}) missing on {page.url}; h1 found: {found}"
    )
    assert not page_log.page_errors, f"JavaScript errors on {page.url}: {page_log.page_errors}"
    # each page has a title of its own in the tab (WCAG 2.4.2), in the page's language
    site = t("app.title", lang)
    expected = site if name == "home" else f"{t(f'nav.{name}', lang)} | {site}"
    assert page.title() == expected, f"tab title {page.title()!r} on {page.url}, expected {expected!r}"


def assert_language(page, lang: str) -> None:
    """The navigation is in ``lang``: it shows t("nav.home", lang), and no label of the other language."""
    nav = page.locator(NAV)
    assert nav.count() == 1, f"no top navigation on {page.url}"
    text = nav.inner_text()
    assert t("nav.home", lang) in text, f"nav lacks {t('nav.home', lang)!r}: {text!r}"
    for other in LANGS:
        if other == lang:
            continue
        leftovers = [t(k, other) for k in NAV_KEYS if t(k, other) != t(k, lang) and t(k, other) in text]
        assert not leftovers, f"{other} nav labels on a {lang} page ({page.url}): {leftovers}"
