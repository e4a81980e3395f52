"""The search form: what was typed is kept, and filters that do not make sense are reported, not ignored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.organisation.models import Territory, Theme
from participe.search.selectors import MAX_QUERY_LENGTH, SearchFilters, kind_choices
from participe.spaces.selectors import spaces_visible_to


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher"), required=False, widget=forms.SearchInput
    )  # longer queries are cut, not refused
    type = forms.ChoiceField(label=_("Type"), required=False)
    space = forms.ModelChoiceField(
        label=_("Espace participatif"), required=False, queryset=None, to_field_name="slug", empty_label=_("Tous")
    )
    territory = forms.ModelChoiceField(
        label=_("Territoire"), required=False, queryset=None, to_field_name="slug", empty_label=_("Tous")
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"), required=False, queryset=None, to_field_name="slug", empty_label=_("Tous")
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[("relevance", _("pertinence")), ("date", _("date, les plus récents d'abord"))],
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" and "to" are Python keywords: these two fields are added by name.
        self.fields["from"] = forms.DateField(
            label=_("Depuis le"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        )
        self.fields["to"] = forms.DateField(
            label=_("Jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        )
        self.fields["q"].widget.attrs.update(
            {"type": "search", "maxlength": MAX_QUERY_LENGTH, "enterkeyhint": "search"}
        )
        self.fields["type"].choices = [("", _("Tous")), *kind_choices()]  # type: ignore[attr-defined]
        self.fields["space"].queryset = spaces_visible_to(user).order_by("title")  # type: ignore[attr-defined]
        self.fields["territory"].queryset = Territory.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["theme"].queryset = Theme.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("La date de fin doit suivre la date de début."))
        return data

    def filters(self) -> SearchFilters:
        """The filters that are valid (an invalid one is shown with its error and not applied)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return SearchFilters(
            kind=data.get("type") or None,
            space=data.get("space"),
            territory=data.get("territory"),
            theme=data.get("theme"),
            date_from=data.get("from") if "to" not in self.errors else None,
            date_to=data.get("to"),
            sort=data.get("sort") or "relevance",
        )

    @property
    def query(self) -> str:
        return (self.cleaned_data.get("q") if hasattr(self, "cleaned_data") else "") or ""
