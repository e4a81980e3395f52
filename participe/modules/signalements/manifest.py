"""The "signalements" module: residents report problems of the public space (a photo and a place), routed to the
service in charge of the category there, followed to resolution; an Open311 GeoReport v2 server.

An organisation-wide module (decision 0010) at /signalements/. See docs/modules/signalements.md, docs/open311.md and
decision 0018.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.assignments.forms import assignment_delay_field
from participe.core.capabilities import Cap
from participe.core.registry import Export, ModuleManifest, NotificationEvent, PhaseType, Resource


class SignalementsSettingsForm(forms.Form):
    duplicate_radius = forms.IntegerField(
        label=_("Rayon de recherche des doublons (mètres)"), min_value=5, max_value=1000, initial=50
    )
    assignment_delay = assignment_delay_field(initial=15)


manifest = ModuleManifest(
    key="signalements",  # stored in the database: never rename it
    name=_("Signalements"),
    description=_(
        "Les habitants signalent un problème dans l'espace public (nid-de-poule, dépôt sauvage, éclairage en panne) "
        "avec une photo et un lieu ; le service en charge le prend en compte, le traite et répond."
    ),
    icon="alert-triangle",
    app_label="signalements",
    rules="participe.modules.signalements.rules",
    phase_types=(
        PhaseType(
            key="ouvert",
            name=_("Ouvert"),
            capabilities=frozenset({Cap.VIEW, Cap.SUBMIT, Cap.SUPPORT, Cap.COMMENT}),
            description=_("Les habitants signalent, soutiennent (« moi aussi ») et suivent les signalements."),
        ),
    ),
    settings_form=SignalementsSettingsForm,
    scope="organisation",
    organisation_path="signalements",
    permanent_phase="ouvert",
    navigation_label=_("Signaler un problème"),
    resources=(
        Resource(
            "signalements.Report",
            supportable=True,
            followable=True,
            geolocated=True,
            attachments=True,
            searchable=True,
            text_fields=("description",),
            view_permission="signalements.view_report",
            assign_permission="signalements.route_report",
            # Read by the synthesis of contributions (decision 0034) and counted by the bilan (decision 0042): the
            # public reports only (confirmed, of a public category, not hidden), since both are published.
            contribution_fields=("title", "description"),
            contribution_items="participe.modules.signalements.selectors.contributions",
        ),
    ),
    notification_events=(
        NotificationEvent(
            "signalements.updated",
            _("Nouvelle étape d'un signalement suivi"),
            _("Le service a répondu ou changé l'état d'un signalement que vous suivez."),
        ),
        NotificationEvent(
            "signalements.digest",
            _("Récapitulatif quotidien des signalements de mon service"),
            _("Chaque matin : les signalements ouverts et en retard de vos services."),
        ),
    ),
    exports=(
        Export(
            key="signalements",
            name=_("Signalements publics"),
            formats=("csv", "geojson"),
            open_data=True,
            stream="participe.modules.signalements.open_data.stream",
            description=_(
                "Les signalements publics : catégorie, état, lieu, dates de prise en compte et de résolution ; "
                "aucune donnée personnelle."
            ),
        ),
    ),
    statistics="participe.modules.signalements.statistics.statistics",
    urls="participe.modules.signalements.urls",
    backoffice_urls="participe.modules.signalements.backoffice.urls",
    backoffice_entry=_("Signalements"),
    api_router="participe.modules.signalements.api.router",
    detail_view="participe.modules.signalements.views.module_page",
    seeds="participe.modules.signalements.seeds.seed",
    authz_expectations="participe.modules.signalements.authz_expectations",
    templates=("signalements/module_page.html", "signalements/report_detail.html", "signalements/report_form.html"),
    personal_data="participe.modules.signalements.personal_data.personal_data",
)
