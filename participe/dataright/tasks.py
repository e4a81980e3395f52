"""Background task of « Mes données » (django-tasks; the worker: ``make worker``, ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from participe.dataright import services


@task()
def build(export_id: str) -> str:
    """Prepare the archive of one request (``services.export_build``); returns its final status."""
    export = services.export_build(export_id)
    return export.status if export is not None else "skipped"
