"""Background task of the bilans (django-tasks; the worker: ``make worker``, ``manage.py db_worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from participe.restitution.documents import builds


@task()
def build_document(space_id: int, kind: str, fingerprint: str, reader: dict[str, Any]) -> str:
    """Build the bilan's PDF or DOCX as ``reader`` would be shown it and keep it (``documents.builds.build``)."""
    return builds.build(space_id, kind, fingerprint, builds.Reader(**reader))
