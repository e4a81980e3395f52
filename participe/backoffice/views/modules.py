"""Modules of a space: creation, general settings, module settings, deletion."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors, to_json
from participe.backoffice.forms.modules import ModuleCreateForm, ModuleForm, action_choices, settings_form
from participe.backoffice.modules import module_backoffice_links
from participe.backoffice.views.common import actor, confirm_action, space_context
from participe.core.registry import statistics_of
from participe.spaces import services
from participe.spaces.models import Module, Space
from participe.spaces.selectors import space_backoffice_detail
from participe.verifications import handlers
from participe.verifications.models import EligibilityRule

SETTINGS_PREFIX = "parametres"


@staff_required
@require_POST
def module_create(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space, pk=pk)
    require_perm(request, "spaces.change_space", space)
    form = ModuleCreateForm(request.POST)
    if form.is_valid():
        try:
            module = services.module_create(actor=actor(request), space=space, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le module « %(title)s » a été ajouté.") % {"title": module.title})
            return redirect("backoffice:module_edit", pk=module.pk)
    context = space_context(request, space) | space_backoffice_detail(space) | {"module_form": form}
    return render(request, "backoffice/space_detail.html", context)


def _module_page(request: HttpRequest, module: Module, **forms: Any) -> HttpResponse:
    manifest = module.manifest
    rules = list(EligibilityRule.objects.filter(module=module).prefetch_related("territories"))
    handler_names = dict(handlers.choices())
    for rule in rules:
        rule.handler_names = [str(handler_names.get(h, h)) for h in rule.handlers]  # type: ignore[attr-defined]
    context = space_context(request, module.space) | {
        "module": module,
        "manifest": manifest,
        "form": forms.get("form") or ModuleForm(instance=module),
        "settings_form": forms.get("settings_form")
        or settings_form(manifest, initial=module.effective_settings(), prefix=SETTINGS_PREFIX),
        "phases": list(module.phases.order_by("start")),
        "rules": rules,
        "can_add_rule": bool(set(dict(action_choices(manifest))) - {r.action for r in rules}),
        "links": module_backoffice_links(module),
        "statistics": statistics_of(module),
    }
    return render(request, "backoffice/module_edit.html", context)


def _get_module(request: HttpRequest, pk: int) -> Module:
    module = get_object_or_404(Module.objects.select_related("space"), pk=pk)
    require_perm(request, "spaces.change_space", module.space)
    return module


@staff_required
@require_http_methods(["GET", "POST"])
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    module = _get_module(request, pk)
    if request.method != "POST":
        return _module_page(request, module)
    form = ModuleForm(request.POST, request.FILES, instance=module)
    if form.is_valid():
        try:
            services.module_update(actor=actor(request), module=module, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le module a été enregistré."))
            return redirect("backoffice:module_edit", pk=module.pk)
    form.keep_pictures()  # the picture chosen stays chosen while the errors are corrected
    return _module_page(request, module, form=form)


@staff_required
@require_POST
def module_settings(request: HttpRequest, pk: int) -> HttpResponse:
    module = _get_module(request, pk)
    form = settings_form(module.manifest, data=request.POST, prefix=SETTINGS_PREFIX)
    if form is None:
        return redirect("backoffice:module_edit", pk=module.pk)
    if form.is_valid():
        services.module_update_settings(actor=actor(request), module=module, settings=to_json(form.cleaned_data))
        messages.success(request, _("Les paramètres du module ont été enregistrés."))
        return redirect("backoffice:module_edit", pk=module.pk)
    return _module_page(request, module, settings_form=form)


@staff_required
@require_http_methods(["GET", "POST"])
def module_delete(request: HttpRequest, pk: int) -> HttpResponse:
    module = _get_module(request, pk)
    space = module.space
    return confirm_action(
        request,
        action=lambda: services.module_delete(actor=actor(request), module=module),
        title=_("Supprimer le module « %(title)s »") % {"title": module.title},
        question=_("Le module sera supprimé définitivement, avec ses étapes et toutes les contributions reçues."),
        cancel_url=reverse("backoffice:module_edit", args=[module.pk]),
        success_url=reverse("backoffice:space_detail", args=[space.pk]),
        success_message=_("Le module « %(title)s » a été supprimé.") % {"title": module.title},
        button=_("Supprimer le module"),
        context=space_context(request, space),
    )
