"""Back-office of a proposals module (/gestion/m/proposals/): the agents' list, a proposal's analysis page, the
answers prepared and published in bulk. Entering, exporting and importing are in ``backoffice.data``.

Every page works without JavaScript (plain forms, POST then redirect); every write goes through
``services.analysis`` (audited), or the platform's assignments for the private notes (their deletion is the
platform's page too: ``assignments_backoffice:note_delete``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from participe.assignments import selectors as routing
from participe.assignments import services as assignments
from participe.assignments.forms import AssignForm, NoteForm
from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.views.common import actor, page_cursor, space_context
from participe.modules.proposals.backoffice.forms import AnswerForm, AssessForm, BackofficeFilterForm, BulkAnswerForm
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.selectors import analysis as selectors
from participe.modules.proposals.services import analysis
from participe.modules.proposals.views.proposals import map_config
from participe.spaces.models import Module

MAX_SELECTION = 500
SERVICE_LABEL = gettext_lazy("Service chargé de l'analyse")


# --- shared -------------------------------------------------------------------------------------------------------
def get_module(request: HttpRequest, module_pk: int, perm: str = "proposals.view_analysis") -> Module:
    module = get_object_or_404(
        Module.objects.select_related("space").prefetch_related("phases"), pk=module_pk, module_type="proposals"
    )
    require_perm(request, perm, module)
    return module


def context(request: HttpRequest, module: Module, **extra: Any) -> dict[str, Any]:
    user = request.user
    return space_context(request, module.space) | {
        "module": module,
        "can_manage": user.has_perm("proposals.manage_proposals", module),
        "can_import": user.has_perm("proposals.import_proposals", module),
        "can_enter": user.has_perm("proposals.enter_on_behalf", module),
        **extra,
    }


def _get_proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = selectors.proposal_for_analysis(pk)
    if proposal is None:
        raise Http404
    require_perm(request, "proposals.view_analysis", proposal.module)
    require_perm(request, "proposals.analyse_proposal", proposal)
    return proposal


def _selected_ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()][:MAX_SELECTION]


# --- the agents' list ---------------------------------------------------------------------------------------------
@staff_required
def index(request: HttpRequest) -> HttpResponse:
    """The proposals modules where the agent has work (the staff's spaces, the proposals of their services)."""
    require_perm(request, "backoffice.access")
    return render(request, "proposals/backoffice/index.html", {"entries": selectors.modules_for_agent(request.user)})


@staff_required
def proposal_list(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = get_module(request, module_pk)
    form = BackofficeFilterForm(request.GET)
    filters = form.filters()
    page = selectors.proposals_page(module, request.user, filters, cursor=page_cursor(request))
    total, more = selectors.bounded_count(selectors.proposals_for_agent(module, request.user, filters))
    query = request.GET.copy()
    query.pop("apres", None)
    return render(
        request,
        "proposals/backoffice/list.html",
        context(
            request,
            module,
            form=form,
            page=page,
            total=total,
            more=more,
            counts=selectors.module_counts(module, request.user),
            export_query=query.urlencode(),
        ),
    )


# --- the analysis page --------------------------------------------------------------------------------------------
def _answer_initial(proposal: Proposal) -> dict[str, str]:
    if proposal.draft_answer_status:
        return {"status": proposal.draft_answer_status, "answer": proposal.draft_answer}
    return {"status": proposal.answer_status, "answer": proposal.answer}


def _assign_form(*args: Any, **kwargs: Any) -> AssignForm:
    return AssignForm(*args, service_label=SERVICE_LABEL, **kwargs)


def _forms(proposal: Proposal, bound: str | None, data: Any) -> dict[str, Any]:
    """The page's forms; the one that was sent (``bound``) keeps what the agent typed, with its errors."""
    assignment = routing.assignment_of(proposal)
    initial = {
        "assign": {"service": assignment.service_id if assignment else None},
        "assess": {"feasibility": proposal.feasibility, "estimated_cost": proposal.estimated_cost},
        "answer": _answer_initial(proposal),
    }
    classes = {"assign": _assign_form, "assess": AssessForm, "answer": AnswerForm, "note": NoteForm}
    return {
        f"{name}_form": cls(data if bound == name else None, initial=initial.get(name), prefix=name)
        for name, cls in classes.items()
    }


def _assign(request: HttpRequest, proposal: Proposal, form: Any) -> str:
    require_perm(request, "proposals.manage_proposals", proposal.module)
    data = form.assignment_data()
    analysis.proposal_assign(actor=actor(request), proposal=proposal, **data)
    if data["service"] is None:
        return _("La proposition n'est plus confiée à aucun service.")
    return _("La proposition est confiée au service %(service)s ; ses agents en sont informés.") % {
        "service": data["service"]
    }


def _assess(request: HttpRequest, proposal: Proposal, form: Any) -> str:
    analysis.proposal_assess(actor=actor(request), proposal=proposal, **form.cleaned_data)
    return _("La faisabilité et le coût estimé sont enregistrés.")


def _answer(request: HttpRequest, proposal: Proposal, form: Any) -> str:
    data = form.cleaned_data
    if request.POST.get("action") == "publish":
        require_perm(request, "proposals.publish_answer", proposal)
        analysis.answer_publish(actor=actor(request), proposal=proposal, status=data["status"], answer=data["answer"])
        return _("La réponse est publiée sur la page de la proposition ; son auteur et ses abonnés sont informés.")
    analysis.answer_prepare(actor=actor(request), proposal=proposal, status=data["status"], answer=data["answer"])
    return _("La réponse est préparée. Elle n'est pas encore visible du public.")


def _note(request: HttpRequest, proposal: Proposal, form: Any) -> str:
    assignments.note_add(actor=actor(request), item=proposal, body=form.cleaned_data["body"])
    return _("La note est ajoutée.")


HANDLERS = {"assign": _assign, "assess": _assess, "answer": _answer, "note": _note}
ANCHORS = {"assign": "analyse", "assess": "analyse", "answer": "reponse", "note": "notes"}


def _handle_post(request: HttpRequest, proposal: Proposal, forms: dict[str, Any], name: str) -> HttpResponse | None:
    form = forms[f"{name}_form"]
    if not form.is_valid():
        return None
    try:
        message = HANDLERS[name](request, proposal, form)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, message)
    return redirect(reverse("backoffice:proposals:detail", args=[proposal.pk]) + f"#{ANCHORS[name]}")


def _discard(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    try:
        analysis.answer_discard(actor=actor(request), proposal=proposal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("La réponse préparée est abandonnée."))
    return redirect(reverse("backoffice:proposals:detail", args=[proposal.pk]) + "#reponse")


@staff_required
@require_http_methods(["GET", "POST"])
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get_proposal(request, pk)
    name = request.POST.get("form") if request.method == "POST" else None
    if name == "discard":
        return _discard(request, proposal)
    if name is not None and name not in HANDLERS:
        name = None
    forms = _forms(proposal, name, request.POST)
    if name is not None:
        response = _handle_post(request, proposal, forms, name)
        if response is not None:
            return response
    module = proposal.module
    return render(
        request,
        "proposals/backoffice/detail.html",
        context(
            request,
            module,
            proposal=proposal,
            history=selectors.history_of(proposal),
            map=map_config(),
            can_publish=request.user.has_perm("proposals.publish_answer", proposal),
            **forms,
        ),
        status=400 if name is not None else 200,
    )


# --- answers in bulk ----------------------------------------------------------------------------------------------
def _answers_url(module: Module, ids: list[int]) -> str:
    url = reverse("backoffice:proposals:answers", args=[module.pk])
    return f"{url}?{urlencode({'p': ids}, doseq=True)}" if ids else url


def _bulk_prepare(request: HttpRequest, proposals: list[Proposal], form: BulkAnswerForm) -> str:
    data = form.cleaned_data
    done = analysis.answers_prepare(
        actor=actor(request), proposals=proposals, status=data["status"], answer=data["answer"], replace=data["replace"]
    )
    return ngettext(
        "Une réponse est préparée pour %(n)s proposition.",
        "Une réponse est préparée pour %(n)s propositions.",
        len(done),
    ) % {"n": len(done)}


def _bulk_assign(request: HttpRequest, proposals: list[Proposal], form: AssignForm) -> str:
    changed = analysis.proposals_assign(actor=actor(request), proposals=proposals, **form.assignment_data())
    return ngettext(
        "%(n)s proposition a changé de service.", "%(n)s propositions ont changé de service.", len(changed)
    ) % {"n": len(changed)}


def _bulk_publish(request: HttpRequest, proposals: list[Proposal]) -> str:
    ready = [p for p in proposals if p.draft_answer_status]
    published = analysis.answers_publish(actor=actor(request), proposals=ready)
    return ngettext(
        "%(n)s réponse est publiée ; les auteurs et les abonnés sont informés.",
        "%(n)s réponses sont publiées ; les auteurs et les abonnés sont informés.",
        len(published),
    ) % {"n": len(published)}


def _bulk_forms(request: HttpRequest) -> tuple[str | None, BulkAnswerForm, AssignForm]:
    action = request.POST.get("action") if request.method == "POST" else None
    prepare = BulkAnswerForm(request.POST if action == "prepare" else None, prefix="bulk", initial={"replace": True})
    assign = _assign_form(request.POST if action == "assign" else None, prefix="assign")
    return action, prepare, assign


def _bulk_post(
    request: HttpRequest, module: Module, action: str, proposals: list[Proposal], forms: dict[str, Any]
) -> str | None:
    """Run the bulk action; its message, or None when a form has errors (shown on the page)."""
    if action in ("assign", "publish"):
        require_perm(request, "proposals.manage_proposals", module)
    if action == "publish":
        return _bulk_publish(request, proposals)
    form = forms["prepare_form" if action == "prepare" else "assign_form"]
    if not form.is_valid():
        return None
    try:
        return (
            _bulk_prepare(request, proposals, form) if action == "prepare" else _bulk_assign(request, proposals, form)
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@staff_required
@require_http_methods(["GET", "POST"])
def answers(request: HttpRequest, module_pk: int) -> HttpResponse:
    """The proposals ticked in the list (``p``), or every answer waiting for publication: prepare the same answer,
    give them to a service, publish their prepared answers together."""
    module = get_module(request, module_pk)
    source = request.POST if request.method == "POST" else request.GET
    ids = _selected_ids(source.getlist("p"))
    back = [] if source.get("attente") else ids  # publishing every waiting answer comes back to that list
    if ids:
        proposals = selectors.selected_proposals(module, request.user, ids)
    else:
        proposals = list(selectors.awaiting_publication(module, request.user)[:MAX_SELECTION])
    action, prepare_form, assign_form = _bulk_forms(request)
    forms = {"prepare_form": prepare_form, "assign_form": assign_form}
    if action in ("prepare", "assign", "publish") and proposals:
        try:
            message = _bulk_post(request, module, action, proposals, forms)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_answers_url(module, back))
        if message is not None:
            messages.success(request, message)
            return redirect(_answers_url(module, back))
    ready = [p for p in proposals if p.draft_answer_status]
    return render(
        request,
        "proposals/backoffice/answers.html",
        context(request, module, proposals=proposals, ready=ready, ids=ids, selection=bool(back), **forms),
        status=400 if action else 200,
    )
