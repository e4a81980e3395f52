"""Back-office pages of a votation: the question and its options, the election's settings, the decision. The
scrutin itself (stations, émargements, paper batches, closing, counting) is run from the ballot service's pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.views.common import actor, confirm_action, space_context
from participe.modules.votation import selectors, services
from participe.modules.votation.backoffice.forms import DecisionForm, OptionForm, QuestionForm
from participe.modules.votation.models import Option, Question
from participe.modules.votation.schema import options_of
from participe.spaces.models import Module

PERM = "votation.manage_votation"


def _module(request: HttpRequest, module_pk: int) -> Module:
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_pk, module_type="votation")
    require_perm(request, PERM, module)
    return module


def _context(request: HttpRequest, module: Module, **extra: Any) -> dict[str, Any]:
    return space_context(request, module.space) | {"module": module, **extra}


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    """The votations the agent runs."""
    modules = [
        m
        for m in Module.objects.filter(module_type="votation").select_related("space").order_by("-pk")[:200]
        if request.user.has_perm(PERM, m)
    ]
    return render(request, "votation/backoffice/index.html", {"modules": modules})


@staff_required
def question(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    current = selectors.question_of(module)
    form = QuestionForm(request.POST or None, instance=current, election=current.election if current else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                actor=actor(request), module=module, data=form.question_data(), election=form.election_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("La question est enregistrée."))
            return redirect("backoffice:votation:question", module_pk=module.pk)
    context = _context(
        request,
        module,
        form=form,
        question=current,
        options=options_of(current) if current else [],
        locked=services.is_locked(current) if current else False,
    )
    return render(request, "votation/backoffice/question.html", context)


def _option_form(request: HttpRequest, module: Module, question: Question, option: Option | None) -> HttpResponse:
    form = OptionForm(request.POST or None, request.FILES or None, instance=option)
    if request.method == "POST" and form.is_valid():
        try:
            services.option_save(actor=actor(request), question=question, option=option, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("L'option est enregistrée."))
            return redirect("backoffice:votation:question", module_pk=module.pk)
    return render(request, "votation/backoffice/option_form.html", _context(request, module, form=form, option=option))


@staff_required
def option_create(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    question = selectors.question_of(module)
    if question is None:
        messages.error(request, _("Écrivez d'abord la question."))
        return redirect("backoffice:votation:question", module_pk=module.pk)
    return _option_form(request, module, question, None)


def _option(request: HttpRequest, pk: int) -> Option:
    option = get_object_or_404(Option.objects.select_related("question__module__space", "question__election"), pk=pk)
    require_perm(request, PERM, option.question.module)
    return option


@staff_required
def option_edit(request: HttpRequest, pk: int) -> HttpResponse:
    option = _option(request, pk)
    return _option_form(request, option.question.module, option.question, option)


@staff_required
def option_delete(request: HttpRequest, pk: int) -> HttpResponse:
    option = _option(request, pk)
    module = option.question.module
    back = reverse("backoffice:votation:question", kwargs={"module_pk": module.pk})
    return confirm_action(
        request,
        action=lambda: services.option_delete(actor=actor(request), option=option),
        title=_("Supprimer une option"),
        question=_("Supprimer l'option « %(title)s » ?") % {"title": option.title},
        cancel_url=back,
        success_url=back,
        success_message=_("L'option est supprimée."),
        button=_("Supprimer"),
        context={"space": module.space, "module": module},
    )


@staff_required
def decision(request: HttpRequest, module_pk: int) -> HttpResponse:
    """Prepare the argued decision, and publish it once the results are out."""
    module = _module(request, module_pk)
    question = selectors.question_of(module)
    if question is None:
        return redirect("backoffice:votation:question", module_pk=module.pk)
    initial = {
        "status": question.draft_decision_status or question.decision_status,
        "text": question.draft_decision or question.decision,
    }
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        publish = "publier" in request.POST
        try:
            services.decision_save(
                actor=actor(request),
                question=question,
                status=form.cleaned_data["status"],
                text=form.cleaned_data["text"],
                publish=publish,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("La décision est publiée.") if publish else _("La décision est enregistrée."))
            return redirect("backoffice:votation:decision", module_pk=module.pk)
    context = _context(request, module, form=form, question=question)
    return render(request, "votation/backoffice/decision.html", context)
