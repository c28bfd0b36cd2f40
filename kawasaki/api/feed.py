"""releases.atom: the release history (kawasaki.releases.history) as an Atom 1.0 feed
(RFC 4287), one entry per release, in one language (Japanese by default)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from kawasaki.i18n import pick, t

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(moment: Any) -> str:
    """An RFC 3339 time (UTC)."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    if hasattr(moment, "to_pydatetime"):
        moment = moment.to_pydatetime()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def entry_text(release: dict[str, Any], lang: str) -> str:
    """An entry's content: its summary, its note, then one line per change."""
    lines = [pick(release, "summary", lang)]
    if pick(release, "note", lang):
        lines.append(pick(release, "note", lang))
    lines += [f"・{pick(c, 'text', lang)}" for c in release["changes"]]
    return "\n".join(lines)


def atom_feed(releases: Sequence[dict[str, Any]], base: str, lang: str, built_at: Any) -> bytes:
    """The feed of ``releases`` (newest first) for the site at ``base``, in ``lang``."""
    ET.register_namespace("", ATOM)
    changes = f"{base}/changes" + ("?lang=en" if lang == "en" else "")
    self_url = f"{base}/api/v1/releases.atom" + ("?lang=en" if lang == "en" else "")
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    _sub(feed, "id", self_url)
    _sub(feed, "title", f"{t('changes.heading', lang)}{t('word.bar_separator', lang)}{t('app.title', lang)}")
    _sub(feed, "subtitle", t("changes.intro", lang))
    _sub(feed, "updated", _stamp(releases[0]["released_at"] if releases else built_at))
    _sub(_sub(feed, "author"), "name", t("app.title", lang))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=changes)
    for r in releases:
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"{base}/changes#{r['release_id']}")
        _sub(entry, "title", pick(r, "title", lang))
        _sub(entry, "updated", _stamp(r["released_at"]))
        _sub(entry, "published", _stamp(r["released_at"]))
        _sub(entry, "link", rel="alternate", type="text/html", href=changes)
        _sub(entry, "summary", pick(r, "summary", lang))
        _sub(entry, "content", entry_text(r, lang), type="text")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        feed, encoding="utf-8", xml_declaration=False
    )
