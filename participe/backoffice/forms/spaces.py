"""Spaces, their members, documents and news."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.backoffice.forms.base import DateInput, DateTimeLocalField, IdentifiedUserForm, ServiceModelForm
from participe.organisation.selectors import territory_tree
from participe.spaces.models import NewsPost, Space, SpaceMembership


class SpaceForm(ServiceModelForm):
    image_fields = ("hero_image",)

    class Meta:
        model = Space
        fields = [
            "kind",
            "title",
            "summary",
            "description",
            "hero_image",
            "hero_image_alt",
            "territories",
            "themes",
            "start_date",
            "end_date",
            "visibility",
            "slug",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "visibility": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 2}),
            "territories": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {
            "slug": _("L'adresse de la page publique. Facultatif : calculée à partir du titre."),
            "hero_image": _("Image PNG ou JPEG ; elle est réenregistrée sans ses métadonnées (lieu, appareil)."),
            "start_date": _("Au format jj/mm/aaaa."),
            "end_date": _("Au format jj/mm/aaaa."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["slug"].required = False
        else:
            self.fields["slug"].help_text = _(
                "L'adresse de la page publique. La changer casse les liens déjà diffusés."
            )
        self.fields["territories"].choices = [(t.pk, f"{'— ' * depth}{t.name}") for t, depth in territory_tree()]
        for name, empty in (
            ("territories", _("Aucun territoire n'est encore défini (menu « Territoires »).")),
            ("themes", _("Aucun thème n'est encore défini (menu « Thèmes »).")),
        ):
            if not list(self.fields[name].choices):
                self.fields[name].help_text = empty

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if not data.get("slug"):
            data.pop("slug", None)
        return data


class SpaceStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Space.Status.choices)


class SpaceFilterForm(forms.Form):
    statut = forms.ChoiceField(label=_("Statut"), required=False, choices=[("", _("Tous")), *Space.Status.choices])
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Tous")), *Space.Kind.choices])


class MemberAddForm(IdentifiedUserForm):
    role = forms.ChoiceField(label=_("Rôle"), choices=SpaceMembership.Role.choices, initial=SpaceMembership.Role.MEMBER)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titre du document"), max_length=200)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, image, document bureautique (OpenDocument, Word, Excel), CSV ou texte ; 10 Mo au plus."),
    )


class NewsForm(ServiceModelForm):
    published_at = DateTimeLocalField(label=_("Publié le"), help_text=_("Une date future programme la publication."))

    class Meta:
        model = NewsPost
        fields = ["title", "body", "published_at"]
