from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "participe.modules.budgets"
    label = "budgets"
    verbose_name = _("Budgets participatifs")

    def ready(self) -> None:
        from participe.ballots import schemas
        from participe.modules.budgets.schema import SCHEMA_KEY, EnvelopeSchema

        schemas.register(SCHEMA_KEY, EnvelopeSchema())
