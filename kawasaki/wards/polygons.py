"""Plane geometry on the ward polygons (GeoJSON Polygon or MultiPolygon, WGS84
degrees): their rings, a point inside each ward for its name label, the diagonal
hatching clipped to a ward that marks "no data", the bounding box of all wards and the
pydeck view that fits it into a phone's width. Pure arithmetic on coordinate lists, with
no data access and no text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pydeck as pdk

HATCH_SPACING = 0.01  # degrees between the hatch lines of a ward without data (about 9 px on the map)
TILE = 512  # deck.gl's MapView: the world is 512 px wide at zoom 0


def rings(geometry: Mapping[str, Any]) -> list[list[list[list[float]]]]:
    """The polygons of a Polygon or MultiPolygon, each a list of rings (outer first)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def _ring_area(ring: Sequence[Sequence[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def inside(x: float, y: float, polygon: Sequence[Sequence[Sequence[float]]]) -> bool:
    """Whether (x, y) lies inside ``polygon`` (its outer ring and holes), by ray crossings."""
    crossings = 0
    for ring in polygon:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


def label_point(geometry: Mapping[str, Any]) -> tuple[float, float]:
    """A point inside the ward's largest part, for its name label.

    The centroid of the largest polygon when it lies inside; otherwise the middle of
    the widest stretch of the polygon along the centroid's latitude.
    """
    polygon = max(rings(geometry), key=lambda p: abs(_ring_area(p[0])))
    ring = polygon[0]
    area = _ring_area(ring)
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
    x, y = cx / (6 * area), cy / (6 * area)
    if not inside(x, y, polygon):
        xs = sorted(
            x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            for r in polygon
            for (x1, y1), (x2, y2) in zip(r, r[1:], strict=False)
            if (y1 > y) != (y2 > y)
        )
        a, b = max(zip(xs[::2], xs[1::2], strict=False), key=lambda s: s[1] - s[0])
        x = (a + b) / 2
    return round(x, 5), round(y, 5)


def hatch_lines(geometry: Mapping[str, Any], spacing: float = HATCH_SPACING) -> list[list[list[float]]]:
    """Diagonal hatching clipped to a (Multi)Polygon, as line segments: the map's mark for "no data".

    >>> square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    >>> hatch_lines(square, 0.5)
    [[[0.0, 0.5], [0.5, 1.0]], [[0.0, 0.0], [1.0, 1.0]], [[0.5, 0.0], [1.0, 0.5]]]
    """
    all_rings = [ring for polygon in rings(geometry) for ring in polygon]
    diagonals = [x - y for ring in all_rings for x, y in ring]
    segments = []
    step = math.floor(min(diagonals) / spacing) + 1
    while step * spacing < max(diagonals):
        c = step * spacing
        crossings = []
        for ring in all_rings:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                f1, f2 = x1 - y1 - c, x2 - y2 - c
                if (f1 > 0) != (f2 > 0):
                    k = f1 / (f1 - f2)
                    crossings.append((round(x1 + k * (x2 - x1), 5), round(y1 + k * (y2 - y1), 5)))
        crossings.sort()
        segments += [[list(a), list(b)] for a, b in zip(crossings[::2], crossings[1::2], strict=False)]
        step += 1
    return segments


def bounds(geoms: Mapping[str, Mapping[str, Any]]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of all the polygons."""
    xs, ys = [], []
    for geometry in geoms.values():
        for polygon in rings(geometry):
            for ring in polygon:
                xs += [p[0] for p in ring]
                ys += [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def fit_view(box: tuple[float, float, float, float], width: int = 340, height: int = 400) -> pdk.ViewState:
    """A view centred on ``box`` at the zoom that fits it into ``width`` × ``height`` pixels.

    The default fits a phone's width; wider screens show the whole city with room around it.

    >>> fit_view((139.44928, 35.4698, 139.83582, 35.64267)).zoom
    9.27
    """
    west, south, east, north = box

    def merc_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(width * 360 / (TILE * (east - west)))
    zoom_y = math.log2(height * 2 * math.pi / (TILE * (merc_y(north) - merc_y(south))))
    centre_y = math.degrees(2 * math.atan(math.exp((merc_y(north) + merc_y(south)) / 2)) - math.pi / 2)
    return pdk.ViewState(
        longitude=round((west + east) / 2, 5),
        latitude=round(centre_y, 5),
        zoom=round(min(zoom_x, zoom_y), 2),
        min_zoom=8,
        max_zoom=15,
    )
