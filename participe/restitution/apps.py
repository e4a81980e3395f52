from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestitutionConfig(AppConfig):
    name = "participe.restitution"
    label = "restitution"
    verbose_name = _("Bilans")

    def ready(self) -> None:
        from participe.backoffice.hooks import register_demo_seed
        from participe.core.registry import NotificationEvent, registry
        from participe.restitution import rules  # noqa: F401  (registers the app's permissions)

        register_demo_seed("participe.restitution.seeds.seed_demo")
        registry.register_event(
            NotificationEvent(
                "restitution.bilan_published",
                _("Bilan d'une démarche publié"),
                _("La collectivité publie le bilan d'une démarche que vous suivez : ce qu'elle a recueilli et décidé."),
            )
        )
