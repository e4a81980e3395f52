"""Modules of a space, their phases and eligibility rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participe.backoffice.forms.base import DateTimeLocalField, ServiceModelForm
from participe.core.capabilities import Cap
from participe.core.registry import ModuleManifest, registry
from participe.organisation.selectors import territory_tree
from participe.spaces.models import Module, Phase
from participe.verifications import handlers
from participe.verifications.models import EligibilityRule


def blueprint_choices() -> list[Any]:
    groups: list[Any] = [("", _("— Aucun : j'ajouterai les étapes moi-même —"))]
    for manifest in registry.all():
        if manifest.blueprints:
            groups.append((manifest.name, [(f"{manifest.key}/{b.key}", b.name) for b in manifest.blueprints]))
    return groups


class ModuleCreateForm(forms.Form):
    module_type = forms.ChoiceField(label=_("Type de module"))
    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        label=_("Description courte"), max_length=400, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    blueprint = forms.ChoiceField(
        label=_("Modèle d'étapes"),
        required=False,
        help_text=_("Crée les étapes du modèle l'une après l'autre ; vous pourrez les modifier ensuite."),
    )
    start = DateTimeLocalField(
        label=_("Début de la première étape"), required=False, help_text=_("Laissez vide pour commencer maintenant.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module_type"].choices = registry.choices()
        self.fields["blueprint"].choices = blueprint_choices()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        module_type, blueprint = cleaned.get("module_type"), cleaned.get("blueprint")
        if blueprint:
            blueprint_type, _sep, key = blueprint.partition("/")
            if module_type and blueprint_type != module_type:
                self.add_error(
                    "blueprint", _("Ce modèle d'étapes appartient à un autre type de module que celui choisi.")
                )
            cleaned["blueprint"] = key
        return cleaned


class ModuleForm(ServiceModelForm):
    image_fields = ("picture",)

    class Meta:
        model = Module
        fields = ["title", "slug", "description", "picture", "picture_alt", "position", "is_published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        labels = {"picture": _("Image de la carte du module (facultatif)")}
        help_texts = {
            "picture": _(
                "Affichée sur la carte du module, sur la page de la démarche ; sans image, l'icône du type de module "
                "la remplace. PNG, JPEG, WebP ou GIF, réenregistrée sans ses métadonnées (lieu, appareil)."
            ),
            "slug": _("La fin de l'adresse de la page du module."),
            "position": _("Les modules sont affichés du plus petit numéro au plus grand."),
            "is_published": _("Un module non publié n'est visible que des gestionnaires de l'espace."),
        }


def settings_form(manifest: ModuleManifest | None, *, data: Any = None, initial: Any = None, prefix: str) -> Any:
    """The module type's settings form (declared in its manifest), or None when it has none."""
    if manifest is None or manifest.settings_form is None:
        return None
    return manifest.settings_form(data=data, initial=initial, prefix=prefix)


class PhaseForm(ServiceModelForm):
    start = DateTimeLocalField(label=_("Début"))
    end = DateTimeLocalField(label=_("Fin"))
    custom_settings = forms.BooleanField(
        label=_("Cette étape a ses propres paramètres"),
        required=False,
        help_text=_("Sinon, l'étape suit les paramètres du module."),
    )

    class Meta:
        model = Phase
        fields = ["phase_type", "name", "description", "start", "end"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, manifest: ModuleManifest | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        phase_types = manifest.phase_types if manifest else ()
        self.fields["phase_type"] = forms.ChoiceField(
            label=_("Type d'étape"),
            choices=[(p.key, p.name) for p in phase_types],
            help_text=_("Le type décide de ce que les participants peuvent faire pendant l'étape."),
        )
        if manifest is None or manifest.settings_form is None:
            del self.fields["custom_settings"]
        else:
            self.fields["custom_settings"].initial = bool(self.instance.settings_overrides)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("La fin de l'étape doit suivre son début."))
        return cleaned


def action_choices(manifest: ModuleManifest | None) -> list[tuple[str, str]]:
    """Actions of a module an eligibility rule may restrict: what its phases grant, and its declared actions."""
    granted: set[Cap] = set()
    if manifest is not None:
        granted = set(manifest.actions)
        for phase_type in manifest.phase_types:
            granted |= phase_type.capabilities
    return [(cap.value, cap.label) for cap in Cap if cap in granted]


class EligibilityRuleForm(ServiceModelForm):
    handlers = forms.MultipleChoiceField(
        label=_("Méthodes de vérification acceptées"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : toutes les méthodes sont acceptées."),
    )

    class Meta:
        model = EligibilityRule
        fields = ["action", "require_verification", "handlers", "territories", "min_age", "max_age"]
        widgets = {"territories": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, manifest: ModuleManifest | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"] = forms.ChoiceField(label=_("Action"), choices=action_choices(manifest))
        self.fields["handlers"].choices = handlers.choices()
        self.fields["territories"].choices = [(t.pk, f"{'— ' * depth}{t.name}") for t, depth in territory_tree()]
        for name in ("min_age", "max_age"):
            self.fields[name].widget.attrs.update({"min": 0, "max": 130})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        low, high = cleaned.get("min_age"), cleaned.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", ValidationError(_("L'âge maximum doit être supérieur ou égal à l'âge minimum.")))
        return cleaned
