"""Background tasks of the surveys module (django-tasks): the exports of responses."""

from __future__ import annotations

from django_tasks import task

from participe.modules.surveys.services import exports


@task()
def run_export(job_id: int) -> str:
    """Write the file of an export (``ExportJob``); its progress is saved as it goes. Returns its final status."""
    job = exports.export_run(job_id)
    return job.status if job is not None else "missing"
