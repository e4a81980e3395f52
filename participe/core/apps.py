from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "participe.core"
    label = "core"
    verbose_name = "Participe core"

    def ready(self) -> None:
        from participe.core import (
            checks,  # noqa: F401  (registers the system checks)
            source_language,
        )
        from participe.core.registry import autodiscover

        autodiscover()
        source_language.install()
