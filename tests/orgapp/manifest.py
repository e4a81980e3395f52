"""An organisation-wide module type for the platform's tests (decision 0010): served at /service-test/, it runs one
permanent phase and has one page of its own and one hook of each kind (they count their calls)."""

from participe.core.capabilities import Cap
from participe.core.registry import Hooks, ModuleManifest, PhaseType

manifest = ModuleManifest(
    key="testservice",
    name="Service de test",
    description="Installé seulement par les réglages de test.",
    icon="box",
    app_label="orgapp",
    phase_types=(PhaseType(key="ouvert", name="Ouvert", capabilities=frozenset({Cap.VIEW, Cap.SUBMIT})),),
    scope="organisation",
    organisation_path="service-test",
    permanent_phase="ouvert",
    navigation_label="Signaler un test",
    urls="tests.orgapp.urls",
    detail_view="tests.orgapp.views.module_page",
    hooks=Hooks(before_delete="tests.orgapp.hooks.before_delete", phase_changed="tests.orgapp.hooks.phase_changed"),
    templates=("orgapp/module_page.html",),
    authz_expectations="tests.orgapp.authz_expectations",
)
