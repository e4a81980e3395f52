from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "participe.core"
    label = "core"
    verbose_name = "Participe core"

    def ready(self) -> None:
        from participe.core import checks  # noqa: F401  (registers the system checks)
        from participe.core.registry import autodiscover

        autodiscover()
