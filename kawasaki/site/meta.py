"""The head of a document: title, description, canonical URL, the ja/en alternates, and the
Open Graph and Twitter card tags that link previews (LINE, X, Teams, e-mail) read."""

from __future__ import annotations

from dataclasses import dataclass

from kawasaki.i18n import LANGS, t
from kawasaki.site.markup import esc
from kawasaki.site.pages import Page, url_path
from kawasaki.state import ViewState

OG_LOCALES = {"ja": "ja_JP", "en": "en_US"}
IMAGE_SIZE = (1200, 630)
DESCRIPTION_MAX = 200  # characters; previews cut longer ones anyway


@dataclass(frozen=True)
class Head:
    """What the head says about one document."""

    title: str  # the tab title (the app's own)
    description: str
    canonical: str  # absolute URL
    alternates: tuple[tuple[str, str], ...]  # (hreflang, absolute URL)
    share_title: str  # the link preview's title
    image: str  # absolute URL of the 1200x630 PNG
    image_alt: str
    lang: str
    indexable: bool = True
    feed: str = ""  # absolute URL of the view's Atom feed, if it has one


def absolute(base: str, page: Page, state: ViewState) -> str:
    """The absolute URL of a view: ``base`` ("https://host[/prefix]") and its canonical path.

    >>> from kawasaki.site.pages import page_named
    >>> absolute("https://x.jp", page_named("progress"), ViewState(lang="en", kpi="a"))
    'https://x.jp/progress?kpi=a&lang=en'
    """
    return base.rstrip("/") + url_path(page, state)


def alternates(base: str, page: Page, state: ViewState) -> tuple[tuple[str, str], ...]:
    """The same view in every language, and x-default (Japanese, the default language)."""
    found = [(lang, absolute(base, page, state.with_(lang=lang))) for lang in LANGS]
    return (*found, ("x-default", found[0][1]))


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis.

    >>> shorten("abcdef", 4)
    'abc…'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def head_html(head: Head, style: str) -> str:
    """The tags of ``head`` (every value escaped) and the document's style sheet."""
    lang = head.lang
    site = t("app.title", lang)
    tags = [
        f"<title>{esc(head.title)}</title>",
        _meta("description", head.description),
        f'<link rel="canonical" href="{esc(head.canonical)}">',
        *(f'<link rel="alternate" hreflang="{esc(h)}" href="{esc(u)}">' for h, u in head.alternates),
        _property("og:type", "website"),
        _property("og:site_name", site),
        _property("og:title", head.share_title),
        _property("og:description", head.description),
        _property("og:url", head.canonical),
        _property("og:locale", OG_LOCALES[lang]),
        *(_property("og:locale:alternate", OG_LOCALES[x]) for x in LANGS if x != lang),
        _property("og:image", head.image),
        _property("og:image:type", "image/png"),
        _property("og:image:width", str(IMAGE_SIZE[0])),
        _property("og:image:height", str(IMAGE_SIZE[1])),
        _property("og:image:alt", head.image_alt),
        _meta("twitter:card", "summary_large_image"),
        _meta("twitter:title", head.share_title),
        _meta("twitter:description", head.description),
        _meta("twitter:image", head.image),
        _meta("twitter:image:alt", head.image_alt),
    ]
    if head.feed:
        tags.append(
            f'<link rel="alternate" type="application/atom+xml" title="{esc(head.title)}" href="{esc(head.feed)}">'
        )
    if not head.indexable:
        tags.append(_meta("robots", "noindex"))
    return "".join(tags) + f"<style>{style}</style>"


def _meta(name: str, content: str) -> str:
    return f'<meta name="{esc(name)}" content="{esc(content)}">'


def _property(name: str, content: str) -> str:
    return f'<meta property="{esc(name)}" content="{esc(content)}">'
