"""The theme of each contribution of a synthesis, as CSV (for the agents: the back-office's export)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from participe.synthesis.models import Entry, Synthesis

COLUMNS = ("contribution", "nature", "lien", "theme_id", "theme", "citation", "ecartee", "territoire", "position")


def assignments_csv(synthesis: Synthesis, *, base_url: str = "") -> Iterator[str]:
    """One line per contribution: its reference, its kind, its link, its theme (id and label, empty when none),
    whether it is quoted, whether it was set aside, its territory and stance."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield "\ufeff" + buffer.getvalue()  # a BOM: spreadsheets then read UTF-8
    rows = (
        Entry.objects.filter(synthesis=synthesis)
        .select_related("theme")
        .order_by("pk")
        .only(
            "reference", "kind", "url", "theme__label", "theme_id", "is_quote", "discarded", "territory_name", "stance"
        )
    )
    for entry in rows.iterator(chunk_size=2000):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            (
                entry.reference,
                entry.kind,
                f"{base_url}{entry.url}" if entry.url.startswith("/") else entry.url,
                entry.theme_id or "",
                entry.theme.label if entry.theme else "",
                "oui" if entry.is_quote else "",
                "oui" if entry.discarded else "",
                entry.territory_name,
                entry.stance,
            )
        )
        yield buffer.getvalue()
