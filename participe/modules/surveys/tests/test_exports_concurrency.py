"""Two workers handed the same export (a task delivered twice): one writes it, the other leaves it alone."""

from __future__ import annotations

import pytest

from participe.modules.surveys.models import ExportJob
from participe.modules.surveys.services import exports
from participe.modules.surveys.tests.results_data import full_answers, sample_questionnaire, submit
from tests.concurrency import race
from tests.factories import make_org_admin

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_an_export_delivered_to_two_workers_at_once_is_written_once(monkeypatch):
    s = sample_questionnaire()
    for _n in range(30):
        submit(s.questionnaire, full_answers(s))
    job = ExportJob.objects.create(questionnaire=s.questionnaire, requested_by=make_org_admin(), format="csv")
    writes = []
    original = exports._write

    def counted(job_):
        writes.append(job_.pk)
        original(job_)

    monkeypatch.setattr(exports, "_write", counted)
    assert race([lambda: exports.export_run(job.pk)] * 2) == ["ok", "ok"]
    assert writes == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (ExportJob.Status.DONE, 30, 30)
