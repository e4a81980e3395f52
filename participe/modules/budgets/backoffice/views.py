"""Back-office pages of a budget participatif: envelopes, projects (entered, imported from CSV, made from retained
proposals), the services' analysis (routing, answers prepared and published in bulk), opening the vote, the tally
and the publication of the results. The scrutin itself (polling stations, émargements, paper batches, closing,
counting) is run from the ballot service's pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from participe.assignments import selectors as assignment_selectors
from participe.assignments import services as assignments
from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.views.common import actor, space_context
from participe.modules.budgets import selectors, services
from participe.modules.budgets.backoffice.forms import (
    AnswerForm,
    CandidatesForm,
    CsvForm,
    EnvelopeForm,
    OpenVoteForm,
    PabulibForm,
    ProjectForm,
    TallyForm,
)
from participe.modules.budgets.models import Envelope, Project
from participe.organisation.models import Service
from participe.permissions.refusals import Refused
from participe.spaces.models import Module

PERM = "budgets.manage_budget"


def _module(request: HttpRequest, module_pk: int, perm: str = PERM) -> Module:
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_pk, module_type="budgets")
    require_perm(request, perm, module)
    return module


def _context(request: HttpRequest, module: Module, **extra: Any) -> dict[str, Any]:
    return space_context(request, module.space) | {"module": module, **extra}


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    modules = [
        m
        for m in Module.objects.filter(module_type="budgets").select_related("space").order_by("-pk")[:200]
        if request.user.has_perm(PERM, m)
    ]
    return render(request, "budgets/backoffice/index.html", {"modules": modules})


@staff_required
def module_page(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    projects = list(selectors.projects_in(module))
    assignment_selectors.prefetch_assignments(projects)
    context = _context(request, module, envelopes=selectors.envelopes_of(module), projects=projects)
    return render(request, "budgets/backoffice/module.html", context)


def _envelope_form(request: HttpRequest, module: Module, envelope: Envelope | None) -> HttpResponse:
    form = EnvelopeForm(request.POST or None, instance=envelope)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the envelope and its categories, or neither
                saved = services.envelope_save(
                    actor=actor(request), module=module, envelope=envelope, data=form.service_data()
                )
                services.categories_save(
                    actor=actor(request), envelope=saved, categories=form.cleaned_data["categories"]
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("L'enveloppe est enregistrée."))
            return redirect("backoffice:budgets:module", module_pk=module.pk)
    context = _context(request, module, form=form, envelope=envelope)
    return render(request, "budgets/backoffice/envelope_form.html", context)


@staff_required
def envelope_create(request: HttpRequest, module_pk: int) -> HttpResponse:
    return _envelope_form(request, _module(request, module_pk), None)


def _envelope(request: HttpRequest, pk: int) -> Envelope:
    envelope = get_object_or_404(Envelope.objects.select_related("module__space", "election"), pk=pk)
    require_perm(request, PERM, envelope.module)
    return envelope


@staff_required
def envelope_edit(request: HttpRequest, pk: int) -> HttpResponse:
    envelope = _envelope(request, pk)
    return _envelope_form(request, envelope.module, envelope)


@staff_required
def project_create(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    form = ProjectForm(request.POST or None, request.FILES or None, module=module)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.project_save(actor=actor(request), module=module, project=None, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le projet est enregistré."))
            return redirect("backoffice:budgets:project", pk=made.pk)
    return render(request, "budgets/backoffice/project_form.html", _context(request, module, form=form))


@staff_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    """A project: its fields (who runs the budget), the service's answer (the agents of its service), notes."""
    item = get_object_or_404(Project.objects.select_related("module__space", "envelope"), pk=pk)
    module = item.module
    require_perm(request, "budgets.analyse_project", item)
    manager = request.user.has_perm(PERM, module)
    form = ProjectForm(None, instance=item, module=module) if manager else None
    answer = AnswerForm(
        None,
        module=module,
        initial={"feasibility": item.draft_feasibility, "answer": item.draft_answer, "cost": item.draft_cost},
    )
    if request.method == "POST" and "avis" in request.POST:
        answer = AnswerForm(request.POST, module=module)
        if answer.is_valid():
            data = answer.cleaned_data
            try:
                services.answers_prepare(
                    actor=actor(request),
                    projects=[item],
                    feasibility=data["feasibility"],
                    answer=data["answer"],
                    cost=data["cost"],
                    merged_into=data["merged_into"],
                )
            except ValidationError as exc:
                add_service_errors(answer, exc)
            else:
                messages.success(request, _("L'avis est préparé ; il sera publié avec les autres."))
                return redirect("backoffice:budgets:project", pk=item.pk)
    elif request.method == "POST" and manager:
        form = ProjectForm(request.POST, request.FILES or None, instance=item, module=module)
        if form.is_valid():
            try:
                services.project_save(actor=actor(request), module=module, project=item, data=form.service_data())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Le projet est enregistré."))
                return redirect("backoffice:budgets:project", pk=item.pk)
    context = _context(request, module, project=item, form=form, answer_form=answer, manager=manager)
    return render(request, "budgets/backoffice/project.html", context)


@staff_required
def project_import(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    form = CsvForm(request.POST or None, request.FILES or None)
    errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            report = services.projects_import_csv(actor=actor(request), module=module, text=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not report.errors:
                messages.success(request, _("%(n)s projets importés.") % {"n": len(report.created)})
                return redirect("backoffice:budgets:module", module_pk=module.pk)
            errors = report.errors
    context = _context(request, module, form=form, line_errors=errors)
    return render(request, "budgets/backoffice/import.html", context)


@staff_required
def envelope_import(request: HttpRequest, module_pk: int) -> HttpResponse:
    """A Pabulib file as a new envelope (simulation, audit): every bad line listed; bad ballot lines may be left out
    once the agent confirms, for the same file."""
    module = _module(request, module_pk)
    form = PabulibForm(request.POST or None, request.FILES or None)
    check = None
    if request.method == "POST" and form.is_valid():
        try:
            envelope = services.envelope_import_pabulib(
                actor=actor(request),
                module=module,
                text=form.cleaned_data["file"],
                filename=request.FILES["file"].name,
                title=form.cleaned_data["title"],
                skip_bad_lines=form.confirmed,
            )
        except services.PabulibRefused as refused:
            check = refused.check
            form = PabulibForm(initial={"title": form.cleaned_data["title"], "checked": form.sha256})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("L'enveloppe « %(title)s » est importée.") % {"title": envelope.title})
            return redirect("backoffice:budgets:envelope_results", pk=envelope.pk)
    if not (check and not check.fatal) and not request.POST.get("checked"):
        form.fields.pop("confirm")  # offered only once a check found bad ballot lines only
    context = _context(request, module, form=form, check=check)
    return render(request, "budgets/backoffice/envelope_import.html", context)


def _candidates(module: Module) -> tuple[list[Any], dict[str, Any]]:
    groups = services.candidate_groups(module)
    items: dict[str, Any] = {}
    for group in groups:
        for item in group.items:
            if item.pk not in group.linked_ids:
                items[f"{group.module.pk}:{item.pk}"] = item
    return groups, items


@staff_required
def from_proposals(request: HttpRequest, module_pk: int) -> HttpResponse:
    """The retained proposals of the démarche's idea boxes (offers of kind « idea »), to turn into projects."""
    module = _module(request, module_pk)
    groups, items = _candidates(module)
    choices = [(key, str(item)) for key, item in items.items()]
    form = CandidatesForm(request.POST or None, module=module, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = [items[key] for key in form.cleaned_data["origins"]]
        try:
            made = services.projects_from_candidates(
                actor=actor(request), module=module, origins=chosen, envelope=form.cleaned_data["envelope"]
            )
        except (ValidationError, Refused) as exc:
            if isinstance(exc, Refused):
                form.add_error(None, str(exc))
            else:
                add_service_errors(form, exc)
        else:
            messages.success(request, _("%(n)s projets créés à partir des propositions.") % {"n": len(made)})
            return redirect("backoffice:budgets:module", module_pk=module.pk)
    context = _context(request, module, form=form, groups=groups, available=bool(items))
    return render(request, "budgets/backoffice/from_proposals.html", context)


def _bulk(request: HttpRequest, module: Module, chosen: list[Project], form: AnswerForm) -> str | None:
    """Run the bulk action the agent asked for; its success message, or None when the form shows what is wrong."""
    action = request.POST.get("action")
    if action == "assign":
        service = Service.objects.filter(pk=request.POST.get("service") or 0).first()
        changed = assignments.assign_many(actor=actor(request), items=chosen, service=service)
        return _("%(n)s projets confiés.") % {"n": len(changed)}
    if action == "publish":
        published = services.answers_publish(actor=actor(request), projects=chosen)
        return _("%(n)s avis publiés.") % {"n": len(published)}
    if form.is_valid():
        data = form.cleaned_data
        services.answers_prepare(
            actor=actor(request),
            projects=chosen,
            feasibility=data["feasibility"],
            answer=data["answer"],
            cost=data["cost"],
            merged_into=data["merged_into"],
        )
        return _("%(n)s avis préparés.") % {"n": len(chosen)}
    return None


@staff_required
def analysis(request: HttpRequest, module_pk: int) -> HttpResponse:
    """The projects with their service and the answer prepared: give a selection to a service, prepare the same
    answer for several, publish the prepared answers together."""
    module = _module(request, module_pk)
    projects = list(selectors.projects_in(module))
    assignment_selectors.prefetch_assignments(projects)
    form = AnswerForm(request.POST if request.POST.get("action") == "prepare" else None, module=module)
    if request.method == "POST":
        chosen = [p for p in projects if str(p.pk) in request.POST.getlist("projets")]
        if not chosen:
            messages.error(request, _("Cochez au moins un projet."))
        else:
            try:
                done = _bulk(request, module, chosen, form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Refused as refused:
                form.add_error(None, str(refused))
            else:
                if done:
                    messages.success(request, done)
                    return redirect("backoffice:budgets:analysis", module_pk=module.pk)
    context = _context(
        request,
        module,
        projects=projects,
        form=form,
        services=Service.objects.order_by("name"),
        chosen=request.POST.getlist("projets"),
    )
    return render(request, "budgets/backoffice/analysis.html", context)


@staff_required
def vote_open(request: HttpRequest, pk: int) -> HttpResponse:
    envelope = _envelope(request, pk)
    form = OpenVoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.vote_open(actor=actor(request), envelope=envelope, channels=form.cleaned_data["channels"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le vote de l'enveloppe est ouvert (pendant l'étape « Vote » du module)."))
            return redirect("backoffice:budgets:module", module_pk=envelope.module_id)
    context = _context(request, envelope.module, form=form, envelope=envelope)
    return render(request, "budgets/backoffice/vote_open.html", context)


@staff_required
def envelope_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Tally the counted election with a rule (again with another, to compare), then publish."""
    envelope = _envelope(request, pk)
    form = TallyForm(request.POST or None, initial={"rule": envelope.rule})
    if request.method == "POST":
        try:
            if "realisation" in request.POST:
                made = services.delivery_start(actor=actor(request), envelope=envelope)
                messages.success(request, _("%(n)s projets suivis jusqu'à leur réalisation.") % {"n": len(made)})
                return redirect("backoffice:budgets:envelope_results", pk=envelope.pk)
            if "publier" in request.POST:
                services.results_publish(actor=actor(request), envelope=envelope)
                messages.success(request, _("Les résultats sont publiés."))
                return redirect("backoffice:budgets:envelope_results", pk=envelope.pk)
            if form.is_valid():
                services.envelope_tally(actor=actor(request), envelope=envelope, rule=form.cleaned_data["rule"])
                messages.success(request, _("Le résultat est calculé : relisez-le avant de le publier."))
                return redirect("backoffice:budgets:envelope_results", pk=envelope.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        envelope.refresh_from_db()
    context = _context(request, envelope.module, form=form, envelope=envelope, results=selectors.results(envelope))
    return render(request, "budgets/backoffice/results.html", context)
