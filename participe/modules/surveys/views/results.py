"""Results of a questionnaire: the agents' pages in the back-office (results, answers, exports, downloads) and the
public pages (results when the module publishes them, aggregated counts as open data)."""

from __future__ import annotations

import datetime
import json
import posixpath
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.views.common import actor, page_cursor, space_context
from participe.modules.surveys import charts
from participe.modules.surveys import open_data as open_data_files
from participe.modules.surveys.forms.results import AnswerSearchForm, ExportForm, ResultsFilterForm, ScopeForm
from participe.modules.surveys.models import Answer, ExportJob, Question, Questionnaire
from participe.modules.surveys.results import (
    EVERYONE,
    PUBLIC_MIN_RESPONDENTS,
    SEARCH_WINDOW,
    Results,
    answers_page,
    crossable_questions,
    crosstab,
    has_listed_answers,
    numbered,
    questions_of,
    results_for,
    territory_options,
)
from participe.modules.surveys.results.scope import MIN_GROUP, protected_scope
from participe.modules.surveys.rules import survey_settings
from participe.modules.surveys.services import exports as export_services
from participe.spaces.http import require_visible
from participe.spaces.models import Module

MODULE_TYPE = "surveys"
POLL_SECONDS = 2
STALE_AFTER = datetime.timedelta(hours=2)


def _module(request: HttpRequest, module_pk: int) -> Module:
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_pk, module_type=MODULE_TYPE)
    require_perm(request, "surveys.view_responses", module)
    return module


def _context(request: HttpRequest, module: Module, **extra: Any) -> dict[str, Any]:
    return space_context(request, module.space) | {"module": module, **extra}


def with_charts(results: Results) -> Results:
    for result in results:
        if result.matrix:
            result.chart = charts.stacked_chart(result.matrix)
        elif result.lines:
            result.chart = charts.bar_chart(result.lines)
    return results


def _scope_query(request: HttpRequest) -> str:
    territory = request.GET.get("territoire", "")
    return urlencode({"territoire": territory}) if territory else ""


# --- back-office ---------------------------------------------------------------------------------------------
@staff_required
@require_safe
def results(request: HttpRequest, module_pk: int) -> HttpResponse:
    """Every question's results, filtered by territory, with a cross-tabulation of two closed questions."""
    module = _module(request, module_pk)
    questionnaire = Questionnaire.objects.filter(module=module).first()
    context = _context(request, module, questionnaire=questionnaire, settings=survey_settings(module))
    if questionnaire is not None:
        items = questions_of(questionnaire)
        form = ResultsFilterForm(
            request.GET or None, questions=crossable_questions(items), territories=territory_options()
        )
        scope, protected = protected_scope(questionnaire, form.scope())
        crossed = form.crossed()
        context |= {
            "protected_scope": protected,
            "minimum": MIN_GROUP,
            "form": form,
            "scope": scope,
            "scope_query": _scope_query(request),
            "results": with_charts(results_for(questionnaire, scope, with_answers=True, items=items)),
            "crosstab": crosstab(*crossed, scope) if crossed else None,
        }
    return render(request, "surveys/backoffice/results.html", context)


@staff_required
@require_safe
def question_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The free-text answers of a question (or its files, or its "autre, précisez" precisions), searchable, paged."""
    question = get_object_or_404(
        Question.objects.select_related("questionnaire__module__space").prefetch_related("choices"), pk=pk
    )
    module = question.questionnaire.module
    require_perm(request, "surveys.view_responses", module)
    if not has_listed_answers(question):
        raise Http404
    form = AnswerSearchForm(request.GET or None, territories=territory_options())
    scope, protected = protected_scope(question.questionnaire, form.scope())
    page = answers_page(question, scope=scope, search=form.search(), cursor=page_cursor(request))
    number = next(n for n, q in numbered(questions_of(question.questionnaire)) if q.pk == question.pk)
    context = _context(
        request,
        module,
        question=question,
        number=number,
        form=form,
        page=page,
        search=form.search(),
        window=SEARCH_WINDOW,
        protected_scope=protected,
        minimum=MIN_GROUP,
    )
    if request.htmx and request.GET.get("apres"):  # type: ignore[attr-defined]
        return render(request, "surveys/backoffice/results_answers_page.html", context)
    return render(request, "surveys/backoffice/results_answers.html", context)


@staff_required
@require_safe
def answer_file(request: HttpRequest, pk: int) -> FileResponse:
    """A file a respondent sent, for the staff of the space only."""
    answer = get_object_or_404(Answer.objects.select_related("question__questionnaire__module__space"), pk=pk)
    require_perm(request, "surveys.view_responses", answer.question.questionnaire.module)
    if not answer.file:
        raise Http404
    name = answer.file_name or posixpath.basename(answer.file.name)
    return FileResponse(answer.file.open("rb"), as_attachment=True, filename=name)


@staff_required
@require_http_methods(["GET", "POST"])
def export_list(request: HttpRequest, module_pk: int) -> HttpResponse:
    """Start an export (POST) and follow the exports of the questionnaire with their progress."""
    module = _module(request, module_pk)
    questionnaire = Questionnaire.objects.filter(module=module).first()
    if questionnaire is None:
        raise Http404
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = export_services.export_request(
            actor=actor(request), questionnaire=questionnaire, format=form.cleaned_data["format"]
        )
        messages.success(request, _("L'export est lancé. Il reste disponible pendant 7 jours."))
        return redirect(reverse("backoffice:surveys:exports", args=[module.pk]) + f"#export-{job.pk}")
    jobs = [_with_staleness(job) for job in questionnaire.exports.select_related("requested_by")[:20]]
    context = _context(request, module, questionnaire=questionnaire, form=form, jobs=jobs, poll=POLL_SECONDS)
    return render(request, "surveys/backoffice/exports.html", context)


def _with_staleness(job: ExportJob) -> ExportJob:
    """Mark an export still unfinished long after it was asked for: its worker has probably stopped."""
    unfinished = job.status in (ExportJob.Status.PENDING, ExportJob.Status.RUNNING)
    job.stale = unfinished and job.created_at < timezone.now() - STALE_AFTER  # type: ignore[attr-defined]
    return job


def _job(request: HttpRequest, pk: int) -> ExportJob:
    job = get_object_or_404(ExportJob.objects.select_related("questionnaire__module__space", "requested_by"), pk=pk)
    require_perm(request, "surveys.view_responses", job.questionnaire.module)
    return job


@staff_required
@require_safe
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of an export: a fragment polled by htmx; without JavaScript, the exports page."""
    job = _job(request, pk)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect(reverse("backoffice:surveys:exports", args=[job.questionnaire.module_id]) + f"#export-{job.pk}")
    return render(request, "surveys/backoffice/export_job.html", {"job": _with_staleness(job), "poll": POLL_SECONDS})


@staff_required
@require_safe
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    content_type = "text/csv; charset=utf-8" if job.format == ExportJob.Format.CSV else "application/json"
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=posixpath.basename(job.file.name), content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_POST
def export_delete(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    module_id = job.questionnaire.module_id
    export_services.export_delete(actor=actor(request), job=job)
    messages.success(request, _("L'export a été supprimé."))
    return redirect("backoffice:surveys:exports", module_pk=module_id)


# --- public pages ----------------------------------------------------------------------------------------------
def _public_module(slug: str, module_slug: str) -> Module:
    module = (
        Module.objects.select_related("space")
        .prefetch_related("phases")
        .filter(space__slug=slug, slug=module_slug, module_type=MODULE_TYPE)
        .first()
    )
    if module is None:
        raise Http404
    return module


@require_safe
def public_results(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """The aggregated results, when the module publishes them (free-text answers are never shown here)."""
    module = _public_module(slug, module_slug)
    require_visible(request, "surveys.view_results", module)
    questionnaire = Questionnaire.objects.filter(module=module).first()
    settings = survey_settings(module)
    form = ScopeForm(request.GET or None, territories=territory_options())
    scope = form.scope()
    results = results_for(questionnaire, scope) if questionnaire is not None else None
    can_manage = request.user.has_perm("surveys.view_responses", module)
    context = {
        "module": module,
        "space": module.space,
        "questionnaire": questionnaire,
        "settings": settings,
        "form": form,
        "scope": scope,
        "results": with_charts(results) if results is not None else None,
        "hidden_for_privacy": results is not None and results.hidden_from(staff=can_manage),
        "minimum": PUBLIC_MIN_RESPONDENTS,
        "can_manage": can_manage,
        "open_data": request.user.has_perm("surveys.download_open_data", module) and settings.get("results_open_data"),
    }
    return render(request, "surveys/results.html", context)


@require_safe
def open_data(request: HttpRequest, slug: str, module_slug: str, extension: str) -> HttpResponse:
    """The aggregated counts of every closed question (CSV) or every aggregated result (JSON), as open data."""
    module = _public_module(slug, module_slug)
    require_visible(request, "surveys.download_open_data", module)
    questionnaire = Questionnaire.objects.filter(module=module).first()
    if questionnaire is None or extension not in ("csv", "json"):
        raise Http404
    results = results_for(questionnaire, EVERYONE)
    name = f"{slugify(module.title)[:60] or 'questionnaire'}-resultats.{extension}"
    if extension == "csv":
        body = "\ufeff" + open_data_files.aggregated_csv(results)
        response = HttpResponse(body.encode(), content_type="text/csv; charset=utf-8")
    else:
        payload = open_data_files.results_payload(results)
        response = HttpResponse(json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
