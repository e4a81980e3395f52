"""Public pages of a jury: the method, the quotas and the composition, the commitments and draws with their files
(anyone re-runs a draw with ``manage.py jury_draw``), the volunteers' form with their probability, the members'
invitations, the jury's sessions, the members' space (documents, discussion, sessions: decision 0032), the avis
citoyen with the answers. Names are never shown unless a member agreed."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participe.backoffice.forms.base import add_service_errors
from participe.modules.juries import selectors, services
from participe.modules.juries.forms import InvitationForm, VolunteerForm
from participe.modules.juries.models import Draw, Panel, Room, Volunteer
from participe.permissions.explain import explain
from participe.permissions.refusals import Refused
from participe.spaces.http import require_visible
from participe.spaces.models import Module


def _module(request: HttpRequest, slug: str, module_slug: str) -> Module:
    module = get_object_or_404(
        Module.objects.select_related("space"), space__slug=slug, slug=module_slug, module_type="juries"
    )
    if not request.user.has_perm("juries.view_panel", module):
        raise Http404
    return module


def _panel(module: Module) -> Panel | None:
    return Panel.objects.filter(module=module).first()


def module_page(request: HttpRequest, module: Module) -> HttpResponse:
    """The jury's page: everything public about it, and the visitor's own registration and probability; in the
    jury's private space, the members' space."""
    room = Room.objects.filter(module=module).select_related("panel__module__space", "module__space").first()
    if room is not None:
        return room_page(request, room)
    if not request.user.has_perm("juries.view_panel", module):
        raise Http404
    panel = _panel(module)
    context: dict[str, Any] = {"module": module, "space": module.space, "panel": panel}
    if panel is not None:
        draws = list(panel.draws.all())
        mine = panel.volunteers.filter(user=request.user).first() if request.user.is_authenticated else None
        room = selectors.room_of(panel)
        context |= {
            "sessions": selectors.sessions(room),
            "room": room,
            "in_room": room is not None and request.user.has_perm("juries.view_room", room),
            "composition": selectors.composition(panel),
            "pool_count": panel.volunteers.count(),
            "draws": draws,
            "drawn": any(d.drawn_at for d in draws),
            "mine": mine,
            "public_members": panel.volunteers.filter(status=Volunteer.Status.ACCEPTED, name_public=True),
            "recommendations": panel.recommendations.select_related("commitment"),
            "may_volunteer": explain(request.user, "juries.volunteer", module),
        }
    return render(request, "juries/module_page.html", context)


def room_page(request: HttpRequest, room: Room) -> HttpResponse:
    """The members' space: the next session and the others, the documents the team gives, the discussion. Whoever
    is not a member of the private space is refused with the reason (the platform's one refusal)."""
    require_visible(request, "juries.view_room", room)
    jury = room.panel.module
    context = {
        "module": room.module,
        "space": room.module.space,
        "room": room,
        "jury": jury,
        "sessions": selectors.sessions(room),
        "may_manage": request.user.has_perm("juries.manage_panel", jury),
    }
    return render(request, "juries/room_page.html", context)


@require_http_methods(["GET", "POST"])
def volunteer(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """The volunteers' form: one question per feature; the reasons why not, from the rule, otherwise."""
    module = _module(request, slug, module_slug)
    panel = _panel(module)
    if panel is None:
        raise Http404
    verdict = explain(request.user, "juries.volunteer", module)
    mine = panel.volunteers.filter(user=request.user).first() if request.user.is_authenticated else None
    initial = {f"f_{k}": v for k, v in (mine.profile if mine else {}).items()}
    features = selectors.features_of(panel)
    form = VolunteerForm(request.POST or None, features=features, initial=initial)
    if request.method == "POST" and verdict.allowed and form.is_valid():
        try:
            services.volunteer_register(
                actor=request.user,  # type: ignore[arg-type]
                module=module,
                profile=form.profile(),
                name_public=form.cleaned_data["name_public"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except Refused as refusal:
            messages.error(request, " ".join(str(r.message) for r in refusal.reasons))
        else:
            messages.success(request, _("Vous êtes inscrit·e parmi les volontaires du tirage au sort."))
            return redirect(module.get_absolute_url())
    context = {"module": module, "space": module.space, "panel": panel, "form": form, "verdict": verdict, "mine": mine}
    return render(request, "juries/volunteer.html", context, status=422 if form.errors else 200)


def draw_file(request: HttpRequest, slug: str, module_slug: str, number: int, kind: str) -> HttpResponse:
    """The committed files of a draw: its quotas and its pool (draw numbers and answers, no names) in the format of
    ``manage.py jury_draw``, and its ticket list."""
    module = _module(request, slug, module_slug)
    draw = get_object_or_404(Draw, panel__module=module, number=number)
    if kind == "categories":
        lines = [line for line in draw.quotas_text.splitlines() if not line.startswith("#")]
        body, content_type = "\n".join(lines) + "\n", "text/csv; charset=utf-8"
    elif kind == "respondents":
        body, content_type = draw.pool_text, "text/csv; charset=utf-8"
    else:
        body, content_type = json.dumps(draw.lottery, ensure_ascii=False), "application/json"
    response = HttpResponse(body, content_type=content_type)
    name = {"categories": "categories.csv", "respondents": "respondents.csv", "tickets": "tickets.json"}[kind]
    response["Content-Disposition"] = f'attachment; filename="jury-{module.pk}-tirage-{number}-{name}"'
    return response


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, slug: str, module_slug: str, token: str) -> HttpResponse:
    """A member drawn answers by the link they received (the token is their proof; no account needed)."""
    module = _module(request, slug, module_slug)
    volunteer = Volunteer.objects.filter(panel__module=module, invitation_token=token).first()
    if volunteer is None or volunteer.status == Volunteer.Status.POOL:
        raise Http404
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        services.invitation_answer(token=token, accept=accept, name_public=form.cleaned_data["name_public"])
        messages.success(
            request,
            _("Merci : vous êtes membre du jury.")
            if accept
            else _("Merci de votre réponse : une autre personne sera tirée au sort."),
        )
        return redirect(request.path)
    room = selectors.room_of(volunteer.panel)
    context = {
        "module": module,
        "space": module.space,
        "volunteer": volunteer,
        "form": form,
        "room": room,
        "in_room": room is not None and request.user.has_perm("juries.view_room", room),
        "may_join": explain(request.user, "juries.join_members_space", volunteer),
    }
    return render(request, "juries/invitation.html", context)


@require_POST
def join(request: HttpRequest, slug: str, module_slug: str, token: str) -> HttpResponse:
    """The member, signed in, links their account to their invitation and enters the members' space."""
    module = _module(request, slug, module_slug)
    volunteer = Volunteer.objects.filter(panel__module=module, invitation_token=token).first()
    if volunteer is None or volunteer.status == Volunteer.Status.POOL:
        raise Http404
    try:
        services.member_join(actor=request.user, token=token)  # type: ignore[arg-type]
    except Refused as refusal:
        messages.error(request, " ".join(str(r.message) for r in refusal.reasons))
        return redirect("spaces:juries:invitation", slug, module_slug, token)
    room = selectors.room_of(volunteer.panel)
    messages.success(request, _("Bienvenue dans l'espace des membres du jury."))
    return redirect(room.get_absolute_url() if room else module.get_absolute_url())
