from django.apps import AppConfig


class PermissionsConfig(AppConfig):
    name = "participe.permissions"
    label = "permissions"
    verbose_name = "Permissions"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from participe.permissions.second_factor import record_activation

        authenticator_added.connect(record_activation, dispatch_uid="participe.second_factor.activation")
