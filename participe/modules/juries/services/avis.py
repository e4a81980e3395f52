"""The avis citoyen: the jury's recommendations, the collectivité's argued answers and what will be done
(a commitment followed publicly: droit de suite, participe.commitments)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.commitments.services import commitment_create
from participe.modules.juries.models import Recommendation
from participe.modules.juries.services.panels import NOT_STAFF, panel_of
from participe.permissions.refusals import require
from participe.spaces.models import Module


@transaction.atomic
def recommendation_save(
    *, actor: User, module: Module, title: str, text: str, recommendation: Recommendation | None = None
) -> Recommendation:
    """Record a recommendation of the avis as the jury wrote it (or correct one)."""
    require(actor, "juries.manage_panel", module, reason=NOT_STAFF)
    title, text = title.strip(), text.strip()
    errors = {}
    if not title or len(title) > 200:
        errors["title"] = _("Un titre de 1 à 200 caractères.")
    if not text or len(text) > 10_000:
        errors["text"] = _("Le texte du jury, 10 000 caractères au plus.")
    if errors:
        raise ValidationError(errors)
    panel = panel_of(module)
    if recommendation is None:
        position = (panel.recommendations.aggregate(m=Max("position"))["m"] or 0) + 1
        recommendation = Recommendation(panel=panel, position=position)
    recommendation.title, recommendation.text = title, text
    recommendation.save()
    audit(actor=actor, action="juries.recommendation", target=recommendation, after={"title": title})
    return recommendation


@transaction.atomic
def recommendation_answer(
    *, actor: User, recommendation: Recommendation, decision: str, answer: str, follow_up: bool
) -> Recommendation:
    """Publish the collectivité's argued answer; a recommendation adopted (or partly) with ``follow_up`` becomes a
    commitment of the space whose progress residents follow (droit de suite)."""
    module = recommendation.panel.module
    require(actor, "juries.manage_panel", module, reason=NOT_STAFF)
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    answer = answer.strip()
    if decision not in Recommendation.Decision.values or decision == Recommendation.Decision.PENDING:
        raise ValidationError({"decision": _("Choisissez la décision de la collectivité.")})
    if len(answer) < 20 or len(answer) > 10_000:
        raise ValidationError({"answer": _("Une réponse argumentée : de 20 à 10 000 caractères.")})
    before = {"decision": locked.decision, "answer": locked.answer}
    locked.decision, locked.answer, locked.answered_at = decision, answer, timezone.now()
    adopted = decision in (Recommendation.Decision.ADOPTED, Recommendation.Decision.PARTLY)
    if follow_up and adopted and locked.commitment_id is None:
        locked.commitment = commitment_create(
            actor, space=module.space, title=locked.title[:200], source=locked, description=answer
        )
    locked.save()
    audit(
        actor=actor,
        action="juries.answer",
        target=locked,
        before=before,
        after={"decision": decision, "answer": answer},
    )
    recommendation.refresh_from_db()
    return recommendation
