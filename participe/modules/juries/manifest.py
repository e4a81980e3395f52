"""The "juries" module: a panel drawn by lot with quotas, leximin probabilities and a public seed, then its avis
citoyen answered by the collectivité. See docs/modules/juries.md and decision 0024."""

from django.utils.translation import gettext_lazy as _

from participe.core.capabilities import Cap
from participe.core.registry import Blueprint, BlueprintPhase, ModuleManifest, PhaseType, Resource

manifest = ModuleManifest(
    key="juries",  # stored in the database: never rename it
    name=_("Jury tiré au sort"),
    description=_(
        "Un jury citoyen tiré au sort parmi des volontaires, avec des quotas pour ressembler à la population, des "
        "chances équitables calculées et publiées, une graine publique que chacun peut vérifier, puis un avis "
        "citoyen auquel la collectivité répond."
    ),
    icon="users",
    app_label="juries",
    phase_types=(
        PhaseType(
            key="volontariat",
            name=_("Appel à volontaires"),
            capabilities=frozenset({Cap.VIEW, Cap.SUBMIT}),
            description=_("Les habitants se portent volontaires pour être tirés au sort."),
            action=_("Portez-vous volontaire"),
        ),
        PhaseType(
            key="deliberation",
            name=_("Travail du jury"),
            capabilities=frozenset({Cap.VIEW}),
            description=_("Le jury tiré au sort se réunit, auditionne et délibère."),
        ),
        PhaseType(
            key="avis",
            name=_("Avis et réponses"),
            capabilities=frozenset({Cap.VIEW}),
            description=_("L'avis citoyen est publié avec les réponses argumentées de la collectivité."),
        ),
        # The members' space (a module of this type in the jury's private space, decision 0032): its documents and
        # its discussion, for the accepted members and the team.
        PhaseType(
            key="espace",
            name=_("Espace des membres"),
            capabilities=frozenset({Cap.VIEW, Cap.COMMENT}),
            description=_("Les membres du jury y trouvent les documents et échangent entre eux et avec l'équipe."),
        ),
    ),
    blueprints=(
        Blueprint(
            key="jury",
            name=_("Volontariat, travail du jury, avis"),
            phases=(
                BlueprintPhase("volontariat", _("Appel à volontaires"), days=30),
                BlueprintPhase("deliberation", _("Travail du jury"), days=90),
                BlueprintPhase("avis", _("Avis et réponses"), days=365),
            ),
        ),
        Blueprint(
            key="espace-membres",
            name=_("Espace des membres du jury"),
            phases=(BlueprintPhase("espace", _("Travail du jury"), days=730),),
        ),
    ),
    actions=(Cap.SUBMIT,),
    rules="participe.modules.juries.rules",
    resources=(
        Resource(
            model="juries.Recommendation",
            title_field="title",
            text_fields=("text", "answer"),
            author_field=None,
            view_permission="juries.view_panel",
        ),
        Resource(
            model="juries.Room",
            commentable=True,  # the members' discussion
            attachments=True,  # the documents the team gives the members
            supportable=False,
            followable=False,
            reportable=False,
            searchable=False,
            author_field=None,
            view_permission="juries.view_room",
        ),
    ),
    urls="participe.modules.juries.urls",
    backoffice_urls="participe.modules.juries.backoffice.urls",
    backoffice_entry=_("Jurys tirés au sort"),
    api_router="participe.modules.juries.api.router",
    detail_view="participe.modules.juries.views.module_page",
    seeds="participe.modules.juries.seeds.seed",
    authz_expectations="participe.modules.juries.authz_expectations",
    templates=(
        "juries/module_page.html",
        "juries/room_page.html",
        "juries/volunteer.html",
        "juries/invitation.html",
    ),
    personal_data="participe.modules.juries.personal_data.personal_data",
)
