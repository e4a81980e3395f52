"""Back-office: messages to the followers of a space or module ("lettre d'information"), with a preview step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.views.common import actor, page_cursor, space_context
from participe.core.pagination import keyset_paginate
from participe.notifications import selectors, services
from participe.notifications.emails import email_parts, message_email, paragraphs
from participe.notifications.forms import FollowerMessageForm
from participe.notifications.models import FollowerMessage
from participe.spaces.models import Space
from participe.spaces.selectors import spaces_administered_by

PERM = "notifications.send_message"


def spaces_messageable(user: Any) -> QuerySet[Space]:
    """The spaces whose followers ``user`` may write to: those they administer."""
    return spaces_administered_by(user).order_by("title", "pk")


@staff_required
def message_index(request: HttpRequest) -> HttpResponse:
    """Every space the agent may write to, and the messages already sent to their followers."""
    spaces = spaces_messageable(actor(request))
    sent = FollowerMessage.objects.filter(space__in=spaces).select_related("space", "module", "sender")
    page = keyset_paginate(sent, ordering=("-created_at", "-id"), cursor=page_cursor(request), size=30)
    return render(request, "notifications/backoffice/message_index.html", {"spaces": spaces, "page": page})


def _space(request: HttpRequest, pk: int) -> Space:
    space = get_object_or_404(Space, pk=pk)
    require_perm(request, PERM, space)
    return space


@staff_required
def message_list(request: HttpRequest, pk: int) -> HttpResponse:
    space = _space(request, pk)
    sent = space.follower_messages.select_related("module", "sender")  # type: ignore[attr-defined]
    page = keyset_paginate(sent, ordering=("-created_at", "-id"), cursor=page_cursor(request), size=30)
    context = space_context(request, space) | {"page": page, "followers": selectors.follower_count(space)}
    return render(request, "notifications/backoffice/message_list.html", context)


def _preview(request: HttpRequest, space: Space, form: FollowerMessageForm) -> dict[str, Any]:
    data = form.cleaned_data
    draft = FollowerMessage(
        space=space, module=data.get("module"), sender=actor(request), subject=data["subject"], body=data["body"]
    )
    recipients = selectors.recipients_for(draft.target, actor=actor(request))  # type: ignore[arg-type]
    return {"draft": draft, "recipients": len(recipients)} | _email_context(request, draft)


def _email_context(request: HttpRequest, message: FollowerMessage) -> dict[str, Any]:
    """The email as a follower receives it (addressed here to the agent): text version and formatted content."""
    email = message_email(message, actor(request))
    text, _html = email_parts(email)
    return {
        "email_subject": email.subject,
        "email_text": text,
        "message": message,
        "target": str(message.target),
        "paragraphs": paragraphs(message.body),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def message_compose(request: HttpRequest, pk: int) -> HttpResponse:
    """Write, then preview (the email exactly as sent, and how many people receive it), then send."""
    space = _space(request, pk)
    form = FollowerMessageForm(request.POST or None, space=space)
    step = request.POST.get("etape", "")
    context = space_context(request, space) | {"form": form}
    if request.method == "POST" and form.is_valid() and step in ("apercu", "envoyer"):
        if step == "envoyer":
            try:
                message = services.follower_message_send(
                    actor=actor(request),
                    space=space,
                    module=form.cleaned_data.get("module"),
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Le message est en cours d'envoi à %(n)d abonné.",
                        "Le message est en cours d'envoi à %(n)d abonnés.",
                        message.recipients_count,
                    )
                    % {"n": message.recipients_count},
                )
                return redirect("notifications_backoffice:detail", pk=message.pk)
        else:
            return render(
                request, "notifications/backoffice/message_preview.html", context | _preview(request, space, form)
            )
    return render(request, "notifications/backoffice/message_form.html", context)


@staff_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(FollowerMessage.objects.select_related("space", "module", "sender"), pk=pk)
    require_perm(request, PERM, message.space)
    context = space_context(request, message.space) | _email_context(request, message)
    return render(request, "notifications/backoffice/message_detail.html", context)
