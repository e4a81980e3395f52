from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "participe.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from participe.accounts import personal_data
        from participe.accounts.hooks import register_personal_data

        register_personal_data("accounts", personal_data.personal_data)
