"""Public pages of moderation: report a content (with or without JavaScript), the thanks, the blocked account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from participe.core import resources
from participe.moderation import selectors
from participe.moderation.forms import ReportForm
from participe.moderation.models import AccountBlock
from participe.moderation.services import AlreadyReported, report_create


def _target_or_404(request: HttpRequest, content_type_id: int, object_id: int) -> Model:
    target = selectors.reportable_target(content_type_id, object_id)
    if target is None:
        raise Http404
    if not request.user.has_perm("spaces.view_item", target):  # a draft, a hidden item: as a missing id
        raise Http404
    return target


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """The whole page, or only its fragment when htmx asks (the report form opens inline)."""
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only successful responses: the fragment always comes with 200.
        return render(request, f"moderation/partials/_{template}.html", context)
    return render(request, f"moderation/{template}.html", context, status=status)


def report_content(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    target = _target_or_404(request, content_type_id, object_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context: dict[str, Any] = {
        "target": target,
        "back_url": resources.item(target).get_absolute_url(),
        "action_url": request.path,
        "dom_id": f"signaler-{content_type_id}-{object_id}",
        "ids": (content_type_id, object_id),
    }
    if request.user.blocked_at is not None:  # type: ignore[attr-defined]
        context["account_block"] = AccountBlock.objects.filter(user=request.user).first()
        return _render(request, "report_blocked", context, status=403)
    if not request.user.has_perm("moderation.report_content", target):
        raise Http404
    if selectors.user_has_reported(request.user, target):
        return _render(request, "report_already", context)
    form = ReportForm(request.POST or None, auto_id=f"{context['dom_id']}-%s")
    if request.method == "POST" and form.is_valid():
        done = _submit(request, target, form, context)
        if done is not None:
            return done
    context["form"] = form
    return _render(request, "report_form", context)


def _submit(request: HttpRequest, target: Model, form: ReportForm, context: dict[str, Any]) -> HttpResponse | None:
    """Record the report; None when the form has to be shown again with the service's errors."""
    try:
        report_create(actor=request.user, target=target, **form.cleaned_data)  # type: ignore[arg-type]
    except AlreadyReported:
        return _render(request, "report_already", context)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        _add_errors(form, exc)
        return None
    if request.htmx:  # type: ignore[attr-defined]
        return _render(request, "report_done", context)
    return redirect(reverse("moderation:report_done", args=context["ids"]))


def _add_errors(form: ReportForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def report_done(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    target = _target_or_404(request, content_type_id, object_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context = {"target": target, "back_url": resources.item(target).get_absolute_url()}
    return render(request, "moderation/report_done.html", context)


def account_blocked(request: HttpRequest) -> HttpResponse:
    """Why the signed-in account may no longer take part (it can still read everything public)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    block = AccountBlock.objects.filter(user=request.user).first()
    return render(request, "moderation/account_blocked.html", {"account_block": block})
