"""The authorization matrix (``python -m audit --only authz``) over the budgets module: the demo's « Budget
participatif 2027 », its vote closed, counted and published. The agent administers that space (the demo makes them
its administrator), as does the organisation admin. See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

from typing import Any

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _module() -> Any:
    from participe.spaces.models import Module

    return (
        Module.objects.select_related("space")
        .filter(space__slug="budget-participatif-2027", module_type="budgets")
        .first()
    )


def _page(**extra: Any) -> dict[str, Any] | None:
    module = _module()
    return None if module is None else {"slug": module.space.slug, "module_slug": module.slug, **extra}


def _envelope_page() -> dict[str, Any] | None:
    from participe.modules.budgets.models import Envelope

    envelope = Envelope.objects.filter(module=_module()).order_by("position", "pk").first()
    return None if envelope is None else _page(pk=envelope.pk)


def _project_page() -> dict[str, Any] | None:
    from participe.modules.budgets.models import Project

    project = Project.objects.filter(module=_module()).order_by("pk").first()
    return None if project is None else _page(pk=project.pk)


def _module_pk() -> dict[str, Any] | None:
    module = _module()
    return None if module is None else {"module_pk": module.pk}


def _envelope() -> dict[str, Any] | None:
    found = _envelope_page()
    return None if found is None else {"pk": found["pk"]}


def _project() -> dict[str, Any] | None:
    found = _project_page()
    return None if found is None else {"pk": found["pk"]}


def _envelope_id() -> dict[str, Any] | None:
    found = _envelope()
    return None if found is None else {"envelope_id": next(iter(found.values()))}


PARAMS = {
    "api:project_list": _envelope_id,
    "api:results_get": _envelope_id,
    "spaces:budgets:envelope": _envelope_page,
    "spaces:budgets:ballot": _envelope_page,
    "spaces:budgets:confirm": _envelope_page,
    "spaces:budgets:results": _envelope_page,
    "spaces:budgets:project": _project_page,
    "spaces:budgets:pabulib": _envelope_page,
    "backoffice:budgets:module": _module_pk,
    "backoffice:budgets:envelope_create": _module_pk,
    "backoffice:budgets:envelope_import": _module_pk,
    "backoffice:budgets:project_create": _module_pk,
    "backoffice:budgets:project_import": _module_pk,
    "backoffice:budgets:from_proposals": _module_pk,
    "backoffice:budgets:analysis": _module_pk,
    "backoffice:budgets:envelope_edit": _envelope,
    "backoffice:budgets:vote_open": _envelope,
    "backoffice:budgets:envelope_results": _envelope,
    "backoffice:budgets:project": _project,
}


def _row(*outcomes: str) -> dict[str, set[str]]:
    return {role: {outcome} for role, outcome in zip(ROLES, outcomes, strict=True)}


MANAGE = _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok")

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "spaces:budgets:envelope": {"*": {"ok"}},
    "api:envelope_list": {"*": {"ok"}},
    "api:project_list": {"*": {"ok"}},
    "api:results_get": {"*": {"ok"}},  # the demo's vote is published
    "api:project_create": {"*": {"method"}},  # POST only
    "api:envelope_import": {"*": {"method"}},  # POST only
    "spaces:budgets:ballot": {"*": {"redirect"}},  # the vote is closed: everyone is sent back to the envelope
    "spaces:budgets:confirm": {"*": {"method"}},
    "spaces:budgets:results": {"*": {"ok"}},
    "spaces:budgets:project": {"*": {"ok"}},
    "spaces:budgets:pabulib": {"*": {"ok"}},
    "backoffice:budgets:index": _row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    **{
        name: MANAGE
        for name in (
            "backoffice:budgets:module",
            "backoffice:budgets:envelope_create",
            "backoffice:budgets:envelope_import",
            "backoffice:budgets:project_create",
            "backoffice:budgets:project_import",
            "backoffice:budgets:from_proposals",
            "backoffice:budgets:analysis",
            "backoffice:budgets:envelope_edit",
            "backoffice:budgets:vote_open",
            "backoffice:budgets:envelope_results",
            "backoffice:budgets:project",
        )
    },
}
