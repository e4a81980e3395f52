"""The "page" module: a rich-text page. The simplest module, exercising the registry end to end."""

from django.utils.translation import gettext_lazy as _

from participe.core.capabilities import Cap
from participe.core.registry import Blueprint, BlueprintPhase, ModuleManifest, PhaseType
from participe.modules.page.forms import PageSettingsForm

manifest = ModuleManifest(
    key="page",
    name=_("Page d'information"),
    description=_("Un texte mis en forme : présentation, calendrier, compte rendu, restitution."),
    icon="file-text",
    app_label="page",
    rules="participe.modules.page.rules",
    phase_types=(
        PhaseType(key="information", name=_("Information"), capabilities=frozenset({Cap.VIEW})),
        PhaseType(key="restitution", name=_("Restitution"), capabilities=frozenset({Cap.VIEW})),
    ),
    settings_form=PageSettingsForm,
    blueprints=(
        Blueprint(
            key="information",
            name=_("Information puis restitution"),
            phases=(
                BlueprintPhase("information", _("Information"), days=30),
                BlueprintPhase("restitution", _("Restitution"), days=60),
            ),
        ),
    ),
    backoffice_urls="participe.modules.page.backoffice.urls",
    detail_view="participe.modules.page.views.page_detail",
    templates=("page/page_detail.html", "page/page_edit.html"),
    seeds="participe.modules.page.seeds.seed",
    volume="participe.modules.page.volume.seed_volume",
    authz_expectations="participe.modules.page.authz_expectations",
)
