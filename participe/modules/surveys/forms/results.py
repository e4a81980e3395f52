"""Forms of the results pages: the filters (territory, cross-tabulation), the search in answers, the export."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.modules.surveys.charts import shorten
from participe.modules.surveys.models import ExportJob, Question
from participe.modules.surveys.results import EVERYONE, Scope
from participe.organisation.models import Territory

WITHOUT_TERRITORY = "aucun"


def territory_choices(territories: list[tuple[Territory, int]]) -> list[tuple[str, Any]]:
    return [
        ("", _("Tous les territoires")),
        (WITHOUT_TERRITORY, _("Sans territoire (réponses sans compte ou sans territoire connu)")),
        *((str(t.pk), "— " * depth + t.name) for t, depth in territories),
    ]


def scope_from(value: str, territories: list[tuple[Territory, int]]) -> Scope:
    if value == WITHOUT_TERRITORY:
        return Scope(without_territory=True)
    found = next((t for t, _depth in territories if str(t.pk) == value), None)
    return Scope.of_territory(found) if found is not None else EVERYONE


class ScopeForm(forms.Form):
    """The territory of the respondents (a territory counts the respondents of the territories under it)."""

    territoire = forms.ChoiceField(
        label=_("Territoire des répondants"),
        required=False,
        help_text=_("Un territoire compte aussi les répondants des territoires qu'il contient."),
    )

    def __init__(self, *args: Any, territories: list[tuple[Territory, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.territories = territories
        cast(forms.ChoiceField, self.fields["territoire"]).choices = territory_choices(territories)

    def scope(self) -> Scope:
        """The territory chosen, even when another field of the form has an error."""
        if not self.is_bound:
            return EVERYONE
        self.is_valid()
        if "territoire" in self.errors:
            return EVERYONE
        return scope_from(self.cleaned_data.get("territoire") or "", self.territories)


class ResultsFilterForm(ScopeForm):
    """A GET form: the territory, and two closed questions to cross (rows × columns)."""

    croiser = forms.ChoiceField(
        label=_("Question en lignes"),
        required=False,
        help_text=_("Choix unique, choix multiple ou échelle."),
    )
    par = forms.ChoiceField(label=_("Question en colonnes"), required=False)

    def __init__(self, *args: Any, questions: list[tuple[int, Question]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = {str(q.pk): q for _n, q in questions}
        options = [("", _("— aucune —")), *((str(q.pk), f"Q{n}. {shorten(q.title, 90)}") for n, q in questions)]
        cast(forms.ChoiceField, self.fields["croiser"]).choices = options
        cast(forms.ChoiceField, self.fields["par"]).choices = options

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rows, columns = data.get("croiser"), data.get("par")
        if rows and not columns and "par" not in self.errors:
            self.add_error("par", _("Choisissez aussi la question à croiser en colonnes."))
        elif columns and not rows and "croiser" not in self.errors:
            self.add_error("croiser", _("Choisissez aussi la question à croiser en lignes."))
        elif rows and rows == columns:
            self.add_error("par", _("Choisissez deux questions différentes."))
        return data

    def crossed(self) -> tuple[Question, Question] | None:
        if not self.is_bound or not self.is_valid():
            return None
        rows, columns = self.cleaned_data.get("croiser"), self.cleaned_data.get("par")
        if not rows or not columns:
            return None
        return self.questions[rows], self.questions[columns]


class AnswerSearchForm(ScopeForm):
    q = forms.CharField(
        label=_("Rechercher dans les réponses"),
        required=False,
        max_length=200,
        help_text=_("Un mot ou une expression ; les majuscules ne comptent pas."),
    )

    def search(self) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return str(self.cleaned_data.get("q") or "").strip()


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        widget=forms.RadioSelect,
        initial=ExportJob.Format.CSV,
        choices=[
            (ExportJob.Format.CSV, _("CSV pour tableur (UTF-8, séparateur point-virgule, une ligne par réponse)")),
            (ExportJob.Format.JSON, _("JSON, pour les traitements automatisés (structure et réponses)")),
        ],
    )
