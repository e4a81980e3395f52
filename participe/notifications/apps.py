from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participe.accounts.hooks import register_eraser, register_personal_data
from participe.core.registry import NotificationEvent, registry


class NotificationsConfig(AppConfig):
    name = "participe.notifications"
    label = "notifications"
    verbose_name = _("Abonnements et notifications")

    def ready(self) -> None:
        from participe.notifications import personal_data, rules, services  # noqa: F401  (rules registers the app's permissions)

        registry.register_cleanup("notifications", "participe.notifications.services.delete_for")
        register_eraser("notifications", services.erase_account_data)
        register_personal_data("notifications", personal_data.personal_data)

        registry.register_event(
            NotificationEvent(
                "notifications.message",
                _("Message aux abonnés"),
                _("Un message des organisateurs d'une démarche ou d'un module que vous suivez."),
            )
        )
