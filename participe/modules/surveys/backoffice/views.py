"""Back-office pages of the questionnaire builder: presentation, questions (add, edit, kind, condition, order, copy,
delete), copy of the whole questionnaire into another module, test responses. Everything works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.views.common import actor, confirm_action, space_context
from participe.modules.surveys.backoffice.forms import (
    KIND_DESCRIPTIONS,
    ConditionForm,
    DuplicateForm,
    QuestionForm,
    QuestionKindForm,
    QuestionnaireForm,
    item_formset,
)
from participe.modules.surveys.models import Choice, Question, Questionnaire
from participe.modules.surveys.selectors import builder as selectors
from participe.modules.surveys.services import builder
from participe.modules.surveys.services.builder_checks import ChoiceSpec, RowSpec
from participe.spaces.models import Module

PERM = "surveys.manage_questionnaire"
CHOICE_BLANKS_NEW, CHOICE_BLANKS_EDIT, ROW_BLANKS_NEW = 5, 3, 4


# --- lookups --------------------------------------------------------------------------------------------------
def _module(request: HttpRequest, module_pk: int) -> Module:
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_pk, module_type="surveys")
    require_perm(request, PERM, module)
    return module


def _questionnaire(request: HttpRequest, pk: int) -> Questionnaire:
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("module__space"), pk=pk)
    require_perm(request, PERM, questionnaire.module)
    return questionnaire


def _question(request: HttpRequest, pk: int) -> Question:
    question = get_object_or_404(Question.objects.select_related("questionnaire__module__space"), pk=pk)
    require_perm(request, PERM, question.questionnaire.module)
    return question


def _context(request: HttpRequest, module: Module, **extra: Any) -> dict[str, Any]:
    return space_context(request, module.space) | {"module": module, **extra}


def _home(questionnaire: Questionnaire, question: Question | None = None) -> str:
    url = reverse("backoffice:surveys:questionnaire", args=[questionnaire.module_id])
    return f"{url}#question-{question.pk}" if question is not None else url


def _url_or_none(name: str, query: str = "", **kwargs: Any) -> str | None:
    """The address of a page of another part of the module, or None while it does not exist."""
    try:
        return reverse(name, kwargs=kwargs) + query
    except NoReverseMatch:
        return None


def answer_url(module: Module, query: str) -> str | None:
    """The first page of the questionnaire as residents see it: ``?apercu=1`` previews it, ``?test=1`` tests it."""
    return _url_or_none("spaces:surveys:answer", query, slug=module.space.slug, module_slug=module.slug, page=1)


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Do a service call; its refusal becomes an error message."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success)
    return True


# --- the builder's home -----------------------------------------------------------------------------------------
@staff_required
def questionnaire(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    survey = builder.questionnaire_for_module(module)
    items = selectors.builder_items(survey)
    context = _context(
        request,
        module,
        questionnaire=survey,
        items=items,
        questions_count=sum(1 for item in items if item.number is not None),
        pages_count=items[-1].page if items else 0,
        locked_reason=builder.structure_locked_reason(survey),
        test_count=selectors.test_responses_count(survey),
        preview_url=answer_url(module, "?apercu=1"),
        test_url=answer_url(module, "?test=1"),
        results_url=_url_or_none("backoffice:surveys:results", module_pk=module.pk),
        phase=module.current_phase(),
    )
    return render(request, "surveys/backoffice/questionnaire.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _questionnaire(request, pk)
    initial = {"intro": survey.intro, "closing_message": survey.closing_message}
    form = QuestionnaireForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            builder.questionnaire_edit(actor=actor(request), questionnaire=survey, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("La présentation du questionnaire a été enregistrée."))
            return redirect(_home(survey))
    context = _context(request, survey.module, questionnaire=survey, form=form)
    return render(request, "surveys/backoffice/questionnaire_form.html", context)


# --- adding and editing a question ------------------------------------------------------------------------------
def _kind_page(
    request: HttpRequest, module: Module, *, question: Question | None, form: QuestionKindForm
) -> HttpResponse:
    kinds = [(value, label, KIND_DESCRIPTIONS[Question.Kind(value)]) for value, label in Question.Kind.choices]
    context = _context(request, module, question=question, form=form, kinds=kinds)
    return render(request, "surveys/backoffice/question_kind.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    survey = builder.questionnaire_for_module(module)
    kind = request.POST.get("kind") or request.GET.get("kind")
    if kind not in Question.Kind.values:
        form = QuestionKindForm(request.GET if "kind" in request.GET else None)
        form.is_valid()
        return _kind_page(request, module, question=None, form=form)
    return _question_form(request, survey, Question(questionnaire=survey, kind=kind), kind)


@staff_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    kind = request.POST.get("kind") or request.GET.get("kind") or question.kind
    if kind not in Question.Kind.values:
        kind = question.kind
    if kind != question.kind:
        reason = builder.structure_locked_reason(question.questionnaire)
        if reason:
            messages.error(request, reason)
            return redirect("backoffice:surveys:question_edit", pk=question.pk)
    return _question_form(request, question.questionnaire, question, kind)


@staff_required
def question_kind(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose another kind for a question; the edit page then shows the options of that kind."""
    question = _question(request, pk)
    form = QuestionKindForm(initial={"kind": question.kind})
    return _kind_page(request, question.questionnaire.module, question=question, form=form)


class _Forms:
    """The question form with its choices and rows formsets, bound together."""

    def __init__(self, request: HttpRequest, question: Question, kind: str) -> None:
        data = request.POST if request.method == "POST" else None
        self.kind = kind
        initial = QuestionForm.initial_for(question) if question.pk else {"required": False}
        self.form = QuestionForm(data, kind=kind, initial=initial)
        existing = list(question.choices.all()) if question.pk else []
        self.other = next((c for c in existing if c.is_other), None)
        self.choices = None
        self.rows = None
        if kind in Question.CHOICE_KINDS:
            plain = [c for c in existing if not c.is_other]
            blanks = CHOICE_BLANKS_EDIT if plain else CHOICE_BLANKS_NEW
            self.choices = item_formset(data, prefix="choix", items=plain, blanks=blanks)
        if kind == Question.Kind.MATRIX:
            rows = list(question.rows.all()) if question.pk else []
            self.rows = item_formset(
                data, prefix="lignes", items=rows, blanks=CHOICE_BLANKS_EDIT if rows else ROW_BLANKS_NEW
            )
        self.choices_errors: list[str] = []
        self.rows_errors: list[str] = []

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for formset in (self.choices, self.rows):
            if formset is not None:
                valid = formset.is_valid() and valid
        return valid

    def choice_specs(self) -> list[ChoiceSpec]:
        if self.choices is None:
            return []
        specs: list[ChoiceSpec] = self.choices.specs(ChoiceSpec)
        other = self.form.other_choice(self.other)
        return [*specs, other] if other is not None else specs

    def row_specs(self) -> list[RowSpec]:
        return self.rows.specs(RowSpec) if self.rows is not None else []

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            errors = dict(exc.error_dict)
            self.choices_errors = [m for e in errors.pop("choices", []) for m in e.messages]
            self.rows_errors = [m for e in errors.pop("rows", []) for m in e.messages]
            if self.choices is None and self.choices_errors:
                errors["__all__"] = [ValidationError(self.choices_errors)]
            if errors:
                add_service_errors(self.form, ValidationError(errors))
        else:
            add_service_errors(self.form, exc)

    @property
    def has_errors(self) -> bool:
        formsets = [f for f in (self.choices, self.rows) if f is not None and f.is_bound]
        return bool(
            self.form.errors
            or self.choices_errors
            or self.rows_errors
            or any(f.non_form_errors() or any(f.errors) for f in formsets)
        )


def _save_question(request: HttpRequest, survey: Questionnaire, question: Question, forms: _Forms) -> Question:
    data = forms.form.service_data()
    if question.pk:
        return builder.question_edit(
            actor=actor(request),
            question=question,
            data=data,
            choices=forms.choice_specs(),
            rows=forms.row_specs(),
        )
    return builder.question_create(
        actor=actor(request), questionnaire=survey, data=data, choices=forms.choice_specs(), rows=forms.row_specs()
    )


def _question_form(request: HttpRequest, survey: Questionnaire, question: Question, kind: str) -> HttpResponse:
    forms = _Forms(request, question, kind)
    if request.method == "POST" and forms.is_valid():
        try:
            saved = _save_question(request, survey, question, forms)
        except ValidationError as exc:
            forms.add_service_errors(exc)
        else:
            what = _("La section") if saved.is_section else _("La question")
            messages.success(
                request, _("%(what)s « %(title)s » a été enregistrée.") % {"what": what, "title": saved.title}
            )
            if "continuer" in request.POST:
                return redirect("backoffice:surveys:question_edit", pk=saved.pk)
            return redirect(_home(survey, saved))
    context = _context(
        request,
        survey.module,
        questionnaire=survey,
        question=question,
        kind=kind,
        kind_label=Question.Kind(kind).label,
        kind_description=KIND_DESCRIPTIONS[Question.Kind(kind)],
        kind_changed=bool(question.pk) and kind != question.kind,
        forms=forms,
        form=forms.form,
        locked_reason=builder.structure_locked_reason(survey),
    )
    return render(request, "surveys/backoffice/question_form.html", context)


# --- condition, order, copy, deletion ---------------------------------------------------------------------------
def _selected_condition(request: HttpRequest, question: Question, candidates: list[Question]) -> Question | None:
    raw = request.POST.get("condition_question") if request.method == "POST" else request.GET.get("condition_question")
    if raw is None:
        return question.condition_question
    return next((q for q in candidates if str(q.pk) == raw), None)


@staff_required
@require_http_methods(["GET", "POST"])
def question_condition(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    survey = question.questionnaire
    candidates = selectors.condition_candidates(question)
    selected = _selected_condition(request, question, candidates)
    current = selected is not None and selected.pk == question.condition_question_id
    initial = {
        "condition_question": selected.pk if selected else None,
        "condition_choices": list(question.condition_choices.all()) if current else [],
    }
    saving = request.method == "POST" and request.POST.get("action") != "choisir"
    form = ConditionForm(request.POST if saving else None, candidates=candidates, selected=selected, initial=initial)
    if saving and form.is_valid():
        chosen: list[Choice] = list(form.cleaned_data["condition_choices"])
        condition = form.cleaned_data["condition_question"]
        try:
            builder.question_set_condition(
                actor=actor(request), question=question, condition_question=condition, choices=chosen
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if condition is None:
                messages.success(
                    request, _("La question « %(title)s » s'affiche toujours.") % {"title": question.title}
                )
            else:
                messages.success(
                    request,
                    _("La condition d'affichage de « %(title)s » a été enregistrée.") % {"title": question.title},
                )
            return redirect(_home(survey, question))
    context = _context(
        request,
        survey.module,
        questionnaire=survey,
        question=question,
        form=form,
        candidates=candidates,
        selected=selected,
    )
    return render(request, "surveys/backoffice/question_condition.html", context)


@staff_required
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    _run(
        request,
        lambda: builder.question_move(actor=actor(request), question=question, offset=offset),
        _("« %(title)s » a été déplacée.") % {"title": question.title},
    )
    return redirect(_home(question.questionnaire, question))


@staff_required
@require_POST
def question_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    try:
        copy = builder.question_duplicate(actor=actor(request), question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_home(question.questionnaire, question))
    messages.success(request, _("« %(title)s » a été dupliquée : modifiez la copie.") % {"title": question.title})
    return redirect(_home(question.questionnaire, copy))


@staff_required
@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    survey = question.questionnaire
    dependents = [q.title for q in question.dependents.order_by("position")]
    text = _("La question et ses choix seront supprimés définitivement.")
    if question.is_section:
        text = _("La section sera supprimée : ses questions rejoindront la page précédente.")
    if dependents:
        text += " " + _(
            "Ces questions ne s'affichaient que selon sa réponse ; elles s'afficheront toujours : %(titles)s."
        ) % {"titles": ", ".join(f"« {t} »" for t in dependents)}
    reason = builder.structure_locked_reason(survey)
    if reason and request.method == "GET":
        messages.error(request, reason)
        return redirect(_home(survey, question))
    return confirm_action(
        request,
        action=lambda: builder.question_delete(actor=actor(request), question=question),
        title=_("Supprimer « %(title)s »") % {"title": question.title},
        question=text,
        cancel_url=_home(survey, question),
        success_url=_home(survey),
        success_message=_("« %(title)s » a été supprimée.") % {"title": question.title},
        button=_("Supprimer"),
        context=_context(request, survey.module),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def questionnaire_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _questionnaire(request, pk)
    targets = selectors.duplicate_targets(request.user, survey.module)
    form = DuplicateForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            builder.questionnaire_duplicate(actor=actor(request), source=survey, target_module=target)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Les questions ont été copiées dans « %(title)s ».") % {"title": target.title})
            return redirect("backoffice:surveys:questionnaire", module_pk=target.pk)
    context = _context(request, survey.module, questionnaire=survey, form=form, has_targets=targets.exists())
    return render(request, "surveys/backoffice/questionnaire_duplicate.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def test_responses_clear(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _questionnaire(request, pk)
    count = selectors.test_responses_count(survey)
    return confirm_action(
        request,
        action=lambda: builder.test_responses_clear(actor=actor(request), questionnaire=survey),
        title=_("Effacer les réponses de test"),
        question=_("Les %(n)s réponses de test seront effacées. Elles n'ont jamais été comptées dans les résultats.")
        % {"n": count},
        cancel_url=_home(survey),
        success_url=_home(survey),
        success_message=_("Les réponses de test ont été effacées."),
        button=_("Effacer les réponses de test"),
        context=_context(request, survey.module),
    )
