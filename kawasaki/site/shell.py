"""Streamlit's index.html as the frame of every document: the language, the head and the
content of ``<div id="root">`` filled in, everything else left as Streamlit wrote it.

React replaces the root element's content when Streamlit starts, so what is put there
shows until then, and stays for a browser or a program that runs no JavaScript.

Streamlit's one style sheet (KaTeX's fonts and classes, nothing the first paint needs)
moves from the head to the end of the body: a style sheet in the head holds back the
first paint until it has arrived, behind Streamlit's sixty JavaScript files on the same
connections; at the end of the body it holds back nothing before it.

Streamlit's JavaScript (its ``<script type="module">`` and sixty ``<link
rel="modulepreload">``) is started by a small inline script after the first paint
(``loader``), not from the head: from the head the browser fetches ~450 KB of
JavaScript before it paints, and on a phone over 4G that is seconds before the
pre-rendered view shows. The live app starts one frame later; nothing else changes.
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
_MODULE = re.compile(
    r"[ \t]*<script\s+type=\"module\"[^>]*\bsrc=\"([^\"]+)\"[^>]*></script>\n?", re.IGNORECASE
)
_PRELOAD = re.compile(r"[ \t]*<link\s+rel=\"modulepreload\"[^>]*\bhref=\"([^\"]+)\"[^>]*>\n?", re.IGNORECASE)
_SAFE_URL = re.compile(r"^[A-Za-z0-9./_-]+$")


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
    inline_scripts: tuple[str, ...]  # the text of the inline scripts (for the CSP): Streamlit's, the loader
    loader: str = ""  # the script that starts Streamlit's JavaScript after the first paint

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
        modules = [m.group(1) for m in _MODULE.finditer(head_rest)]
        preloads = [m.group(1) for m in _PRELOAD.finditer(head_rest)]
        loader = loader_script(modules, preloads)
        if loader:
            head_rest = _PRELOAD.sub("", _MODULE.sub("", head_rest))
        return cls(
            before_html=text[: html_tag.start()],
            before_title=text[html_tag.end() : title.start()],
            head_rest=_STYLESHEET.sub("", head_rest),
            body_start=text[head_end : noscript.start()],
            before_root=text[noscript.end() : root],
            after_root=text[root + len(_ROOT) :],
            stylesheets="".join(m.group(0).strip() for m in _STYLESHEET.finditer(head_rest)),
            inline_scripts=(
                *(m.group(1) for m in _INLINE_SCRIPT.finditer(text)),
                *([loader] if loader else []),
            ),
            loader=f"<script>{loader}</script>" if loader else "",
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
                self.loader,
                self.stylesheets,
                self.after_root,
            )
        )

    def script_hashes(self) -> tuple[str, ...]:
        """CSP hash sources of the inline scripts (Streamlit's ``window.prerenderReady =
        false`` and the loader)."""
        return tuple(script_hash(s) for s in self.inline_scripts)


def loader_script(modules: list[str], preloads: list[str]) -> str:
    """The inline script that adds Streamlit's module preloads and its entry module once
    the first frame is painted (or after 1 s, for a page opened in a background tab);
    '' when index.html has no single entry module or a URL is not a plain relative path
    (then the shell keeps Streamlit's tags as they are)."""
    if len(modules) != 1 or not all(_SAFE_URL.match(u) for u in (*modules, *preloads)):
        return ""
    urls = ",".join(f'"{u}"' for u in preloads)
    return (
        "(function(){var d=document,done=0;function go(){if(done)return;done=1;"
        f"[{urls}].forEach(function(h){{var l=d.createElement('link');l.rel='modulepreload';"
        "l.crossOrigin='';l.href=h;d.head.appendChild(l)});"
        "var s=d.createElement('script');s.type='module';s.crossOrigin='';"
        f's.src="{modules[0]}";d.head.appendChild(s)}}'
        "requestAnimationFrame(function(){setTimeout(go,0)});setTimeout(go,1000)})()"
    )
