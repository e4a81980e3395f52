from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebateConfig(AppConfig):
    name = "participe.modules.debate"
    label = "debate"
    verbose_name = _("Débat")
