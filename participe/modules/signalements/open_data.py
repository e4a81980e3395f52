"""The open-data export of the public reports (CSV and GeoJSON): no personal data, nothing private."""

from __future__ import annotations

from collections.abc import Iterator

from participe.core.streaming import csv_chunks, feature_collection
from participe.modules.signalements.models import Report, Status
from participe.spaces.models import Module

FIELDS = (
    "id",
    "categorie",
    "etat",
    "latitude",
    "longitude",
    "territoire",
    "cree_le",
    "pris_en_compte_le",
    "resolu_le",
    "soutiens",
)


def _rows(module: Module) -> Iterator[list[object]]:
    labels = dict(Status.choices)
    qs = (
        Report.objects.filter(
            module=module, confirmed_at__isnull=False, category__is_private=False, moderation_status="published"
        )
        .order_by("pk")
        .values_list(
            "pk",
            "category__name",
            "status",
            "lat",
            "lon",
            "territory__name",
            "created_at",
            "acknowledged_at",
            "resolved_at",
            "supports_count",
        )
    )
    for pk, category, status, lat, lon, territory, created, acknowledged, resolved, supports in qs.iterator(2000):
        yield [
            pk,
            category,
            str(labels.get(status, status)),
            round(lat, 6),
            round(lon, 6),
            territory or "",
            created.isoformat(),
            acknowledged.isoformat() if acknowledged else "",
            resolved.isoformat() if resolved else "",
            supports,
        ]


def _features(module: Module) -> Iterator[dict[str, object]]:
    for row in _rows(module):
        properties = dict(zip(FIELDS, row, strict=True))
        yield {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row[4], row[3]]},
            "properties": properties,
        }


def stream(module: Module, fmt: str) -> Iterator[str]:
    if fmt == "geojson":
        return feature_collection(_features(module))
    return csv_chunks(FIELDS, _rows(module))
