from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participe.accounts.hooks import register_eraser, register_personal_data, register_section
from participe.organisation.hooks import register_territory_use


class VerificationsConfig(AppConfig):
    name = "participe.verifications"
    label = "verifications"
    verbose_name = _("Vérifications")

    def ready(self) -> None:
        # Models (and what imports them) can be imported once the registry of apps is ready.
        from participe.verifications import personal_data, services, views
        from participe.verifications.models import EligibilityRule, Verification

        register_territory_use(
            "rules",
            lambda territory: EligibilityRule.objects.filter(territories=territory).count(),
            lambda n: ngettext("%(n)s règle d'éligibilité", "%(n)s règles d'éligibilité", n),
        )
        register_territory_use(
            "verifications",
            lambda territory: Verification.objects.active().filter(territory=territory).count(),
            lambda n: ngettext("%(n)s vérification en cours", "%(n)s vérifications en cours", n),
        )
        register_eraser("verifications", services.erase_account_data)
        register_personal_data("verifications", personal_data.personal_data)
        register_section("verifications", "verifications/partials/_account_section.html", views.account_section)
