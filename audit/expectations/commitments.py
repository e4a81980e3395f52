"""The authorization matrix over the commitments: the public follow-up, a démarche's list, a commitment's page and
the open-data export are open to everyone (the demo's are published); the back-office is for the staff: the
commitment filled in is the place du Marché's « MARCHE-03 », carried by the agent's service (Démocratie
participative), in a space the agent does not administer: the agent adds its steps but neither changes nor deletes
it; the moderator (of another space) does not see it; the organisation admin does everything."""

from __future__ import annotations

from typing import Any

from audit.expectations import row

REFERENCE = "MARCHE-03"


def _commitment() -> dict[str, Any] | None:
    from participe.commitments.models import Commitment

    found = Commitment.objects.filter(reference=REFERENCE).first()
    return None if found is None else {"pk": found.pk}


def _update() -> dict[str, Any] | None:
    from participe.commitments.models import CommitmentUpdate

    found = CommitmentUpdate.objects.filter(commitment__reference=REFERENCE).order_by("pk").first()
    return None if found is None else {"pk": found.pk}


def _source() -> dict[str, Any] | None:
    from participe.commitments.models import CommitmentSource

    found = CommitmentSource.objects.filter(commitment__reference=REFERENCE).order_by("pk").first()
    found = found or CommitmentSource.objects.order_by("pk").first()
    return None if found is None else {"pk": found.commitment_id, "source_pk": found.pk}


def _api_commitment() -> dict[str, Any] | None:
    found = _commitment()
    return None if found is None else {"commitment_id": found["pk"]}


PARAMS = {
    "commitments:space": lambda: {"slug": "place-du-marche"},
    "commitments:export": lambda: {"fmt": "csv"},
    "commitments:detail": _commitment,
    "commitments_backoffice:detail": _commitment,
    "commitments_backoffice:edit": _commitment,
    "commitments_backoffice:update_add": _commitment,
    "commitments_backoffice:delete": _commitment,
    "commitments_backoffice:source_add": _commitment,
    "commitments_backoffice:source_remove": _source,
    "commitments_backoffice:update_delete": _update,
    "api:commitment_detail": _api_commitment,
    "api:commitment_update_add": _api_commitment,
    "api:commitment_set_status": _api_commitment,
}

EVERYONE = {"*": {"ok"}}
EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "commitments:follow_up": EVERYONE,
    "commitments:export": EVERYONE,
    "commitments:space": EVERYONE,
    "commitments:detail": EVERYONE,
    "commitments_backoffice:index": row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "commitments_backoffice:create": row("login", "forbidden", "forbidden", "redirect", "redirect", "redirect"),
    "commitments_backoffice:import": row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "commitments_backoffice:detail": row("login", "forbidden", "forbidden", "notfound", "ok", "ok"),
    "commitments_backoffice:edit": row("login", "forbidden", "forbidden", "notfound", "forbidden", "ok"),
    "commitments_backoffice:delete": row("login", "forbidden", "forbidden", "notfound", "forbidden", "ok"),
    "commitments_backoffice:update_add": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "commitments_backoffice:source_add": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "commitments_backoffice:source_remove": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "commitments_backoffice:update_delete": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "api:commitment_list": EVERYONE,
    "api:commitment_detail": EVERYONE,
    "api:commitment_create": EVERYONE,  # its GET is the list
    "api:commitment_update_add": {"*": {"method"}},
    "api:commitment_set_status": {"*": {"method"}},
}
