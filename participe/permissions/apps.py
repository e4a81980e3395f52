from django.apps import AppConfig


class PermissionsConfig(AppConfig):
    name = "participe.permissions"
    label = "permissions"
    verbose_name = "Permissions"
