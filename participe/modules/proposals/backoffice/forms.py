"""Forms of the back-office of a proposals module: the list's filters, the analysis of a proposal, answers in
bulk, a proposal entered for a resident, the CSV import."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from participe.accounts.models import User
from participe.accounts.selectors import managed_accounts, user_by_identifier
from participe.backoffice.forms.base import DateInput
from participe.backoffice.forms.verifications import TerritoryChoiceField
from participe.core.widgets import RICH_TEXT_HELP, RichTextarea
from participe.modules.proposals.forms import ProposalForm
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.selectors.analysis import (
    ANY,
    NO_ANSWER,
    NO_SERVICE,
    OFFLINE,
    PREPARED,
    AgentFilters,
)
from participe.organisation.models import Service, Theme

ANSWER_STATUS_CHOICES = [(value, label) for value, label in Proposal.AnswerStatus.choices if value]
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _service_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Service.objects.order_by("name").values_list("pk", "name")]


class BackofficeFilterForm(forms.Form):
    """The filters of the agents' list (GET). A bad value is reported next to its field; the others apply."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=200,
        help_text=_("Mots du titre, de la description ou de l'adresse, ou numéro de la proposition."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    statut = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[(ANY, _("Tous")), *((v, label) for v, label in Proposal.Status.choices if v != Proposal.Status.DRAFT)],
        initial=Proposal.Status.PUBLISHED,
    )
    reponse = forms.ChoiceField(
        label=_("Réponse"),
        required=False,
        choices=[
            (ANY, _("Toutes")),
            (NO_ANSWER, _("Sans réponse publiée")),
            (PREPARED, _("Réponse préparée, à publier")),
            *ANSWER_STATUS_CHOICES,
        ],
    )
    service = forms.ChoiceField(label=_("Service"), required=False)
    theme = forms.ModelChoiceField(
        label=_("Thème"), required=False, queryset=Theme.objects.all(), empty_label=_("Tous")
    )
    territoire = TerritoryChoiceField(label=_("Territoire"), required=False)
    retenue = forms.ChoiceField(
        label=_("Seuil de soutiens"),
        required=False,
        choices=[(ANY, _("Indifférent")), ("oui", _("Atteint (retenue pour analyse)")), ("non", _("Non atteint"))],
    )
    origine = forms.ChoiceField(
        label=_("Origine"),
        required=False,
        choices=[
            (ANY, _("Toutes")),
            (OFFLINE, _("Reçues hors ligne (saisies par un agent)")),
            *Proposal.Origin.choices,
        ],
    )
    tri = forms.ChoiceField(
        label=_("Ordre"),
        required=False,
        choices=[
            ("recentes", _("Les plus récentes")),
            ("anciennes", _("Les plus anciennes")),
            ("numero", _("Par numéro")),
            ("soutiens", _("Les plus soutenues")),
            ("commentaires", _("Les plus commentées")),
            ("modifiees", _("Modifiées récemment")),
        ],
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if data is not None and "statut" not in data:
            data = data.copy()
            data["statut"] = Proposal.Status.PUBLISHED  # first visit: the proposals residents see
        super().__init__(data, **kwargs)
        self.fields["service"].choices = [(ANY, _("Tous")), (NO_SERVICE, _("Aucun service")), *_service_choices()]

    def filters(self) -> AgentFilters:
        self.is_valid()  # the fields in error are left out of cleaned_data
        data = dict(self.cleaned_data)
        return AgentFilters.from_cleaned(
            {
                "q": data.get("q"),
                "status": data.get("statut"),
                "answer": data.get("reponse"),
                "service": _int_or_same(data.get("service")),
                "theme": data.get("theme"),
                "territory": data.get("territoire"),
                "retained": data.get("retenue"),
                "origin": data.get("origine"),
                "sort": data.get("tri"),
            }
        )


def _int_or_same(value: str | None) -> int | str | None:
    if value and value.isdigit():
        return int(value)
    return value or None


class AssessForm(forms.Form):
    feasibility = forms.ChoiceField(label=_("Faisabilité"), required=False, choices=Proposal.Feasibility.choices)
    estimated_cost = forms.DecimalField(
        label=_("Coût estimé (€)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text=_("En euros, par exemple 12 500 ou 12500,50. Laissez vide s'il n'est pas encore connu."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "12 500" typed with a space (or a narrow no-break space, as French formatting writes it) is a number.
        key = self.add_prefix("estimated_cost")
        if self.is_bound and key in self.data:
            data = self.data.copy()
            data[key] = "".join(str(data[key]).split()).replace("\u202f", "")
            self.data = data


class AnswerForm(forms.Form):
    """The official answer: a status and the argued text ("non retenue" always with its motive)."""

    status = forms.ChoiceField(label=_("Statut de la réponse"), choices=ANSWER_STATUS_CHOICES, widget=forms.RadioSelect)
    answer = forms.CharField(
        label=_("Réponse argumentée"),
        max_length=settings.PARTICIPE_RICH_TEXT_MAX_LENGTH,
        required=False,
        widget=RichTextarea(attrs={"rows": 10}),
        help_text=format_lazy(
            "{} {}",
            _("Publiée sur la page de la proposition ; obligatoire pour une proposition non retenue (le motif)."),
            RICH_TEXT_HELP,
        ),
    )

    def clean(self) -> dict[str, Any]:
        from participe.modules.proposals.services.analysis import check_answer

        cleaned = super().clean()
        if "status" in cleaned:
            try:
                check_answer(cleaned["status"], cleaned.get("answer") or "")
            except ValidationError as exc:
                for name, errors in exc.error_dict.items():
                    self.add_error(name, errors)
        return cleaned


class BulkAnswerForm(AnswerForm):
    replace = forms.BooleanField(
        label=_("Remplacer les réponses déjà préparées pour ces propositions"),
        required=False,
        initial=True,
        help_text=_("Décochez pour ne préparer que les propositions qui n'ont pas encore de réponse préparée."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier des propositions (CSV)"),
        help_text=_(
            "Une ligne par proposition. Colonnes : titre ; description ; theme ; territoire ; adresse ; latitude ; "
            "longitude ; auteur ; nom ; origine ; date_depot. Seules titre et description sont obligatoires. "
            "Séparateur « ; » ou « , », encodage UTF-8 ou Windows-1252 (Excel)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    only_valid = forms.BooleanField(
        label=_("Importer les lignes valides même si d'autres sont rejetées"),
        required=False,
        help_text=_(
            "Sans cette case, le fichier n'est importé que si toutes ses lignes sont valides : rien n'est importé "
            "à moitié, corrigez les lignes signalées et envoyez-le de nouveau."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise ValidationError(_("Envoyez un fichier CSV (extension .csv)."))
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("Ce fichier est trop lourd (5 Mo au plus)."))
        return upload


WHO_ACCOUNT = "compte"
WHO_MANAGED = "compte-gere"
WHO_NONE = "anonyme"
ENTRY_ORIGINS = [(value, label) for value, label in Proposal.Origin.choices if value != Proposal.Origin.ONLINE]


class OnBehalfForm(ProposalForm):
    """A proposal an agent enters for a resident: who it is from, how it was received, then the proposal itself."""

    who = forms.ChoiceField(
        label=_("De la part de"),
        widget=forms.RadioSelect,
        choices=[
            (WHO_ACCOUNT, _("Un habitant qui a un compte (adresse électronique ou pseudonyme)")),
            (WHO_MANAGED, _("Un habitant sans adresse électronique dont un agent a créé le compte")),
            (WHO_NONE, _("Un habitant sans compte (la proposition est publiée comme « anonyme »)")),
        ],
        initial=WHO_NONE,
    )
    identifier = forms.CharField(
        label=_("Adresse électronique ou pseudonyme du compte"),
        required=False,
        max_length=254,
        help_text=_("Si « un habitant qui a un compte » : la proposition sera publiée sous son pseudonyme."),
    )
    managed = forms.ModelChoiceField(
        label=_("Compte sans adresse électronique"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("— Choisir le compte —"),
        help_text=_("Si « un habitant sans adresse électronique » ; créez son compte d'abord s'il n'en a pas."),
    )
    name = forms.CharField(
        label=_("Nom ou indication sur la personne (facultatif)"),
        required=False,
        max_length=200,
        help_text=_(
            "Si « sans compte » : gardé dans une note interne, jamais publié. Par exemple « Mme Martin, 3e étage »."
        ),
    )
    origin = forms.ChoiceField(
        label=_("Reçue"), widget=forms.RadioSelect, choices=ENTRY_ORIGINS, initial=Proposal.Origin.PAPER
    )
    received_on = forms.DateField(
        label=_("Date de réception (facultatif)"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Si elle a été reçue avant aujourd'hui : elle prend sa place parmi les propositions de ce jour-là."
        ),
    )

    def __init__(self, *args: Any, module: Any, **kwargs: Any) -> None:
        super().__init__(*args, module=module, with_files=False, **kwargs)
        self.fields["managed"].queryset = managed_accounts().order_by("last_name", "first_name")  # type: ignore[attr-defined]
        self.fields["managed"].label_from_instance = _managed_label  # type: ignore[attr-defined]
        self.fields["title"].label = _("Titre de la proposition")
        self.fields["title"].help_text = _("Reprenez les mots de l'habitant ; corrigez seulement l'orthographe.")
        self.fields["body"].help_text = format_lazy(
            "{} {}", _("Recopiez le texte remis par l'habitant."), RICH_TEXT_HELP
        )

    def clean_received_on(self) -> Any:
        value = self.cleaned_data.get("received_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("La date de réception ne peut pas être dans le futur."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        who = data.get("who")
        if who == WHO_ACCOUNT:
            identifier = (data.get("identifier") or "").strip()
            data["author"] = user_by_identifier(identifier) if identifier else None
            if data["author"] is None:
                self.add_error(
                    "identifier",
                    _("Aucun compte n'a cette adresse électronique ou ce pseudonyme.")
                    if identifier
                    else _("Indiquez l'adresse électronique ou le pseudonyme de l'habitant."),
                )
        elif who == WHO_MANAGED:
            data["author"] = data.get("managed")
            if data["author"] is None:
                self.add_error("managed", _("Choisissez le compte de l'habitant."))
        else:
            data["author"] = None
        return data

    def received_at(self) -> datetime.datetime | None:
        """The day of reception as a moment (noon, local time); None for today or when not given."""
        day = self.cleaned_data.get("received_on")
        if not day or day == timezone.localdate():
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def _managed_label(user: User) -> str:
    name = user.full_name or user.pseudonym
    return f"{name} ({user.pseudonym})" if user.full_name else name
