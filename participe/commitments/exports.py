"""The open-data export of the commitments: every published commitment of the public démarches, without personal
data (no author of a step), as CSV (UTF-8 with BOM, comma) or JSON, streamed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from participe.commitments import selectors
from participe.commitments.models import Commitment

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
COLUMNS = (
    "id",
    "reference",
    "titre",
    "demarche",
    "statut",
    "avancement",
    "date_prevue",
    "realise_le",
    "en_retard",
    "budget",
    "service",
    "territoire",
    "nombre_etapes",
    "derniere_etape",
    "motif_abandon",
    "url",
)


def rows() -> Iterator[dict[str, Any]]:
    qs = selectors.for_list(selectors._public(Commitment.objects.all())).order_by("pk")
    for c in qs.iterator(chunk_size=500):
        yield {
            "id": c.pk,
            "reference": c.reference,
            "titre": c.title,
            "demarche": c.space.title,
            "statut": c.status,
            "avancement": c.progress,
            "date_prevue": c.planned_date.isoformat() if c.planned_date else "",
            "realise_le": c.done_on.isoformat() if c.done_on else "",
            "en_retard": c.is_overdue,
            "budget": str(c.budget) if c.budget is not None else "",
            "service": c.service.name if c.service else "",
            "territoire": c.territory.name if c.territory else "",
            "nombre_etapes": c.updates_count,
            "derniere_etape": c.last_update_on.isoformat() if c.last_update_on else "",
            "motif_abandon": c.status_reason,
            "url": c.get_absolute_url(),
        }


def stream(fmt: str) -> Iterator[str]:
    if fmt == "json":
        yield "["
        for i, row in enumerate(rows()):
            yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
        yield "]"
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    yield "\ufeff" + buffer.getvalue()
    for row in rows():
        buffer.seek(0)
        buffer.truncate()
        writer.writerow({**row, "en_retard": "oui" if row["en_retard"] else "non"})
        yield buffer.getvalue()
