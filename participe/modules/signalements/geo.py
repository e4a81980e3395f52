"""Plain geometry on latitude and longitude: is a point inside a territory's GeoJSON boundary (the platform's
``participe.organisation.geography``), distances in metres, the box around a point (no PostGIS: SQLite and
PostgreSQL alike)."""

from __future__ import annotations

import math
from typing import Any

from participe.organisation import geography

EARTH_RADIUS_M = 6_371_000.0


def contains(geojson: Any, lat: float, lon: float) -> bool:
    """True when the point is inside the (Multi)Polygon, Feature or FeatureCollection ``geojson`` (the platform's
    geometry: ``participe.organisation.geography``)."""
    return geography.contains(geojson, lat, lon)


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
