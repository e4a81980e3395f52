from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participe.accounts.hooks import register_personal_data
from participe.core.registry import registry


class AttachmentsConfig(AppConfig):
    name = "participe.attachments"
    label = "attachments"
    verbose_name = _("Pièces jointes")

    def ready(self) -> None:
        from participe.attachments import (
            personal_data,
            rules,  # noqa: F401  (registers the app's permissions)
        )

        registry.register_cleanup("attachments", "participe.attachments.services.delete_for")
        register_personal_data("attachments", personal_data.personal_data)
