"""Plain geometry on latitude and longitude: is a point inside a territory's GeoJSON boundary, distances in metres,
the box around a point (no PostGIS: SQLite and PostgreSQL alike)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

EARTH_RADIUS_M = 6_371_000.0

Ring = Sequence[Sequence[float]]


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Ray casting: a horizontal ray from the point crosses the ring an odd number of times when inside."""
    inside = False
    count = len(ring)
    j = count - 1
    for i in range(count):
        xi, yi = float(ring[i][0]), float(ring[i][1])
        xj, yj = float(ring[j][0]), float(ring[j][1])
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / ((yj - yi) or 1e-300) + xi:
            inside = not inside
        j = i
    return inside


def _in_polygon(lon: float, lat: float, rings: Sequence[Ring]) -> bool:
    if not rings or not _in_ring(lon, lat, rings[0]):
        return False
    return not any(_in_ring(lon, lat, hole) for hole in rings[1:])


def _polygons(geojson: Any) -> Iterable[Sequence[Ring]]:
    if not isinstance(geojson, dict):
        return
    kind = geojson.get("type")
    if kind == "FeatureCollection":
        for feature in geojson.get("features") or []:
            yield from _polygons(feature)
    elif kind == "Feature":
        yield from _polygons(geojson.get("geometry"))
    elif kind == "Polygon":
        yield geojson.get("coordinates") or []
    elif kind == "MultiPolygon":
        yield from geojson.get("coordinates") or []


def contains(geojson: Any, lat: float, lon: float) -> bool:
    """True when the point is inside the (Multi)Polygon, Feature or FeatureCollection ``geojson``."""
    return any(_in_polygon(lon, lat, rings) for rings in _polygons(geojson))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(south, west, north, east) of the square holding the circle of ``radius_m`` around the point."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


def square(lat: float, lon: float, half_side_deg: float) -> dict[str, Any]:
    """A square GeoJSON polygon around a point (demo and tests)."""
    s, w, n, e = lat - half_side_deg, lon - half_side_deg, lat + half_side_deg, lon + half_side_deg
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}
