"""Exports of a questionnaire's responses (CSV and JSON), written by a background task with its progress.

Memory stays bounded whatever the number of responses: responses are read in keyset batches (``BATCH`` at a time,
by primary key) with their answers, written to a temporary file, and the file is handed to the storage at the end.
The export is a snapshot: it holds the responses submitted before it started (primary keys up to the last one then).
The formats are in ``export_formats``.

Export files hold personal data: they are downloaded through a permission-checked view, never served as media,
and deleted ``RETENTION`` after they were made (at the next request of an export).
"""

from __future__ import annotations

import datetime
import logging
import tempfile
from collections import defaultdict
from collections.abc import Iterator

from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from participe.accounts.models import User
from participe.activity.services import audit
from participe.modules.surveys.export_formats import (
    ANSWER_FIELDS,
    RESPONSE_FIELDS,
    CsvWriter,
    ExportPlan,
    JsonWriter,
    ResponseRow,
    Row,
)
from participe.modules.surveys.models import Answer, ExportJob, Questionnaire
from participe.modules.surveys.results import questions_of, submitted_responses
from participe.permissions.refusals import require

logger = logging.getLogger(__name__)

BATCH = 1000  # responses read, written and counted at a time
RETENTION = datetime.timedelta(days=7)


# --- requesting, running and deleting ----------------------------------------------------------------------------
def export_request(*, actor: User, questionnaire: Questionnaire, format: str) -> ExportJob:
    """Queue an export of the submitted responses (``surveys.view_responses``: the staff of the space); the task
    starts once the transaction is committed."""
    from participe.modules.surveys.tasks import run_export

    require(actor, "surveys.view_responses", questionnaire.module)
    with transaction.atomic():
        purge_old_exports(actor=actor, questionnaire=questionnaire)
        job = ExportJob.objects.create(
            questionnaire=questionnaire, requested_by=actor, format=format, total=questionnaire.responses_count
        )
        audit(
            actor=actor,
            action="surveys.export_request",
            target=questionnaire,
            after={"export": job.pk, "format": format},
        )
        transaction.on_commit(lambda: run_export.enqueue(job.pk), robust=True)
    return job


def export_delete(*, actor: User, job: ExportJob) -> None:
    """Delete an export and its file (``surveys.view_responses``)."""
    require(actor, "surveys.view_responses", job.questionnaire.module)
    with transaction.atomic():
        audit(
            actor=actor,
            action="surveys.export_delete",
            target=job.questionnaire,
            before={"export": job.pk, "format": job.format, "file": job.file.name or None},
        )
        if job.file:
            _delete_on_commit(job)
        job.delete()


def purge_old_exports(*, actor: User | None, questionnaire: Questionnaire, now: datetime.datetime | None = None) -> int:
    """Delete the exports of a questionnaire older than ``RETENTION``, and their files once that is committed."""
    limit = (now or timezone.now()) - RETENTION
    old = list(ExportJob.objects.filter(questionnaire=questionnaire, created_at__lt=limit))
    if not old:
        return 0
    with transaction.atomic():
        ExportJob.objects.filter(pk__in=[job.pk for job in old]).delete()
        audit(actor=actor, action="surveys.export_purge", target=questionnaire, after={"deleted": [j.pk for j in old]})
        for job in old:
            if job.file:
                _delete_on_commit(job)
    return len(old)


def _delete_on_commit(job: ExportJob) -> None:
    name, storage = job.file.name, job.file.storage
    transaction.on_commit(lambda: storage.delete(name))


def export_run(job_id: int) -> ExportJob | None:
    """Write the file of a pending export, counting progress in ``done``; a failure is recorded on the job."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING
    )
    job = ExportJob.objects.select_related("questionnaire__module").filter(pk=job_id).first()
    if not claimed or job is None:
        return job  # already taken by another worker, or deleted
    try:
        _write(job)
    except Exception as exc:
        logger.exception("Export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def _write(job: ExportJob) -> None:
    questionnaire = job.questionnaire
    responses = submitted_responses(questionnaire)
    upper = responses.aggregate(last=Max("pk"))["last"] or 0
    total = responses.filter(pk__lte=upper).count()
    ExportJob.objects.filter(pk=job.pk).update(total=total, done=0)
    plan = ExportPlan(questions_of(questionnaire))
    suffix = job.format
    with tempfile.TemporaryFile() as raw:
        writer = CsvWriter(raw, plan) if job.format == ExportJob.Format.CSV else JsonWriter(raw, plan, questionnaire)
        done = 0
        for batch in response_batches(questionnaire, plan, upper):
            for response, answers in batch:
                writer.write(response, answers)
            done += len(batch)
            ExportJob.objects.filter(pk=job.pk).update(done=done)
        writer.close()
        raw.seek(0)
        name = f"{slugify(questionnaire.module.title)[:60] or 'questionnaire'}-reponses-{timezone.localdate():%Y-%m-%d}.{suffix}"
        job.file.save(name, File(raw), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, file=job.file.name, done=done, total=done, finished_at=timezone.now()
    )


# --- reading the responses in batches ----------------------------------------------------------------------------


def response_batches(
    questionnaire: Questionnaire, plan: ExportPlan, upper: int, size: int | None = None
) -> Iterator[list[tuple[ResponseRow, dict[int, list[Row]]]]]:
    """The submitted responses up to primary key ``upper``, ``size`` at a time, each with its answers by question."""
    last, size = 0, size or BATCH
    responses = submitted_responses(questionnaire).filter(pk__lte=upper).order_by("pk")
    while True:
        rows: list[ResponseRow] = list(responses.filter(pk__gt=last).values_list(*RESPONSE_FIELDS)[:size])
        if not rows:
            return
        answers: dict[int, dict[int, list[Row]]] = defaultdict(lambda: defaultdict(list))
        found = Answer.objects.filter(
            response_id__gte=rows[0][0], response_id__lte=rows[-1][0], question_id__in=plan.question_ids
        )
        for response_id, *values in found.order_by().values_list("response_id", *ANSWER_FIELDS).iterator(5000):
            answers[response_id][values[0]].append(tuple(values))  # type: ignore[arg-type]
        yield [(row, answers.get(row[0], {})) for row in rows]
        last = rows[-1][0]
