"""Writes of the votation module: the question (and its election in the ballot service), its options, the argued
decision. Casting, closing and counting are the ballot service's (``participe.ballots.services``).

The question and its options give ballots their meaning: they are fixed once someone has voted (the election has an
émargement) or the election is no longer open.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.activity.services import audit, snapshot
from participe.ballots import services as ballots
from participe.ballots.models import Election, RollEntry
from participe.modules.votation.models import Option, Question
from participe.modules.votation.schema import SCHEMA_KEY
from participe.permissions.refusals import require

PERM = "votation.manage_votation"
QUESTION_FIELDS = ["text", "description", "kind", "min_choices", "max_choices", "electorate", "threshold"]
# What may still change once voting started: it gives no ballot its meaning.
FREE_FIELDS = {"description", "electorate", "threshold"}
ELECTION_FIELDS = ["channels", "publish_receipts", "territory_results", "allow_blank", "min_group", "batch_size"]
OPTION_FIELDS = ["title", "description", "image", "image_alt", "attachment", "attachment_title", "position"]


def is_locked(question: Question) -> bool:
    """Whether ballots exist that the question's wording and options give their meaning to."""
    election = question.election
    if election is None:
        return False
    return election.status != Election.Status.OPEN or RollEntry.objects.filter(election=election).exists()


def _refuse_if_locked(question: Question, changed: set[str]) -> None:
    if question.pk and changed - FREE_FIELDS and is_locked(question):
        raise ValidationError(
            _("Des électeurs ont déjà voté : la question et ses options ne peuvent plus changer pendant le scrutin.")
        )


def _check_choices(question: Question) -> None:
    if question.max_choices is not None and question.max_choices < question.min_choices:
        raise ValidationError({"max_choices": _("Le maximum doit être supérieur ou égal au minimum.")})
    if question.threshold is not None and not 1 <= question.threshold <= 100:
        raise ValidationError({"threshold": _("Un seuil de participation est un pourcentage, de 1 à 100.")})


@transaction.atomic
def question_save(*, actor: Any, module: Any, data: dict[str, Any], election: dict[str, Any] | None = None) -> Question:
    """Create or change the module's question; its election is created with it (ballot service) and its
    settings (``election``: channels, receipts published…) passed on. Yes/no questions get their two options."""
    require(actor, PERM, module)
    question = Question.objects.select_for_update().filter(module=module).first() or Question(module=module)
    before = snapshot(question, QUESTION_FIELDS) if question.pk else None
    changed = {name for name in QUESTION_FIELDS if name in data and getattr(question, name) != data[name]}
    _refuse_if_locked(question, changed)
    for name in QUESTION_FIELDS:
        if name in data:
            setattr(question, name, data[name])
    _check_choices(question)
    question.full_clean(exclude=["module", "election"])
    if question.election is None:
        question.election = ballots.election_create(
            actor=actor, module=module, key="question", title=question.text, schema=SCHEMA_KEY, **(election or {})
        )
    else:
        settings = {**(election or {}), "title": question.text}
        ballots.election_update(actor=actor, election=question.election, **settings)
    question.save()
    if question.kind == Question.Kind.YESNO and not question.options.exists():
        Option.objects.create(question=question, title=_("Oui"), position=1)
        Option.objects.create(question=question, title=_("Non"), position=2)
    audit(
        actor=actor,
        action="votation.question_create" if before is None else "votation.question_update",
        target=module,
        before=before,
        after=snapshot(question, QUESTION_FIELDS),
    )
    return question


@transaction.atomic
def option_save(*, actor: Any, question: Question, option: Option | None, data: dict[str, Any]) -> Option:
    """Add an option (``option`` None) or change one, before anyone votes."""
    require(actor, PERM, question.module)
    _refuse_if_locked(question, {"options"})
    creating = option is None
    option = option or Option(question=question, position=question.options.count() + 1)
    before = None if creating else snapshot(option, OPTION_FIELDS)
    for name in OPTION_FIELDS:
        if name in data:
            setattr(option, name, data[name])
    option.full_clean(exclude=["question"])
    option.save()
    audit(
        actor=actor,
        action="votation.option_create" if creating else "votation.option_update",
        target=question.module,
        before=before,
        after=snapshot(option, ["title", "position"]),
    )
    return option


@transaction.atomic
def option_delete(*, actor: Any, option: Option) -> None:
    question = option.question
    require(actor, PERM, question.module)
    _refuse_if_locked(question, {"options"})
    audit(actor=actor, action="votation.option_delete", target=question.module, before=snapshot(option, ["title"]))
    option.delete()


@transaction.atomic
def decision_save(*, actor: Any, question: Question, status: str, text: str, publish: bool) -> Question:
    """Prepare the collectivité's argued decision, and publish it (``publish``) once the results are out."""
    require(actor, PERM, question.module)
    if status not in Question.Decision.values:
        raise ValidationError({"status": _("Choisissez la décision de la collectivité.")})
    if not text.strip():
        raise ValidationError({"text": _("Argumentez la décision : elle sera publiée avec les résultats.")})
    question.draft_decision_status, question.draft_decision = status, text
    fields = ["draft_decision_status", "draft_decision", "updated_at"]
    if publish:
        if question.election is None or not question.election.is_counted:
            raise ValidationError(_("La décision se publie après le dépouillement, avec les résultats."))
        before = {"status": question.decision_status, "decision": question.decision}
        question.decision_status, question.decision = status, text
        question.decision_published_at, question.decision_by = timezone.now(), actor
        fields += ["decision_status", "decision", "decision_published_at", "decision_by"]
        audit(
            actor=actor,
            action="votation.decision_publish",
            target=question.module,
            before=before,
            after={"status": status, "decision": text},
        )
    question.save(update_fields=fields)
    return question
