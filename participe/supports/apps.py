from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participe.core.registry import registry


class SupportsConfig(AppConfig):
    name = "participe.supports"
    label = "supports"
    verbose_name = _("Soutiens")

    def ready(self) -> None:
        registry.register_cleanup("supports", "participe.supports.services.delete_for")
