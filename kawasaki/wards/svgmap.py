"""The ward map as inline SVG, drawn on the server: the map a page shows first (no deck.gl
chunk to load; docs/wards.md, "How the map is drawn").

The same map as the pydeck deck (kawasaki.wards.choropleth), from the same prepared
``WardMap``: each ward a path filled by its class colour with a border (the chosen
ward outlined dark on white), the diagonal hatching of the wards without data, each ward's name as real
text over a white halo, and a ``<title>`` per ward saying what the deck's tooltip says
(``ward_fields``). The N03 polygons (lon/lat) are projected equirectangularly, the
longitude scaled by the cosine of the city's middle latitude (Kawasaki spans 0.17°), into
a ``viewBox`` that scales to the column's width. Every string is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kawasaki.figures.svg import esc
from kawasaki.i18n import pick, t
from kawasaki.wards.model import WardMap
from kawasaki.wards.polygons import bounds, hatch_lines, inside, label_point, rings
from kawasaki.wards.texts import date_text, map_label, row_value_text

WIDTH = 360.0  # viewBox units across the map; about one CSS pixel each on a 390 px phone
PAD = 14.0  # room around the city for the border and the labels near the edge
OUTLINE = "#4D4D4D"  # the wards' borders, on the deck too
LABEL = "#1A1A1A"  # on a white halo: 17:1
LABEL_SIZE = 12.0  # the names' font size, in viewBox units
LABEL_GAP = 2.0  # the least room between two names' boxes
HALO = "#FFFFFF"
HATCH = "rgba(77,77,77,.67)"  # the deck's [77, 77, 77, 170]
CSS = (
    ".kd-wm{margin:0 0 .5rem 0;padding:0;max-width:100%}"
    ".kd-wm svg{display:block;width:100%;height:auto}"
    ".kd-wm .wm-a{stroke:" + OUTLINE + ";stroke-width:1;stroke-linejoin:round}"
    # the chosen ward: a dark line on a white one, drawn over its neighbours, seen on every class colour
    ".kd-wm .wm-so,.kd-wm .wm-si{fill:none;stroke-linejoin:round;pointer-events:none}"
    ".kd-wm .wm-so{stroke:" + HALO + ";stroke-width:5}"
    ".kd-wm .wm-si{stroke:" + LABEL + ";stroke-width:2.5}"
    ".kd-wm .wm-a:hover{stroke-width:2.5}"
    ".kd-wm .wm-h{fill:none;stroke:" + HATCH + ";stroke-width:1;pointer-events:none}"
    f".kd-wm .wm-t{{font-size:{LABEL_SIZE:g}px;font-weight:600;fill:{LABEL};stroke:{HALO};"
    "stroke-width:3.5px;stroke-linejoin:round;paint-order:stroke;text-anchor:middle;"
    "dominant-baseline:central;pointer-events:none;"
    "font-family:'Source Sans','Noto Sans CJK JP','Noto Sans JP','Hiragino Sans',Meiryo,sans-serif}"
)

Point = tuple[float, float]


def ward_fields(wm: WardMap, row: Mapping[str, Any], lang: str) -> dict[str, str]:
    """What a ward's tooltip says: both names, the value as stored (or 'no data'), its date."""
    return {
        "name_ja": row["name_ja"],
        "name_en": row["name_en"],
        "value": row_value_text(wm, row, lang),
        "date": date_text(row["reference_date"], lang) if row["value"] is not None else "—",
    }


def ward_title(wm: WardMap, row: Mapping[str, Any], lang: str) -> str:
    """The deck's tooltip as three lines of text: ward, indicator and value, date."""
    f = ward_fields(wm, row, lang)
    name = f"{f['name_ja']} {f['name_en']}"
    value = t("word.label_value", lang, label=pick(wm.indicator, "name", lang), value=f["value"])
    date = t("word.label_value", lang, label=t("word.date", lang), value=f["date"])
    return "\n".join((name, value, date))


def projection(
    box: tuple[float, float, float, float], width: float = WIDTH, pad: float = PAD
) -> tuple[Callable[[float, float], Point], float]:
    """A lon/lat → x/y function fitting ``box`` into ``width`` (north up), and the height.

    >>> project, height = projection((139.0, 35.0, 140.0, 36.0), 100, 0)
    >>> project(139.0, 36.0), project(140.0, 35.0), round(height, 1)
    ((0.0, 0.0), (100.0, 122.8), 122.8)
    """
    west, south, east, north = box
    cos = math.cos(math.radians((south + north) / 2))
    scale = (width - 2 * pad) / ((east - west) * cos)

    def project(lon: float, lat: float) -> Point:
        return round(pad + (lon - west) * cos * scale, 1), round(pad + (north - lat) * scale, 1)

    return project, 2 * pad + (north - south) * scale


def label_box(text: str, x: float, y: float) -> tuple[float, float, float, float]:
    """The box a name drawn centred at (x, y) takes with its halo, as Chromium measures
    it (left, top, right, bottom): a kana or kanji is one em wide, any other character
    about 0.6 em, plus the halo and the side bearings; the CJK fonts' line is about
    1.5 em high (an estimate on the safe side for the map's sans-serif fonts).

    >>> label_box("川崎", 100, 50)
    (84.5, 38.0, 115.5, 62.0)
    """
    width = sum(LABEL_SIZE if ord(c) > 0x2FFF else 0.6 * LABEL_SIZE for c in text) + 7
    half_height = 0.75 * LABEL_SIZE + 3
    return x - width / 2, y - half_height, x + width / 2, y + half_height


def _in_ward(point: Point, polygons: Sequence[Sequence[Sequence[Point]]]) -> bool:
    return any(inside(*point, polygon) for polygon in polygons)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return (
        a[0] < b[2] + LABEL_GAP
        and b[0] < a[2] + LABEL_GAP
        and a[1] < b[3] + LABEL_GAP
        and b[1] < a[3] + LABEL_GAP
    )


def apart(labels: Sequence[tuple[str, Point, Sequence[Sequence[Sequence[Point]]]]]) -> list[Point]:
    """Where each name goes so that no two overlap: ``labels`` are (text, point, the
    ward's projected polygons). Two names whose boxes overlap move apart vertically,
    each by half the overlap, as long as both stay inside their wards (two neighbours'
    centres can be a name's height apart: 宮前区 and 高津区).

    >>> square = [[[(0.0, 0.0), (200.0, 0.0), (200.0, 200.0), (0.0, 200.0), (0.0, 0.0)]]]
    >>> apart([("宮前", (100.0, 50.0), square), ("高津", (110.0, 54.0), square)])
    [(100.0, 39.0), (110.0, 65.0)]
    """
    points = [point for _, point, _ in labels]
    for _ in range(len(points)):  # a move can make a new overlap: repeat until none
        moved = False
        for i in range(len(points)):
            for j in range(i + 1, len(points)):
                a, b = (label_box(labels[k][0], *points[k]) for k in (i, j))
                if not _overlap(a, b):
                    continue
                upper, lower = (i, j) if points[i][1] <= points[j][1] else (j, i)
                box_u, box_l = (a, b) if upper == i else (b, a)
                shift = (box_u[3] + LABEL_GAP - box_l[1]) / 2
                up = (points[upper][0], round(points[upper][1] - shift, 1))
                down = (points[lower][0], round(points[lower][1] + shift, 1))
                if _in_ward(up, labels[upper][2]) and _in_ward(down, labels[lower][2]):
                    points[upper], points[lower], moved = up, down, True
        if not moved:
            break
    return points


def _points(line: Sequence[Sequence[float]], project: Callable[[float, float], Point]) -> list[Point]:
    """A line's projected points, without repeats (vertices closer than 0.1 unit merge)."""
    out: list[Point] = []
    for lon, lat in line:
        p = project(lon, lat)
        if not out or p != out[-1]:
            out.append(p)
    return out


def _d(lines: Sequence[Sequence[Point]], close: bool) -> str:
    """An SVG path's ``d`` for projected ``lines`` (rings when ``close``)."""
    parts = []
    for pts in lines:
        if close and len(pts) > 1 and pts[0] == pts[-1]:
            pts = pts[:-1]
        coords = " ".join(f"{x:g},{y:g}" for x, y in pts)
        parts.append(f"M{coords}{'Z' if close else ''}")
    return "".join(parts)


def ward_svg(
    wm: WardMap,
    geoms: Mapping[str, Mapping[str, Any]],
    lang: str,
    summary: str,
    selected: str | None = None,
) -> str:
    """The map of the 7 wards as an escaped ``<figure>`` with its SVG (role="img", named by
    ``summary``, the map in one sentence that the page also shows) and its style, on one
    line (Streamlit draws it as Markdown's raw HTML: its ``st.html`` strips SVG)."""
    e = esc
    project, height = projection(bounds(geoms))
    areas, hatches, chosen, places = [], [], [], []
    for r in wm.rows:
        code, geometry = r["ward_code"], geoms[r["ward_code"]]
        shapes = [[_points(ring, project) for ring in polygon] for polygon in rings(geometry)]
        cls = "wm-a wm-sel" if code == selected else "wm-a"
        d = _d([ring for shape in shapes for ring in shape], True)
        areas.append(
            f'<path class="{cls}" data-ward="{e(code)}" fill="{e(r["colour"])}" '
            f'fill-rule="evenodd" d="{d}"><title>{e(ward_title(wm, r, lang))}</title></path>'
        )
        if code == selected:
            chosen.append(f'<path class="wm-so" d="{d}"/><path class="wm-si" d="{d}"/>')
        if r["value"] is None:
            hatch = _d([_points(line, project) for line in hatch_lines(geometry)], False)
            hatches.append(f'<path class="wm-h" data-ward="{e(code)}" d="{hatch}"/>')
        places.append((map_label(r, lang), project(*label_point(geometry)), shapes))
    labels = [
        f'<text class="wm-t" data-ward="{e(r["ward_code"])}" x="{x:g}" y="{y:g}">{e(text)}</text>'
        for r, (text, _, _), (x, y) in zip(wm.rows, places, apart(places), strict=True)
    ]
    label = e(summary)
    return (
        f'<style>{CSS}</style><figure class="kd-wm">'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {height:.0f}" role="img" '
        f'aria-label="{label}" lang="{e(lang)}">'
        f'<g class="wm-areas">{"".join(areas)}</g><g>{"".join(hatches)}</g><g>{"".join(chosen)}</g>'
        f'<g class="wm-names">{"".join(labels)}</g></svg></figure>'
    )
