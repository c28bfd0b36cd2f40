"""Small pieces every inline SVG chart shares: escaping, text width estimates, a text
element, the symbol of a point, the root element with its text alternative.

Every string from the data goes through ``esc`` (element text and attribute values);
numbers are written by the code. The charts are drawn in a fixed coordinate system
(viewBox) and scale to the column's width (``width:100%; height:auto`` in the chart's
CSS class), so the same markup serves a 390 px phone and a desktop.
"""

from __future__ import annotations

import html
import math

# Markdown's special characters as character references: the page draws the SVG through
# Markdown's raw HTML (kawasaki.web.charts), where they mean nothing, but a data string
# never carries a link or emphasis even if they did. Line breaks become references: the
# markup stays one line (a blank line would end the raw HTML block), and a tooltip
# (<title>) still breaks its lines where the text does; in a <text> they read as spaces.
_MARKDOWN = str.maketrans({c: f"&#{ord(c)};" for c in "[]()*_`$~\\|!"} | {"\n": "&#10;", "\r": ""})


def esc(value: object) -> str:
    """Text or an attribute value, escaped (quotes too, Markdown's characters, line breaks).

    >>> esc('<b a="1">&' + "'")
    '&lt;b a=&quot;1&quot;&gt;&amp;&#x27;'
    >>> esc("[pwn](https://x)\\n*")
    '&#91;pwn&#93;&#40;https://x&#41;&#10;&#42;'
    """
    return html.escape(str(value), quote=True).translate(_MARKDOWN)


def _wide(ch: str) -> bool:
    """A character drawn about as wide as it is tall: kana, kanji, full-width forms, ▲."""
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u25a0" <= ch <= "\u25ff"


def text_width(value: str, size: float) -> float:
    """An estimate of the drawn width of ``value`` at font size ``size`` (px), generous
    enough for the app's fonts (Noto Sans CJK and the system fallbacks).

    >>> text_width("2027年度", 10)
    44.0
    """
    return sum(size if _wide(ch) else 0.6 * size for ch in value)


def num(x: float) -> str:
    """A coordinate with at most one decimal.

    >>> num(3.14159), num(2.0)
    ('3.1', '2')
    """
    return f"{x:.1f}".rstrip("0").rstrip(".")


def text(x: float, y: float, value: str, cls: str = "", anchor: str = "start") -> str:
    """A <text> element with ``value`` escaped."""
    extra = f' class="{cls}"' if cls else ""
    if anchor != "start":
        extra += f' text-anchor="{anchor}"'
    return f'<text x="{num(x)}" y="{num(y)}"{extra}>{esc(value)}</text>'


def symbol(kind: str, x: float, y: float, size: float, colour: str) -> str:
    """A point's marker as Plotly draws its symbol: circle, star, diamond; '-open' ones
    as an outline on white."""
    shape, _, open_ = kind.partition("-")
    paint = f'fill="#FFFFFF" stroke="{colour}" stroke-width="2"' if open_ else f'fill="{colour}"'
    r = size / 2
    if shape == "circle":
        return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" {paint}/>'
    if shape == "diamond":
        pts = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    else:  # a five-pointed star
        pts = [
            (
                x + (r if i % 2 == 0 else r * 0.45) * math.sin(i * math.pi / 5),
                y - (r if i % 2 == 0 else r * 0.45) * math.cos(i * math.pi / 5),
            )
            for i in range(10)
        ]
    return f'<polygon points="{" ".join(f"{num(a)},{num(b)}" for a, b in pts)}" {paint}/>'


def svg_root(width: float, height: float, label: str, body: str, cls: str) -> str:
    """The <svg> element: an image named by ``label`` (the chart's text alternative; its
    texts are then not read a second time), drawn in a ``width`` × ``height`` viewBox."""
    return svg_part(width, height, body, cls, f'role="img" aria-label="{esc(label)}"')


def svg_part(width: float, height: float, body: str, cls: str, extra: str = "") -> str:
    """An <svg> element drawn in a ``width`` × ``height`` viewBox (``extra``: attributes
    made by the code, e.g. its size in px)."""
    more = f" {extra}" if extra else ""
    return (
        f'<svg class="{cls}" viewBox="0 0 {num(width)} {num(height)}"{more} '
        f'xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )
