"""Phases of a module and the eligibility rules of its actions."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors, to_json
from participe.backoffice.forms.modules import EligibilityRuleForm, PhaseForm, settings_form
from participe.backoffice.views.common import actor, confirm_action, space_context
from participe.spaces import services
from participe.spaces.models import Module, Phase
from participe.verifications.models import EligibilityRule
from participe.verifications.services import eligibility_rule_delete, eligibility_rule_save

OVERRIDE_PREFIX = "etape"


def _module(request: HttpRequest, pk: int) -> Module:
    module = get_object_or_404(Module.objects.select_related("space"), pk=pk)
    require_perm(request, "spaces.change_space", module.space)
    return module


def _phase_data(form: PhaseForm, overrides: Any) -> dict[str, Any]:
    data = form.service_data()
    custom = data.pop("custom_settings", False)
    data["settings_overrides"] = to_json(overrides.cleaned_data) if custom and overrides is not None else {}
    return data


def _phase_form(request: HttpRequest, module: Module, phase: Phase) -> HttpResponse:
    manifest = module.manifest
    data = request.POST if request.method == "POST" else None
    form = PhaseForm(data, instance=phase, manifest=manifest)
    initial = module.effective_settings() | (phase.settings_overrides or {})
    overrides = settings_form(manifest, data=data, initial=initial, prefix=OVERRIDE_PREFIX)
    custom = data is not None and data.get("custom_settings") == "on"
    if data is not None and form.is_valid() and (not custom or overrides is None or overrides.is_valid()):
        try:
            services.phase_save(actor=actor(request), phase=phase, data=_phase_data(form, overrides))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("L'étape « %(name)s » a été enregistrée.") % {"name": phase.name})
            return redirect("backoffice:module_edit", pk=module.pk)
    context = space_context(request, module.space) | {
        "form": form,
        "overrides": overrides,
        "module": module,
        "phase": phase,
    }
    return render(request, "backoffice/phase_form.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def phase_create(request: HttpRequest, pk: int) -> HttpResponse:
    module = _module(request, pk)
    return _phase_form(request, module, Phase(module=module))


@staff_required
@require_http_methods(["GET", "POST"])
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_object_or_404(Phase.objects.select_related("module__space"), pk=pk)
    require_perm(request, "spaces.change_space", phase.module.space)
    return _phase_form(request, phase.module, phase)


@staff_required
@require_http_methods(["GET", "POST"])
def phase_delete(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_object_or_404(Phase.objects.select_related("module__space"), pk=pk)
    module = phase.module
    require_perm(request, "spaces.change_space", module.space)
    url = reverse("backoffice:module_edit", args=[module.pk])
    return confirm_action(
        request,
        action=lambda: services.phase_delete(actor=actor(request), phase=phase),
        title=_("Supprimer l'étape « %(name)s »") % {"name": phase.name},
        question=_("L'étape disparaîtra du calendrier ; les contributions du module sont gardées."),
        cancel_url=url,
        success_url=url,
        success_message=_("L'étape « %(name)s » a été supprimée.") % {"name": phase.name},
        button=_("Supprimer l'étape"),
        context=space_context(request, module.space),
    )


def _rule_form(request: HttpRequest, module: Module, rule: EligibilityRule) -> HttpResponse:
    form = EligibilityRuleForm(request.POST or None, instance=rule, manifest=module.manifest)
    if request.method == "POST" and form.is_valid():
        try:
            eligibility_rule_save(actor=actor(request), rule=rule, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("La règle d'éligibilité a été enregistrée."))
            return redirect("backoffice:module_edit", pk=module.pk)
    context = space_context(request, module.space) | {"form": form, "module": module, "rule": rule}
    return render(request, "backoffice/rule_form.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest, pk: int) -> HttpResponse:
    module = _module(request, pk)
    return _rule_form(request, module, EligibilityRule(module=module))


def _rule(request: HttpRequest, pk: int) -> EligibilityRule:
    rule = get_object_or_404(EligibilityRule.objects.select_related("module__space"), pk=pk)
    require_perm(request, "spaces.change_space", rule.module.space)
    return rule


@staff_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule(request, pk)
    return _rule_form(request, rule.module, rule)


@staff_required
@require_http_methods(["GET", "POST"])
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule(request, pk)
    module = rule.module
    url = reverse("backoffice:module_edit", args=[module.pk])
    return confirm_action(
        request,
        action=lambda: eligibility_rule_delete(actor=actor(request), rule=rule),
        title=_("Supprimer la règle d'éligibilité « %(action)s »") % {"action": rule.get_action_display()},
        question=_("Toute personne connectée pourra de nouveau faire cette action pendant les étapes qui l'ouvrent."),
        cancel_url=url,
        success_url=url,
        success_message=_("La règle d'éligibilité a été supprimée."),
        button=_("Supprimer la règle"),
        context=space_context(request, module.space),
    )
