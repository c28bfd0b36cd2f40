"""Checks of the ward polygons (wards/wards.geojson) before they reach the map.

The map's arithmetic (kawasaki.wards.polygons: label points, hatching, the view that
fits the city) needs each ward to be a valid polygon: rings of at least four positions,
closed, with an area, not crossing or touching themselves, every coordinate a finite
number near Kawasaki, and few enough vertices for a phone to draw. Each problem names
the feature and the ring (``features[3].geometry.coordinates[0]``) and the ward.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from kawasaki.datafiles import GEOJSON, Dataset
from kawasaki.problems import Problem

# Kawasaki's wards span 139.449-139.836 E, 35.470-35.643 N (MLIT N03-22, the shipped
# data). A ward must lie within that box widened by MARGIN degrees on every side
# (0.1° ≈ 9 km east-west, 11 km north-south at this latitude): boundary revisions and
# reclaimed land fit, a swapped latitude/longitude or another city does not.
CITY_BOX = (139.449, 35.470, 139.836, 35.643)
MARGIN = 0.1
BOX = (CITY_BOX[0] - MARGIN, CITY_BOX[1] - MARGIN, CITY_BOX[2] + MARGIN, CITY_BOX[3] + MARGIN)
# The shipped data have 591 vertices in the largest ward (Asao-ku) and 2,515 in all;
# 10× that is refused (a 400,000-vertex ward made /wards take 35 s): simplify it first
# (data/sources/scripts/build_wards.py does, to about 1:25,000).
MAX_FEATURE_VERTICES = 6_000
MAX_TOTAL_VERTICES = 25_000

Ring = list[tuple[float, float]]


def check_geometry(ds: Dataset, problems: list[Problem]) -> None:
    """Every ward polygon of the GeoJSON is valid, near Kawasaki and small enough."""
    features = (ds.geojson or {}).get("features") or []
    total = 0
    for n, feature in enumerate(features, start=1):
        code = feature["properties"]["ward_code"]
        where = f"features[{n}].geometry.coordinates"
        rings, (path, message) = _rings(feature["geometry"])
        if message:
            problems.append(Problem(GEOJSON, 0, f"{where}{path}", f"ward {code}: {message}"))
            continue
        vertices = sum(len(ring) for _, ring in rings)
        total += vertices
        if vertices > MAX_FEATURE_VERTICES:
            message = (
                f"ward {code}: has {vertices:,} vertices; the limit is {MAX_FEATURE_VERTICES:,} "
                "(simplify the polygon, see docs/data.md, wards/wards.geojson)"
            )
            problems.append(Problem(GEOJSON, 0, where, message))
            continue
        for path, ring in rings:
            message = ring_problem(ring)
            if message:
                problems.append(Problem(GEOJSON, 0, f"{where}{path}", f"ward {code}: {message}"))
    if total > MAX_TOTAL_VERTICES:
        message = f"the polygons have {total:,} vertices in all; the limit is {MAX_TOTAL_VERTICES:,}"
        problems.append(Problem(GEOJSON, 0, "features", message))


Failure = tuple[str, str | None]  # (index path, what is wrong) or ("", None)


def _rings(geometry: dict[str, Any]) -> tuple[list[tuple[str, Ring]], Failure]:
    """The rings of a Polygon or MultiPolygon with their index paths, or where and why
    they cannot be read."""
    coords = geometry["coordinates"]
    polygons = [("", coords)] if geometry["type"] == "Polygon" else list(_indexed(coords))
    out: list[tuple[str, Ring]] = []
    for prefix, polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return [], (prefix, "is not a list of rings")
        for path, ring in _indexed(polygon, prefix):
            points, failure = _positions(ring, path)
            if failure[1]:
                return [], failure
            out.append((path, points))
    return out, ("", None)


def _indexed(items: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        yield f"{prefix}[{i}]", item


def _positions(ring: Any, path: str) -> tuple[Ring, Failure]:
    """A ring's positions as (longitude, latitude), or which one is not a finite number
    near Kawasaki, and why."""
    if not isinstance(ring, list):
        return [], (path, "is not a list of positions")
    points: Ring = []
    for i, position in enumerate(ring):
        ok = isinstance(position, list) and len(position) >= 2
        x, y = (position[0], position[1]) if ok else (None, None)
        if not ok or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y)):
            return [], (f"{path}[{i}]", "is not a position [longitude, latitude]")
        if not (math.isfinite(x) and math.isfinite(y)):
            return [], (f"{path}[{i}]", f"is not a finite number ({x}, {y})")
        if not (BOX[0] <= x <= BOX[2] and BOX[1] <= y <= BOX[3]):
            return [], (
                f"{path}[{i}]",
                f"({x:.6g}, {y:.6g}) is far outside Kawasaki (allowed: longitude {BOX[0]:.3f}-{BOX[2]:.3f}, "
                f"latitude {BOX[1]:.3f}-{BOX[3]:.3f}; is it [longitude, latitude]?)",
            )
        points.append((float(x), float(y)))
    return points, ("", None)


def ring_problem(ring: Ring) -> str | None:
    """Why a closed ring is not a valid polygon ring (None: it is).

    >>> ring_problem([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]) is None
    True
    >>> ring_problem([(0, 0), (2, 2), (2, 0), (0, 1), (0, 0)])
    'the ring crosses or touches itself near (1, 0.75)'
    >>> ring_problem([(0, 0), (1, 0), (0, 0)])
    'a ring needs at least 4 positions (it has 3)'
    """
    if len(ring) < 4:
        return f"a ring needs at least 4 positions (it has {len(ring)})"
    if ring[0] != ring[-1]:
        return "the ring is not closed (its last position must equal its first)"
    points = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]  # repeated points are harmless
    if len(points) < 4 or abs(_area(points)) < 1e-12:
        return "the ring has no area (its positions lie on a line or on one point)"
    crossing = _self_intersection(points)
    if crossing:
        return f"the ring crosses or touches itself near ({crossing[0]:.6g}, {crossing[1]:.6g})"
    return None


def _area(ring: Ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def _self_intersection(ring: Ring) -> tuple[float, float] | None:
    """A point where two non-adjacent edges of the ring meet, or None.

    A sweep along x: edges sorted by their left end, each compared only with the
    edges still open there (≈ n log n for a ward boundary).
    """
    edges = [(ring[i], ring[i + 1]) for i in range(len(ring) - 1)]
    last = len(edges) - 1
    order = sorted(range(len(edges)), key=lambda i: min(edges[i][0][0], edges[i][1][0]))
    active: list[int] = []
    for i in order:
        (ax, ay), (bx, by) = edges[i]
        left = min(ax, bx)
        active = [j for j in active if max(edges[j][0][0], edges[j][1][0]) >= left]
        for j in active:
            if abs(i - j) == 1 or {i, j} == {0, last}:
                continue  # neighbours share an end
            if _meet(edges[i], edges[j]):
                (cx, cy), (dx, dy) = edges[j]
                return ((ax + bx + cx + dx) / 4, (ay + by + cy + dy) / 4)
        active.append(i)
    return None


def _orient(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> int:
    v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return (v > 0) - (v < 0)


def _on(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> bool:
    """r lies on the segment p-q (given the three are collinear)."""
    return min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) and min(p[1], q[1]) <= r[1] <= max(p[1], q[1])


def _meet(e: tuple, f: tuple) -> bool:
    """The two segments share at least one point."""
    p, q = e
    r, s = f
    o1, o2, o3, o4 = _orient(p, q, r), _orient(p, q, s), _orient(r, s, p), _orient(r, s, q)
    if o1 != o2 and o3 != o4:
        return True
    return (
        (o1 == 0 and _on(p, q, r))
        or (o2 == 0 and _on(p, q, s))
        or (o3 == 0 and _on(r, s, p))
        or (o4 == 0 and _on(r, s, q))
    )
