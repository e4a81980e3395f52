"""Back-office pages of a jury: size and features with their quotas, the pool (import with per-line errors and a
confirmation), the commitment then the seed of each draw, the members and their invitations, replacements, the avis
citoyen and the collectivité's answers. Each action is a plain form POST (no JavaScript needed)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.views.common import actor, space_context
from participe.modules.juries import selectors, services
from participe.modules.juries.backoffice.forms import (
    AnswerForm,
    CommitForm,
    FeatureForm,
    ImportForm,
    PanelForm,
    RecommendationForm,
    RoomForm,
    SeedForm,
)
from participe.modules.juries.models import Feature, Panel, Recommendation, Room, Volunteer
from participe.modules.juries.services.draws import invitation_path
from participe.spaces.models import Module

PERM = "juries.manage_panel"


def _module(request: HttpRequest, module_pk: int) -> Module:
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_pk, module_type="juries")
    require_perm(request, PERM, module)
    return module


def _panel(module: Module) -> Panel | None:
    return Panel.objects.filter(module=module).first()


def _render(request: HttpRequest, module: Module, status: int = 200, **forms: Any) -> HttpResponse:
    panel = _panel(module)
    size = panel.size if panel else 24
    room = selectors.room_of(panel) if panel else None
    context = space_context(request, module.space) | {
        "module": module,
        "panel": panel,
        "features": selectors.features_of(panel) if panel else [],
        "composition": selectors.composition(panel) if panel else [],
        "draws": list(panel.draws.all()) if panel else [],
        "pending": selectors.pending_draw(panel) if panel else None,
        "members": [(v, invitation_path(v)) for v in selectors.members(panel)] if panel else [],
        "declined": panel.volunteers.filter(status=Volunteer.Status.DECLINED) if panel else [],
        "pool": panel.volunteers.filter(status=Volunteer.Status.POOL).count() if panel else 0,
        "recommendations": panel.recommendations.select_related("commitment") if panel else [],
        "panel_form": forms.get("panel_form")
        or PanelForm(
            initial={
                "size": size,
                "registration_open": panel.registration_open if panel else True,
                "presentation": panel.presentation if panel else "",
            }
        ),
        "feature_form": forms.get("feature_form") or FeatureForm(),
        "commit_form": forms.get("commit_form") or CommitForm(),
        "seed_form": forms.get("seed_form") or SeedForm(),
        "recommendation_form": forms.get("recommendation_form") or RecommendationForm(),
        "room": room,
        "sessions": selectors.sessions(room),
        "room_form": forms.get("room_form") or RoomForm(),
    }
    return render(request, "juries/backoffice/panel.html", context, status=status)


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    modules = [
        m
        for m in Module.objects.filter(module_type="juries", jury_room__isnull=True)
        .select_related("space")
        .order_by("-pk")[:200]
        if request.user.has_perm(PERM, m)
    ]
    return render(request, "juries/backoffice/index.html", {"modules": modules})


@staff_required
@require_http_methods(["GET", "POST"])
def panel(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    room = Room.objects.filter(module=module).select_related("panel").first()
    if room is not None:  # the members' space of a jury is run from the jury's page
        return redirect("backoffice:juries:panel", room.panel.module_id)
    if request.method == "GET":
        return _render(request, module)
    form = PanelForm(request.POST)
    if form.is_valid():
        try:
            services.panel_configure(actor=actor(request), module=module, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le jury est enregistré."))
            return redirect("backoffice:juries:panel", module.pk)
    return _render(request, module, 422, panel_form=form)


@staff_required
@require_http_methods(["GET", "POST"])
def feature(request: HttpRequest, module_pk: int, pk: int | None = None) -> HttpResponse:
    module = _module(request, module_pk)
    existing = get_object_or_404(Feature, pk=pk, panel__module=module) if pk else None
    initial = {}
    if existing:
        initial = {
            "label": existing.label,
            "values": "\n".join(
                f"{v.label} ; {str(v.share).replace('.', ',')} %"
                if v.share is not None
                else f"{v.label} ; {v.minimum} ; {v.maximum}"
                for v in existing.values.all()
            ),
        }
    form = FeatureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.feature_save(actor=actor(request), module=module, feature=existing, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La caractéristique et ses quotas sont enregistrés."))
            return redirect("backoffice:juries:panel", module.pk)
    if existing is None and request.method == "POST":
        return _render(request, module, 422, feature_form=form)
    context = space_context(request, module.space) | {"module": module, "form": form, "feature": existing}
    return render(request, "juries/backoffice/feature.html", context, status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def pool_import(request: HttpRequest, module_pk: int) -> HttpResponse:
    """Upload, see each bad line with its number, then import the good ones only if confirmed (the file is carried
    in the confirmation form: nothing is written before)."""
    module = _module(request, module_pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        text = upload.read().decode("utf-8-sig", errors="replace") if upload else form.cleaned_data["text"]
        if not text.strip():
            form.add_error("file", _("Choisissez un fichier CSV."))
        else:
            report = services.pool_import(
                actor=actor(request), module=module, text=text, confirm=form.cleaned_data["confirm"]
            )
            if report.imported:
                messages.success(request, _("%(n)s volontaires importés.") % {"n": report.imported})
                return redirect("backoffice:juries:panel", module.pk)
            form = ImportForm(initial={"text": text, "confirm": True})
    context = space_context(request, module.space) | {"module": module, "form": form, "report": report}
    return render(request, "juries/backoffice/import.html", context)


@staff_required
@require_POST
def commit(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    form = CommitForm(request.POST)
    if form.is_valid():
        try:
            draw = services.draw_commit(actor=actor(request), module=module, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Engagement publié : %(hash)s") % {"hash": draw.commitment_sha256})
            return redirect("backoffice:juries:panel", module.pk)
    return _render(request, module, 422, commit_form=form)


@staff_required
@require_POST
def draw(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    panel = _panel(module)
    pending = selectors.pending_draw(panel) if panel else None
    form = SeedForm(request.POST)
    if pending is None:
        form.add_error(None, _("Aucun tirage engagé n'attend sa graine."))
    elif form.is_valid():
        try:
            chosen = services.draw_run(actor=actor(request), draw=pending, seed=form.cleaned_data["seed"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tirage effectué : %(n)s personnes invitées.") % {"n": len(chosen)})
            return redirect("backoffice:juries:panel", module.pk)
    return _render(request, module, 422, seed_form=form)


@staff_required
@require_POST
def recommendation_add(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_save(actor=actor(request), module=module, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La recommandation est ajoutée."))
            return redirect("backoffice:juries:panel", module.pk)
    return _render(request, module, 422, recommendation_form=form)


@staff_required
@require_http_methods(["GET", "POST"])
def recommendation(request: HttpRequest, module_pk: int, pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    rec = get_object_or_404(Recommendation, pk=pk, panel__module=module)
    initial = {
        "decision": rec.decision if rec.decision != "pending" else "adopted",
        "answer": rec.answer,
        "follow_up": rec.commitment_id is None,
    }
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_answer(actor=actor(request), recommendation=rec, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La réponse est publiée."))
            return redirect("backoffice:juries:panel", module.pk)
    context = space_context(request, module.space) | {"module": module, "form": form, "recommendation": rec}
    return render(request, "juries/backoffice/answer.html", context, status=422 if form.errors else 200)


@staff_required
@require_POST
def members_space(request: HttpRequest, module_pk: int) -> HttpResponse:
    """Open the members' private space (documents, discussion, sessions)."""
    module = _module(request, module_pk)
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            services.members_space_open(actor=actor(request), module=module, welcome=form.cleaned_data["welcome"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("L'espace des membres est ouvert."))
            return redirect("backoffice:juries:panel", module.pk)
    return _render(request, module, 422, room_form=form)
