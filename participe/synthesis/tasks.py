"""Background task of the syntheses (django-tasks): finding the themes of a synthesis, which may take minutes."""

from __future__ import annotations

from django_tasks import task

from participe.synthesis import services


@task()
def compute(synthesis_id: int) -> str:
    """Compute the themes of a synthesis (``services.synthesis_compute``). Returns its final status."""
    synthesis = services.synthesis_compute(synthesis_id)
    return synthesis.status if synthesis is not None else "missing"
