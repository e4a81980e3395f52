from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnonymityConfig(AppConfig):
    """The anonymity mixer (``participe.anonymity.mixing``): no tables of its own, abstract bases and functions."""

    name = "participe.anonymity"
    label = "anonymity"
    verbose_name = _("Anonymat des réponses et des bulletins")
