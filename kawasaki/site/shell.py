"""Streamlit's index.html as the frame of every document: the language, the head and the
content of ``<div id="root">`` filled in, everything else left as Streamlit wrote it.

React replaces the root element's content when Streamlit starts, so what is put there
shows until then, and stays for a browser or a program that runs no JavaScript.

Streamlit's one style sheet (KaTeX's fonts and classes, nothing the first paint needs)
moves from the head to the end of the body: a style sheet in the head holds back the
first paint until it has arrived, behind Streamlit's sixty JavaScript files on the same
connections; at the end of the body it holds back nothing before it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_TITLE = re.compile(r"<title>.*?</title>", re.IGNORECASE | re.DOTALL)
_NOSCRIPT = re.compile(r"<noscript>.*?</noscript>", re.IGNORECASE | re.DOTALL)
_ROOT = '<div id="root"></div>'
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_STYLESHEET = re.compile(r"[ \t]*<link\s+rel=\"stylesheet\"[^>]*>\n?", re.IGNORECASE)


class ShellError(ValueError):
    """Streamlit's index.html lacks a part the front door fills in (a new Streamlit?)."""


def script_hash(source: str) -> str:
    """A CSP hash source of an inline script's text.

    >>> script_hash("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass(frozen=True)
class Shell:
    """Streamlit's index.html cut where the front door fills it in."""

    before_html: str
    before_title: str  # from after <html ...> up to the <title>
    head_rest: str  # from after </title> up to </head>
    body_start: str  # from </head> up to the <noscript>
    before_root: str  # from after </noscript> up to the root element
    after_root: str
    stylesheets: str  # Streamlit's <link rel="stylesheet"> tags, put after the root element
    inline_scripts: tuple[str, ...]  # the text of Streamlit's own inline scripts (for the CSP)

    @classmethod
    def parse(cls, text: str) -> Shell:
        """Cut ``text`` (index.html); ShellError when a part is missing."""
        html_tag, title, noscript = _HTML_TAG.search(text), _TITLE.search(text), _NOSCRIPT.search(text)
        head_end, root = text.find("</head>"), text.find(_ROOT)
        if not (html_tag and title and noscript) or head_end < 0 or root < 0:
            raise ShellError("Streamlit's index.html has no <html>, <title>, <noscript> or root element")
        if not html_tag.end() <= title.start() < head_end < noscript.start() < root:
            raise ShellError("Streamlit's index.html has its parts in an unexpected order")
        head_rest = text[title.end() : head_end]
        return cls(
            before_html=text[: html_tag.start()],
            before_title=text[html_tag.end() : title.start()],
            head_rest=_STYLESHEET.sub("", head_rest),
            body_start=text[head_end : noscript.start()],
            before_root=text[noscript.end() : root],
            after_root=text[root + len(_ROOT) :],
            stylesheets="".join(m.group(0).strip() for m in _STYLESHEET.finditer(head_rest)),
            inline_scripts=tuple(m.group(1) for m in _INLINE_SCRIPT.finditer(text)),
        )

    def fill(self, lang: str, head: str, noscript: str, content: str) -> str:
        """The document: ``<html lang>``, ``head`` where the title was (it must hold the
        ``<title>``), a ``<noscript>`` with ``noscript`` and ``content`` in the root element.
        Every argument is HTML already escaped by the caller."""
        return "".join(
            (
                self.before_html,
                f'<html lang="{lang}">',
                self.before_title,
                head,
                self.head_rest,
                self.body_start,
                f"<noscript>{noscript}</noscript>",
                self.before_root,
                f'<div id="root">{content}</div>',
                self.stylesheets,
                self.after_root,
            )
        )

    def script_hashes(self) -> tuple[str, ...]:
        """CSP hash sources of Streamlit's inline scripts (``window.prerenderReady = false``)."""
        return tuple(script_hash(s) for s in self.inline_scripts)
