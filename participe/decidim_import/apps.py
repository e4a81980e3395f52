from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecidimImportConfig(AppConfig):
    name = "participe.decidim_import"
    label = "decidim_import"
    verbose_name = _("Import depuis Decidim")

    def ready(self) -> None:
        from participe.decidim_import import rules  # noqa: F401  (registers the app's permissions)
