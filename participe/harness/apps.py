from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarnessConfig(AppConfig):
    """Measurement tools: volume seeding for benchmarks and audits (no models, no pages)."""

    name = "participe.harness"
    label = "harness"
    verbose_name = _("Mesures et audits")
