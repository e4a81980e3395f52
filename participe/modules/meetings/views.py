"""Public pages of a meetings module: its agenda (the module page), a meeting (with its schema.org Event), its .ics,
registering and cancelling (plain form posts: everything works without JavaScript)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participe.core.sanitize import plain_text
from participe.modules.meetings import ical, selectors, services
from participe.modules.meetings.forms import RegistrationForm
from participe.modules.meetings.models import Meeting, Registration
from participe.permissions.explain import explain
from participe.permissions.refusals import Refused
from participe.spaces.http import require_visible
from participe.spaces.models import Module

JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _module(request: HttpRequest, slug: str, module_slug: str) -> Module:
    module = (
        Module.objects.select_related("space")
        .prefetch_related("phases")
        .filter(space__slug=slug, slug=module_slug, module_type="meetings")
        .first()
    )
    if module is None:
        raise Http404
    require_visible(request, "spaces.view_module", module)
    return module


def _meeting(request: HttpRequest, module: Module, pk: int) -> Meeting:
    meeting = selectors.meeting_of(module, pk)
    if meeting is None:
        raise Http404
    require_visible(request, "meetings.view_meeting", meeting)
    return meeting


def module_page(request: HttpRequest, module: Module) -> HttpResponse:
    """The space's agenda: its upcoming meetings, then its past ones with their minutes (``manifest.detail_view``: the
    platform has already checked that the module is visible)."""
    upcoming, past = selectors.module_agenda(module, request.user)
    context = {
        "module": module,
        "space": module.space,
        "upcoming": upcoming,
        "past": past,
        "feed_url": _space_feed_url(module),
        "can_manage": request.user.has_perm("meetings.manage_meetings", module),
    }
    return render(request, "meetings/module_page.html", context)


def _module_reverse(module: Module, name: str, **kwargs: Any) -> str:
    from participe.spaces.urls import module_reverse  # the space's urlconf includes this module's

    return module_reverse(module, name, **kwargs)


def _space_feed_url(module: Module) -> str:
    from django.urls import reverse

    return reverse("agenda:space_feed", kwargs={"slug": module.space.slug})


def json_ld(meeting: Meeting) -> SafeString:
    """The schema.org ``Event`` of ``meeting`` (``<script type="application/ld+json">``: data, not a script the
    Content-Security-Policy runs)."""
    statuses = {Meeting.Status.CANCELLED: "EventCancelled"}
    modes = {
        Meeting.Format.IN_PERSON: "OfflineEventAttendanceMode",
        Meeting.Format.ONLINE: "OnlineEventAttendanceMode",
        Meeting.Format.HYBRID: "MixedEventAttendanceMode",
    }
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": meeting.title,
        "startDate": timezone.localtime(meeting.start).isoformat(),
        "endDate": timezone.localtime(meeting.end).isoformat(),
        "eventStatus": "https://schema.org/" + statuses.get(Meeting.Status(meeting.status), "EventScheduled"),
        "eventAttendanceMode": "https://schema.org/" + modes[Meeting.Format(meeting.format)],
        "url": settings.SITE_URL + meeting.get_absolute_url(),
        "isAccessibleForFree": True,
    }
    description = plain_text(meeting.description)
    if description:
        data["description"] = description[:1000]
    if meeting.organiser:
        data["organizer"] = {"@type": "Organization", "name": meeting.organiser}
    locations: list[dict[str, Any]] = []
    if meeting.is_in_person:
        place: dict[str, Any] = {"@type": "Place", "name": meeting.place_name or meeting.address}
        if meeting.address:
            place["address"] = meeting.address
        if meeting.latitude is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": meeting.latitude, "longitude": meeting.longitude}
        locations.append(place)
    if meeting.is_online:
        locations.append({"@type": "VirtualLocation", "url": settings.SITE_URL + meeting.get_absolute_url()})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if meeting.capacity is not None:
        data["maximumAttendeeCapacity"] = meeting.capacity
        data["remainingAttendeeCapacity"] = meeting.seats_left
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES))  # noqa: S308 - escaped above


def _detail_context(request: HttpRequest, module: Module, meeting: Meeting, form: Any = None) -> dict[str, Any]:
    registration = selectors.registration_of(meeting, request.user)
    confirmed = registration is not None and registration.status == Registration.Status.CONFIRMED
    show_link = meeting.is_online and not meeting.is_cancelled and (confirmed or not meeting.registration_enabled)
    link_time = timezone.now() >= meeting.online_link_visible_from()
    waiting = registration is not None and registration.status == Registration.Status.WAITING
    return {
        "module": module,
        "space": module.space,
        "meeting": meeting,
        "registration": registration,
        "waiting_position": selectors.waiting_position(registration) if waiting and registration else None,
        "register": explain(request.user, "meetings.register", meeting),
        "form": form or RegistrationForm(meeting=meeting),
        "online_link": meeting.online_url if show_link and link_time else "",
        "online_link_later": show_link and not link_time,
        "contributions": selectors.contributions_of(meeting, request.user),
        "json_ld": json_ld(meeting),
        "ics_url": _module_reverse(module, "meeting_ics", pk=meeting.pk),
        "can_manage": request.user.has_perm("meetings.manage_meetings", meeting),
        "is_past": meeting.is_past(),
    }


def meeting_detail(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    """A meeting: when, where, how to come, registration (or why not), the minutes and what was collected there."""
    module = _module(request, slug, module_slug)
    meeting = _meeting(request, module, pk)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, module, meeting))


def meeting_ics(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    """The meeting as an .ics file, to add to one's calendar."""
    module = _module(request, slug, module_slug)
    meeting = _meeting(request, module, pk)
    body = ical.calendar([meeting], name=meeting.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reunion-{meeting.pk}.ics"'
    return response


@require_POST
def register(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    module = _module(request, slug, module_slug)
    meeting = _meeting(request, module, pk)
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next={meeting.get_absolute_url()}")
    form = RegistrationForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _detail_with_form(request, module, meeting, form)
    try:
        registration = services.registration_create(actor=request.user, meeting=meeting, answers=form.answers())
    except Refused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _detail_with_form(request, module, meeting, form)
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(
                request, _("Vous êtes inscrit·e. Votre code d'inscription : %(code)s.") % {"code": registration.code}
            )
        else:
            messages.info(
                request,
                _(
                    "La réunion est complète : vous êtes sur la liste d'attente. Si une place se libère, elle vous "
                    "est attribuée et vous êtes prévenu·e."
                ),
            )
    return redirect(meeting.get_absolute_url())


def _detail_with_form(request: HttpRequest, module: Module, meeting: Meeting, form: RegistrationForm) -> HttpResponse:
    """The meeting's page again with the form as typed and its errors (nothing typed is lost)."""
    context = _detail_context(request, module, meeting, form)
    return render(request, "meetings/meeting_detail.html", context, status=400)


@require_POST
def cancel(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    module = _module(request, slug, module_slug)
    meeting = _meeting(request, module, pk)
    registration = selectors.registration_of(meeting, request.user)
    if registration is None:
        messages.info(request, _("Vous n'étiez pas inscrit·e à cette réunion."))
        return redirect(meeting.get_absolute_url())
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Votre inscription est annulée. Merci d'avoir libéré votre place."))
    return redirect(meeting.get_absolute_url())
