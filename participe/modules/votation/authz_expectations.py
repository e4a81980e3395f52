"""The authorization matrix (``python -m audit --only authz``) over the votation module: the demo's « Nom de la future
place » in the place du Marché, its vote open, with an eligibility rule (verified residents aged 16 or more: camille
may vote; the others are sent back to the page, which says why). Only the organisation admin administers that space.
See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

from typing import Any

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _module() -> Any:
    from participe.spaces.models import Module

    return Module.objects.select_related("space").filter(space__slug="place-du-marche", module_type="votation").first()


def _page() -> dict[str, Any] | None:
    module = _module()
    return None if module is None else {"slug": module.space.slug, "module_slug": module.slug}


def _module_pk() -> dict[str, Any] | None:
    module = _module()
    return None if module is None else {"module_pk": module.pk}


def _option() -> dict[str, Any] | None:
    from participe.modules.votation.models import Option

    option = Option.objects.filter(question__module=_module()).order_by("pk").first()
    return None if option is None else {"pk": option.pk}


PARAMS = {
    "spaces:votation:ballot": _page,
    "spaces:votation:confirm": _page,
    "spaces:votation:results": _page,
    "backoffice:votation:question": _module_pk,
    "backoffice:votation:option_create": _module_pk,
    "backoffice:votation:decision": _module_pk,
    "backoffice:votation:option_edit": _option,
    "backoffice:votation:option_delete": _option,
}


def _row(*outcomes: str) -> dict[str, set[str]]:
    return {role: {outcome} for role, outcome in zip(ROLES, outcomes, strict=True)}


MANAGE = _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok")

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "spaces:votation:ballot": _row("redirect", "redirect", "ok", "redirect", "redirect", "redirect"),
    "spaces:votation:confirm": {"*": {"method"}},
    "spaces:votation:results": {"*": {"ok"}},
    "backoffice:votation:index": _row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "backoffice:votation:question": MANAGE,
    "backoffice:votation:option_create": MANAGE,
    "backoffice:votation:decision": MANAGE,
    "backoffice:votation:option_edit": MANAGE,
    "backoffice:votation:option_delete": MANAGE,
}
