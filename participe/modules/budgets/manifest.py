"""The "budgets" module: the budget participatif, from the projects to the vote within envelopes, a fair tally and
the delivery of the funded projects. See docs/modules/budgets.md.
"""

from django.utils.translation import gettext_lazy as _

from participe.core.capabilities import Cap
from participe.core.registry import (
    Blueprint,
    BlueprintPhase,
    Export,
    Hooks,
    ModuleManifest,
    NotificationEvent,
    PhaseType,
    Resource,
)

manifest = ModuleManifest(
    key="budgets",  # stored in the database: never rename it
    name=_("Budget participatif"),
    description=_(
        "Des projets proposés par les habitants, étudiés par les services, soumis au vote dans une ou plusieurs "
        "enveloppes (en ligne et au bureau de vote), un dépouillement équitable expliqué, puis le suivi de la "
        "réalisation des projets retenus."
    ),
    icon="piggy-bank",
    app_label="budgets",
    phase_types=(
        PhaseType(
            key="projets",
            name=_("Projets"),
            capabilities=frozenset({Cap.VIEW, Cap.COMMENT, Cap.SUPPORT}),
            description=_("Les projets sont présentés et étudiés par les services ; on peut les commenter."),
        ),
        PhaseType(
            key="vote",
            name=_("Vote"),
            capabilities=frozenset({Cap.VIEW, Cap.VOTE}),
            description=_("Les habitants votent pour les projets, dans chaque enveloppe, en ligne ou sur papier."),
        ),
        PhaseType(
            key="resultats",
            name=_("Résultats et réalisation"),
            capabilities=frozenset({Cap.VIEW, Cap.COMMENT}),
            description=_("Les projets retenus sont publiés avec les explications, puis leur réalisation est suivie."),
        ),
    ),
    blueprints=(
        Blueprint(
            key="budget",
            name=_("Projets, vote, résultats"),
            phases=(
                BlueprintPhase("projets", _("Présentation des projets"), days=30),
                BlueprintPhase("vote", _("Vote"), days=21),
                BlueprintPhase("resultats", _("Résultats et réalisation"), days=730),
            ),
        ),
    ),
    actions=(Cap.VOTE, Cap.COMMENT, Cap.SUPPORT),
    rules="participe.modules.budgets.rules",
    resources=(
        Resource(
            model="budgets.Project",
            commentable=True,
            supportable=True,
            followable=True,
            searchable=True,
            geolocated=True,
            title_field="title",
            text_fields=("description", "address", "answer"),
            author_field="author",
            view_permission="budgets.view_project",
            # The staff of the space give projects to the services for their feasibility (decision 0008).
            assign_permission="budgets.manage_budget",
        ),
    ),
    notification_events=(
        NotificationEvent(
            key="budgets.answered",
            name=_("Avis sur un projet du budget participatif"),
            description=_("Les services ont publié leur avis de faisabilité sur un projet que vous suivez."),
        ),
        NotificationEvent(
            key="budgets.results",
            name=_("Résultats d'un budget participatif"),
            description=_("Les projets retenus d'une enveloppe que vous suivez sont publiés."),
        ),
    ),
    exports=(
        Export(
            key="vote-pabulib",
            name=_("Vote du budget participatif (format Pabulib)"),
            formats=("zip",),
            open_data=True,
            stream="participe.modules.budgets.open_data.stream",
            is_open="participe.modules.budgets.open_data.is_open",
            description=_(
                "Une archive ZIP avec un fichier par enveloppe dont les résultats sont publiés : les projets (coût, "
                "voix, catégorie) et les bulletins regroupés, au format ouvert Pabulib (.pb) : on peut recompter avec "
                "toutes les règles. Aucune donnée personnelle : les votants sont numérotés."
            ),
        ),
    ),
    hooks=Hooks(phase_changed="participe.modules.budgets.hooks.phase_changed"),
    urls="participe.modules.budgets.urls",
    backoffice_urls="participe.modules.budgets.backoffice.urls",
    backoffice_entry=_("Budgets participatifs"),
    api_router="participe.modules.budgets.api.router",
    detail_view="participe.modules.budgets.views.module_page",
    seeds="participe.modules.budgets.seeds.seed",
    authz_expectations="participe.modules.budgets.authz_expectations",
    templates=("budgets/module_page.html", "budgets/project_detail.html", "budgets/envelope_detail.html"),
    personal_data="participe.modules.budgets.personal_data.personal_data",
)
