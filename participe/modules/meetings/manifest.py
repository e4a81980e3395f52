"""The "meetings" module: réunions publiques, ateliers, balades urbaines and permanences of a space, with
registration (seats, waiting list, questions, codes, reminders), minutes and the contributions collected there; the
organisation's agenda and its iCalendar feeds read every meetings module (decision 0023).

See docs/modules/meetings.md.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.core.capabilities import Cap
from participe.core.registry import (
    Blueprint,
    BlueprintPhase,
    DecidimImport,
    Export,
    Hooks,
    ModuleManifest,
    NotificationEvent,
    Offer,
    PhaseType,
    Resource,
)


class MeetingsSettingsForm(forms.Form):
    """A meetings module has no settings of its own yet: each meeting carries its registration, seats and
    questions."""


manifest = ModuleManifest(
    key="meetings",  # stored in the database: never rename it
    name=_("Réunions"),
    description=_(
        "Réunions publiques, ateliers, balades urbaines et permanences : l'agenda de la démarche, les inscriptions "
        "avec liste d'attente, les comptes rendus et les contributions recueillies sur place."
    ),
    icon="calendar",
    app_label="meetings",
    rules="participe.modules.meetings.rules",
    phase_types=(
        PhaseType(
            key="agenda",
            name=_("Agenda"),
            capabilities=frozenset({Cap.VIEW}),
            description=_("Les réunions sont annoncées ; on s'y inscrit réunion par réunion."),
            action=_("Venez aux réunions"),
        ),
    ),
    settings_form=MeetingsSettingsForm,
    blueprints=(
        Blueprint(
            key="agenda",
            name=_("Agenda de la démarche"),
            phases=(BlueprintPhase("agenda", _("Agenda"), days=365),),
        ),
    ),
    resources=(
        Resource(
            "meetings.Meeting",
            followable=True,
            searchable=True,
            attachments=True,
            geolocated=False,
            text_fields=("description", "place_name", "address", "minutes"),
            author_field=None,
            view_permission="meetings.view_meeting",
        ),
    ),
    offers=(
        # Meetings held: the origin of the contributions collected there (the meeting page lists them).
        Offer(
            kind="meeting",
            name=_("Réunions tenues"),
            resource="meetings.Meeting",
            items="participe.modules.meetings.offers.held",
        ),
        # Every meeting announced: the sessions another module shows (a jury's, in its private space; decision 0023).
        Offer(
            kind="session",
            name=_("Séances"),
            resource="meetings.Meeting",
            items="participe.modules.meetings.offers.sessions",
        ),
    ),
    notification_events=(
        NotificationEvent(
            "meetings.reminder",
            _("Rappel la veille d'une réunion"),
            _("La veille d'une réunion à laquelle vous êtes inscrit·e."),
        ),
        NotificationEvent(
            "meetings.promoted",
            _("Une place s'est libérée"),
            _("Vous étiez en liste d'attente et une place vous est attribuée."),
        ),
        NotificationEvent(
            "meetings.changed",
            _("Réunion déplacée"),
            _("La date, l'heure ou le lieu d'une réunion à laquelle vous êtes inscrit·e a changé."),
        ),
        NotificationEvent(
            "meetings.cancelled",
            _("Réunion annulée"),
            _("Une réunion à laquelle vous êtes inscrit·e est annulée."),
        ),
        NotificationEvent(
            "meetings.minutes",
            _("Compte rendu publié"),
            _("Le compte rendu d'une réunion suivie ou à laquelle vous étiez inscrit·e est publié."),
        ),
    ),
    exports=(
        Export(
            key="reunions",
            name=_("Réunions"),
            formats=("csv", "json", "geojson"),
            open_data=True,  # the meetings of a public space: what the agenda shows, no personal data
            stream="participe.modules.meetings.open_data.stream",
            description=_(
                "Les réunions annoncées (et celles annulées) : titre, type, dates, lieu, territoire, accessibilité, "
                "places, nombre de participants, date du compte rendu. Aucune donnée personnelle, aucune inscription."
            ),
        ),
    ),
    statistics="participe.modules.meetings.statistics.statistics",
    urls="participe.modules.meetings.urls",
    backoffice_urls="participe.modules.meetings.backoffice.urls",
    backoffice_entry=_("Réunions"),
    api_router="participe.modules.meetings.api.router",
    detail_view="participe.modules.meetings.views.module_page",
    seeds="participe.modules.meetings.seeds.seed",
    volume="participe.modules.meetings.volume.seed_volume",
    authz_expectations="participe.modules.meetings.authz_expectations",
    hooks=Hooks(account_deleted="participe.modules.meetings.hooks.account_deleted"),
    templates=(
        "meetings/module_page.html",
        "meetings/meeting_detail.html",
        "meetings/agenda_list.html",
        "meetings/agenda_month.html",
        "meetings/agenda_map.html",
    ),
    personal_data="participe.modules.meetings.personal_data.personal_data",
    import_decidim=(DecidimImport("meetings", _("Réunions"), "participe.modules.meetings.decidim.load"),),
)
