"""The authorization matrix (``python -m audit --only authz``) over the juries, filled from the demo's jury « Jury
citoyen mobilités » (a public démarche administered by the organisation's staff). See docs/benchmarks.md, "Sweeps"."""

from __future__ import annotations

from typing import Any

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _row(*outcomes: str | set[str]) -> dict[str, set[str]]:
    return {r: {o} if isinstance(o, str) else o for r, o in zip(ROLES, outcomes, strict=True)}


def _panel() -> Any:
    from participe.modules.juries.models import Panel

    return Panel.objects.select_related("module__space").order_by("pk").first()


def _public() -> dict[str, Any] | None:
    panel = _panel()
    return None if panel is None else {"slug": panel.module.space.slug, "module_slug": panel.module.slug}


def _draw_file() -> dict[str, Any] | None:
    panel, public = _panel(), _public()
    draw = panel.draws.order_by("number").first() if panel is not None else None
    return None if draw is None or public is None else {**public, "number": draw.number}


def _invitation() -> dict[str, Any] | None:
    from participe.modules.juries.models import Volunteer

    panel, public = _panel(), _public()
    if panel is None or public is None:
        return None
    member = Volunteer.objects.filter(panel=panel).exclude(status=Volunteer.Status.POOL).order_by("pk").first()
    return None if member is None else {**public, "token": member.invitation_token}


def _module() -> dict[str, Any] | None:
    panel = _panel()
    return None if panel is None else {"module_pk": panel.module_id}


def _feature() -> dict[str, Any] | None:
    panel = _panel()
    feature = panel.features.order_by("pk").first() if panel is not None else None
    return None if feature is None else {"module_pk": panel.module_id, "pk": feature.pk}


def _recommendation() -> dict[str, Any] | None:
    panel = _panel()
    recommendation = panel.recommendations.order_by("pk").first() if panel is not None else None
    return None if recommendation is None else {"module_pk": panel.module_id, "pk": recommendation.pk}


def _api() -> dict[str, Any] | None:
    panel = _panel()
    return None if panel is None else {"module_id": panel.module_id}


PARAMS = {
    "spaces:juries:volunteer": _public,
    "spaces:juries:categories": _draw_file,
    "spaces:juries:respondents": _draw_file,
    "spaces:juries:tickets": _draw_file,
    "spaces:juries:invitation": _invitation,
    "spaces:juries:join": _invitation,
    "backoffice:juries:panel": _module,
    "backoffice:juries:feature_add": _module,
    "backoffice:juries:feature": _feature,
    "backoffice:juries:import": _module,
    "backoffice:juries:commit": _module,
    "backoffice:juries:draw": _module,
    "backoffice:juries:recommendation_add": _module,
    "backoffice:juries:members_space": _module,
    "backoffice:juries:recommendation": _recommendation,
    "api:panel_detail": _api,
}

ALL = {"*": {"ok"}}
# The demo's jury is administered by the organisation's administrators: the demo's agent (staff of other démarches)
# is refused its back-office, like the moderator.
STAFF_OF_SPACE = _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok")
STAFF_POST = _row("login", "forbidden", "forbidden", {"forbidden", "method"}, "method", "method")

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    # The jury's public page, its volunteers' form (the reasons shown to whoever may not volunteer), the files of a
    # published draw (no names) and a member's invitation (the link is the proof): open to all.
    "spaces:juries:volunteer": ALL,
    "spaces:juries:categories": ALL,
    "spaces:juries:respondents": ALL,
    "spaces:juries:tickets": ALL,
    "spaces:juries:invitation": ALL,
    "api:panel_detail": ALL,
    # Joining the members' space from one's invitation is a POST (its refusals are said on the invitation's page).
    "spaces:juries:join": {"*": {"method"}},
    "backoffice:juries:index": _row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "backoffice:juries:panel": STAFF_OF_SPACE,
    "backoffice:juries:feature_add": STAFF_OF_SPACE,
    "backoffice:juries:feature": STAFF_OF_SPACE,
    "backoffice:juries:import": STAFF_OF_SPACE,
    "backoffice:juries:recommendation": STAFF_OF_SPACE,
    "backoffice:juries:commit": STAFF_POST,
    "backoffice:juries:draw": STAFF_POST,
    "backoffice:juries:recommendation_add": STAFF_POST,
    "backoffice:juries:members_space": STAFF_POST,
}
