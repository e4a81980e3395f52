from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """A module type installed only by the test settings (see manifest.py)."""

    name = "tests.testapp"
    label = "testapp"
