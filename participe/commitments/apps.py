from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "participe.commitments"
    label = "commitments"
    verbose_name = _("Engagements")

    def ready(self) -> None:
        from participe.backoffice.hooks import register_demo_seed
        from participe.commitments import rules  # noqa: F401  (registers the app's permissions)
        from participe.core.registry import NotificationEvent, Resource, registry

        registry.register_cleanup("commitments", "participe.commitments.services.delete_for")
        register_demo_seed("participe.commitments.seeds.seed_demo")
        # A commitment is followed (its followers hear of its steps); a step carries photos (attachments).
        registry.register_resource(
            Resource(
                model="commitments.Commitment",
                followable=True,
                author_field=None,
                view_permission="commitments.view_commitment",
            )
        )
        registry.register_resource(
            Resource(
                model="commitments.CommitmentUpdate",
                attachments=True,
                title_field="text",
                author_field=None,
                view_permission="commitments.view_commitmentupdate",
                edit_permission="commitments.change_commitmentupdate",
            )
        )
        registry.register_event(
            NotificationEvent(
                "commitments.update",
                _("Nouvelle étape d'un engagement"),
                _("Un engagement que vous suivez (ou un engagement d'une démarche que vous suivez) avance."),
            )
        )
        registry.register_event(
            NotificationEvent(
                "commitments.status",
                _("Changement de statut d'un engagement"),
                _("Un engagement que vous suivez passe en travaux, est réalisé ou abandonné."),
            )
        )
