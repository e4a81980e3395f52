"""Helpers shared by the back-office views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from participe.accounts.models import User


def actor(request: HttpRequest) -> User:
    """The signed-in agent (the back-office decorator guarantees one)."""
    return request.user  # type: ignore[return-value]


def confirm_action(
    request: HttpRequest,
    *,
    action: Callable[[], Any],
    title: str,
    question: str,
    cancel_url: str,
    success_url: str,
    success_message: str,
    button: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET: a confirmation page; POST: do ``action`` and go back, with its refusal shown as a message."""
    if request.method == "POST":
        try:
            action()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(cancel_url)
        messages.success(request, success_message)
        return redirect(success_url)
    return render(
        request,
        "backoffice/confirm.html",
        {"title": title, "question": question, "cancel_url": cancel_url, "button": button, **(context or {})},
    )


def form_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's refusal next to the form's fields (a field the form does not show, or no field: at the top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def page_cursor(request: HttpRequest) -> str | None:
    return request.GET.get("apres") or None


SPACE_PERMS = {
    "change": "spaces.change_space",
    "publish": "spaces.publish_space",
    "delete": "spaces.delete_space",
    "members": "spaces.manage_members",
}


def space_context(request: HttpRequest, space: Any) -> dict[str, Any]:
    """What every page inside a space needs: the space and what the user may do in it (sub-navigation)."""
    return {"space": space, "can": {key: request.user.has_perm(perm, space) for key, perm in SPACE_PERMS.items()}}
