"""Detach the responses already sent to anonymous questionnaires (decision 0016, issue #19 finding 1).

Before this migration an anonymous response was the row of its author's draft (sequential id, exact times kept
until rounded, the territory of the account, the agent who typed it), and its answers had ids in the order of
submission. For every questionnaire anonymous in its settings (or in a phase's overrides), this migration:

- rewrites its submitted responses in a random order under random ids, with the day only, no participant, session,
  agent or territory, and their answers under new ids in that order (the receipts are kept: people hold them);
- folds its counters per territory into the counters without territory (no territory is kept any more);
- moves its drafts into ``AnonymousDraft``;
- rounds its participations' times to the day.

On PostgreSQL the tables are then rewritten (``VACUUM FULL``) so that the old row versions leave their pages.
Test responses are left as they are (staff trying the questionnaire, never counted).
"""

import datetime
import secrets

from django.db import migrations
from django.utils import timezone

RANDOM_ID_FLOOR = 2**52


def _anonymous(module, phases) -> bool:
    if (module.settings or {}).get("anonymous"):
        return True
    return any((phase.settings_overrides or {}).get("anonymous") for phase in phases)


def _midnight(value):
    if value is None:
        return None
    day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


ANSWER_FIELDS = ("question_id", "choice_id", "row_id", "rank", "number", "date", "text", "file", "file_name")


def _rewrite_responses(apps, questionnaire) -> None:
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    sent = list(Response.objects.filter(questionnaire=questionnaire, submitted_at__isnull=False, is_test=False))
    if not sent:
        return
    answers: dict[int, list[dict]] = {}
    for row in Answer.objects.filter(response__in=[r.pk for r in sent]).values("response_id", *ANSWER_FIELDS):
        answers.setdefault(row.pop("response_id"), []).append(row)
    secrets.SystemRandom().shuffle(sent)
    old_ids = [r.pk for r in sent]
    new_responses, new_answers = [], []
    for old in sent:
        new_id = RANDOM_ID_FLOOR + secrets.randbelow(RANDOM_ID_FLOOR)
        day = _midnight(old.submitted_at)
        new_responses.append(
            Response(
                id=new_id,
                questionnaire_id=questionnaire.pk,
                receipt=old.receipt,
                submitted_at=day,
                created_at=day,
                updated_at=day,
            )
        )
        new_answers += [Answer(response_id=new_id, **row) for row in answers.get(old.pk, [])]
    Answer.objects.filter(response_id__in=old_ids).delete()
    Response.objects.filter(pk__in=old_ids).delete()
    Response.objects.bulk_create(new_responses)
    # ``auto_now`` fields were set to the present moment by the insert: the day only is kept.
    for response in new_responses:
        Response.objects.filter(pk=response.pk).update(created_at=response.submitted_at, updated_at=response.submitted_at)
    Answer.objects.bulk_create(new_answers, batch_size=2000)


def _fold_tallies(apps, questionnaire) -> None:
    Tally = apps.get_model("surveys", "Tally")
    per_territory = list(Tally.objects.filter(question__questionnaire=questionnaire, territory__isnull=False))
    for tally in per_territory:
        key = tally.key.rsplit(":", 1)[0] + ":0"
        target, _created = Tally.objects.get_or_create(
            question_id=tally.question_id,
            key=key,
            defaults={"choice_id": tally.choice_id, "row_id": tally.row_id, "value": tally.value},
        )
        target.count += tally.count
        target.rank_sum += tally.rank_sum
        target.save(update_fields=["count", "rank_sum"])
        tally.delete()


def _move_drafts(apps, questionnaire) -> None:
    Response = apps.get_model("surveys", "Response")
    AnonymousDraft = apps.get_model("surveys", "AnonymousDraft")
    drafts = Response.objects.filter(questionnaire=questionnaire, submitted_at__isnull=True, is_test=False)
    for draft in drafts:
        AnonymousDraft.objects.create(
            questionnaire_id=questionnaire.pk,
            participant_id=draft.participant_id,
            entered_by_id=draft.entered_by_id,
            session_key=draft.session_key,
            draft=draft.draft,
            page=draft.page,
            day=timezone.localtime(draft.updated_at).date() if draft.updated_at else timezone.localdate(),
        )
    drafts.delete()


def detach(apps, schema_editor) -> None:
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Participation = apps.get_model("surveys", "Participation")
    for questionnaire in Questionnaire.objects.select_related("module").iterator():
        if not _anonymous(questionnaire.module, questionnaire.module.phases.all()):
            continue
        _rewrite_responses(apps, questionnaire)
        _fold_tallies(apps, questionnaire)
        _move_drafts(apps, questionnaire)
        for participation in Participation.objects.filter(questionnaire=questionnaire):
            Participation.objects.filter(pk=participation.pk).update(
                first_at=_midnight(participation.first_at), last_at=_midnight(participation.last_at)
            )


def rewrite_tables(apps, schema_editor) -> None:
    """Old row versions keep what was detached until the table is rewritten (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in ("surveys_response", "surveys_answer", "surveys_tally", "surveys_participation"):
            cursor.execute(f"VACUUM FULL {table}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("spaces", "0001_initial"),
        ("surveys", "0006_anonymous_drafts_and_staging"),
    ]

    operations = [
        migrations.RunPython(detach, migrations.RunPython.noop, atomic=True),
        migrations.RunPython(rewrite_tables, migrations.RunPython.noop, atomic=False),
    ]
