from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participe.core.registry import registry


class AttachmentsConfig(AppConfig):
    name = "participe.attachments"
    label = "attachments"
    verbose_name = _("Pièces jointes")

    def ready(self) -> None:
        from participe.attachments import rules  # noqa: F401  (registers the app's permissions)

        registry.register_cleanup("attachments", "participe.attachments.services.delete_for")
