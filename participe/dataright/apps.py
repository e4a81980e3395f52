from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participe.accounts.hooks import register_eraser


class DatarightConfig(AppConfig):
    name = "participe.dataright"
    label = "dataright"
    verbose_name = _("Droits sur les données")

    def ready(self) -> None:
        from participe.dataright import services

        register_eraser("dataright", services.erase_account_data)
