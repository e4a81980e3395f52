"""The reporting form (address or point, category, the category's questions, photos, title, who you are) and the
agents' forms. Validation of substance is the services'; these forms parse and keep what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.modules.signalements.models import Category, Forwarding, ResponseTemplate, Status
from participe.organisation.models import Service


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleImageField, self).clean(item, initial) for item in items]


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:  # type: ignore[override]
        return obj.name


class ReportForm(forms.Form):
    address = forms.CharField(
        label=_("Adresse ou lieu"),
        max_length=300,
        required=False,
        help_text=_("Par exemple : 12 rue des Lilas. Avec la carte, placez plutôt le point."),
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    lon = forms.FloatField(label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    category = CategoryChoice(
        label=_("Catégorie"),
        queryset=Category.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choisissez une catégorie."), "invalid_choice": _("Choisissez une catégorie.")},
    )
    title = forms.CharField(
        label=_("Titre"), max_length=120, help_text=_("En quelques mots : « Lampadaire éteint devant l'école ».")
    )
    description = forms.CharField(
        label=_("Description (facultative)"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = MultipleImageField(
        label=_("Photos (facultatives)"),
        required=False,
        help_text=_("JPEG, PNG ou WebP ; 5 au plus. La position enregistrée dans la photo est retirée."),
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    reporter_name = forms.CharField(
        label=_("Votre nom"),
        max_length=120,
        required=False,
        help_text=_("Il n'est pas publié ; seuls les services le lisent."),
    )
    reporter_email = forms.EmailField(
        label=_("Votre adresse électronique"),
        required=False,
        help_text=_("Un lien de confirmation y est envoyé ; elle n'est pas publiée."),
    )

    def __init__(self, *args: Any, module: Any, anonymous: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.module = module
        self.fields["category"].queryset = Category.objects.filter(module=module, is_active=True)  # type: ignore[attr-defined]
        if not anonymous:
            del self.fields["reporter_name"], self.fields["reporter_email"]
        else:
            self.fields["reporter_name"].required = True
            self.fields["reporter_email"].required = True
        self.questions: list[str] = []
        for category in self.fields["category"].queryset:  # type: ignore[attr-defined]
            for question in category.questions or []:
                name = f"q_{question.get('code')}"
                if name in self.fields:
                    continue
                choices = [(str(k), str(v)) for k, v in question.get("choices") or []]
                field: forms.Field
                if choices:
                    field = forms.ChoiceField(
                        label=question.get("label"), choices=[("", "—"), *choices], required=False
                    )
                else:
                    field = forms.CharField(label=question.get("label"), required=False, max_length=500)
                field.category_pk = category.pk  # type: ignore[attr-defined]
                field.help_text = _("Pour la catégorie « %(name)s ».") % {"name": category.name}
                self.fields[name] = field
                self.questions.append(name)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["answers"] = {name[2:]: data.pop(name, "") for name in self.questions}
        data.pop("photos", None)
        return data


class UpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouvel état"), choices=Status.choices)
    template = forms.ModelChoiceField(
        label=_("Modèle de réponse"),
        queryset=ResponseTemplate.objects.none(),
        required=False,
        help_text=_("Son texte est publié si le message est vide."),
    )
    text = forms.CharField(
        label=_("Message public"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, templates: list[ResponseTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ResponseTemplate.objects.filter(  # type: ignore[attr-defined]
            pk__in=[t.pk for t in templates]
        )


class ReassignForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.all(), required=False)
    category = forms.ModelChoiceField(label=_("Catégorie"), queryset=Category.objects.none(), required=False)
    reason = forms.CharField(label=_("Motif (interne)"), required=False, max_length=1000)

    def __init__(self, *args: Any, module: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(module=module, is_active=True)  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note interne"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    text = forms.CharField(
        label=_("Ce qui n'est pas réglé"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CategoryForm(forms.ModelForm):
    questions_text = forms.CharField(
        label=_("Questions complémentaires (JSON)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            'Par exemple : [{"code": "allumee", "label": "La lampe est-elle allumée ?", "required": true, '
            '"choices": [["oui", "Oui"], ["non", "Non"]]}]'
        ),
    )

    class Meta:
        model = Category
        fields = [
            "name",
            "code",
            "icon",
            "hint",
            "group",
            "is_private",
            "is_active",
            "default_service",
            "acknowledge_days",
            "resolve_days",
            "position",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import json

        if self.instance.pk and not self.is_bound:
            self.fields["questions_text"].initial = json.dumps(self.instance.questions, ensure_ascii=False)

    def clean_questions_text(self) -> list[Any]:
        import json

        raw = self.cleaned_data.get("questions_text") or "[]"
        try:
            value = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("Ce n'est pas du JSON valide.")) from None
        if not isinstance(value, list) or not all(isinstance(q, dict) and q.get("code") for q in value):
            raise forms.ValidationError(_("Une liste de questions, chacune avec un « code ».")) from None
        return value


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ResponseTemplate
        fields = ["category", "status", "title", "text"]


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Application"), max_length=120)


class ForwardingForm(forms.ModelForm):
    """Where a category's new reports are also posted (an external Open311 GeoReport v2 endpoint)."""

    class Meta:
        model = Forwarding
        fields = ["endpoint", "api_key", "service_code", "jurisdiction_id", "is_active"]
        widgets = {"api_key": forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["endpoint"].required = False
        self.fields["endpoint"].help_text = _(
            "La racine GeoReport v2 du service qui reçoit ces signalements, par exemple "
            "https://signalements.exemple.fr/open311/v2/. Vide : pas de transmission."
        )
        self.fields["service_code"].required = False
        self.fields["service_code"].help_text = _("Le « service_code » de cette catégorie chez lui.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("endpoint") and not data.get("service_code"):
            self.add_error("service_code", _("Indiquez le code du service distant."))
        return data
