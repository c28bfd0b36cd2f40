"""Long texts broken into lines for chart labels: Latin text at spaces, Japanese at any
character, a status line between its parts. Every line is HTML-escaped (Plotly draws a
few tags in texts); the lines are joined with ``<br>``.
"""

from __future__ import annotations

import html
import re


def _is_cjk(ch: str) -> bool:
    """Kana, kanji and full-width forms: text that may break between any two characters."""
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def wrap_lines(text: str, width: int, max_lines: int = 3) -> list[str]:
    """Break a label into lines of at most ``width`` characters (plain text; for the SVG
    charts and, escaped, for Plotly's axes).

    Latin text breaks at spaces (also after a symbol such as ①); Japanese text at any
    character; a label longer than ``max_lines`` lines ends with '…'.

    >>> wrap_lines("Share of parents who can consult", 12)
    ['Share of', 'parents who', 'can consult']
    >>> wrap_lines("あいうえおかきくけこさしすせそ", 5, 2)
    ['あいうえお', 'かきくけ…']
    """
    if " " in text and not any(_is_cjk(ch) for ch in text):
        lines, line = [], ""
        for word in text.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    else:
        lines = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)].rstrip() + "…"
    return lines


def wrap_label(text: str, width: int, max_lines: int = 3) -> str:
    """``wrap_lines`` for Plotly: each line HTML-escaped, joined with ``<br>``.

    >>> wrap_label("1-① Building a disaster-resilient city", 18)
    '1-① Building a<br>disaster-resilient<br>city'
    >>> wrap_label("<b>", 5)
    '&lt;b&gt;'
    """
    return "<br>".join(
        html.escape(line) for line in wrap_lines(text, width, max_lines)
    )  # Plotly draws a few tags


def wrap_status(text: str, width: int) -> str:
    """Break a status line ("words ｜ baseline → target") between its parts, never inside
    a value: "▲35.0" and its "%" stay on one line. A part longer than ``width`` alone is
    broken as ``wrap_label`` does; nothing is cut off.

    >>> wrap_status("実績値なし ｜ 基準値 2023年度 ▲35.0% → 目標値 2027年度 ▲45.4%以上", 24)
    '実績値なし<br>基準値 2023年度 ▲35.0%<br>→ 目標値 2027年度 ▲45.4%以上'
    >>> wrap_status("no actual value yet | Baseline FY2023 −35.0% → Target FY2027 −45.4% or less", 44)
    'no actual value yet | Baseline FY2023 −35.0%<br>→ Target FY2027 −45.4% or less'
    """
    lines: list[str] = []
    line = ""
    for part in re.split(r"(?= ｜ | \| | → )", text):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = re.sub(r"^ (｜|\|) ", "", part).lstrip()  # the line break replaces a bar
        else:
            line += part
    lines.append(line)
    out: list[str] = []
    for line in lines:
        if len(line) > width:
            out += wrap_label(line, width, max_lines=len(line)).split("<br>")
        else:
            out.append(html.escape(line))  # Plotly draws a few tags: escape
    return "<br>".join(out)
