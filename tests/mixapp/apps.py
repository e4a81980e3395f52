from django.apps import AppConfig


class MixAppConfig(AppConfig):
    """Two tables for the anonymity mixer's own tests (participe/anonymity/tests), installed by the test settings."""

    name = "tests.mixapp"
    label = "mixapp"
