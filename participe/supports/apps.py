from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participe.accounts.hooks import register_personal_data
from participe.core.registry import registry


class SupportsConfig(AppConfig):
    name = "participe.supports"
    label = "supports"
    verbose_name = _("Soutiens")

    def ready(self) -> None:
        from participe.supports import (
            personal_data,
            rules,  # noqa: F401  (registers the app's permissions)
        )

        registry.register_cleanup("supports", "participe.supports.services.delete_for")
        register_personal_data("supports", personal_data.personal_data)
