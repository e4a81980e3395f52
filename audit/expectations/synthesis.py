"""The authorization matrix over the syntheses: the place du Marché's published synthesis, its démarche's list and
its imported contributions are open to everyone; the back-office is for the staff: the synthesis filled in is the
place du Marché's, which neither the agent (administrator of the budget space) nor the moderator (of another space)
runs, so they get 404 on its pages; the organisation admin does everything. "method": the URL only takes POST."""

from __future__ import annotations

from typing import Any

from audit.expectations import row

SPACE = "place-du-marche"


def _synthesis() -> dict[str, Any] | None:
    from participe.synthesis.models import Synthesis

    found = Synthesis.objects.filter(space__slug=SPACE).order_by("pk").first()
    return None if found is None else {"pk": found.pk}


def _theme() -> dict[str, Any] | None:
    from participe.synthesis.models import Theme

    found = Theme.objects.filter(synthesis__space__slug=SPACE).order_by("pk").first()
    return None if found is None else {"pk": found.pk}


def _entry() -> dict[str, Any] | None:
    from participe.synthesis.models import Entry

    found = Entry.objects.filter(synthesis__space__slug=SPACE).order_by("pk").first()
    return None if found is None else {"pk": found.pk}


def _imported() -> dict[str, Any] | None:
    from participe.synthesis.models import ImportedContribution

    found = ImportedContribution.objects.filter(space__slug=SPACE).order_by("pk").first()
    return None if found is None else {"pk": found.pk}


PARAMS = {
    "synthesis:detail": _synthesis,
    "synthesis:space": lambda: {"slug": SPACE},
    "synthesis:imported": _imported,
    "synthesis_backoffice:import": lambda: {"slug": SPACE},
    "synthesis_backoffice:detail": _synthesis,
    "synthesis_backoffice:text": _synthesis,
    "synthesis_backoffice:publish": _synthesis,
    "synthesis_backoffice:unpublish": _synthesis,
    "synthesis_backoffice:delete": _synthesis,
    "synthesis_backoffice:merge": _synthesis,
    "synthesis_backoffice:unthemed": _synthesis,
    "synthesis_backoffice:export": _synthesis,
    "synthesis_backoffice:theme": _theme,
    "synthesis_backoffice:rename": _theme,
    "synthesis_backoffice:split": _theme,
    "synthesis_backoffice:entry": _entry,
    "api:synthesis_detail": lambda: (lambda found: None if found is None else {"synthesis_id": found["pk"]})(
        _synthesis()
    ),
}

EVERYONE = {"*": {"ok"}}
POST_ONLY = row("login", "forbidden", "forbidden", "method", "method", "method")
ADMIN_ONLY = row("login", "forbidden", "forbidden", "notfound", "notfound", "ok")
EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "synthesis:detail": EVERYONE,
    "synthesis:space": EVERYONE,
    "synthesis:imported": EVERYONE,
    "synthesis_backoffice:index": row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "synthesis_backoffice:start": row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "synthesis_backoffice:import": ADMIN_ONLY,
    "synthesis_backoffice:detail": ADMIN_ONLY,
    "synthesis_backoffice:text": ADMIN_ONLY,
    "synthesis_backoffice:delete": ADMIN_ONLY,
    "synthesis_backoffice:unthemed": ADMIN_ONLY,
    "synthesis_backoffice:export": ADMIN_ONLY,
    "synthesis_backoffice:theme": ADMIN_ONLY,
    "synthesis_backoffice:publish": POST_ONLY,
    "synthesis_backoffice:unpublish": POST_ONLY,
    "synthesis_backoffice:merge": POST_ONLY,
    "synthesis_backoffice:rename": POST_ONLY,
    "synthesis_backoffice:split": POST_ONLY,
    "synthesis_backoffice:entry": POST_ONLY,
    "api:synthesis_list": EVERYONE,
    "api:synthesis_detail": EVERYONE,
}
