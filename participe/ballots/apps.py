from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participe.accounts.hooks import register_personal_data


class BallotsConfig(AppConfig):
    name = "participe.ballots"
    label = "ballots"
    verbose_name = _("Scrutins et bulletins secrets")

    def ready(self) -> None:
        from participe.ballots import (
            personal_data,
            rules,  # noqa: F401  (registers the app's permissions and their explanations)
        )

        register_personal_data("ballots", personal_data.personal_data)
