"""Delivery tracking (« suivi de réalisation ») of the funded projects: each becomes a commitment of the démarche
(``participe.commitments``, decision 0014) answering the project — status, progress, dated steps with photos, its
followers told of each step, the overview across seasons at the commitments' pages."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from participe.commitments.models import CommitmentSource
from participe.commitments.services import commitment_create
from participe.modules.budgets.models import Envelope, Project
from participe.notifications.services import follow_author
from participe.permissions.refusals import require


@transaction.atomic
def delivery_start(*, actor: Any, envelope: Envelope) -> list[Any]:
    """A commitment per funded project of the envelope's published results (those that have none yet): the
    project's title, cost, quartier and text; the project's holder follows it. Returns the commitments created."""
    require(actor, "budgets.manage_budget", envelope.module)
    if not envelope.is_published:
        raise ValidationError(_("On suit la réalisation des projets une fois les résultats publiés."))
    if envelope.is_imported:
        raise ValidationError(
            _("Une enveloppe importée d'un fichier Pabulib est une simulation : rien n'y est réalisé.")
        )
    funded = Project.objects.filter(pk__in=[int(p) for p in envelope.outcome.get("selected", [])]).order_by("reference")
    project_type = ContentType.objects.get_for_model(Project)
    followed = set(
        CommitmentSource.objects.filter(content_type=project_type, object_id__in=[p.pk for p in funded]).values_list(
            "object_id", flat=True
        )
    )
    made = []
    for project in funded:
        if project.pk in followed:
            continue
        commitment = commitment_create(
            actor,
            space=envelope.module.space,
            title=project.title,
            source=project,
            description=project.description,
            territory=project.territory,
            budget=project.estimated_cost,
        )
        follow_author(user=project.author, target=commitment)
        made.append(commitment)
    return made
