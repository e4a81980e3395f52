from django.apps import AppConfig


class PermissionsConfig(AppConfig):
    name = "participe.permissions"
    label = "permissions"
    verbose_name = "Permissions"

    def ready(self) -> None:
        from participe.permissions import rules  # noqa: F401  (registers the app's permissions)
