"""What changed (pages/changes.py): every release, newest first, with its change list
(kawasaki.releases.history, as the page)."""

from __future__ import annotations

import datetime as dt

from kawasaki.i18n import pick, t
from kawasaki.queries import Con
from kawasaki.releases import history, local_time
from kawasaki.site.markup import el, items, link, section, text
from kawasaki.site.views import View
from kawasaki.site.views.parts import caption, intro, note
from kawasaki.state import ViewState


def view(con: Con, state: ViewState, today: dt.date) -> View:
    """The releases with their times, builds, summaries and changes."""
    lang = state.lang
    entries = history(con)
    parts = [intro(t("changes.intro", lang))]
    if not entries:
        parts.append(note(t("changes.empty", lang)))
    for r in entries:
        meta = t(
            "changes.meta", lang, time=local_time(r["released_at"]), stamp=r["stamp"], as_of=r["data_as_of"]
        )
        inner = [
            note(t("changes.preview_pending", lang)) if r["kind"] == "preview" else "",
            caption(t("word.label_value", lang, label=t(f"changes.kind.{r['kind']}", lang), value=meta)),
            el("p", text("strong", pick(r, "summary", lang), class_="kd-v")),
            text("p", pick(r, "note", lang)) if pick(r, "note", lang) else "",
            items(text("span", pick(c, "text", lang), class_="kd-v") for c in r["changes"])
            if r["changes"]
            else "",
        ]
        parts.append(section(pick(r, "title", lang), "".join(inner)))
    parts.insert(1, el("p", link("." + feed_path(lang), t("changes.feed", lang))))
    summary = pick(entries[0], "summary", lang) if entries else t("changes.intro", lang)
    return View(t("changes.heading", lang), summary, "".join(parts), feed=feed_path(lang))


def feed_path(lang: str) -> str:
    """The Atom feed of releases in ``lang`` (served by the API, kawasaki.web.api).

    >>> feed_path("en")
    '/api/v1/releases.atom?lang=en'
    """
    return "/api/v1/releases.atom" + ("?lang=en" if lang == "en" else "")
