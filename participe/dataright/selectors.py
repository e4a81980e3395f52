"""Reads of « Mes données »."""

from __future__ import annotations

from typing import Any

from participe.dataright.models import DataExport


def latest_export(user: Any) -> DataExport | None:
    """The person's latest request, whatever its state (the page shows its progress, its link or its failure)."""
    return DataExport.objects.filter(user=user).order_by("-created_at").first()
