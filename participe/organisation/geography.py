"""The organisation's territory on a map: where every map opens, and whether a point lies inside it (decision 0022).

Territories carry optional GeoJSON boundaries (Polygon, MultiPolygon, Feature, FeatureCollection). Their union is
the organisation's area. Plain Python (ray casting): a town's few boundaries need no GIS library.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from participe.core import pagecache
from participe.organisation.models import Organisation, Territory

Ring = list[tuple[float, float]]  # (longitude, latitude), as GeoJSON writes them
Polygon = list[Ring]  # the outer ring, then its holes
FRANCE = (46.6, 2.4, 5)


def polygons_of(geojson: Any) -> list[Polygon]:
    """Every polygon of a GeoJSON boundary; anything unreadable is skipped (boundaries are validated on input)."""
    if not isinstance(geojson, dict):
        return []
    kind = geojson.get("type")
    if kind == "FeatureCollection":
        return [polygon for feature in geojson.get("features") or [] for polygon in polygons_of(feature)]
    if kind == "Feature":
        return polygons_of(geojson.get("geometry"))
    coordinates = geojson.get("coordinates") or []
    try:
        if kind == "Polygon":
            return [_polygon(coordinates)]
        if kind == "MultiPolygon":
            return [_polygon(polygon) for polygon in coordinates]
    except (TypeError, ValueError, IndexError):
        return []
    return []


def _polygon(rings: Any) -> Polygon:
    return [[(float(point[0]), float(point[1])) for point in ring] for ring in rings]


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _in_polygon(lon: float, lat: float, polygon: Polygon) -> bool:
    if not polygon:
        return False
    outer, *holes = polygon
    return _in_ring(lon, lat, outer) and not any(_in_ring(lon, lat, hole) for hole in holes)


def contains(geojson: Any, latitude: float | Decimal, longitude: float | Decimal) -> bool:
    """Whether the point lies inside a GeoJSON boundary ((Multi)Polygon, Feature or FeatureCollection)."""
    lat, lon = float(latitude), float(longitude)
    return any(_in_polygon(lon, lat, polygon) for polygon in polygons_of(geojson))


@dataclass(frozen=True)
class Area:
    """The union of the territories' boundaries."""

    polygons: list[Polygon]

    @property
    def is_known(self) -> bool:
        return bool(self.polygons)

    def contains(self, latitude: float | Decimal, longitude: float | Decimal) -> bool:
        lat, lon = float(latitude), float(longitude)
        return any(_in_polygon(lon, lat, polygon) for polygon in self.polygons)

    def bounds(self) -> tuple[float, float, float, float] | None:
        """(south, west, north, east), or None when no territory has a boundary."""
        points = [point for polygon in self.polygons for point in polygon[0]]
        if not points:
            return None
        longitudes, latitudes = [p[0] for p in points], [p[1] for p in points]
        return min(latitudes), min(longitudes), max(latitudes), max(longitudes)


def organisation_area() -> Area:
    """The union of every territory's boundary (one query)."""
    boundaries = Territory.objects.exclude(boundary=None).values_list("boundary", flat=True)
    return Area([polygon for boundary in boundaries for polygon in polygons_of(boundary)])


def map_view(area: Area | None = None) -> dict[str, Any]:
    """Where a map opens: on the territories' boundaries when there are some (``bounds``), else on the centre and
    zoom the administrator set, else on ``PARTICIPE_MAP_CENTER``/``PARTICIPE_MAP_ZOOM``, else on France."""
    area = organisation_area() if area is None else area
    bounds = area.bounds()
    organisation = Organisation.get()
    if organisation.map_latitude is not None and organisation.map_longitude is not None:
        lat, lon, zoom = (
            float(organisation.map_latitude),
            float(organisation.map_longitude),
            organisation.map_zoom or 13,
        )
    elif center := getattr(settings, "PARTICIPE_MAP_CENTER", None):
        lat, lon = center
        zoom = getattr(settings, "PARTICIPE_MAP_ZOOM", 13)
    elif bounds is not None:
        lat, lon, zoom = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 13
    else:
        lat, lon, zoom = FRANCE
    return {"lat": lat, "lon": lon, "zoom": zoom, "bounds": list(bounds) if bounds else None}


def map_config() -> dict[str, Any]:
    """What every map of the platform needs: the tiles and their attribution (settings, Plan IGN by default) and
    where it opens (``map_view``). Built once per process for the site's token (``pagecache.site_value``): the union
    of every territory's boundary is not read again for each page with a map (issue #12); a territory or the
    organisation saved renews the site's token (their services audit the act)."""
    return dict(pagecache.site_value("map_config", _map_config))


def _map_config() -> dict[str, Any]:
    return {"tiles": settings.PARTICIPE_MAP_TILES_URL, "attribution": settings.PARTICIPE_MAP_ATTRIBUTION, **map_view()}
