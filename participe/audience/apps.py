from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AudienceConfig(AppConfig):
    name = "participe.audience"
    label = "audience"
    verbose_name = _("Statistiques de fréquentation")

    def ready(self) -> None:
        from participe.audience import rules  # noqa: F401  (registers the app's permissions)
