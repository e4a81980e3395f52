from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participe.core.registry import registry
from participe.spaces.hooks import register_change_listener


class SearchConfig(AppConfig):
    name = "participe.search"
    label = "search"
    verbose_name = _("Recherche")

    def ready(self) -> None:
        from participe.search import services  # it imports models: only once the registry of apps is ready

        registry.register_cleanup("search", "participe.search.services.delete_for")
        # A space's entries copy its visibility, territories and themes; a module's items' entries its publication.
        register_change_listener("search", services.index_object)
