"""Support and withdraw: a plain form POST and redirect without JavaScript, a fragment swapped in place with htmx."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from participe.accounts.middleware import participant
from participe.spaces.models import Module
from participe.supports import selectors, services
from participe.supports.templatetags.supports import button_context, forget, left_label


def _target(request: HttpRequest, content_type_id: int, object_id: int) -> Any:
    target = selectors.supportable_target(content_type_id, object_id)
    if target is None or not request.user.has_perm("supports.view_support", target):
        raise Http404
    return target


def _back(request: HttpRequest, target: Any) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return str(wanted)
    return str(target.get_absolute_url())


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error) or _("Vous ne pouvez pas soutenir cet élément.")


def _act(request: HttpRequest, content_type_id: int, object_id: int, *, adding: bool) -> HttpResponse:
    target = _target(request, content_type_id, object_id)
    if not request.user.is_authenticated:
        login = redirect_to_login(_back(request, target))
        if request.htmx:  # type: ignore[attr-defined]
            # The session expired under an open page: htmx would swap the sign-in page into the button.
            return HttpResponse(status=204, headers={"HX-Redirect": login.url})
        return login
    resident, agent = participant(request)
    error = done = ""
    try:
        if adding:
            services.support_add(actor=resident, target=target, entered_by=agent)
            done = _("Votre soutien est enregistré.")
        else:
            services.support_withdraw(actor=resident, target=target, entered_by=agent)
            done = _("Votre soutien est retiré.")
    except (PermissionDenied, ValidationError) as exc:
        error = _error_text(exc)
    forget(request)
    if request.htmx:  # type: ignore[attr-defined]
        # The service has just decided whether the visitor supports it: no query to ask again (issue #12).
        supported = adding if done else None
        context = button_context(request, target, supported=supported, error=error, announce=done or error)
        if done and context["left_label"]:
            context["announce"] = f"{done} {context['left_label']}"
        return render(request, "supports/partials/_htmx_response.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(_back(request, target))


@require_POST
def support_add_view(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    return _act(request, content_type_id, object_id, adding=True)


@require_POST
def support_withdraw_view(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    return _act(request, content_type_id, object_id, adding=False)


@require_GET
@login_required
def my_supports_view(request: HttpRequest, module_id: int) -> HttpResponse:
    """The participant's supports in one module, each with its button (to free one when the limit is reached)."""
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_id)
    if not request.user.has_perm("spaces.view_module", module):
        raise Http404
    resident, _agent = participant(request)
    supports = [s for s in selectors.my_supports(resident, module) if s.target is not None]
    left = selectors.supports_left(resident, module)
    return render(
        request,
        "supports/my_supports.html",
        {
            "module": module,
            "supports": supports,
            "supported": {int(s.object_id) for s in supports},
            "limit": selectors.supports_limit(module),
            "left_label": left_label(left) if left is not None else "",
        },
    )
