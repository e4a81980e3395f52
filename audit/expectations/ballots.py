"""The authorization matrix (``python -m audit --only authz``) over the ballot service: the demo's votation of the
place du Marché (its vote open; its polling station run by the agent and the organisation admin; neither the agent
nor the moderator administers that space). See docs/benchmarks.md, "Sweeps", and participe/ballots/rules.py.
"""

from __future__ import annotations

from typing import Any

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _election() -> Any:
    from participe.ballots.models import Election

    return Election.objects.filter(module__space__slug="place-du-marche").order_by("pk").first()


def _pk() -> dict[str, Any] | None:
    election = _election()
    return None if election is None else {"pk": election.pk}


def _station() -> dict[str, Any] | None:
    from participe.ballots.models import PollingStation

    election = _election()
    station = PollingStation.objects.filter(module_id=getattr(election, "module_id", None)).order_by("pk").first()
    return None if station is None else {"pk": election.pk, "station_pk": station.pk}


def _api(**extra: Any) -> dict[str, Any] | None:
    election = _election()
    return None if election is None else {"election_id": election.pk, **extra}


PARAMS = {
    "ballots:receipt": _pk,
    "ballots:tally": _pk,
    "ballots_backoffice:election": _pk,
    "ballots_backoffice:close": _pk,
    "ballots_backoffice:count": _pk,
    "ballots_backoffice:annul": _pk,
    "ballots_backoffice:station_create": _pk,
    "ballots_backoffice:station_edit": _station,
    "ballots_backoffice:station": _station,
    "ballots_backoffice:batches": _station,
    "api:election_detail": _api,
    "api:ballot_cast": _api,
    "api:receipt_check": lambda: _api(code="0000-0000-0000"),
    "api:election_results": _api,
    "api:election_tally": _api,
}


def _row(*outcomes: str) -> dict[str, set[str]]:
    return {role: {outcome} for role, outcome in zip(ROLES, outcomes, strict=True)}


MANAGE = _row("login", "forbidden", "forbidden", "notfound", "forbidden", "ok")
STATION = _row("login", "forbidden", "forbidden", "notfound", "ok", "ok")

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "ballots:receipt": {"*": {"ok"}},
    "ballots:tally": {"*": {"notfound"}},  # not counted yet
    "ballots_backoffice:index": _row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "ballots_backoffice:election": STATION,
    "ballots_backoffice:close": MANAGE,
    "ballots_backoffice:count": MANAGE,
    "ballots_backoffice:annul": MANAGE,
    "ballots_backoffice:station_create": MANAGE,
    "ballots_backoffice:station_edit": MANAGE,
    "ballots_backoffice:station": STATION,
    "ballots_backoffice:batches": STATION,
    "api:election_list": {"*": {"ok"}},
    "api:election_detail": {"*": {"ok"}},
    "api:ballot_cast": {"*": {"method"}},
    "api:receipt_check": {"*": {"409"}},  # receipts are checked after the count
    "api:election_results": {"*": {"409"}},
    "api:election_tally": {"*": {"notfound"}},
}
