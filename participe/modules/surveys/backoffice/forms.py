"""Forms of the surveys module: ``SurveySettingsForm`` (stored as JSON on the module, ``Module.settings``) and the
forms of the questionnaire builder in the back-office."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from participe.backoffice.forms.base import DateInput
from participe.core.widgets import RICH_TEXT_HELP, RichTextarea
from participe.modules.surveys.models import Choice, Question
from participe.modules.surveys.services.builder_checks import DEFAULT_OTHER_LABEL, ChoiceSpec, RowSpec
from participe.spaces.models import Module


class SurveySettingsForm(forms.Form):
    """Who may answer and how; a phase may override them. Eligibility (verified residents of a territory, an age)
    is a rule on the action "répondre", set in the back-office like for any module."""

    ACCESS_ANYONE = "anyone"
    ACCESS_SIGNED_IN = "signed_in"

    access = forms.ChoiceField(
        label=_("Qui peut répondre"),
        choices=[
            (ACCESS_ANYONE, _("Tout le monde, même sans compte")),
            (ACCESS_SIGNED_IN, _("Les participants connectés (et éligibles si une règle est définie)")),
        ],
        initial=ACCESS_SIGNED_IN,
        help_text=_(
            "Une règle d'éligibilité sur l'action « répondre » (habitants vérifiés d'un quartier, âge…) "
            "exige toujours d'être connecté."
        ),
    )
    multiple_answers = forms.BooleanField(
        label=_("Permettre de répondre plusieurs fois"),
        required=False,
        initial=False,
        help_text=_("Sans cette case, un participant connecté ne répond qu'une fois."),
    )
    anonymous = forms.BooleanField(
        label=_("Réponses anonymes"),
        required=False,
        initial=False,
        help_text=_(
            "Aucun lien n'est gardé entre la réponse et le compte : seul le fait d'avoir répondu est enregistré. "
            "Les participants ne peuvent alors pas relire leurs réponses. Ce réglage ne peut plus être retiré "
            "une fois des réponses reçues."
        ),
    )
    territory_results = forms.BooleanField(
        label=_("Résultats par quartier des réponses anonymes"),
        required=False,
        initial=False,
        help_text=_(
            "Avec des réponses anonymes, le quartier du répondant (celui de son compte) n'est gardé avec la réponse "
            "que si cette case est cochée ; un quartier de moins de 10 réponses n'est alors jamais détaillé, même "
            "pour les gestionnaires. Les participants en sont informés avant de répondre."
        ),
    )
    results_public = forms.BooleanField(
        label=_("Publier les résultats"),
        required=False,
        initial=False,
        help_text=_("Les résultats agrégés (sans les réponses libres) sont visibles de tous sur la page du module."),
    )
    results_open_data = forms.BooleanField(
        label=_("Résultats agrégés en données ouvertes"),
        required=False,
        initial=False,
        help_text=_("Les décomptes par question sont téléchargeables (CSV, JSON) sous licence ouverte."),
    )


# --- the questionnaire builder (back-office) ------------------------------------------------------------------
Kind = Question.Kind

KIND_DESCRIPTIONS = {
    Kind.SECTION: _("Un titre et un texte explicatif ; commence une nouvelle page du questionnaire."),
    Kind.SHORT_TEXT: _("Une réponse libre sur une ligne : un nom, un lieu, quelques mots."),
    Kind.LONG_TEXT: _("Une réponse libre de plusieurs lignes : un avis, une suggestion."),
    Kind.SINGLE: _("Une seule réponse parmi une liste, avec « Autre, précisez » si vous le souhaitez."),
    Kind.MULTIPLE: _("Plusieurs réponses parmi une liste, avec un minimum et un maximum de choix."),
    Kind.RANKING: _("Classer des propositions de la plus à la moins importante."),
    Kind.SCALE: _("Une note sur une échelle, par exemple de 1 (pas du tout) à 5 (tout à fait)."),
    Kind.MATRIX: _("Plusieurs lignes évaluées avec les mêmes réponses possibles (un tableau)."),
    Kind.NUMBER: _("Un nombre, avec des bornes et une unité : un âge, une distance, un budget."),
    Kind.DATE: _("Une date, éventuellement comprise entre deux bornes."),
    Kind.FILE: _("Un fichier joint : photo, PDF ou document bureautique."),
}


class QuestionnaireForm(forms.Form):
    intro = forms.CharField(
        label=_("Introduction"),
        max_length=settings.PARTICIPE_RICH_TEXT_MAX_LENGTH,
        required=False,
        widget=RichTextarea(attrs={"rows": 8}),
        help_text=format_lazy(
            "{} {}",
            _("Affichée avant la première question : l'objet du questionnaire, sa durée, l'usage des réponses."),
            RICH_TEXT_HELP,
        ),
    )
    closing_message = forms.CharField(
        label=_("Message de fin"),
        max_length=settings.PARTICIPE_RICH_TEXT_MAX_LENGTH,
        required=False,
        widget=RichTextarea(attrs={"rows": 6}),
        help_text=format_lazy(
            "{} {}",
            _("Affiché après l'envoi des réponses, avec le récépissé : remerciements, suites données, dates."),
            RICH_TEXT_HELP,
        ),
    )


class QuestionKindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type de question"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez un type de question.")},
    )


def _integer(label: Any, help_text: Any = "", **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, help_text=help_text, required=False, **kwargs)


def _config_fields(kind: str) -> dict[str, forms.Field]:
    """The option fields of a question of ``kind`` (named after the ``Question.config`` keys)."""
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        default = 300 if kind == Kind.SHORT_TEXT else 5000
        return {
            "max_length": _integer(
                _("Nombre maximal de caractères"), _("%(n)s si vous laissez vide.") % {"n": default}, min_value=1
            )
        }
    if kind == Kind.MULTIPLE:
        return {
            "min_choices": _integer(
                _("Nombre minimal de choix"),
                _("Vide : aucun minimum (un choix si la réponse est obligatoire)."),
                min_value=0,
            ),
            "max_choices": _integer(_("Nombre maximal de choix"), _("Vide : autant que de choix."), min_value=1),
        }
    if kind == Kind.RANKING:
        return {
            "rank_all": forms.BooleanField(
                label=_("Faire classer toutes les propositions"),
                required=False,
                initial=True,
                help_text=_("Sans cette case, classer une seule proposition suffit."),
            )
        }
    if kind == Kind.SCALE:
        return {
            "min": forms.IntegerField(label=_("Valeur la plus basse"), initial=1),
            "max": forms.IntegerField(label=_("Valeur la plus haute"), initial=5, help_text=_("11 degrés au plus.")),
            "min_label": forms.CharField(
                label=_("Libellé de la valeur la plus basse"),
                required=False,
                max_length=100,
                help_text=_("Par exemple « Pas du tout d'accord »."),
            ),
            "max_label": forms.CharField(
                label=_("Libellé de la valeur la plus haute"),
                required=False,
                max_length=100,
                help_text=_("Par exemple « Tout à fait d'accord »."),
            ),
        }
    if kind == Kind.NUMBER:
        return {
            "min": forms.DecimalField(label=_("Minimum"), required=False, localize=True),
            "max": forms.DecimalField(label=_("Maximum"), required=False, localize=True),
            "decimals": _integer(_("Nombre de décimales"), _("0 pour un nombre entier."), min_value=0),
            "unit": forms.CharField(
                label=_("Unité"),
                required=False,
                max_length=20,
                help_text=_("Par exemple « km », « € » ou « ans »."),
            ),
        }
    if kind == Kind.DATE:
        return {
            "min": forms.DateField(label=_("Date la plus précoce"), required=False, widget=DateInput()),
            "max": forms.DateField(label=_("Date la plus tardive"), required=False, widget=DateInput()),
        }
    if kind == Kind.FILE:
        ceiling = int(settings.PARTICIPE_MAX_DOCUMENT_MB)
        return {
            "max_mb": _integer(
                _("Taille maximale (Mo)"),
                _("%(n)s Mo si vous laissez vide. Formats acceptés : images, PDF, documents bureautiques.")
                % {"n": ceiling},
                min_value=1,
            )
        }
    return {}


class QuestionForm(forms.Form):
    """A question of a given kind: its wording and its options. Choices and rows are edited by ``ItemFormSet``."""

    title = forms.CharField(label=_("Intitulé de la question"), max_length=500)
    help_text = forms.CharField(
        label=_("Texte d'aide"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facultatif : précise la question, sous son intitulé."),
    )
    required = forms.BooleanField(label=_("Réponse obligatoire"), required=False)
    allow_other = forms.BooleanField(
        label=_("Proposer « Autre, précisez »"),
        required=False,
        help_text=_("Un dernier choix qui ouvre un champ de texte pour préciser."),
    )
    other_label = forms.CharField(label=_("Libellé du choix « Autre »"), required=False, max_length=300)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == Kind.SECTION:
            self.fields["title"].label = _("Titre de la section")
            self.fields["help_text"].label = _("Texte explicatif")
            self.fields["help_text"].help_text = _("Facultatif : présente les questions de cette page.")
            self.fields["help_text"].widget.attrs["rows"] = 6
            del self.fields["required"]
        if kind not in Question.CONDITION_KINDS:
            del self.fields["allow_other"]
            del self.fields["other_label"]
        else:
            self.fields["other_label"].initial = DEFAULT_OTHER_LABEL
        self.config_names = list(_config_fields(kind))
        self.fields.update(_config_fields(kind))

    def config_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.config_names]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("title", "help_text", "required") if name in self.fields]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("allow_other", "other_label") if name in self.fields]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        config = {name: data.get(name) for name in self.config_names}
        config = {name: value for name, value in config.items() if value not in (None, "")}
        return {
            "kind": self.kind,
            "title": data["title"],
            "help_text": data.get("help_text", ""),
            "required": bool(data.get("required")),
            "config": config,
        }

    def other_choice(self, existing: Choice | None) -> ChoiceSpec | None:
        if not self.cleaned_data.get("allow_other"):
            return None
        label = self.cleaned_data.get("other_label") or DEFAULT_OTHER_LABEL
        return ChoiceSpec(label=label, pk=existing.pk if existing else None, is_other=True)

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": question.title,
            "help_text": question.help_text,
            "required": question.required,
            **(question.config or {}),
        }
        other = next((c for c in question.choices.all() if c.is_other), None)
        if other is not None:
            initial |= {"allow_other": True, "other_label": other.label}
        return initial


class ItemForm(forms.Form):
    """One choice, column or matrix row: its label, its place and, for an existing one, a box to delete it."""

    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label=_("Libellé"), required=False, max_length=300)
    order = forms.IntegerField(
        label=_("Ordre"), required=False, min_value=1, widget=forms.NumberInput(attrs={"size": 3})
    )
    remove = forms.BooleanField(label=_("Supprimer"), required=False)

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        for name in self.errors:
            if name in self.fields:  # tie the error to its field for screen readers
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-error"}
                )


class BaseItemFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def specs(self, spec_class: type[ChoiceSpec] | type[RowSpec]) -> list[Any]:
        """The items to keep, in the order asked (the "Ordre" column, then the order on the page)."""
        kept = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            label = (data.get("label") or "").strip()
            if data.get("remove") or (not label and not data.get("pk")):
                continue
            order = data.get("order")
            kept.append((order if order is not None else index + 1, index, spec_class(label=label, pk=data.get("pk"))))
        kept.sort(key=lambda item: (item[0], item[1]))
        return [spec for _order, _index, spec in kept]


def item_formset(data: Any, *, prefix: str, items: list[Any], blanks: int) -> BaseItemFormSet:
    """A formset of ``items`` (choices or rows, "autre" excluded) followed by ``blanks`` empty lines."""
    initial = [{"pk": item.pk, "label": item.label, "order": n} for n, item in enumerate(items, start=1)]
    formset_class = forms.formset_factory(
        ItemForm, formset=BaseItemFormSet, extra=blanks, max_num=200, validate_max=True
    )
    return cast(BaseItemFormSet, formset_class(data, prefix=prefix, initial=initial))


class ConditionForm(forms.Form):
    """Show a question only when an earlier single or multiple choice question got one of some answers."""

    condition_question = forms.ModelChoiceField(
        label=_("Afficher cette question seulement si la question"),
        queryset=Question.objects.none(),
        required=False,
        empty_label=_("— toujours afficher cette question —"),
    )
    condition_choices = forms.ModelMultipleChoiceField(
        label=_("a pour réponse l'un de ces choix"),
        queryset=Choice.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: list[Question], selected: Question | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        question_field = cast(forms.ModelChoiceField, self.fields["condition_question"])  # type: ignore[type-arg]
        question_field.queryset = Question.objects.filter(pk__in=[q.pk for q in candidates])
        question_field.label_from_instance = lambda q: q.title  # type: ignore[method-assign,assignment]
        choices = Choice.objects.filter(question=selected) if selected is not None else Choice.objects.none()
        choices_field = cast(forms.ModelMultipleChoiceField, self.fields["condition_choices"])  # type: ignore[type-arg]
        choices_field.queryset = choices.order_by("position", "pk")


class DuplicateForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Copier les questions dans le questionnaire"),
        queryset=Module.objects.none(),
        empty_label=_("— choisissez un questionnaire —"),
        help_text=_(
            "Seuls les questionnaires que vous gérez et qui n'ont encore reçu aucune réponse sont proposés. Les "
            "questions sont ajoutées après celles qui s'y trouvent déjà."
        ),
        error_messages={"required": _("Choisissez le questionnaire de destination.")},
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = cast(forms.ModelChoiceField, self.fields["target"])  # type: ignore[type-arg]
        target.queryset = targets
        target.label_from_instance = lambda m: f"{m.space.title} — {m.title}"  # type: ignore[method-assign,assignment]
