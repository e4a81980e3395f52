from django.apps import AppConfig


class OrgAppConfig(AppConfig):
    """An organisation-wide module type installed only by the test settings (see manifest.py)."""

    name = "tests.orgapp"
    label = "orgapp"
