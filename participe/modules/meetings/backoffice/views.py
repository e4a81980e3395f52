"""Back-office of meetings (/gestion/m/meetings/): announcing and changing meetings, cancelling them, the
registrations with their answers (registering people who call, checking codes at the door), the minutes with their
files and the contributions collected at the meeting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.views.common import actor
from participe.modules.meetings import selectors, services
from participe.modules.meetings.backoffice.forms import (
    CancelForm,
    CheckInForm,
    LinkForm,
    MeetingForm,
    MinutesForm,
    PhoneRegistrationForm,
)
from participe.modules.meetings.models import Meeting, Registration
from participe.permissions.refusals import Refused
from participe.spaces.models import Module
from participe.spaces.selectors import spaces_managed_by


def _module(request: HttpRequest, module_pk: int) -> Module:
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_pk, module_type="meetings")
    require_perm(request, "meetings.manage_meetings", module)
    return module


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("module", "module__space"), pk=pk)
    require_perm(request, "meetings.manage_meetings", meeting)
    return meeting


def _ctx(meeting: Meeting, **extra: Any) -> dict[str, Any]:
    return {"meeting": meeting, "module": meeting.module, "space": meeting.module.space, **extra}


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    """The meetings modules of the spaces the agent runs, and their next meetings."""
    modules = list(
        Module.objects.filter(module_type="meetings", space__in=spaces_managed_by(request.user))
        .select_related("space")
        .order_by("space__title", "position", "pk")
    )
    modules = [m for m in modules if request.user.has_perm("meetings.manage_meetings", m)]
    upcoming = list(
        Meeting.objects.filter(module__in=modules, end__gt=timezone.now())
        .select_related("module", "module__space")
        .order_by("start", "pk")[:50]
    )
    to_report = list(
        Meeting.objects.filter(module__in=modules, end__lte=timezone.now(), status=Meeting.Status.PUBLISHED)
        .filter(minutes="")
        .select_related("module", "module__space")
        .order_by("-start", "-pk")[:20]
    )
    return render(
        request, "meetings/backoffice/index.html", {"modules": modules, "upcoming": upcoming, "to_report": to_report}
    )


@staff_required
def module_meetings(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    meetings = list(module.meetings.order_by("-start", "-pk")[:200])
    return render(
        request, "meetings/backoffice/module.html", {"module": module, "space": module.space, "meetings": meetings}
    )


def _initial(module: Module) -> dict[str, Any]:
    space = module.space
    territory = space.territories.order_by("pk").first()
    theme = space.themes.order_by("pk").first()
    return {"territory": territory, "theme": theme, "status": Meeting.Status.PUBLISHED}


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    form = MeetingForm(request.POST or None, initial=_initial(module))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(actor=actor(request), module=module, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("La réunion « %(title)s » est enregistrée.") % {"title": meeting.title})
            return redirect("backoffice:meetings:edit", pk=meeting.pk)
    return render(
        request, "meetings/backoffice/meeting_form.html", {"module": module, "space": module.space, "form": form}
    )


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and not meeting.is_cancelled and form.is_valid():
        try:
            services.meeting_save(
                actor=actor(request), module=meeting.module, meeting=meeting, data=form.service_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("La réunion est enregistrée."))
            return redirect("backoffice:meetings:edit", pk=meeting.pk)
    return render(request, "meetings/backoffice/meeting_form.html", _ctx(meeting, form=form))


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(actor=actor(request), meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("La réunion est annulée ; les personnes inscrites sont prévenues."))
            return redirect("backoffice:meetings:edit", pk=meeting.pk)
    return render(request, "meetings/backoffice/cancel.html", _ctx(meeting, form=form))


def _post_registrations(request: HttpRequest, meeting: Meeting) -> tuple[PhoneRegistrationForm, CheckInForm, bool]:
    phone_form = PhoneRegistrationForm(meeting=meeting)
    check_form = CheckInForm()
    if request.POST.get("action") == "phone":
        phone_form = PhoneRegistrationForm(request.POST, meeting=meeting)
        if phone_form.is_valid():
            try:
                registration = services.registration_add_by_agent(
                    actor=actor(request),
                    meeting=meeting,
                    name=phone_form.cleaned_data["name"],
                    phone=phone_form.cleaned_data["phone"],
                    email=phone_form.cleaned_data["email"],
                    answers=phone_form.answers(),
                )
            except ValidationError as exc:
                add_service_errors(phone_form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s est inscrit·e (%(status)s), code %(code)s.")
                    % {
                        "name": registration.name,
                        "status": registration.get_status_display(),
                        "code": registration.code,
                    },
                )
                return phone_form, check_form, True
    elif request.POST.get("action") == "check_in":
        check_form = CheckInForm(request.POST)
        if check_form.is_valid():
            try:
                registration = services.registration_check_in(
                    actor=actor(request), meeting=meeting, code=check_form.cleaned_data["code"]
                )
            except ValidationError as exc:
                add_service_errors(check_form, exc)
            else:
                messages.success(request, _("Bienvenue à %(name)s.") % {"name": registration.display_name})
                return phone_form, check_form, True
    return phone_form, check_form, False


@staff_required
@require_http_methods(["GET", "POST"])
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """The registrations with their answers (organisers only), registering someone who called, the door's check."""
    meeting = _meeting(request, pk)
    phone_form, check_form, done = (
        _post_registrations(request, meeting)
        if request.method == "POST"
        else (PhoneRegistrationForm(meeting=meeting), CheckInForm(), False)
    )
    if done:
        return redirect("backoffice:meetings:registrations", pk=meeting.pk)
    questions = meeting.question_list()
    rows = [(r, [r.answers.get(q, "") for q in questions]) for r in selectors.registrations_for_organisers(meeting)]
    return render(
        request,
        "meetings/backoffice/registrations.html",
        _ctx(
            meeting,
            rows=rows,
            questions=questions,
            phone_form=phone_form,
            check_form=check_form,
            open=meeting.registration_enabled and not meeting.is_cancelled and not meeting.is_past(),
        ),
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def registration_cancel(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, meeting=meeting)
    try:
        services.registration_cancel(actor=actor(request), registration=registration)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("L'inscription est annulée ; la première personne en attente a reçu la place."))
    return redirect("backoffice:meetings:registrations", pk=meeting.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes and the number of people who came; the files of the minutes below (attachments)."""
    meeting = _meeting(request, pk)
    form = MinutesForm(
        request.POST or None, initial={"minutes": meeting.minutes, "attendees_count": meeting.attendees_count}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save(
                actor=actor(request),
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                attendees_count=form.cleaned_data["attendees_count"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le compte rendu est enregistré."))
            return redirect("backoffice:meetings:minutes", pk=meeting.pk)
    return render(
        request, "meetings/backoffice/minutes.html", _ctx(meeting, form=form, started=meeting.start <= timezone.now())
    )


def _key(item: Any) -> str:
    """``"<content type id>:<id>"``: how the page names an item to link (read back by ``_item``)."""
    return f"{ContentType.objects.get_for_model(item).pk}:{item.pk}"


def _item(value: str) -> Any:
    """``"<content type id>:<id>"`` as the item it names, or None."""
    type_id, _sep, object_id = value.partition(":")
    if not (type_id.isdigit() and object_id.isdigit()):
        return None
    try:
        model = ContentType.objects.get_for_id(int(type_id)).model_class()
    except ContentType.DoesNotExist:
        return None
    return model._default_manager.filter(pk=int(object_id)).first() if model is not None else None


@staff_required
@require_http_methods(["GET", "POST"])
def contributions(request: HttpRequest, pk: int) -> HttpResponse:
    """The contributions collected at the meeting: those already linked, and the space's recent ones to link."""
    meeting = _meeting(request, pk)
    if request.method == "POST":
        form = LinkForm(request.POST)
        item = _item(form.data.get("item", "")) if form.is_valid() else None
        if item is None:
            raise Http404
        try:
            services.contribution_link(actor=actor(request), meeting=meeting, item=item)
        except (Refused, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("« %(title)s » est rattachée à la réunion.") % {"title": item})
        return redirect("backoffice:meetings:contributions", pk=meeting.pk)
    linked = selectors.contributions_of(meeting, request.user)
    groups = [
        (module, [(item, _key(item)) for item in items]) for module, items in selectors.contribution_candidates(meeting)
    ]
    return render(
        request,
        "meetings/backoffice/contributions.html",
        _ctx(
            meeting,
            linked=linked,
            groups=groups,
            linked_keys={_key(item) for item in linked},
            started=meeting.start <= timezone.now(),
        ),
    )
