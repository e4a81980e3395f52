"""The manifest's ``statistics``: the figures of a debate module, labelled for the back-office and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from participe.comments.models import Comment
from participe.core.registry import Statistic, figures
from participe.modules.debate.models import Subject
from participe.modules.debate.selectors import module_statistics
from participe.spaces.models import Module

LABELS = {
    "contributions": _("Contributions (commentaires)"),
    "participants": _("Participants"),
    "subjects": _("Questions publiées"),
    "favorable": _("Avis favorables"),
    "neutral": _("Avis neutres"),
    "unfavorable": _("Avis défavorables"),
    "followers": _("Abonnés"),
    "syntheses": _("Synthèses publiées"),
}


def statistics(module: Module) -> list[Statistic]:
    """Contributions are the comments on the published questions; participants, their distinct authors."""
    values = module_statistics(module)
    values["contributions"] = values["comments"]
    subjects = Subject.objects.filter(module=module, status=Subject.Status.PUBLISHED).values("pk")
    values["participants"] = (
        Comment.objects.filter(content_type__app_label="debate", content_type__model="subject", object_id__in=subjects)
        .exclude(author__isnull=True)
        .values("author")
        .distinct()
        .count()
    )
    return figures(values, LABELS)
