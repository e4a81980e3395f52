from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participe.core.interchange import Interchange


class RestitutionConfig(AppConfig):
    name = "participe.restitution"
    label = "restitution"
    verbose_name = _("Bilans")
    # In the platform's interchange archive (docs/reversibility.md): everything but the kept documents.
    interchange = Interchange(
        excluded={
            "restitution.BilanDocument": "a bilan's PDF or DOCX kept under the fingerprint of what it shows: built "
            "again from the bilan when it is asked for (decision 0042)"
        }
    )

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
