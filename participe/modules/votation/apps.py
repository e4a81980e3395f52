from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotationConfig(AppConfig):
    name = "participe.modules.votation"
    label = "votation"
    verbose_name = _("Votations")

    def ready(self) -> None:
        from participe.ballots import schemas
        from participe.modules.votation.schema import SCHEMA_KEY, QuestionSchema

        schemas.register(SCHEMA_KEY, QuestionSchema())
