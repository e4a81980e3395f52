from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participe.core.registry import registry


class SupportsConfig(AppConfig):
    name = "participe.supports"
    label = "supports"
    verbose_name = _("Soutiens")

    def ready(self) -> None:
        from participe.supports import rules  # noqa: F401  (registers the app's permissions)

        registry.register_cleanup("supports", "participe.supports.services.delete_for")
