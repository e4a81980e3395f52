"""Notifications pages, following, preferences and the one-click unsubscribe. Each works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from participe.accounts.models import User
from participe.notifications import selectors, services
from participe.notifications.display import event_label
from participe.notifications.forms import PreferencesForm
from participe.notifications.models import Notification
from participe.notifications.templatetags.follows import follow_context
from participe.notifications.tokens import read_token


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    cursor = request.GET.get("apres") or None
    page = selectors.notification_page(request.user, cursor=cursor)
    context = {"page": page, "unread": selectors.unread_count(request.user)}
    if request.htmx and cursor:  # type: ignore[attr-defined]
        return render(request, "notifications/partials/_page.html", context)
    return render(request, "notifications/notification_list.html", context)


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about (a form's button: a GET writes nothing)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(actor=request.user, notification=notification)  # type: ignore[arg-type]
    url = notification.url
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect("notifications:list")
    return HttpResponseRedirect(url)


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=request.user)  # type: ignore[arg-type]
    if count:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("notifications:list")


def _target(content_type_id: int, object_id: int) -> Model:
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        target: Model = model._default_manager.get(pk=object_id)  # type: ignore[union-attr]
    except (ContentType.DoesNotExist, ObjectDoesNotExist, AttributeError):
        raise Http404 from None
    if not selectors.is_followable(target):
        raise Http404
    return target


@require_POST
def follow_toggle(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    """Follow (``action=follow``) or stop following (``action=unfollow``) a space, a module or a resource."""
    target = _target(content_type_id, object_id)
    if not request.user.is_authenticated:
        if not selectors.may_see(request.user, target):  # type: ignore[arg-type]
            raise Http404  # as a missing id: a visitor learns nothing of a draft or a hidden item
        return redirect_to_login(request.POST.get("next") or getattr(target, "get_absolute_url", lambda: "/")())
    unfollowing = request.POST.get("action") == "unfollow" and selectors.is_following(request.user, target)
    if not unfollowing and not selectors.may_see(request.user, target):  # type: ignore[arg-type]
        raise Http404
    try:
        if request.POST.get("action") == "unfollow":
            services.unfollow(actor=request.user, target=target)  # type: ignore[arg-type]
            done = _("Vous ne suivez plus « %(title)s ».")
        else:
            services.follow(actor=request.user, target=target)  # type: ignore[arg-type]
            done = _("Vous suivez « %(title)s » : vous serez prévenu de ses nouveautés.")
    except (PermissionDenied, ValidationError) as exc:
        if request.htmx:  # type: ignore[attr-defined]
            raise PermissionDenied from exc
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return _back(request, target)
    if request.htmx:  # type: ignore[attr-defined]
        context = follow_context({"request": request, "user": request.user}, target, announce=True)
        return render(request, "notifications/partials/_follow_response.html", context)
    messages.success(request, done % {"title": str(target)})
    return _back(request, target)


def _back(request: HttpRequest, target: Model) -> HttpResponse:
    url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else "/"
    return HttpResponseRedirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PreferencesForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_save(
                actor=user, email_frequency=form.cleaned_data["email_frequency"], events=form.event_choices()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Vos préférences de notification sont enregistrées."))
            return redirect("notifications:preferences")
    follows = selectors.follows_of(user)[:200]
    return render(request, "notifications/preferences.html", {"form": form, "follows": _follow_rows(follows)})


def _follow_rows(follows: Any) -> list[dict[str, Any]]:
    rows = []
    for follow in follows:
        target = follow.target
        if target is not None:
            rows.append({"follow": follow, "target": target, "url": getattr(target, "get_absolute_url", lambda: "")()})
    return rows


@csrf_exempt  # the link of an email: the signed token is the proof, and mail clients POST without a session (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a confirmation page; POST (the button, or the mail client's one-click): unsubscribe at once."""
    found = read_token(token)
    user = User.objects.filter(pk=found[0]).first() if found else None
    if found is None or user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    event = found[1]
    context = {"token": token, "event": event, "event_label": event_label(event) if event else ""}
    if request.method == "POST":
        services.unsubscribe(user=user, event=event)
        return render(request, "notifications/unsubscribe_done.html", context)
    return render(request, "notifications/unsubscribe.html", context)
