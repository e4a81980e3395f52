from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SynthesisConfig(AppConfig):
    name = "participe.synthesis"
    label = "synthesis"
    verbose_name = _("Synthèse des contributions")

    def ready(self) -> None:
        from participe.backoffice.hooks import register_demo_seed
        from participe.core.registry import registry
        from participe.synthesis import rules  # noqa: F401  (registers the app's permissions)

        register_demo_seed("participe.synthesis.seeds.seed_demo")
        registry.register_cleanup("synthesis", "participe.synthesis.services.delete_for")
