from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from participe.accounts.hooks import register_personal_data
from participe.core.capabilities import Cap
from participe.core.registry import NotificationEvent, Resource, registry


class CommentsConfig(AppConfig):
    name = "participe.comments"
    label = "comments"
    verbose_name = _("Commentaires")

    def ready(self) -> None:
        from participe.comments import (
            personal_data,
            rules,  # noqa: F401  (registers the app's permissions)
        )

        registry.register_cleanup("comments", "participe.comments.services.delete_for")
        register_personal_data("comments", personal_data.personal_data)

        # A comment is itself supported and reported; people answer it with a reply, not a comment of its own.
        registry.register_resource(
            Resource(
                model="comments.Comment",
                supportable=True,
                reportable=True,
                searchable=True,
                title_field="body",
                text_fields=(),
                contribution_fields=("body",),  # a debate's contributions, and what people say of any item
                author_field="author",
                support_capability=Cap.COMMENT,  # supporting a comment is part of the discussion
                on_visibility_changed="participe.comments.services.after_visibility_change",
            )
        )
        registry.register_event(
            NotificationEvent(
                "comments.reply",
                _("Réponse à l'un de mes commentaires"),
                _("Quelqu'un a répondu à un commentaire que vous avez écrit."),
            )
        )
        registry.register_event(
            NotificationEvent(
                "comments.new",
                _("Nouveau commentaire"),
                _("Un commentaire a été publié sur ce que vous suivez."),
            )
        )
