from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageConfig(AppConfig):
    name = "participe.modules.page"
    label = "page"
    verbose_name = _("Page d'information")
