"""The "debate" module: questions put to residents, answered with comments carrying a stance, then a synthesis.

The first module built on the shared participation services (docs/decisions/0006): its subjects are
commentable (comments with a stance: favorable, neutre, défavorable), followable, searchable and carry
attachments. See docs/modules/debate.md.
"""

from django.utils.translation import gettext_lazy as _

from participe.core.capabilities import Cap
from participe.core.registry import (
    Blueprint,
    BlueprintPhase,
    ModuleManifest,
    NotificationEvent,
    PhaseType,
    Resource,
)
from participe.modules.debate.forms import DebateSettingsForm

manifest = ModuleManifest(
    key="debate",
    name=_("Débat"),
    description=_(
        "Une ou plusieurs questions posées aux habitants, qui répondent par des commentaires favorables, neutres "
        "ou défavorables et soutiennent les meilleurs arguments ; la ville publie ensuite une synthèse."
    ),
    icon="message-circle",
    app_label="debate",
    rules="participe.modules.debate.rules",
    phase_types=(
        PhaseType(
            key="debat",
            name=_("Débat"),
            capabilities=frozenset({Cap.VIEW, Cap.COMMENT, Cap.SUPPORT}),
            action=_("Donnez votre avis"),
            description=_("Les participants commentent les sujets, répondent et soutiennent des commentaires."),
        ),
        PhaseType(
            key="synthese",
            name=_("Synthèse"),
            capabilities=frozenset({Cap.VIEW}),
            description=_("Les contributions restent lisibles ; la ville publie la synthèse de chaque sujet."),
        ),
    ),
    settings_form=DebateSettingsForm,
    blueprints=(
        Blueprint(
            key="debat_synthese",
            name=_("Débat puis synthèse"),
            phases=(
                BlueprintPhase("debat", _("Débat"), days=45),
                BlueprintPhase("synthese", _("Synthèse"), days=30),
            ),
        ),
    ),
    urls="participe.modules.debate.urls",
    backoffice_urls="participe.modules.debate.backoffice.urls",
    api_router="participe.modules.debate.api.router",
    detail_view="participe.modules.debate.views.module_page",
    resources=(
        Resource(
            model="debate.Subject",
            commentable=True,
            supportable=False,  # residents support the best comments, not the question itself
            followable=True,
            reportable=False,  # written by the collectivité; the comments are reportable
            searchable=True,
            attachments=True,  # the documents of the presentation
            title_field="title",
            text_fields=("summary", "body", "published_synthesis"),
            author_field=None,  # the agent who wrote it is not a participant to notify of every comment
            view_permission="debate.view_subject",
        ),
    ),
    notification_events=(
        NotificationEvent(
            key="debate.subject_published",
            name=_("Nouveau sujet de débat"),
            description=_("Une nouvelle question est posée dans un débat que vous suivez."),
        ),
        NotificationEvent(
            key="debate.synthesis_published",
            name=_("Synthèse d'un débat publiée"),
            description=_("La ville a publié la synthèse d'un sujet de débat que vous suivez."),
        ),
    ),
    statistics="participe.modules.debate.statistics.statistics",
    seeds="participe.modules.debate.seeds.seed",
    volume="participe.modules.debate.volume.seed_volume",
    authz_expectations="participe.modules.debate.authz_expectations",
    templates=(
        "debate/module_page.html",
        "debate/subject_detail.html",
        "debate/subject_list.html",
        "debate/subject_form.html",
        "debate/synthesis_form.html",
    ),
    actions=(Cap.COMMENT, Cap.SUPPORT),
    personal_data="participe.modules.debate.personal_data.personal_data",
)
