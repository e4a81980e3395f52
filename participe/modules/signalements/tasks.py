"""Background tasks of the signalements (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from participe.modules.signalements import forwarding
from participe.modules.signalements.digest import send_digest


@task()
def send_digest_task() -> int:
    return send_digest()


@task()
def forward_report_task(forward_id: int) -> str:
    """Post one report to its category's Open311 endpoint (retries: ``open311_sweep_task``)."""
    forward = forwarding.forward_send(forward_id)
    return forward.state if forward is not None else "skipped"


@task()
def open311_sweep_task() -> dict[str, int]:
    """The forwards whose retry is due, then the endpoints' answers pulled back."""
    return forwarding.sweep()
