"""The "votation" module: a question put to the residents (single or multiple choice, yes/no, ranking), voted online
and at polling stations through the secret-ballot service, with results, turnout and the collectivité's decision.

See docs/modules/votation.md and docs/services/ballots.md.
"""

from django.utils.translation import gettext_lazy as _

from participe.core.capabilities import Cap
from participe.core.registry import Blueprint, BlueprintPhase, Export, Hooks, ModuleManifest, PhaseType

manifest = ModuleManifest(
    key="votation",  # stored in the database: never rename it
    name=_("Votation"),
    description=_(
        "Une question soumise au vote des habitants (consultation locale, choix entre des projets) : choix unique ou "
        "multiple, oui ou non, classement ; vote en ligne et au bureau de vote, secret ; résultats par quartier et "
        "par mode de vote, seuil de participation, décision argumentée de la collectivité."
    ),
    icon="check-square",
    app_label="votation",
    rules="participe.modules.votation.rules",
    phase_types=(
        PhaseType(
            key="preparation",
            name=_("Présentation"),
            capabilities=frozenset({Cap.VIEW}),
            description=_("La question et les options sont présentées ; le vote n'est pas encore ouvert."),
        ),
        PhaseType(
            key="vote",
            name=_("Vote"),
            capabilities=frozenset({Cap.VIEW, Cap.VOTE}),
            description=_(
                "Les habitants votent, en ligne ou au bureau de vote ; à la fin de l'étape, le scrutin se clôt."
            ),
        ),
        PhaseType(
            key="resultats",
            name=_("Résultats"),
            capabilities=frozenset({Cap.VIEW}),
            description=_("Le vote est clos ; les résultats et la décision de la collectivité sont publiés."),
        ),
    ),
    blueprints=(
        Blueprint(
            key="votation",
            name=_("Présentation, vote puis résultats"),
            phases=(
                BlueprintPhase("preparation", _("Présentation"), days=14),
                BlueprintPhase("vote", _("Vote"), days=14),
                BlueprintPhase("resultats", _("Résultats"), days=60),
            ),
        ),
    ),
    actions=(Cap.VOTE,),
    exports=(
        Export(
            key="depouillement",
            name=_("Fichier de dépouillement"),
            formats=("json",),
            open_data=True,
            stream="participe.modules.votation.open_data.stream",
            is_open="participe.modules.votation.open_data.is_open",
            description=_(
                "Les bulletins (regroupés, ou avec leur code de reçu si la votation le prévoit), les totaux par mode "
                "de vote et par bureau, les résultats ; son empreinte SHA-256 est publiée avec les résultats."
            ),
        ),
    ),
    statistics="participe.modules.votation.statistics.statistics",
    hooks=Hooks(phase_changed="participe.modules.votation.hooks.phase_changed"),
    urls="participe.modules.votation.urls",
    backoffice_urls="participe.modules.votation.backoffice.urls",
    backoffice_entry=_("Votations"),
    detail_view="participe.modules.votation.views.module_page",
    seeds="participe.modules.votation.seeds.seed",
    authz_expectations="participe.modules.votation.authz_expectations",
    templates=("votation/module_page.html", "votation/results.html"),
    personal_data="participe.modules.votation.personal_data.personal_data",
)
