"""The authorization matrix (``python -m audit --only authz``) over routing to services: the queue (agents and the
organisation admin; the moderator of the demo is in no service) and the deletion of a note (POST only: the
audit's fixtures write a note on camille's proposal of the budget space). See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

from typing import Any

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _note() -> dict[str, Any] | None:
    from participe.assignments.models import Note

    found = Note.objects.filter(module__space__slug="budget-participatif-2027").order_by("pk").first()
    return None if found is None else {"pk": found.pk}


def _row(*outcomes: str) -> dict[str, set[str]]:
    return {r: {o} for r, o in zip(ROLES, outcomes, strict=True)}


PARAMS = {"assignments_backoffice:note_delete": _note}

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "assignments_backoffice:queue": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "assignments_backoffice:note_delete": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "api:assignment_queue": _row("401", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "api:assignment_services": _row("401", "forbidden", "forbidden", "forbidden", "ok", "ok"),
}
