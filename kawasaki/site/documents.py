"""The document of a URL: Streamlit's shell with ``<html lang>``, the head (kawasaki.site.meta)
and the view's content (kawasaki.site.views) in the root element, made once per database
version and canonical URL state, and kept (bounded).

    site = Site(cursor, shell)                     # one per database version
    key = site.key("/progress", {"kpi": ["x"]}, "https://host")   # today's date in Kawasaki too
    doc = site.cached(key) or site.render(key)     # render: a few ms of queries, in a thread

A document is also made for a day (Key.today): the pace a KPI needs and the straight
line's value of this fiscal year change with the date, so tomorrow's is another document.

The URL's parameters are parsed by kawasaki.state.parse_params and only the canonical
state (valid values only) reaches the document: nothing of the raw URL is reflected.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from kawasaki import queries
from kawasaki.clock import today_in_kawasaki
from kawasaki.i18n import LANGS, pick, t
from kawasaki.queries import Con
from kawasaki.site import images, meta
from kawasaki.site.markup import el, esc, link, locale_markdown, text
from kawasaki.site.pages import GLOSSARY, Page, canonical_state, href, page_at, page_named, page_title, pages
from kawasaki.site.shell import Shell
from kawasaki.site.sitemap import robots_txt, sitemap_xml
from kawasaki.site.style import font_url, style_sheet
from kawasaki.site.views import View, render_view
from kawasaki.state import ViewState, page_href, parse_params

MAX_DOCUMENTS = 512  # per database version; the oldest go first (a crawler walks many states)
IMAGE_PATH = "/og/{kind}/{ident}.{lang}.png"


class Bounded:
    """A thread-safe mapping that keeps the ``size`` most recently used entries."""

    def __init__(self, size: int) -> None:
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        """The value of ``key`` (now the most recent), or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> Any:
        """Keep ``value`` for ``key`` (the first stored wins); return what is kept."""
        with self._lock:
            kept = self._items.setdefault(key, value)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
            return kept

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class Document:
    """A rendered document: its status, its bytes as they are and gzipped, its ETag."""

    status: int
    body: bytes
    gzipped: bytes
    etag: str

    @classmethod
    def of(cls, html: str, status: int = 200) -> Document:
        """The document of ``html`` (UTF-8), compressed once."""
        body = html.encode("utf-8")
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return cls(status, body, gzip.compress(body, compresslevel=9, mtime=0), etag)


@dataclass(frozen=True)
class Key:
    """What a document depends on: the base URL, the page (None: no such page), the state,
    and the day it is shown on (in Kawasaki: the pace and this year's line depend on it)."""

    base: str
    page: str | None
    state: ViewState  # canonical: valid values only, and only those the page keeps
    today: dt.date


class Site:
    """The front door of one database version: documents, their images, the sitemap."""

    def __init__(self, cursor: Callable[[], Con], shell: Shell, shell_text: str = "") -> None:
        self._cursor = cursor
        self.shell = shell
        self.style = style_sheet(font_url(shell_text))
        with closing(cursor()) as con:
            self.vocabulary = queries.vocabulary(con)
            self.info = queries.build_info(con)
        self.stamp = str(self.info.get("build_stamp", ""))
        self.documents = Bounded(MAX_DOCUMENTS)
        self.extras = Bounded(MAX_DOCUMENTS)  # images, sitemap and robots.txt per base URL

    def cursor(self) -> Con:
        """A cursor of its own on this database version (close it after use)."""
        return self._cursor()

    def key(self, path: str, params: Mapping[str, Any], base: str, today: dt.date | None = None) -> Key:
        """The cache key of the document at ``path`` with the raw URL ``params`` on ``today``
        (default: today in Kawasaki)."""
        state = parse_params(params, self.vocabulary)
        page = page_at(path)
        day = today or today_in_kawasaki()
        if page is None:
            return Key(base, None, ViewState(lang=state.lang), day)
        return Key(base, page.name, canonical_state(page.name, state), day)

    def cached(self, key: Key) -> Document | None:
        """The document of ``key`` if it was rendered already."""
        return self.documents.get(key)

    def render(self, key: Key) -> Document:
        """Render the document of ``key`` (queries and HTML: call it outside the event loop)."""
        if key.page is None:
            return self.documents.put(key, Document.of(self._not_found(key), 404))
        with closing(self.cursor()) as con:
            doc = Document.of(self._page(con, page_named(key.page), key))
        return self.documents.put(key, doc)

    def image_url(self, base: str, kind: str, ident: str, lang: str) -> str:
        """The absolute URL of a link preview image, versioned by the build stamp."""
        path = IMAGE_PATH.format(kind=kind, ident=ident, lang=lang)
        return f"{base.rstrip('/')}{path}?v={self.stamp}"

    def image(self, kind: str, ident: str, lang: str) -> bytes | None:
        """The PNG of a link preview ("kpi"/"goal"/"page", an id, a language), drawn once;
        None for an id the database (or the app) does not have."""
        if lang not in LANGS or not self._known(kind, ident):
            return None
        key = ("image", kind, ident, lang)
        found = self.extras.get(key)
        if found is None:
            with closing(self.cursor()) as con:
                found = self.extras.put(key, self._draw(con, kind, ident, lang))
        return found

    def sitemap(self, base: str) -> bytes:
        """sitemap.xml for ``base``."""
        key = ("sitemap", base)
        found = self.extras.get(key)
        if found is None:
            built = self.info.get("built_at")
            lastmod = built.date().isoformat() if built else None
            found = self.extras.put(key, sitemap_xml(base, self.vocabulary, lastmod).encode("utf-8"))
        return found

    def robots(self, base: str) -> bytes:
        """robots.txt for ``base``."""
        return robots_txt(base).encode("utf-8")

    def _known(self, kind: str, ident: str) -> bool:
        if kind == "page":
            return ident in {p.name for p in pages()}
        return kind in ("kpi", "goal") and ident in self.vocabulary.get(kind, ())

    def _draw(self, con: Con, kind: str, ident: str, lang: str) -> bytes:
        as_of = self.info.get("data_as_of")
        day = as_of.strftime("%Y-%m-%d") if as_of else "—"
        if kind == "kpi":
            return images.kpi_card(queries.kpi(con, ident), lang, day)
        if kind == "goal":
            g = queries.goals(con).set_index("goal").loc[int(ident)]
            row = {"goal": int(ident), **g.to_dict()}
            return images.goal_card(row, pick(row, "name", lang), pick(row, "title", lang), lang, day)
        page = page_named(ident)
        summary = render_view(con, page.name, ViewState(lang=lang), today_in_kawasaki()).summary
        return images.page_card(t(page.title_key, lang), summary, lang, day)

    # --- assembling ----------------------------------------------------------------

    def _page(self, con: Con, page: Page, key: Key) -> str:
        state, base = key.state, key.base
        view = render_view(con, page.name, state, key.today)
        lang = state.lang
        kind, ident = view.image or ("page", page.name)
        title = page_title(page, lang)
        head = meta.Head(
            title=title,
            description=meta.shorten(view.summary),
            canonical=meta.absolute(base, page, state),
            alternates=meta.alternates(base, page, state),
            share_title=f"{view.title}{t('word.bar_separator', lang)}{title}" if view.title else title,
            image=self.image_url(base, kind, ident, lang),
            image_alt=view.title or t(page.title_key, lang),
            lang=lang,
            feed=base.rstrip("/") + view.feed if view.feed else "",
        )
        return self._fill(head, page, state, view)

    def _not_found(self, key: Key) -> str:
        lang = key.state.lang
        home = pages()[0]
        heading = t("site.not_found_heading", lang)
        head = meta.Head(
            title=meta.shorten(f"{heading}{t('word.bar_separator', lang)}{t('app.title', lang)}"),
            description=t("site.not_found_text", lang),
            canonical=meta.absolute(key.base, home, key.state),
            alternates=meta.alternates(key.base, home, key.state),
            share_title=t("app.title", lang),
            image=self.image_url(key.base, "page", home.name, lang),
            image_alt=t("app.title", lang),
            lang=lang,
            indexable=False,
        )
        view = View(heading, head.description, text("p", head.description))
        return self._fill(head, None, key.state, view)

    def _fill(self, head: meta.Head, page: Page | None, state: ViewState, view: View) -> str:
        content = el(
            "div",
            link("#kd-main", t("site.skip", state.lang), class_="kd-skip")
            + _top_nav(page, state.lang)
            + el(
                "main",
                _frame(self.info, page, state) + text("h1", view.heading) + view.body,
                id="kd-main",
                class_="kd-main",
            ),
            class_="kd",
        )
        return self.shell.fill(state.lang, meta.head_html(head, self.style), "", content)


def _top_nav(current: Page | None, lang: str) -> str:
    """The pages as links, as the app's top navigation."""
    links = []
    for p in pages():
        attrs = {"aria_current": "page"} if current is not None and p.name == current.name else {}
        links.append(f"<li>{link(href(p, ViewState(lang=lang)), t(p.title_key, lang), **attrs)}</li>")
    return el(
        "header", el("nav", el("ul", "".join(links)), aria_label=t("site.nav_label", lang)), class_="kd-top"
    )


def _frame(info: Mapping[str, Any], page: Page | None, state: ViewState) -> str:
    """The frame's header: site title and plan, the glossary (a disclosure that works
    without JavaScript), the language links, the data's date; then why JavaScript helps."""
    lang = state.lang
    site = el("p", text("strong", t("app.title", lang)) + "<br>" + esc(t("app.plan", lang)))
    terms = "".join(locale_markdown(t(f"glossary.{k}", lang)) for k in GLOSSARY)
    glossary = el("details", text("summary", t("nav.glossary", lang)) + terms, class_="kd-glossary")
    langs = []
    for code in LANGS:
        label = t("lang.name", code)
        if code == lang:
            langs.append(el("span", esc(label), lang=code, aria_current="true"))
        else:
            target = href(page or pages()[0], state.with_(lang=code))
            langs.append(link(target, label, lang=code, hreflang=code))
    switch = el("div", "".join(langs), class_="kd-langs", role="group", aria_label=t("site.lang_label", lang))
    as_of = info.get("data_as_of")
    line = esc(t("app.data_as_of", lang, date=as_of.strftime("%Y-%m-%d") if as_of else "—"))
    statement = link(page_href("about", lang, fragment="accessibility"), t("about.accessibility_link", lang))
    return (
        el("div", site + glossary + switch, class_="kd-frame")
        + el("p", f"{line}　｜　{statement}", class_="kd-caption")
        + el("noscript", text("p", t("site.noscript", lang), class_="kd-note"))
    )
