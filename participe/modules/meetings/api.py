"""The meetings' REST API, under /api/v1/meetings/: the agenda (filters, keyset pages), a meeting, registering and
cancelling (session), and the registrations with their answers (organisers only)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from participe.core.schemas import Id, errors
from participe.modules.meetings import selectors, services
from participe.modules.meetings.models import Meeting, Registration
from participe.organisation.models import Territory, Theme
from participe.spaces.models import Space

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    format: str
    status: str
    start: datetime.datetime
    end: datetime.datetime
    organiser: str
    place_name: str
    address: str
    latitude: float | None
    longitude: float | None
    territory: str | None = Field(description="Identifiant (slug) du territoire.")
    theme: str | None = Field(description="Identifiant (slug) du thème.")
    space: str = Field(description="Identifiant (slug) de la démarche.")
    step_free_access: bool
    hearing_loop: bool
    childcare: bool
    accessibility_notes: str
    registration_enabled: bool
    capacity: int | None
    seats_taken: int
    waiting_count: int
    cancellation_reason: str
    url: str
    ics_url: str

    @staticmethod
    def resolve_territory(obj: Meeting) -> str | None:
        return obj.territory.slug if obj.territory else None

    @staticmethod
    def resolve_theme(obj: Meeting) -> str | None:
        return obj.theme.slug if obj.theme else None

    @staticmethod
    def resolve_space(obj: Meeting) -> str:
        return obj.module.space.slug

    @staticmethod
    def resolve_url(obj: Meeting) -> str:
        return settings.SITE_URL + obj.get_absolute_url()

    @staticmethod
    def resolve_ics_url(obj: Meeting) -> str:
        return settings.SITE_URL + obj.get_absolute_url() + "reunion.ics"


class MeetingDetailOut(MeetingOut):
    description: str
    questions: list[str]
    minutes: str
    attendees_count: int | None

    @staticmethod
    def resolve_questions(obj: Meeting) -> list[str]:
        return obj.question_list()


class MeetingPage(Schema):
    items: list[MeetingOut]
    next_cursor: str | None = Field(description="À passer en paramètre cursor pour la page suivante.")


class AgendaParams(Schema):
    territory: str | None = Field(
        None, description="Identifiant d'un territoire : ses réunions et celles de ses quartiers."
    )
    theme: str | None = Field(None, description="Identifiant d'un thème.")
    kind: str | None = Field(None, description="reunion, atelier, balade ou permanence.")
    space: str | None = Field(None, description="Identifiant d'une démarche.")
    past: bool = Field(False, description="Les réunions passées, les plus récentes d'abord.")
    cursor: str | None = Field(None, description="Le next_cursor de la page précédente.")
    limit: int = Field(20, ge=1, le=100)


class RegistrationIn(Schema):
    answers: dict[str, str] = Field(default_factory=dict, description="Réponses aux questions, par question.")


class RegistrationOut(Schema):
    status: str = Field(description="confirmee, attente ou annulee.")
    code: str
    waiting_position: int | None

    @staticmethod
    def resolve_waiting_position(obj: Registration) -> int | None:
        return selectors.waiting_position(obj) if obj.status == Registration.Status.WAITING else None


class OrganiserRegistrationOut(Schema):
    id: int
    name: str
    phone: str
    email: str
    status: str
    code: str
    answers: dict[str, str]
    registered_by_agent: bool
    created_at: datetime.datetime
    checked_in_at: datetime.datetime | None

    @staticmethod
    def resolve_name(obj: Registration) -> str:
        return obj.display_name

    @staticmethod
    def resolve_email(obj: Registration) -> str:
        return obj.contact_email

    @staticmethod
    def resolve_registered_by_agent(obj: Registration) -> bool:
        return obj.registered_by_id is not None and obj.registered_by_id != obj.user_id


def _filters(params: AgendaParams) -> selectors.AgendaFilters:
    def find(model: Any, slug: str | None, name: str) -> Any:
        if not slug:
            return None
        found = model.objects.filter(slug=slug).first()
        if found is None:
            raise HttpError(400, f"{name}: no {name} has this slug")
        return found

    if params.kind and params.kind not in Meeting.Kind.values:
        raise HttpError(400, "kind: one of " + ", ".join(Meeting.Kind.values))
    theme = find(Theme, params.theme, "theme")
    return selectors.AgendaFilters(
        territory=find(Territory, params.territory, "territory"),
        theme_id=theme.pk if theme else None,
        kind=params.kind or None,
        space=find(Space, params.space, "space"),
    )


@router.get("/meetings", response={200: MeetingPage, **errors(400, 422)})
def meeting_list(request: HttpRequest, params: Query[AgendaParams]) -> dict[str, Any]:
    """The agenda the caller may see: upcoming meetings soonest first (``past``: past ones, latest first), by keyset
    pages (follow ``next_cursor``). Cancelled meetings stay listed with their status."""
    page = selectors.agenda_page(
        request.user, _filters(params), cursor=params.cursor, past=params.past, size=params.limit
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


def _visible(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related("module", "module__space", "territory", "theme").filter(pk=meeting_id).first()
    )
    if meeting is None or not request.user.has_perm("meetings.view_meeting", meeting):
        raise HttpError(404, "Not found")
    return meeting


@router.get("/meetings/{meeting_id}", response={200: MeetingDetailOut, **errors(404, 422)})
def meeting_get(request: HttpRequest, meeting_id: Id) -> Meeting:
    """A meeting (the online link is on its page, for registered people only)."""
    return _visible(request, meeting_id)


def _invalid(exc: ValidationError) -> HttpError:
    return HttpError(400, " ".join(exc.messages))


@router.post(
    "/meetings/{meeting_id}/registrations",
    response={201: RegistrationOut, **errors(400, 403, 404, 422)},
    auth=django_auth,
)
def registration_create(request: HttpRequest, meeting_id: Id, body: RegistrationIn) -> tuple[int, Registration]:
    """Register the caller: ``confirmee`` with a seat, ``attente`` on the waiting list (promoted when a seat frees).
    Registering again answers the live registration. 403 with the reasons (cancelled, over, no registration)."""
    meeting = _visible(request, meeting_id)
    try:
        registration = services.registration_create(actor=request.user, meeting=meeting, answers=body.answers)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return 201, registration


@router.delete(
    "/meetings/{meeting_id}/registrations/mine", response={200: RegistrationOut, **errors(404, 422)}, auth=django_auth
)
def registration_cancel(request: HttpRequest, meeting_id: Id) -> Registration:
    """Cancel the caller's registration; the seat goes to the first person waiting."""
    meeting = _visible(request, meeting_id)
    registration = selectors.registration_of(meeting, request.user)
    if registration is None:
        raise HttpError(404, "You are not registered to this meeting.")
    return services.registration_cancel(actor=request.user, registration=registration)  # type: ignore[arg-type]


@router.get(
    "/meetings/{meeting_id}/registrations",
    response={200: list[OrganiserRegistrationOut], **errors(403, 404, 422)},
    auth=django_auth,
)
def registration_list(request: HttpRequest, meeting_id: Id) -> list[Registration]:
    """Every registration with its answers: the organisers of the meeting only."""
    meeting = _visible(request, meeting_id)
    if not request.user.has_perm("meetings.manage_meetings", meeting):
        raise HttpError(403, "Only the organisers of this meeting read its registrations.")
    return selectors.registrations_for_organisers(meeting)
