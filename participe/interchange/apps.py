from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "participe.interchange"
    label = "interchange"
    verbose_name = _("Réversibilité")

    def ready(self) -> None:
        from participe.interchange import checks  # noqa: F401  (registers the start-up checks)
