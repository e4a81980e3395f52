from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "participe.assignments"
    label = "assignments"
    verbose_name = _("Routage vers les services")

    def ready(self) -> None:
        from participe.core.registry import NotificationEvent, registry

        registry.register_cleanup("assignments", "participe.assignments.services.delete_for")
        registry.register_event(
            NotificationEvent(
                "assignments.assigned",
                _("Élément confié à mon service"),
                _("Des propositions, signalements ou autres éléments ont été confiés à votre service (agents)."),
            )
        )
