from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "participe.search"
    label = "search"
    verbose_name = _("Recherche")

    def ready(self) -> None:
        from participe.core.registry import registry

        registry.register_cleanup("search", "participe.search.services.delete_for")
