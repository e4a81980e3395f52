from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "participe.spaces"
    label = "spaces"
    verbose_name = _("Espaces participatifs")

    def ready(self) -> None:
        from participe.spaces import rules  # noqa: F401  (registers the app's permissions)
