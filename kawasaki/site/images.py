"""Link preview images (Open Graph, Twitter cards): 1200x630 PNGs drawn with Pillow in the
Japanese font the briefing PDF uses (kawasaki.pdf.find_font), one per KPI (its name,
status and baseline -> target), per goal (its tile colour and counts) and per page.

Drawn once per database version and kept (kawasaki.site.documents.Site), never per request.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from io import BytesIO
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from kawasaki.i18n import pick, t
from kawasaki.pdf import JAPANESE_FONTS, SYMBOL_FONTS, find_font
from kawasaki.present import (
    STATUS_STYLE,
    STATUS_SYMBOL,
    kpi_latest,
    kpi_period,
    kpi_target,
    kpi_value,
    status_label,
    text_colour_on,
)
from kawasaki.site.meta import IMAGE_SIZE
from kawasaki.site.style import CAPTION, LINK, TEXT

WIDTH, HEIGHT = IMAGE_SIZE
MARGIN = 72
BAR = 24  # the coloured band on the left
_TOKEN = re.compile(r"[A-Za-z0-9.,:;%()'\"+\-/&]+ ?| +|.", re.DOTALL)
_NO_LINE_START = set("、。，．）」』】〕・ー！？!?,.:;)%")


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    """The Japanese text font at ``size`` px."""
    return ImageFont.truetype(str(find_font(JAPANESE_FONTS).path), size)


@cache
def symbol_font(size: int) -> ImageFont.FreeTypeFont:
    """A font with the status symbols (✔ ⚠ ✖), which the Japanese font lacks."""
    return ImageFont.truetype(str(find_font(SYMBOL_FONTS).path), size)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """``text`` in lines no wider than ``width``: Japanese may break between any two
    characters (not before 、。）…), other words only at spaces; '…' ends a cut text."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if not line or face.getlength(line + token.rstrip()) <= width or token[0] in _NO_LINE_START:
            line += token
            continue
        lines.append(line.rstrip())
        line = token.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and face.getlength(last + "…") > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines


def _canvas(accent: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", IMAGE_SIZE, "#FFFFFF")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, BAR, HEIGHT), fill=accent)
    return image, draw


def _lines(
    draw: ImageDraw.ImageDraw,
    lines: Sequence[str],
    xy: tuple[int, int],
    size: int,
    fill: str = TEXT,
    *,
    bold: bool = False,
    spacing: float = 1.35,
) -> int:
    """Draw ``lines``; return the y below them."""
    x, y = xy
    for line in lines:
        draw.text((x, y), line, font=font(size), fill=fill, stroke_width=1 if bold else 0, stroke_fill=fill)
        y += int(size * spacing)
    return y


def _header_footer(draw: ImageDraw.ImageDraw, section: str, lang: str, as_of: str) -> None:
    top = t("word.bar_separator", lang).join(x for x in (t("app.title", lang), section) if x)
    _lines(draw, wrap(top, font(28), WIDTH - 2 * MARGIN, 1), (MARGIN, 52), 28, CAPTION)
    foot = f"{t('app.plan', lang)}{t('word.gap_separator', lang)}{t('app.data_as_of', lang, date=as_of)}"
    _lines(draw, wrap(foot, font(26), WIDTH - 2 * MARGIN, 1), (MARGIN, HEIGHT - 78), 26, CAPTION)


def _png(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def page_card(title: str, description: str, lang: str, as_of: str) -> bytes:
    """A page's card: its title and what it shows."""
    image, draw = _canvas(LINK)
    _header_footer(draw, "", lang, as_of)
    y = _lines(draw, wrap(title, font(68), WIDTH - 2 * MARGIN, 2), (MARGIN, 130), 68, bold=True)
    _lines(draw, wrap(description, font(34), WIDTH - 2 * MARGIN, 5), (MARGIN, y + 24), 34)
    return _png(image)


def kpi_card(k: dict[str, Any], lang: str, as_of: str) -> bytes:
    """A KPI's card: its name, its status (a symbol and words on the status colour), its
    baseline -> target and its latest value."""
    colour = STATUS_STYLE[k["status"]][0]
    image, draw = _canvas(colour)
    _header_footer(draw, t("nav.progress", lang), lang, as_of)
    y = _lines(
        draw, wrap(pick(k, "name", lang), font(54), WIDTH - 2 * MARGIN, 3), (MARGIN, 118), 54, bold=True
    )
    label = status_label(k["status"], lang, int(k["plan_term"]))
    symbol = STATUS_SYMBOL[k["status"]]
    chip_w = int(symbol_font(34).getlength(symbol + " ") + font(34).getlength(label)) + 40
    draw.rounded_rectangle((MARGIN, y + 16, MARGIN + chip_w, y + 76), radius=10, fill=colour)
    ink = text_colour_on(colour)
    draw.text((MARGIN + 20, y + 26), symbol, font=symbol_font(34), fill=ink)
    draw.text(
        (MARGIN + 20 + int(symbol_font(34).getlength(symbol + " ")), y + 26), label, font=font(34), fill=ink
    )
    baseline = (
        f"{t('word.baseline', lang)} {kpi_period(k, 'baseline', lang)} {kpi_value(k, 'baseline', lang)}"
    )
    target = f"{t('word.target', lang)} {kpi_period(k, 'target', lang)} {kpi_target(k, lang)}"
    y = _lines(draw, wrap(f"{baseline} → {target}", font(38), WIDTH - 2 * MARGIN, 2), (MARGIN, y + 104), 38)
    latest = t("word.label_value", lang, label=t("word.latest", lang), value=kpi_latest(k, lang))
    _lines(draw, wrap(latest, font(32), WIDTH - 2 * MARGIN, 1), (MARGIN, y + 8), 32)
    return _png(image)


def goal_card(g: dict[str, Any], name: str, title: str, lang: str, as_of: str) -> bytes:
    """A goal's card: its tile (number and name in the official colour) and the plan's
    KPIs, initiatives and targets linked to it."""
    colour = str(g["color_hex"])
    image, draw = _canvas(colour)
    _header_footer(draw, t("nav.explore", lang), lang, as_of)
    tile = (MARGIN, 120, MARGIN + 380, 500)
    draw.rounded_rectangle(tile, radius=16, fill=colour)
    ink = text_colour_on(colour)
    _lines(draw, [t("word.goal_n", lang, n=g["goal"])], (tile[0] + 28, tile[1] + 28), 56, ink, bold=True)
    _lines(draw, wrap(name, font(40), 380 - 56, 5), (tile[0] + 28, tile[1] + 120), 40, ink, bold=True)
    x = tile[2] + 48
    y = _lines(draw, wrap(title, font(34), WIDTH - MARGIN - x, 6), (x, 126), 34)
    counts = t(
        "site.card_counts",
        lang,
        kpis=g["kpi_count"],
        initiatives=g["initiative_count"],
        targets=g["target_count"],
    )
    _lines(draw, wrap(counts, font(36), WIDTH - MARGIN - x, 2), (x, max(y + 24, 420)), 36, LINK, bold=True)
    return _png(image)
