"""The moderation queue of the back-office: reported, hidden and pending contents, decisions, account blocks."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from participe.accounts.models import User
from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.views.common import actor, page_cursor
from participe.core.pagination import keyset_paginate
from participe.moderation import selectors, services
from participe.moderation.forms import BlockForm, DecisionForm, EditFormattingForm, QueueFilterForm
from participe.moderation.models import AccountBlock, ModerationCase

SUCCESS = {
    "masquer": gettext_lazy("Le contenu est masqué ; son auteur en est informé."),
    "rendre-visible": gettext_lazy("Le contenu est de nouveau visible ; son auteur en est informé."),
    "publier": gettext_lazy("Le contenu est publié ; son auteur en est informé."),
    "classer": gettext_lazy("Les signalements sont classés sans suite."),
}


def _attach_targets(cases: list[ModerationCase]) -> None:
    """Load the contents of a page of cases with one query per model."""
    by_type: dict[int, list[ModerationCase]] = defaultdict(list)
    for case in cases:
        by_type[case.content_type_id].append(case)
    for group in by_type.values():
        model = group[0].content_type.model_class()
        found = model._default_manager.in_bulk([c.object_id for c in group]) if model else {}
        for case in group:
            content = found.get(case.object_id)
            if (
                content is not None
                and case.module is not None
                and getattr(content, "module_id", None) == case.module_id
            ):
                content.module = case.module  # its address is built from its module and space: no query per row
            case.content = content  # type: ignore[attr-defined]


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    require_perm(request, "moderation.access_queue")
    filters = QueueFilterForm(request.GET or None, spaces=selectors.moderated_spaces(request.user).order_by("title"))
    cases = selectors.queue_cases(user=request.user, **filters.filters())
    page = keyset_paginate(cases, ordering=("-updated_at", "-pk"), cursor=page_cursor(request), size=25)
    _attach_targets(page.items)
    return render(request, "moderation/queue.html", {"filters": filters, "page": page})


def _case_and_target(request: HttpRequest, pk: int) -> tuple[ModerationCase, Model]:
    case = get_object_or_404(
        selectors.cases_visible_to(request.user).select_related("content_type", "space", "module", "author"), pk=pk
    )
    target = case.target
    if target is None:
        raise Http404
    require_perm(request, "moderation.moderate_content", target)
    return case, target


def _field_choices(target: Model) -> list[tuple[str, str]]:
    return [(name, str(target._meta.get_field(name).verbose_name)) for name in services.editable_fields(target)]


def _detail(request: HttpRequest, case: ModerationCase, target: Model, **forms: Any) -> HttpResponse:
    status = getattr(target, "moderation_status", "published")
    actions = []
    if status in ("published", "pending"):
        actions.append(("masquer", _("Masquer le contenu"), "button--danger"))
    elif status == "hidden" and case.is_open:
        actions.append(("masquer", _("Confirmer le masquage"), "button--danger"))
    if status == "hidden":
        actions.append(("rendre-visible", _("Rendre visible"), ""))
    if status == "pending":
        actions.append(("publier", _("Publier"), ""))
    if status != "hidden" and case.reports_count:
        actions.append(("classer", _("Classer les signalements sans suite"), "button--secondary"))
    failed = forms.get("failed_action")
    decision_forms = [
        (key, label, style, forms["form"] if key == failed else DecisionForm(prefix=key))
        for key, label, style in actions
    ]
    author = case.author
    context = {
        "case": case,
        "target": target,
        "text_fields": [
            (target._meta.get_field(n).verbose_name, getattr(target, n)) for n in services.editable_fields(target)
        ],
        "reports": selectors.case_reports(case),
        "history": selectors.case_history(case)[:50],
        "decisions": decision_forms,
        "can_edit": bool(services.editable_fields(target)),
        "can_block": author is not None
        and request.user.has_perm("moderation.block_user")
        and author.pk != request.user.pk,
        "author": author,
    }
    return render(request, "moderation/case_detail.html", context, status=400 if failed else 200)


@staff_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case, target = _case_and_target(request, pk)
    return _detail(request, case, target)


@staff_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    service = services.ACTIONS.get(action)
    if service is None:
        raise Http404
    case, target = _case_and_target(request, pk)
    form = DecisionForm(request.POST, prefix=action)
    if form.is_valid():
        try:
            service(actor=actor(request), target=target, reason=form.cleaned_data["reason"])
        except PermissionDenied:
            raise
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error("reason", exc.message_dict.get("reason") or exc.messages)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("moderation_backoffice:case", pk=case.pk)
        else:
            messages.success(request, SUCCESS[action])
            return redirect("moderation_backoffice:case", pk=case.pk)
    case.refresh_from_db()
    return _detail(request, case, target, form=form, failed_action=action)


@staff_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case, target = _case_and_target(request, pk)
    choices = _field_choices(target)
    if not choices:
        raise Http404
    initial_field = request.GET.get("champ") if request.GET.get("champ") in dict(choices) else choices[0][0]
    initial = {"field": initial_field, "new_value": getattr(target, initial_field), "note": case.edit_note}
    form = EditFormattingForm(request.POST or None, initial=initial, fields=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.content_edit_formatting(actor=actor(request), target=target, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Le contenu est corrigé ; la note de la modération est affichée avec lui."))
            return redirect("moderation_backoffice:case", pk=case.pk)
    return render(request, "moderation/case_edit.html", {"case": case, "target": target, "form": form})


@staff_required
def user_block(request: HttpRequest, user_pk: int) -> HttpResponse:
    require_perm(request, "moderation.block_user")
    person = get_object_or_404(User, pk=user_pk, is_deleted=False)
    blocking = person.blocked_at is None
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.user_block if blocking else services.user_unblock
        try:
            service(actor=actor(request), user=person, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if blocking:
                message = _("Le compte de %(name)s est bloqué : cette personne ne peut plus participer.")
            else:
                message = _("Le compte de %(name)s est débloqué.")
            messages.success(request, message % {"name": person.pseudonym})
            return redirect(_safe_next(request) or "moderation_backoffice:queue")
    context = {
        "person": person,
        "form": form,
        "blocking": blocking,
        "account_block": AccountBlock.objects.filter(user=person).select_related("blocked_by").first(),
        "next": _safe_next(request),
    }
    return render(request, "moderation/user_block.html", context)


def _safe_next(request: HttpRequest) -> str:
    value = request.POST.get("next") or request.GET.get("next") or ""
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return ""
