"""The public part of the registre des traitements: what the platform does with personal data, on what ground, kept
how long (the periods come from ``settings.PARTICIPE_RETENTION``, which ``manage.py retention`` applies: decision
0035). The privacy page lists them, under the organisation's own text."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

PUBLIC_INTEREST = _("Mission d'intérêt public (article 6-1-e du RGPD)")


@dataclass(frozen=True)
class Activity:
    name: str | Promise
    purpose: str | Promise
    data: str | Promise
    basis: str | Promise
    period: str


def duration(days: int) -> str:
    """``days`` in words: years when it is a whole number of them, months of 30 days, else days."""
    if days % 365 == 0:
        return ngettext("%(n)s an", "%(n)s ans", days // 365) % {"n": days // 365}
    if days % 30 == 0:
        return ngettext("%(n)s mois", "%(n)s mois", days // 30) % {"n": days // 30}
    return ngettext("%(n)s jour", "%(n)s jours", days) % {"n": days}


def activities() -> list[Activity]:
    periods = settings.PARTICIPE_RETENTION
    inactive, warning = duration(periods["inactive_account"]), duration(periods["inactive_warning"])
    return [*_platform_activities(periods, inactive, warning), *_audience_activities()]


def _audience_activities() -> list[Activity]:
    """The audience counter (``participe.audience``, decision 0036): to be told of, though exempt from consent."""
    if not settings.PARTICIPE_AUDIENCE_ENABLED:
        return []
    months = settings.PARTICIPE_AUDIENCE_RETENTION_MONTHS
    return [
        Activity(
            _("Mesure d'audience"),
            _("Savoir quelles pages sont lues et d'où viennent les lecteurs, pour améliorer les démarches."),
            _(
                "Des totaux par page et par jour (pages vues, visites, site d'origine, type d'appareil). Aucun "
                "cookie ni identifiant n'est déposé ou enregistré : une empreinte de l'adresse IP et du navigateur, "
                "calculée avec un secret du jour, reste en mémoire et est oubliée en deux jours."
            ),
            _("Mission d'intérêt public (article 6-1-e du RGPD) ; mesure exemptée de consentement (CNIL)"),
            ngettext("%(n)s mois", "%(n)s mois", months) % {"n": months},
        )
    ]


def _platform_activities(periods: dict[str, int], inactive: str, warning: str) -> list[Activity]:
    return [
        Activity(
            _("Comptes et participation"),
            _("Vous permettre de participer aux démarches : contributions, commentaires, soutiens, inscriptions."),
            _("Adresse électronique, pseudonyme, nom et téléphone si vous les donnez, quartier, contributions."),
            PUBLIC_INTEREST,
            _(
                "Tant que vous utilisez votre compte ; sans connexion pendant %(inactive)s, il est anonymisé, après un "
                "avertissement envoyé %(warning)s avant. Les contributions publiées restent, sous le nom « participant "
                "supprimé »."
            )
            % {"inactive": inactive, "warning": warning},
        ),
        Activity(
            _("Vérification de la résidence et de l'âge"),
            _("Réserver certaines participations aux habitants ou à une tranche d'âge."),
            _("Territoire, date de naissance ; le recensement n'est gardé que sous forme d'empreintes chiffrées."),
            PUBLIC_INTEREST,
            _("Jusqu'à l'expiration de la vérification, ou la suppression du compte."),
        ),
        Activity(
            _("Votes et questionnaires anonymes"),
            _("Garantir le secret du vote et l'anonymat des réponses."),
            _("Le seul fait d'avoir voté ou répondu ; le bulletin et les réponses ne sont reliés à personne."),
            PUBLIC_INTEREST,
            _("Le temps de la démarche et de son bilan."),
        ),
        Activity(
            _("Journal des actions"),
            _("Sécurité de la plateforme et traçabilité des décisions."),
            _("Qui a fait quoi et quand, adresse IP."),
            PUBLIC_INTEREST,
            duration(periods["audit_log"]),
        ),
        Activity(
            _("Confirmation de l'adresse électronique"),
            _("Vérifier que l'adresse donnée est bien la vôtre."),
            _("Lien de confirmation."),
            PUBLIC_INTEREST,
            duration(periods["email_confirmation"]),
        ),
        Activity(
            _("Brouillons"),
            _("Vous laisser reprendre une contribution ou des réponses."),
            _("Le texte du brouillon."),
            PUBLIC_INTEREST,
            _("%(period)s sans modification.") % {"period": duration(periods["draft"])},
        ),
        Activity(
            _("« Mes données »"),
            _("Vous remettre une copie de vos données (droits d'accès et à la portabilité)."),
            _("L'archive de vos données."),
            _("Obligation légale (articles 15 et 20 du RGPD)"),
            duration(periods["data_export"]),
        ),
    ]
