"""The files the person attached, for « Mes données » (decision 0035): their description, not their bytes (the
item's page serves them)."""

from __future__ import annotations

from typing import Any

from participe.attachments.models import Attachment
from participe.core.personal_data import Tables, rows


def personal_data(user: Any) -> Tables:
    files = Attachment.objects.filter(uploaded_by=user).select_related("content_type").order_by("created_at", "pk")
    return {
        "fichiers_joints": rows(
            files, ("created_at", "content_type", "object_id", "kind", "title", "original_name", "mime_type", "size")
        )
    }
