from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participe.accounts.hooks import register_eraser, register_personal_data
from participe.organisation.hooks import register_territory_use


class SpacesConfig(AppConfig):
    name = "participe.spaces"
    label = "spaces"
    verbose_name = _("Espaces participatifs")

    def ready(self) -> None:
        # Models (and what imports them) can be imported once the registry of apps is ready.
        from participe.core import pagecache, shared
        from participe.spaces import (
            page_cache,
            personal_data,
            rules,  # noqa: F401  (registers the app's permissions)
            services,
        )
        from participe.spaces.models import Space

        register_territory_use(
            "spaces",
            lambda territory: Space.objects.filter(territories=territory).count(),
            lambda n: ngettext("%(n)s espace participatif", "%(n)s espaces participatifs", n),
        )
        register_eraser("spaces", services.erase_account_data)
        register_personal_data("spaces", personal_data.personal_data)
        pagecache.register_scope_resolver(page_cache.scope_of)
        pagecache.register_item_resolver(page_cache.item_of)
        pagecache.register_next_change(page_cache.next_change)
        shared.register_reader_class(page_cache.reader_class)
