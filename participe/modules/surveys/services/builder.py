"""Building a questionnaire: its presentation, its questions with their choices and matrix rows, their order and
conditions, copies, and the test responses. Every write is for the staff of the space: it checks
``surveys.manage_questionnaire`` itself (``require``, once the questionnaire is locked), and is audited.

Each service locks the questionnaire row first (``select_for_update``): positions are counted, and the check that no
response has been received yet must hold until the change is committed (the answering service counts a submission
on the same row). Once non-test responses exist, structural edits — deleting a question, a choice or a matrix row,
changing a question's kind or a scale's bounds — are refused with an explanation; wording fixes, new questions and
new choices stay possible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participe.accounts.models import User
from participe.activity.services import audit, snapshot
from participe.modules.surveys.models import Choice, MatrixRow, Question, Questionnaire, Response
from participe.modules.surveys.services.builder_checks import (
    ChoiceSpec,
    RowSpec,
    check_choices,
    check_rows,
    clean_config,
    conditions_in_order,
)
from participe.permissions.refusals import require
from participe.spaces.models import Module

MODULE_TYPE = "surveys"
QUESTION_FIELDS = ("kind", "title", "help_text", "required", "config")
QUESTIONNAIRE_FIELDS = ("intro", "closing_message")


# --- reading helpers ------------------------------------------------------------------------------------------
def questionnaire_for_module(module: Module) -> Questionnaire:
    """The questionnaire of a surveys module, created empty the first time it is asked for."""
    if module.module_type != MODULE_TYPE:
        raise ValidationError(_("Ce module n'est pas un questionnaire."))
    questionnaire, _created = Questionnaire.objects.get_or_create(module=module)
    return questionnaire


def structure_locked_reason(questionnaire: Questionnaire) -> str:
    """Why structural edits are refused (empty when they are allowed)."""
    count = questionnaire.responses_count
    if not count:
        return ""
    return ngettext(
        "Une réponse a déjà été reçue : supprimer une question, un choix ou une ligne, ou changer un type, la "
        "rendrait incohérente. Vous pouvez encore corriger les libellés, les textes d'aide et l'ordre, ajouter des "
        "questions et des choix. Pour changer la structure, dupliquez le questionnaire dans un nouveau module.",
        "%(n)s réponses ont déjà été reçues : supprimer une question, un choix ou une ligne, ou changer un type, les "
        "rendrait incohérentes. Vous pouvez encore corriger les libellés, les textes d'aide et l'ordre, ajouter des "
        "questions et des choix. Pour changer la structure, dupliquez le questionnaire dans un nouveau module.",
        count,
    ) % {"n": count}


def _lock(questionnaire_id: int, actor: User) -> Questionnaire:
    """The questionnaire's row, locked, once ``actor`` is known to build it."""
    locked = Questionnaire.objects.select_for_update().select_related("module__space").get(pk=questionnaire_id)
    require(actor, "surveys.manage_questionnaire", locked.module)
    return locked


def _refuse_if_answered(questionnaire: Questionnaire, field: str | None = None) -> None:
    reason = structure_locked_reason(questionnaire)
    if reason:
        raise ValidationError({field: reason} if field else reason)


def _ordered(questionnaire_id: int) -> list[Question]:
    return list(Question.objects.filter(questionnaire_id=questionnaire_id).order_by("position", "pk"))


def _question_state(question: Question) -> dict[str, Any]:
    """What the audit log keeps of a question: its fields, its choices, its rows and its condition."""
    state = snapshot(question, [*QUESTION_FIELDS, "position", "condition_question"])
    state["choices"] = [
        {"pk": c.pk, "label": c.label, "is_other": c.is_other} for c in question.choices.order_by("position", "pk")
    ]
    state["rows"] = [{"pk": r.pk, "label": r.label} for r in question.rows.order_by("position", "pk")]
    state["condition_choices"] = sorted(question.condition_choices.values_list("pk", flat=True))
    return state


# --- the questionnaire ----------------------------------------------------------------------------------------
@transaction.atomic
def questionnaire_edit(*, actor: User, questionnaire: Questionnaire, data: dict[str, Any]) -> Questionnaire:
    """Change the introduction and the closing message (always allowed)."""
    locked = _lock(questionnaire.pk, actor)
    unknown = set(data) - set(QUESTIONNAIRE_FIELDS)
    if unknown:
        raise ValidationError(_("Champ inconnu : %(name)s.") % {"name": ", ".join(sorted(unknown))})
    before = snapshot(locked, QUESTIONNAIRE_FIELDS)
    for name, value in data.items():
        setattr(locked, name, value or "")
    locked.save(update_fields=[*data, "updated_at"])
    audit(
        actor=actor,
        action="surveys.questionnaire_edit",
        target=locked,
        before=before,
        after=snapshot(locked, QUESTIONNAIRE_FIELDS),
    )
    return locked


# --- questions ------------------------------------------------------------------------------------------------
def _clean_question(data: dict[str, Any], choices: Sequence[ChoiceSpec], rows: Sequence[RowSpec]) -> dict[str, Any]:
    """The question's fields checked together with its choices and rows; errors keyed by form field."""
    unknown = set(data) - set(QUESTION_FIELDS)
    if unknown:
        raise ValidationError(_("Champ inconnu : %(name)s.") % {"name": ", ".join(sorted(unknown))})
    kind = data.get("kind")
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": _("Choisissez un type de question.")})
    title = " ".join(str(data.get("title") or "").split())
    if not title:
        raise ValidationError({"title": _("Écrivez l'intitulé.")})
    if len(title) > 500:
        raise ValidationError({"title": _("500 caractères au plus.")})
    check_choices(kind, choices)
    check_rows(kind, rows)
    required = bool(data.get("required")) and kind != Question.Kind.SECTION
    config = clean_config(kind, data.get("config"), choices_count=len(choices), required=required)
    return {
        "kind": kind,
        "title": title,
        "help_text": str(data.get("help_text") or "").strip(),
        "required": required,
        "config": config,
    }


def _save_items(question: Question, specs: Sequence[ChoiceSpec | RowSpec], model: Any) -> list[int]:
    """Make the question's choices (or rows) what ``specs`` says, in that order; returns the pks removed."""
    existing = {item.pk: item for item in model.objects.filter(question=question)}
    unknown = [spec.pk for spec in specs if spec.pk is not None and spec.pk not in existing]
    if unknown:
        raise ValidationError(_("Un choix ou une ligne n'appartient pas à cette question ; rechargez la page."))
    kept = {spec.pk for spec in specs if spec.pk is not None}
    removed = sorted(set(existing) - kept)
    model.objects.filter(pk__in=removed).delete()
    for position, spec in enumerate(specs, start=1):
        label = " ".join(spec.label.split())
        fields: dict[str, Any] = {"label": label, "position": position}
        if model is Choice:
            fields["is_other"] = bool(getattr(spec, "is_other", False))
        if spec.pk is None:
            model.objects.create(question=question, **fields)
            continue
        item = existing[spec.pk]
        if any(getattr(item, name) != value for name, value in fields.items()):
            model.objects.filter(pk=item.pk).update(**fields)
    return removed


def _check_removed_choices(question: Question, removed: list[int]) -> None:
    """A choice another question's condition depends on cannot disappear silently."""
    if not removed:
        return
    dependent = (
        Question.objects.filter(condition_choices__in=removed).exclude(pk=question.pk).order_by("position").first()
    )
    if dependent is not None:
        raise ValidationError(
            {
                "choices": _(
                    "Un choix supprimé sert de condition à la question « %(title)s » : modifiez d'abord sa condition."
                )
                % {"title": dependent.title}
            }
        )


@transaction.atomic
def question_create(
    *,
    actor: User,
    questionnaire: Questionnaire,
    data: dict[str, Any],
    choices: Sequence[ChoiceSpec] = (),
    rows: Sequence[RowSpec] = (),
) -> Question:
    """Add a question (or a section) at the end of the questionnaire, with its choices and matrix rows.

    ``data``: ``kind``, ``title``, ``help_text``, ``required``, ``config`` (see ``Question.CONFIG_KEYS``).
    Allowed even once responses exist: earlier respondents simply did not see it.
    """
    locked = _lock(questionnaire.pk, actor)
    if any(spec.pk is not None for spec in choices) or any(spec.pk is not None for spec in rows):
        raise ValidationError(_("Une nouvelle question n'a pas encore de choix enregistrés."))
    cleaned = _clean_question(data, choices, rows)
    last = Question.objects.filter(questionnaire=locked).aggregate(last=Max("position"))["last"]
    question = Question.objects.create(questionnaire=locked, position=(last or 0) + 1, **cleaned)
    _save_items(question, choices, Choice)
    _save_items(question, rows, MatrixRow)
    audit(actor=actor, action="surveys.question_create", target=question, after=_question_state(question))
    return question


def _check_structure_change(
    locked: Questionnaire, question: Question, cleaned: dict[str, Any], removed: dict[str, list[int]]
) -> None:
    if cleaned["kind"] != question.kind:
        _refuse_if_answered(locked, "kind")
        if question.dependents.exists() and cleaned["kind"] not in Question.CONDITION_KINDS:
            raise ValidationError(
                {
                    "kind": _(
                        "D'autres questions ne s'affichent que selon la réponse à celle-ci : elle doit rester un choix unique ou multiple."
                    )
                }
            )
        if cleaned["kind"] == Question.Kind.SECTION and question.condition_question_id:
            raise ValidationError(
                {"kind": _("Une section ne peut pas être conditionnelle : retirez d'abord la condition.")}
            )
    for field, pks in removed.items():
        if pks:
            _refuse_if_answered(locked, field)
    if question.kind == Question.Kind.SCALE and cleaned["kind"] == Question.Kind.SCALE:
        for bound in ("min", "max"):
            if cleaned["config"].get(bound) != question.config.get(bound, 1 if bound == "min" else 5):
                _refuse_if_answered(locked, bound)


@transaction.atomic
def question_edit(
    *,
    actor: User,
    question: Question,
    data: dict[str, Any],
    choices: Sequence[ChoiceSpec] | None = None,
    rows: Sequence[RowSpec] | None = None,
) -> Question:
    """Change a question: wording, help, mandatory flag, options, kind, choices and rows (``None``: unchanged).

    Choices and rows not listed are deleted; listed ones keep their identity (``pk``), so renaming a choice keeps
    the answers that chose it. Structural changes are refused once responses exist.
    """
    locked = _lock(question.questionnaire_id, actor)
    current = Question.objects.select_for_update().get(pk=question.pk)
    before = _question_state(current)
    merged = {name: getattr(current, name) for name in QUESTION_FIELDS} | data
    if choices is None:
        choices = [ChoiceSpec(label=c["label"], pk=c["pk"], is_other=c["is_other"]) for c in before["choices"]]
        if merged["kind"] not in Question.CHOICE_KINDS:
            choices = []
    if rows is None:
        rows = [RowSpec(label=r["label"], pk=r["pk"]) for r in before["rows"]] if merged["kind"] == "matrix" else []
    cleaned = _clean_question(merged, choices, rows)
    removed = {
        "choices": sorted({c["pk"] for c in before["choices"]} - {c.pk for c in choices}),
        "rows": sorted({r["pk"] for r in before["rows"]} - {r.pk for r in rows}),
    }
    _check_structure_change(locked, current, cleaned, removed)
    _check_removed_choices(current, removed["choices"])
    for name, value in cleaned.items():
        setattr(current, name, value)
    current.save(update_fields=list(cleaned))
    _save_items(current, choices, Choice)
    _save_items(current, rows, MatrixRow)
    after = _question_state(current)
    if after != before:
        audit(actor=actor, action="surveys.question_edit", target=current, before=before, after=after)
    return current


@transaction.atomic
def question_set_condition(
    *, actor: User, question: Question, condition_question: Question | None, choices: Sequence[Choice] = ()
) -> Question:
    """Show ``question`` only when the answer to ``condition_question`` is one of ``choices`` (``None``: always).

    The condition must be an earlier single or multiple choice question of the same questionnaire.
    """
    _lock(question.questionnaire_id, actor)
    current = Question.objects.select_for_update().get(pk=question.pk)
    before = _question_state(current)
    if condition_question is None:
        current.condition_question = None
        current.save(update_fields=["condition_question"])
        current.condition_choices.clear()
    else:
        _check_condition(current, condition_question, choices)
        current.condition_question = condition_question
        current.save(update_fields=["condition_question"])
        current.condition_choices.set(choices)
    after = _question_state(current)
    audit(actor=actor, action="surveys.question_condition", target=current, before=before, after=after)
    return current


def _check_condition(question: Question, condition: Question, choices: Sequence[Choice]) -> None:
    if question.is_section:
        raise ValidationError(_("Une section s'affiche toujours : seules les questions peuvent être conditionnelles."))
    if condition.questionnaire_id != question.questionnaire_id or condition.pk == question.pk:
        raise ValidationError({"condition_question": _("Choisissez une autre question de ce questionnaire.")})
    if condition.kind not in Question.CONDITION_KINDS:
        raise ValidationError(
            {"condition_question": _("Une condition porte sur une question à choix unique ou multiple.")}
        )
    ordered = _ordered(question.questionnaire_id)
    index = {q.pk: i for i, q in enumerate(ordered)}
    if index[condition.pk] > index[question.pk]:
        raise ValidationError(
            {
                "condition_question": _(
                    "La question choisie vient après celle-ci : une condition porte sur une question précédente."
                )
            }
        )
    if not choices:
        raise ValidationError({"condition_choices": _("Cochez au moins une réponse qui fait apparaître la question.")})
    if any(choice.question_id != condition.pk for choice in choices):
        raise ValidationError({"condition_choices": _("Cochez des réponses de la question choisie.")})


@transaction.atomic
def question_move(*, actor: User, question: Question, offset: int) -> Question:
    """Move a question up (``offset=-1``) or down (``+1``); positions are renumbered 1, 2, 3…

    Refused when a conditional question would come before the question it depends on.
    """
    if offset not in (-1, 1):
        raise ValidationError(_("Déplacement impossible."))
    _lock(question.questionnaire_id, actor)
    ordered = _ordered(question.questionnaire_id)
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    target = index + offset
    if not 0 <= target < len(ordered):
        raise ValidationError(_("Cette question est déjà en première ou en dernière position."))
    ordered[index], ordered[target] = ordered[target], ordered[index]
    broken = conditions_in_order(ordered)
    if broken is not None:
        depends_on = next(q for q in ordered if q.pk == broken.condition_question_id)
        raise ValidationError(
            _("« %(title)s » ne s'affiche que selon la réponse à « %(other)s » : elle doit rester après elle.")
            % {"title": broken.title, "other": depends_on.title}
        )
    _renumber(ordered)
    moved = ordered[target]
    audit(
        actor=actor,
        action="surveys.question_move",
        target=moved,
        before={"position": index + 1},
        after={"position": target + 1},
    )
    return moved


def _renumber(ordered: list[Question]) -> None:
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            Question.objects.filter(pk=item.pk).update(position=position)
            item.position = position


def _copy_question(
    source: Question, questionnaire: Questionnaire, position: int, title: str
) -> tuple[Question, dict[int, Choice]]:
    """A copy of ``source`` (its choices and rows, not its condition); returns it with the map old → new choice."""
    copy = Question.objects.create(
        questionnaire=questionnaire,
        position=position,
        kind=source.kind,
        title=title,
        help_text=source.help_text,
        required=source.required,
        config=dict(source.config),
    )
    choices = {}
    for choice in source.choices.order_by("position", "pk"):
        choices[choice.pk] = Choice.objects.create(
            question=copy, position=choice.position, label=choice.label, is_other=choice.is_other
        )
    MatrixRow.objects.bulk_create(
        MatrixRow(question=copy, position=row.position, label=row.label)
        for row in source.rows.order_by("position", "pk")
    )
    return copy, choices


@transaction.atomic
def question_duplicate(*, actor: User, question: Question) -> Question:
    """A copy of the question right after it (same condition, choices and rows), titled "… (copie)"."""
    locked = _lock(question.questionnaire_id, actor)
    ordered = _ordered(locked.pk)
    source = next(q for q in ordered if q.pk == question.pk)
    title = _("%(title)s (copie)") % {"title": source.title}
    copy, _choices = _copy_question(source, locked, source.position, title[:500])
    if source.condition_question_id:
        copy.condition_question_id = source.condition_question_id
        copy.save(update_fields=["condition_question"])
        copy.condition_choices.set(source.condition_choices.all())
    index = ordered.index(source)
    _renumber([*ordered[: index + 1], copy, *ordered[index + 1 :]])
    audit(
        actor=actor,
        action="surveys.question_duplicate",
        target=copy,
        before={"source": source.pk},
        after=_question_state(copy),
    )
    return copy


@transaction.atomic
def question_delete(*, actor: User, question: Question) -> None:
    """Delete a question with its choices and rows; questions that depended on it lose their condition.

    Refused once responses exist.
    """
    locked = _lock(question.questionnaire_id, actor)
    _refuse_if_answered(locked)
    current = Question.objects.select_for_update().get(pk=question.pk)
    for dependent in current.dependents.all():
        before = _question_state(dependent)
        dependent.condition_question = None
        dependent.save(update_fields=["condition_question"])
        dependent.condition_choices.clear()
        audit(
            actor=actor,
            action="surveys.question_condition",
            target=dependent,
            before=before,
            after=_question_state(dependent),
            reason=_("La question dont elle dépendait a été supprimée."),
        )
    audit(actor=actor, action="surveys.question_delete", target=current, before=_question_state(current))
    current.delete()
    _renumber(_ordered(locked.pk))


# --- whole questionnaires -------------------------------------------------------------------------------------
@transaction.atomic
def questionnaire_duplicate(*, actor: User, source: Questionnaire, target_module: Module) -> Questionnaire:
    """Copy the questions of ``source`` (choices, rows, conditions) at the end of ``target_module``'s questionnaire.

    The introduction and the closing message are copied when the target has none. Refused when the target has
    already received responses, or is the source itself.
    """
    require(actor, "surveys.manage_questionnaire", source.module)
    require(actor, "surveys.manage_questionnaire", target_module)
    target = questionnaire_for_module(target_module)
    if target.pk == source.pk:
        raise ValidationError({"target": _("Choisissez un autre questionnaire que celui-ci.")})
    locked = _lock(target.pk, actor)
    if locked.responses_count:
        raise ValidationError({"target": _("Ce questionnaire a déjà reçu des réponses : choisissez-en un autre.")})
    last = Question.objects.filter(questionnaire=locked).aggregate(last=Max("position"))["last"] or 0
    copies: dict[int, Question] = {}
    choice_map: dict[int, Choice] = {}
    originals = list(source.questions.order_by("position", "pk").prefetch_related("condition_choices"))
    for offset, original in enumerate(originals, start=1):
        copy, choices = _copy_question(original, locked, last + offset, original.title)
        copies[original.pk] = copy
        choice_map |= choices
    for original in originals:
        if original.condition_question_id:
            copy = copies[original.pk]
            copy.condition_question = copies[original.condition_question_id]
            copy.save(update_fields=["condition_question"])
            copy.condition_choices.set([choice_map[c.pk] for c in original.condition_choices.all()])
    changed = [name for name in QUESTIONNAIRE_FIELDS if not getattr(locked, name) and getattr(source, name)]
    for name in changed:
        setattr(locked, name, getattr(source, name))
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    audit(
        actor=actor,
        action="surveys.questionnaire_duplicate",
        target=locked,
        before={"source": source.pk, "source_module": source.module_id},
        after={"questions": [c.pk for c in copies.values()], **{name: getattr(locked, name) for name in changed}},
    )
    return locked


@transaction.atomic
def test_responses_clear(*, actor: User, questionnaire: Questionnaire) -> int:
    """Delete the test responses (agents trying the questionnaire); they were never counted. Returns how many."""
    locked = _lock(questionnaire.pk, actor)
    tests = Response.objects.filter(questionnaire=locked, is_test=True)
    count = tests.count()
    tests.delete()
    audit(
        actor=actor,
        action="surveys.test_responses_clear",
        target=locked,
        before={"test_responses": count},
        after={"test_responses": 0},
    )
    return count
