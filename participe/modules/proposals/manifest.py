"""The "proposals" module: idea box, call for projects and participatory mapping (geolocated proposals).

See docs/modules/proposals.md.
"""

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
from participe.modules.proposals.forms import ProposalSettingsForm

manifest = ModuleManifest(
    key="proposals",
    name=_("Boîte à idées"),
    description=_(
        "Les habitants déposent des propositions, localisées sur une carte si besoin, les soutiennent et les "
        "commentent ; les services les analysent et publient une réponse argumentée."
    ),
    icon="lightbulb",
    app_label="proposals",
    rules="participe.modules.proposals.rules",
    phase_types=(
        PhaseType(
            key="depot",
            name=_("Dépôt"),
            capabilities=frozenset({Cap.VIEW, Cap.SUBMIT, Cap.EDIT_OWN, Cap.COMMENT, Cap.SUPPORT}),
            description=_("Les participants déposent leurs propositions, les commentent et les soutiennent."),
        ),
        PhaseType(
            key="soutiens",
            name=_("Soutiens"),
            capabilities=frozenset({Cap.VIEW, Cap.COMMENT, Cap.SUPPORT}),
            description=_("Le dépôt est clos ; les participants soutiennent et commentent les propositions."),
        ),
        PhaseType(
            key="analyse",
            name=_("Analyse"),
            capabilities=frozenset({Cap.VIEW}),
            description=_("Les services étudient les propositions ; leurs réponses sont publiées au fil de l'eau."),
        ),
        PhaseType(
            key="resultats",
            name=_("Résultats"),
            capabilities=frozenset({Cap.VIEW}),
            description=_("Les réponses argumentées sont publiées ; les propositions retenues sont suivies."),
        ),
    ),
    settings_form=ProposalSettingsForm,
    blueprints=(
        Blueprint(
            key="boite_a_idees",
            name=_("Dépôt, soutiens, analyse, résultats"),
            phases=(
                BlueprintPhase("depot", _("Dépôt des propositions"), days=30),
                BlueprintPhase("soutiens", _("Soutiens"), days=21),
                BlueprintPhase("analyse", _("Analyse"), days=45),
                BlueprintPhase("resultats", _("Résultats"), days=90),
            ),
        ),
        Blueprint(
            key="depot_seul",
            name=_("Dépôt puis réponses"),
            phases=(
                BlueprintPhase("depot", _("Dépôt des propositions"), days=45),
                BlueprintPhase("resultats", _("Réponses"), days=90),
            ),
        ),
    ),
    resources=(
        Resource(
            model="proposals.Proposal",
            commentable=True,
            supportable=True,
            followable=True,
            reportable=True,
            searchable=True,
            attachments=True,
            geolocated=True,
            title_field="title",
            text_fields=("body", "address", "answer"),
            contribution_fields=("title", "body"),  # read by the synthesis of contributions (decision 0025)
            author_field="author",
            view_permission="proposals.view_proposal",
            on_supports_changed="participe.modules.proposals.services.proposals.on_supports_changed",
            # The staff of the space give proposals to the services (participe.assignments, decision 0008).
            assign_permission="proposals.manage_proposals",
        ),
    ),
    actions=(Cap.SUBMIT, Cap.SUPPORT, Cap.COMMENT),
    offers=(
        Offer(
            kind="idea",
            name=_("Propositions retenues"),
            resource="proposals.Proposal",
            items="participe.modules.proposals.offers.retained",
        ),
    ),
    notification_events=(
        NotificationEvent(
            key="proposals.new",
            name=_("Nouvelle proposition"),
            description=_("Une proposition a été déposée dans une boîte à idées ou une démarche que vous suivez."),
        ),
        NotificationEvent(
            key="proposals.answered",
            name=_("Réponse à une proposition"),
            description=_(
                "La collectivité a publié sa réponse à une proposition que vous avez déposée ou que vous suivez."
            ),
        ),
    ),
    exports=(
        Export(
            key="proposals",
            name=_("Propositions"),
            formats=("csv", "json", "geojson"),
            open_data=True,  # when the module's "open_data" setting is on: published proposals, no personal data
            stream="participe.modules.proposals.open_data.stream",
            is_open="participe.modules.proposals.open_data.is_open",
            description=_(
                "Les propositions publiées : titre, description, thème, territoire, lieu, soutiens, commentaires, "
                "réponse de la collectivité. Aucune donnée personnelle."
            ),
        ),
    ),
    statistics="participe.modules.proposals.statistics.statistics",
    urls="participe.modules.proposals.urls",
    backoffice_urls="participe.modules.proposals.backoffice.urls",
    backoffice_entry=_("Propositions à analyser"),
    api_router="participe.modules.proposals.api.router",
    detail_view="participe.modules.proposals.views.proposals.module_page",
    hooks=Hooks(
        settings_changed="participe.modules.proposals.services.proposals.on_settings_changed",
        account_deleted="participe.modules.proposals.services.accounts.account_deleted",
        purge_drafts="participe.modules.proposals.services.accounts.purge_drafts",
    ),
    seeds="participe.modules.proposals.seeds.seed",
    volume="participe.modules.proposals.volume.seed_volume",
    authz_expectations="participe.modules.proposals.authz_expectations",
    templates=("proposals/module_page.html",),
    personal_data="participe.modules.proposals.personal_data.personal_data",
    import_decidim=(DecidimImport("proposals", _("Propositions"), "participe.modules.proposals.decidim.load"),),
)
