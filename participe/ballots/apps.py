from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "participe.ballots"
    label = "ballots"
    verbose_name = _("Scrutins et bulletins secrets")

    def ready(self) -> None:
        from participe.ballots import rules  # noqa: F401  (registers the app's permissions and their explanations)
