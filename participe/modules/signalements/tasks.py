"""Background tasks of the signalements (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from participe.modules.signalements.digest import send_digest


@task()
def send_digest_task() -> int:
    return send_digest()
