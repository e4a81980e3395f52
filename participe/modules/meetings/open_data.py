"""The manifest's open-data export: the meetings announced in a public space (CSV, JSON, GeoJSON), without personal
data — no registration, no answer, no online link (shown to registered people only), no draft.

Served by the platform's open-data catalogue (``/donnees-ouvertes/``), which lists only the modules a visitor may see.
"""

from __future__ import annotations

from collections.abc import Iterator

from participe.core.streaming import csv_chunks, feature_collection, json_array
from participe.modules.meetings.models import Meeting
from participe.spaces.models import Module

FIELDS = (
    "id",
    "titre",
    "type",
    "format",
    "statut",
    "debut",
    "fin",
    "lieu",
    "adresse",
    "territoire",
    "theme",
    "latitude",
    "longitude",
    "accessible_pmr",
    "boucle_magnetique",
    "garde_enfants",
    "inscription",
    "places",
    "places_prises",
    "participants",
    "compte_rendu_publie_le",
    "url",
)


def _rows(module: Module) -> Iterator[list[object]]:
    kinds, formats, statuses = dict(Meeting.Kind.choices), dict(Meeting.Format.choices), dict(Meeting.Status.choices)
    meetings = (
        Meeting.objects.filter(module=module, status__in=(Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED))
        .select_related("module__space", "territory", "theme")
        .order_by("start", "pk")
    )
    for m in meetings.iterator(2000):
        yield [
            m.pk,
            m.title,
            str(kinds.get(m.kind, m.kind)),
            str(formats.get(m.format, m.format)),
            str(statuses.get(m.status, m.status)),
            m.start.isoformat(),
            m.end.isoformat(),
            m.place_name,
            m.address,
            m.territory.name if m.territory else "",
            m.theme.name if m.theme else "",
            "" if m.latitude is None else round(m.latitude, 6),
            "" if m.longitude is None else round(m.longitude, 6),
            m.step_free_access,
            m.hearing_loop,
            m.childcare,
            m.registration_enabled,
            "" if m.capacity is None else m.capacity,
            m.seats_taken if m.registration_enabled else "",
            "" if m.attendees_count is None else m.attendees_count,
            m.minutes_published_at.isoformat() if m.minutes_published_at else "",
            m.get_absolute_url(),
        ]


def _features(module: Module) -> Iterator[dict[str, object]]:
    for row in _rows(module):
        properties = dict(zip(FIELDS, row, strict=True))
        lat, lon = properties["latitude"], properties["longitude"]
        geometry = None if lat == "" or lon == "" else {"type": "Point", "coordinates": [lon, lat]}
        yield {"type": "Feature", "geometry": geometry, "properties": properties}


def stream(module: Module, fmt: str) -> Iterator[str]:
    """Every meeting of ``module`` announced to the public (published or cancelled), in ``fmt``."""
    if fmt == "geojson":
        return feature_collection(_features(module))
    if fmt == "json":
        return json_array(dict(zip(FIELDS, row, strict=True)) for row in _rows(module))
    return csv_chunks(FIELDS, _rows(module))
