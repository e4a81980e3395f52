"""The authorization matrix (``python -m audit --only authz``) over the meetings, filled from the demo's seeds: the
meetings of the budget's démarche (the demo's agent administers that space; the moderator moderates another one).
See docs/benchmarks.md, "Sweeps"."""

from __future__ import annotations

from typing import Any

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _row(*outcomes: str | set[str]) -> dict[str, set[str]]:
    return {r: {o} if isinstance(o, str) else o for r, o in zip(ROLES, outcomes, strict=True)}


def _meeting() -> Any:
    from participe.modules.meetings.models import Meeting

    return (
        Meeting.objects.select_related("module__space")
        .filter(module__space__slug="budget-participatif-2027", registration_enabled=True)
        .order_by("pk")
        .first()
    )


def _public() -> dict[str, Any] | None:
    meeting = _meeting()
    if meeting is None:
        return None
    return {"slug": meeting.module.space.slug, "module_slug": meeting.module.slug, "pk": meeting.pk}


def _backoffice() -> dict[str, Any] | None:
    meeting = _meeting()
    return None if meeting is None else {"pk": meeting.pk}


def _module() -> dict[str, Any] | None:
    meeting = _meeting()
    return None if meeting is None else {"module_pk": meeting.module_id}


def _registration() -> dict[str, Any] | None:
    meeting = _meeting()
    registration = meeting.registrations.order_by("pk").first() if meeting is not None else None
    return None if registration is None else {"pk": meeting.pk, "registration_pk": registration.pk}


def _space_feed() -> dict[str, Any] | None:
    meeting = _meeting()
    return None if meeting is None else {"slug": meeting.module.space.slug}


def _territory_feed() -> dict[str, Any] | None:
    from participe.organisation.models import Territory

    territory = Territory.objects.order_by("pk").first()
    return None if territory is None else {"slug": territory.slug}


def _api_meeting() -> dict[str, Any] | None:
    meeting = _meeting()
    return None if meeting is None else {"meeting_id": meeting.pk}


PARAMS = {
    "spaces:meetings:meeting": _public,
    "spaces:meetings:meeting_ics": _public,
    "spaces:meetings:register": _public,
    "spaces:meetings:cancel": _public,
    "agenda:space_feed": _space_feed,
    "agenda:territory_feed": _territory_feed,
    "api:meeting_get": _api_meeting,
    "api:registration_create": _api_meeting,
    "api:registration_cancel": _api_meeting,
    "api:registration_list": _api_meeting,
    "backoffice:meetings:meetings": _module,
    "backoffice:meetings:create": _module,
    "backoffice:meetings:edit": _backoffice,
    "backoffice:meetings:cancel": _backoffice,
    "backoffice:meetings:registrations": _backoffice,
    "backoffice:meetings:minutes": _backoffice,
    "backoffice:meetings:contributions": _backoffice,
    "backoffice:meetings:registration_cancel": _registration,
}

ALL = {"*": {"ok"}}
POST_ONLY = {"*": {"method"}}
STAFF_OF_SPACE = _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok")
STAFF_POST = _row("login", "forbidden", "forbidden", {"forbidden", "method"}, "method", "method")

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "spaces:meetings:meeting": ALL,
    "spaces:meetings:meeting_ics": ALL,
    "spaces:meetings:register": POST_ONLY,
    "spaces:meetings:cancel": POST_ONLY,
    "agenda:list": ALL,
    "agenda:month": ALL,
    "agenda:map": ALL,
    "agenda:geojson": ALL,
    "agenda:feed": ALL,
    "agenda:space_feed": ALL,
    "agenda:territory_feed": ALL,
    "api:meeting_list": ALL,
    "api:meeting_get": ALL,
    # The GET of this address lists the registrations with their answers: the organisers only.
    "api:registration_create": _row("401", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "api:registration_cancel": POST_ONLY,  # DELETE only
    "api:registration_list": _row("401", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:meetings:index": _row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "backoffice:meetings:meetings": STAFF_OF_SPACE,
    "backoffice:meetings:create": STAFF_OF_SPACE,
    "backoffice:meetings:edit": STAFF_OF_SPACE,
    "backoffice:meetings:cancel": STAFF_OF_SPACE,
    "backoffice:meetings:registrations": STAFF_OF_SPACE,
    "backoffice:meetings:minutes": STAFF_OF_SPACE,
    "backoffice:meetings:contributions": STAFF_OF_SPACE,
    "backoffice:meetings:registration_cancel": STAFF_POST,
}
