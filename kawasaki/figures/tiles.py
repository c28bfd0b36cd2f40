"""HTML fragments in the goals' official colours: the grid of 17 goal tiles (links) and
one goal's heading band. Every string is escaped; text colour is chosen for contrast.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd

from kawasaki.i18n import pick, t
from kawasaki.present import text_colour_on


def sdg_tiles_html(goals: pd.DataFrame, lang: str, href: Callable[[int], str]) -> str:
    """A grid of the 17 goals as links, in their official colours, every string escaped.

    Text colour is chosen per tile for contrast (WCAG); counts come from the data.
    """
    tiles = []
    for g in goals.to_dict("records"):
        colour = g["color_hex"]
        label = html.escape(pick(g, "name", lang))
        counts = html.escape(
            t(
                "home.tile_counts",
                lang,
                kpis=g["kpi_count"],
                initiatives=g["initiative_count"],
            )
        )
        number = html.escape(t("word.goal_n", lang, n=g["goal"]))
        tiles.append(
            f'<a class="sdg-tile" href="{html.escape(href(int(g["goal"])), quote=True)}" target="_self" '
            f'style="background:{colour};color:{text_colour_on(colour)} !important">'
            f'<span class="sdg-num">{number}</span><span class="sdg-name">{label}</span>'
            f'<span class="sdg-count">{counts}</span></a>'
        )
    style = (
        "<style>.sdg-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px}"
        ".sdg-tile{display:flex;flex-direction:column;gap:2px;padding:10px 12px;border-radius:6px;"
        "text-decoration:none !important;min-height:92px;line-height:1.35}"
        ".sdg-tile span{color:inherit !important}"
        ".sdg-tile:focus-visible{outline:3px solid #1A1A1A;outline-offset:2px}"
        ".sdg-tile:hover{filter:brightness(0.95)}.sdg-num{font-weight:700;font-size:0.95rem}"
        ".sdg-name{font-size:0.92rem}.sdg-count{font-size:0.82rem;margin-top:auto}</style>"
    )
    return style + '<nav class="sdg-grid" aria-label="SDGs">' + "".join(tiles) + "</nav>"


def goal_banner_html(goal: int, name: str, title: str, colour: str, lang: str) -> str:
    """A heading band for one goal in its official colour (text escaped, contrast checked)."""
    number = html.escape(t("word.goal_n", lang, n=goal))
    return (
        f'<div role="heading" aria-level="2" style="background:{colour};color:{text_colour_on(colour)};'
        'padding:12px 16px;border-radius:6px;margin:4px 0 8px 0">'
        f'<div style="font-weight:700;font-size:1.25rem">{number} {html.escape(name)}</div>'
        f'<div style="font-size:0.95rem;margin-top:4px">{html.escape(title)}</div></div>'
    )
