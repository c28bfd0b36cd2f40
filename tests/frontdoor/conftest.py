"""The served app over plain HTTP (no browser): the session's one server (``front_door``
and ``con`` in tests/conftest.py, also used by tests/api), and helpers to fetch a URL
and read a document's head.

    doc = fetch(base, "/progress?kpi=ghg-reduction")   # Fetched(status, headers, body)
    head = Head.of(doc.text)                           # title, meta, links, <html lang>
"""

from __future__ import annotations

import gzip
import http.client
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass
class Fetched:
    """A response: status, headers (lower-case names), body as sent."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        """The body as text (gunzipped when it was sent gzipped)."""
        raw = gzip.decompress(self.body) if self.headers.get("content-encoding") == "gzip" else self.body
        return raw.decode("utf-8")


def fetch(base: str, path: str, *, method: str = "GET", headers: dict[str, str] | None = None) -> Fetched:
    """One request to the server (``path`` may be a full URL on it)."""
    parts = urlsplit(base)
    target = urlsplit(path)
    wanted = (target.path or "/") + (f"?{target.query}" if target.query else "")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request(method, wanted, headers=headers or {})
        resp = conn.getresponse()
        return Fetched(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()


@dataclass
class Head:
    """What a document says about itself: <html lang>, title, meta tags, links."""

    lang: str = ""
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # name or property -> content
    canonical: str = ""
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> href

    @classmethod
    def of(cls, html: str) -> Head:
        parser = _HeadParser()
        parser.feed(html.split("</head>", 1)[0])  # the body's SVG charts and map have <title>s of their own
        return parser.head


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.head = Head()
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.head.lang = a.get("lang", "")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and (a.get("name") or a.get("property")):
            self.head.meta[a.get("name") or a.get("property")] = a.get("content", "")
        elif tag == "link" and a.get("rel") == "canonical":
            self.head.canonical = a.get("href", "")
        elif tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.head.alternates[a["hreflang"]] = a.get("href", "")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.head.title += data
