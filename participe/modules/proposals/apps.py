from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "participe.modules.proposals"
    label = "proposals"
    verbose_name = _("Boîte à idées et appels à projets")
