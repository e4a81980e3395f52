"""Public pages of the surveys module: the module page, one page per section to answer, the receipt, "mes réponses"
and the files sent with an answer. The answer pages work as plain forms (POST, then redirect); scripts only show
and hide conditional questions as one answers.

Staff of the space use the same pages with ``?apercu=1`` (preview: nothing saved), ``?test=1`` (saved as a test
response, never counted) or ``?papier=1`` (typing the answers of a paper questionnaire, counted, with no account).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from participe.modules.surveys.models import Answer, Questionnaire, Response
from participe.modules.surveys.selectors import answering as selectors
from participe.modules.surveys.services import answering
from participe.modules.surveys.views.answering_flow import Flow, answer_url, mode_of, render_receipt
from participe.spaces.http import require_visible
from participe.spaces.models import Module


def _module(request: HttpRequest, slug: str, module_slug: str) -> Module:
    """The surveys module at this address, if the user may see it (else the platform's refusal)."""
    module = (
        Module.objects.select_related("space")
        .prefetch_related("phases")
        .filter(space__slug=slug, slug=module_slug, module_type="surveys")
        .first()
    )
    if module is None:
        raise Http404
    require_visible(request, "surveys.view_questionnaire", module)
    return module


def module_page(request: HttpRequest, module: Module) -> HttpResponse:
    """The module page (``manifest.detail_view``): introduction, who may answer and until when, and the way in
    (start, resume, or why not)."""
    flow = Flow.open(request, module, mode="")
    questionnaire = flow.questionnaire
    settings = selectors.survey_settings(module)
    user = request.user
    context: dict[str, Any] = {
        "module": module,
        "space": module.space,
        "questionnaire": questionnaire,
        "window": selectors.answer_window(module),
        "phase": module.current_phase(),
        "timeline": [(phase, module) for phase in module.phases.all()],
        "settings": settings,
        "access": flow.access,
        "draft": flow.draft,
        "eligibility": selectors.eligibility_description(module),
        "questions_count": sum(1 for s in flow.specs if not s.is_section),
        "pages_count": len(flow.pages),
        "start_url": answer_url(module, flow.resume_page(), ""),
        "own_count": (
            selectors.own_responses(user, questionnaire).count()
            if questionnaire and user.has_perm("surveys.view_own_answers", module)
            else 0
        ),
        "can_try": user.has_perm("surveys.try_questionnaire", module),
        "can_enter_paper": user.has_perm("surveys.enter_paper_response", module),
        "can_manage": user.has_perm("surveys.manage_questionnaire", module),
        "can_view_results": user.has_perm("surveys.view_results", module),
    }
    return render(request, "surveys/module_page.html", context)


def answer(request: HttpRequest, slug: str, module_slug: str, page: int) -> HttpResponse:
    """One page of the questionnaire: its section's questions; "Précédent", "Suivant", "Enregistrer et continuer
    plus tard", and on the last page "Envoyer mes réponses"."""
    module = _module(request, slug, module_slug)
    flow = Flow.open(request, module, mode=mode_of(request))
    refusal = flow.refusal()
    if refusal is not None:
        return refusal
    current = flow.page(page)
    if current is None:
        raise Http404
    if request.method == "POST":
        return flow.post(current)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    shown = flow.first_shown_from(current)
    if shown.number != current.number:
        return redirect(answer_url(module, shown.number, flow.mode))
    return flow.render(current, errors=flow.errors_to_show(current))


@require_POST
def discard(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """Start again from a blank questionnaire: the draft is deleted."""
    module = _module(request, slug, module_slug)
    flow = Flow.open(request, module, mode=mode_of(request))
    if flow.mode == "apercu":
        flow.preview_forget()
    elif flow.draft is not None:
        answering.draft_discard(draft=flow.draft, session=request.session)
    messages.success(request, _("Vos réponses en cours ont été effacées."))
    return redirect(module.get_absolute_url() if not flow.mode else answer_url(module, 1, flow.mode))


def _response_for(request: HttpRequest, module: Module, receipt: Any) -> Response:
    questionnaire = get_object_or_404(Questionnaire, module=module)
    response = selectors.response_by_receipt(questionnaire, receipt)
    if response is None:
        raise Http404
    seen_here = str(response.receipt) in request.session.get(selectors.RECEIPTS_SESSION_KEY, [])
    if not seen_here and not request.user.has_perm("surveys.view_response", response):
        raise Http404
    return response


@require_safe
def receipt(request: HttpRequest, slug: str, module_slug: str, receipt: Any) -> HttpResponse:
    """The receipt: the answers are recorded, the closing message, and what comes next."""
    module = _module(request, slug, module_slug)
    response = _response_for(request, module, receipt)
    mode = "test" if response.is_test else "papier" if response.entered_by_id and not response.participant_id else ""
    return render_receipt(request, module, response, mode=mode)


@require_safe
def mine(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """The answers the signed-in participant sent to this questionnaire (not when answers are anonymous)."""
    module = _module(request, slug, module_slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    questionnaire = get_object_or_404(Questionnaire, module=module)
    anonymous = bool(selectors.survey_settings(module).get("anonymous"))
    responses = [] if anonymous else list(selectors.own_responses(request.user, questionnaire)[:50])
    specs = selectors.question_specs(questionnaire) if responses else []
    shown = selectors.shown_answers(specs, responses, module)
    context = {
        "module": module,
        "space": module.space,
        "questionnaire": questionnaire,
        "anonymous": anonymous,
        "responses": [(response, shown[response.pk]) for response in responses],
    }
    return render(request, "surveys/mine.html", context)


@require_safe
def answer_file(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse | FileResponse:
    """A file sent with an answer, for its author (answers not anonymous) and the staff of the space only."""
    module = _module(request, slug, module_slug)
    answer_row = (
        Answer.objects.select_related("response__questionnaire__module__space")
        .filter(pk=pk, response__questionnaire__module=module)
        .exclude(file="")
        .first()
    )
    if answer_row is None or not request.user.has_perm("surveys.view_response", answer_row.response):
        raise Http404
    try:
        handle = answer_row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = answer_row.file_name or answer_row.file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
