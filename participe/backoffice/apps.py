from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "participe.backoffice"
    label = "backoffice"
    verbose_name = _("Back-office")

    def ready(self) -> None:
        from participe.backoffice import rules  # noqa: F401  (registers the back-office's and the staff's permissions)
