from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinksConfig(AppConfig):
    name = "participe.links"
    label = "links"
    verbose_name = _("Liens entre modules")

    def ready(self) -> None:
        from participe.core.registry import registry
        from participe.links import rules  # noqa: F401  (registers the app's permissions)

        registry.register_cleanup("links", "participe.links.services.delete_for")
