"""Back-office pages of a debate: its questions (write, order, publish, delete) and their syntheses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.views.common import actor, confirm_action, space_context
from participe.modules.debate import selectors, services
from participe.modules.debate.forms import SubjectForm, SynthesisForm
from participe.modules.debate.models import Subject
from participe.spaces.models import Module


def _module(request: HttpRequest, module_pk: int) -> Module:
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_pk, module_type="debate")
    require_perm(request, "debate.manage_subject", module)
    return module


def _subject(request: HttpRequest, pk: int) -> Subject:
    subject = get_object_or_404(Subject.objects.select_related("module__space"), pk=pk)
    require_perm(request, "debate.manage_subject", subject.module)
    return subject


def _context(request: HttpRequest, module: Module, **extra: Any) -> dict[str, Any]:
    return space_context(request, module.space) | {"module": module, **extra}


def _list_url(subject: Subject) -> str:
    return reverse("backoffice:debate:subjects", args=[subject.module_id]) + f"#sujet-{subject.pk}"


@staff_required
def subject_list(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    subjects = list(selectors.subjects_for_page(module, include_drafts=True))
    return render(request, "debate/subject_list.html", _context(request, module, subjects=subjects))


def _subject_form(request: HttpRequest, module: Module, subject: Subject) -> HttpResponse:
    form = SubjectForm(request.POST or None, request.FILES or None, instance=subject)
    if request.method == "POST" and form.is_valid():
        try:
            if subject.pk:
                saved = services.subject_edit(actor=actor(request), subject=subject, data=form.service_data())
            else:
                saved = services.subject_create(actor=actor(request), module=module, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("La question « %(title)s » a été enregistrée.") % {"title": saved.title})
            return redirect(_list_url(saved))
    context = _context(request, module, form=form, subject=subject)
    return render(request, "debate/subject_form.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def subject_create(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = _module(request, module_pk)
    return _subject_form(request, module, Subject(module=module))


@staff_required
@require_http_methods(["GET", "POST"])
def subject_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _subject(request, pk)
    return _subject_form(request, subject.module, subject)


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> None:
    """Do a service call; its refusal becomes an error message."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)


@staff_required
@require_POST
def subject_status(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _subject(request, pk)
    title = {"title": subject.title}
    if request.POST.get("action") == "unpublish":
        _run(
            request,
            lambda: services.subject_unpublish(actor=actor(request), subject=subject),
            _("La question « %(title)s » est repassée en brouillon.") % title,
        )
    else:
        _run(
            request,
            lambda: services.subject_publish(actor=actor(request), subject=subject),
            _("La question « %(title)s » est publiée.") % title,
        )
    return redirect(_list_url(subject))


@staff_required
@require_POST
def subject_move(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _subject(request, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    _run(
        request,
        lambda: services.subject_move(actor=actor(request), subject=subject, offset=offset),
        _("La question « %(title)s » a été déplacée.") % {"title": subject.title},
    )
    return redirect(_list_url(subject))


@staff_required
@require_http_methods(["GET", "POST"])
def subject_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _subject(request, pk)
    module = subject.module
    url = reverse("backoffice:debate:subjects", args=[module.pk])
    return confirm_action(
        request,
        action=lambda: services.subject_delete(actor=actor(request), subject=subject),
        title=_("Supprimer la question « %(title)s »") % {"title": subject.title},
        question=_(
            "La question sera supprimée définitivement, avec ses %(n)s commentaires, sa synthèse et ses documents."
        )
        % {"n": subject.comments_count},
        cancel_url=url,
        success_url=url,
        success_message=_("La question « %(title)s » a été supprimée.") % {"title": subject.title},
        button=_("Supprimer la question"),
        context=_context(request, module),
    )


def _synthesis_action(request: HttpRequest, subject: Subject, form: SynthesisForm) -> tuple[Subject, str]:
    action = request.POST.get("action")
    text = form.cleaned_data["synthesis"]
    if action == "unpublish":
        done = services.synthesis_unpublish(actor=actor(request), subject=subject)
        return done, _("La synthèse a été retirée de la page publique ; son texte est conservé.")
    if action == "publish":
        done = services.synthesis_publish(actor=actor(request), subject=subject, synthesis=text)
        return done, _("La synthèse est publiée ; les abonnés du débat en sont informés.")
    done = services.synthesis_edit(actor=actor(request), subject=subject, synthesis=text)
    return done, _("La synthèse a été enregistrée.")


@staff_required
@require_http_methods(["GET", "POST"])
def synthesis(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _subject(request, pk)
    form = SynthesisForm(request.POST or None, initial={"synthesis": subject.synthesis})
    if request.method == "POST" and form.is_valid():
        try:
            subject, message = _synthesis_action(request, subject, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("backoffice:debate:synthesis", pk=subject.pk)
    return render(request, "debate/synthesis_form.html", _context(request, subject.module, form=form, subject=subject))
