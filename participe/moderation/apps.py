from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participe.accounts.hooks import register_eraser, register_personal_data
from participe.core.registry import NotificationEvent, registry


class ModerationConfig(AppConfig):
    name = "participe.moderation"
    label = "moderation"
    verbose_name = _("Modération")

    def ready(self) -> None:
        from participe.moderation import (
            personal_data,
            rules,  # noqa: F401  (registers the app's permissions)
        )
        from participe.moderation.services.accounts import erase_account_data

        registry.register_cleanup("moderation", "participe.moderation.services.delete_for")
        register_eraser("moderation", erase_account_data)
        register_personal_data("moderation", personal_data.personal_data)

        for key, name, description in (
            (
                "moderation.hidden",
                _("Une de mes contributions a été masquée"),
                _("Par un modérateur, ou automatiquement après plusieurs signalements."),
            ),
            ("moderation.unhidden", _("Une de mes contributions est de nouveau visible"), ""),
            ("moderation.published", _("Une de mes contributions a été validée et publiée"), ""),
            ("moderation.edited", _("Une de mes contributions a été modifiée par la modération"), ""),
        ):
            registry.register_event(NotificationEvent(key=key, name=name, description=description))
