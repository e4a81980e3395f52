"""The "surveys" module: questionnaires and polls, with conditional questions, drafts, results and exports.

See docs/modules/surveys.md.
"""

from django.utils.translation import gettext_lazy as _

from participe.core.capabilities import Cap
from participe.core.interchange import Interchange
from participe.core.registry import Blueprint, BlueprintPhase, Export, Hooks, ModuleManifest, PhaseType, Resource
from participe.modules.surveys.backoffice.forms import SurveySettingsForm

manifest = ModuleManifest(
    key="surveys",
    name=_("Questionnaire"),
    description=_(
        "Un questionnaire ou un sondage : questions ouvertes et fermées, classements, échelles, matrices, "
        "questions conditionnelles ; résultats en graphiques et tableaux, exports CSV et JSON."
    ),
    icon="clipboard-list",
    app_label="surveys",
    rules="participe.modules.surveys.rules",
    phase_types=(
        PhaseType(
            key="preparation",
            name=_("Préparation"),
            capabilities=frozenset({Cap.VIEW}),
            description=_("Le questionnaire se construit et se teste ; il n'est pas encore ouvert aux réponses."),
        ),
        PhaseType(
            key="reponses",
            name=_("Réponses"),
            capabilities=frozenset({Cap.VIEW, Cap.ANSWER}),
            description=_("Le questionnaire est ouvert : les participants y répondent."),
        ),
        PhaseType(
            key="resultats",
            name=_("Résultats"),
            capabilities=frozenset({Cap.VIEW}),
            description=_("Les réponses sont closes ; les résultats sont publiés si le module le prévoit."),
        ),
    ),
    settings_form=SurveySettingsForm,
    blueprints=(
        Blueprint(
            key="questionnaire",
            name=_("Réponses puis résultats"),
            phases=(
                BlueprintPhase("reponses", _("Réponses"), days=30),
                BlueprintPhase("resultats", _("Résultats"), days=60),
            ),
        ),
    ),
    actions=(Cap.ANSWER,),
    resources=(
        # Its free-text answers are contributions the synthesis reads (decision 0034): anonymous ones without
        # anything that links them to their response or respondent (decision 0016).
        Resource(
            "surveys.Questionnaire",
            author_field=None,
            contribution_items="participe.modules.surveys.contributions.free_texts",
        ),
    ),
    exports=(
        Export(
            key="resultats",
            name=_("Résultats agrégés"),
            formats=("csv", "json"),
            open_data=True,  # when the module's "results_open_data" setting is on: counts, never an answer
            stream="participe.modules.surveys.open_data.stream",
            is_open="participe.modules.surveys.open_data.is_open",
            description=_(
                "Les décomptes et pourcentages de chaque question fermée ; jamais une réponse individuelle ni un "
                "texte libre."
            ),
        ),
    ),
    statistics="participe.modules.surveys.statistics.statistics",
    urls="participe.modules.surveys.urls",
    backoffice_urls="participe.modules.surveys.backoffice.urls",
    api_router="participe.modules.surveys.api.router",
    detail_view="participe.modules.surveys.views.answering.module_page",
    seeds="participe.modules.surveys.seeds.seed",
    volume="participe.modules.surveys.volume.seed_volume",
    authz_expectations="participe.modules.surveys.authz_expectations",
    templates=("surveys/module_page.html",),
    hooks=Hooks(
        account_deleted="participe.modules.surveys.accounts.account_deleted",
        purge_drafts="participe.modules.surveys.accounts.purge_drafts",
        phase_changed="participe.modules.surveys.hooks.phase_changed",
    ),
    personal_data="participe.modules.surveys.personal_data.personal_data",
    interchange=Interchange(
        excluded={
            "surveys.ExportJob": "an export file being prepared or waiting to be downloaded; made again on request",
        }
    ),
)
