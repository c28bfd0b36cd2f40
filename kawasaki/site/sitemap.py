"""sitemap.xml (every page in every language, every KPI's details, every goal) and
robots.txt, for crawlers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kawasaki.i18n import LANGS
from kawasaki.site import meta
from kawasaki.site.markup import esc
from kawasaki.site.pages import Page, page_named, pages
from kawasaki.state import ViewState

XMLNS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml"'


def views(vocabulary: Mapping[str, Iterable[str]]) -> list[tuple[Page, ViewState]]:
    """Every view a crawler should know, in Japanese (the alternates add English): each
    page, each KPI's details (/progress?kpi=...), each goal (/explore?goal=...)."""
    found = [(p, ViewState()) for p in pages()]
    progress, explore = page_named("progress"), page_named("explore")
    found += [(progress, ViewState(kpi=k)) for k in vocabulary.get("kpi", ())]
    found += [(explore, ViewState(goals=(int(g),))) for g in vocabulary.get("goal", ())]
    return found


def sitemap_xml(base: str, vocabulary: Mapping[str, Iterable[str]], lastmod: str | None) -> str:
    """The sitemap: one <url> per view and language, each naming its alternates."""
    entries = []
    for page, state in views(vocabulary):
        alternates = meta.alternates(base, page, state)
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{esc(h)}" href="{esc(u)}"/>' for h, u in alternates
        )
        for lang in LANGS:
            loc = meta.absolute(base, page, state.with_(lang=lang))
            mod = f"<lastmod>{esc(lastmod)}</lastmod>" if lastmod else ""
            entries.append(f"<url><loc>{esc(loc)}</loc>{mod}{links}</url>")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {XMLNS}>{"".join(entries)}</urlset>\n'


def robots_txt(base: str) -> str:
    """Everything may be crawled but a session's own files (/media/: its downloads); where
    the sitemap is. Streamlit's API stays open: a crawler that runs JavaScript needs it
    to see the live app that replaces the pre-rendered content."""
    return f"User-agent: *\nAllow: /\nDisallow: /media/\nSitemap: {base.rstrip('/')}/sitemap.xml\n"
