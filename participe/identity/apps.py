from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "participe.identity"
    label = "identity"
    verbose_name = _("Identité (FranceConnect, ProConnect)")

    def ready(self) -> None:
        from participe.accounts.hooks import (
            register_eraser,
            register_logout_redirect,
            register_personal_data,
            register_section,
        )
        from participe.identity import personal_data, services, views

        register_eraser("identity", services.erase_account_data)
        register_personal_data("identity", personal_data.personal_data)
        register_logout_redirect("identity", views.logout_redirect)
        register_section("identity", "identity/partials/_account_section.html", views.account_section)
