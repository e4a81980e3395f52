"""Exports of the responses: CSV and JSON contents, batches, progress, failures, retention; the open-data counts."""

from __future__ import annotations

import csv
import datetime
import io
import json
import tracemalloc
from decimal import Decimal

import pytest
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.modules.surveys import export_formats, open_data
from participe.modules.surveys.models import ExportJob
from participe.modules.surveys.results import results_for
from participe.modules.surveys.services import exports
from participe.modules.surveys.tests.results_data import full_answers, sample_questionnaire, submit
from tests.factories import TerritoryFactory, make_org_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample():
    return sample_questionnaire()


@pytest.fixture
def admin():
    return make_org_admin()


def run(admin, questionnaire, format="csv", capture=None) -> ExportJob:
    """Request an export and run its task (the test settings run tasks at once, after the commit)."""
    with capture(execute=True):
        job = exports.export_request(actor=admin, questionnaire=questionnaire, format=format)
    job.refresh_from_db()
    return job


def read_csv(job: ExportJob) -> tuple[bytes, list[list[str]]]:
    with job.file.open("rb") as handle:
        raw = handle.read()
    text = raw.decode("utf-8-sig")
    return raw, list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_export_one_row_per_response_one_column_per_question_or_option(
    sample, admin, django_capture_on_commit_callbacks
):
    s = sample
    north = TerritoryFactory(name="Nord")
    autre = s.choice(s.transport, "Autre")
    submit(
        s.questionnaire,
        full_answers(s, transport=(autre, "=HYPERLINK(1)"), age=Decimal("41.5"), photo=("banc.jpg", b"x")),
        territory=north,
    )
    submit(s.questionnaire, full_answers(s, reasons=None, comment="Ligne 1\nLigne 2; avec « guillemets »"))
    submit(s.questionnaire, full_answers(s), is_test=True)
    job = run(admin, s.questionnaire, capture=django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE and job.done == job.total == 2 and job.percent == 100
    assert job.file.name.endswith(".csv")
    raw, rows = read_csv(job)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    header, first, second = rows
    assert header[:4] == ["Récépissé", "Envoyée le", "Territoire du répondant", "Saisie par un agent"]
    assert header[4:10] == [
        "Q1. Comment venez-vous ?",
        "Q1. Comment venez-vous ? — Autre (précisez)",
        "Q2. Pourquoi ? — Prix",
        "Q2. Pourquoi ? — Temps",
        "Q2. Pourquoi ? — Confort",
        "Q2. Pourquoi ? — Autre",
    ]
    assert "Q3. Classez vos priorités — Parcs (rang)" in header
    assert "Q5. Notez ces équipements — Piscine" in header
    assert header[-1] == "Q10. Une photo"
    assert len(header) == 4 + 2 + 5 + 3 + 1 + 2 + 1 + 1 + 1 + 1 + 1
    assert all(len(row) == len(header) for row in rows)
    cell = dict(zip(header, first, strict=True))
    assert cell["Territoire du répondant"] == "Nord"
    assert cell["Saisie par un agent"] == "non"
    assert cell["Q1. Comment venez-vous ?"] == "Autre"
    assert cell["Q1. Comment venez-vous ? — Autre (précisez)"] == "'=HYPERLINK(1)"  # never run as a formula
    assert cell["Q2. Pourquoi ? — Prix"] == "1" and cell["Q2. Pourquoi ? — Confort"] == "0"
    assert cell["Q3. Classez vos priorités — Parcs (rang)"] == "1"
    assert cell["Q3. Classez vos priorités — Pistes cyclables (rang)"] == "3"
    assert cell["Q4. Êtes-vous satisfait du quartier ?"] == "4"
    assert cell["Q5. Notez ces équipements — Médiathèque"] == "Moyen"
    assert cell["Q6. Votre âge"] == "41,5"
    assert cell["Q7. Arrivée dans le quartier"] == "2015-09-01"
    assert cell["Q10. Une photo"] == "banc.jpg"
    other = dict(zip(header, second, strict=True))
    assert other["Q2. Pourquoi ? — Prix"] == ""  # not answered: empty, not 0
    assert other["Q9. Un commentaire"] == "Ligne 1\nLigne 2; avec « guillemets »"
    assert other["Territoire du répondant"] == ""
    assert len(first[0]) == 8


def test_json_export_holds_the_structure_then_the_responses(sample, admin, django_capture_on_commit_callbacks):
    s = sample
    submit(s.questionnaire, full_answers(s, age=Decimal("41.5")))
    submit(s.questionnaire, full_answers(s, transport=(s.choice(s.transport, "Autre"), "Roller"), reasons=None))
    job = run(admin, s.questionnaire, "json", capture=django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE and job.file.name.endswith(".json")
    with job.file.open("rb") as handle:
        data = json.load(handle)
    questions = data["questionnaire"]["questions"]
    assert [q["number"] for q in questions] == list(range(1, 11))
    assert questions[0]["choices"][3] == {"id": s.choice(s.transport, "Autre").pk, "label": "Autre", "is_other": True}
    first, second = data["responses"]
    answers = first["answers"]
    assert answers["1"] == {"choice_id": s.choice(s.transport, "Voiture").pk, "label": "Voiture"}
    assert [c["label"] for c in answers["2"]] == ["Prix", "Temps"]
    assert [r["label"] for r in answers["3"]] == ["Parcs", "Bancs", "Pistes cyclables"]
    assert answers["4"] == 4 and answers["6"] == 41.5 and answers["7"] == "2015-09-01"
    assert {(m["row"], m["label"]) for m in answers["5"]} == {("Piscine", "Bien"), ("Médiathèque", "Moyen")}
    assert answers["10"] is None
    assert second["answers"]["1"]["precision"] == "Roller"
    assert second["answers"]["2"] == []
    assert first["entered_by_agent"] is False and len(first["receipt"]) == 8


def test_an_export_reads_responses_in_batches_and_counts_its_progress(sample, admin, monkeypatch):
    s = sample
    for _n in range(7):
        submit(s.questionnaire, full_answers(s))
    job = ExportJob.objects.create(questionnaire=s.questionnaire, requested_by=admin, format="csv")
    seen = []
    original = exports.response_batches

    def spy(*args, **kwargs):
        for batch in original(*args, size=3):
            seen.append(len(batch))
            yield batch
            seen.append(ExportJob.objects.get(pk=job.pk).done)

    monkeypatch.setattr(exports, "response_batches", spy)
    exports.export_run(job.pk)
    assert seen == [3, 3, 3, 6, 1, 7]
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 7, 7)
    assert len(read_csv(job)[1]) == 8


def test_responses_submitted_during_an_export_wait_for_the_next_one(sample, admin, monkeypatch):
    s = sample
    submit(s.questionnaire, full_answers(s))
    job = ExportJob.objects.create(questionnaire=s.questionnaire, requested_by=admin, format="csv")
    original = exports.response_batches

    def late(*args, **kwargs):
        submit(s.questionnaire, full_answers(s))  # arrives once the export has started
        yield from original(*args, **kwargs)

    monkeypatch.setattr(exports, "response_batches", late)
    exports.export_run(job.pk)
    job.refresh_from_db()
    assert (job.done, job.total) == (1, 1)


def test_memory_of_an_export_does_not_grow_with_the_number_of_responses(sample, admin):
    s = sample

    def peak(count: int) -> int:
        while s.questionnaire.responses_count < count:
            submit(s.questionnaire, full_answers(s, comment="x" * 200))
        job = ExportJob.objects.create(questionnaire=s.questionnaire, requested_by=admin, format="csv")
        tracemalloc.start()
        exports.export_run(job.pk)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    original = exports.BATCH
    try:
        exports.BATCH = 5  # batches much smaller than the responses: memory is a batch's, not the export's
        small, large = peak(60), peak(120)
    finally:
        exports.BATCH = original
    assert large < small * 1.5


def test_a_failed_export_says_why(sample, admin, monkeypatch):
    submit(sample.questionnaire, full_answers(sample))
    job = ExportJob.objects.create(questionnaire=sample.questionnaire, requested_by=admin, format="csv")

    def broken(*args, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr(exports, "response_batches", broken)
    exports.export_run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "disque plein" in job.error and job.finished_at


def test_an_export_runs_once_even_if_its_task_is_delivered_twice(sample, admin):
    job = ExportJob.objects.create(questionnaire=sample.questionnaire, requested_by=admin, format="csv")
    exports.export_run(job.pk)
    job.refresh_from_db()
    name = job.file.name
    exports.export_run(job.pk)
    job.refresh_from_db()
    assert job.file.name == name and job.status == ExportJob.Status.DONE


def test_an_export_request_is_audited_and_old_exports_are_purged(sample, admin, django_capture_on_commit_callbacks):
    old = run(admin, sample.questionnaire, capture=django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    new = run(admin, sample.questionnaire, "json", capture=django_capture_on_commit_callbacks)
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert not storage.exists(name)
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["surveys.export_request", "surveys.export_purge", "surveys.export_request"]
    assert AuditEntry.objects.filter(action="surveys.export_request").order_by("pk").last().after == {
        "export": new.pk,
        "format": "json",
    }


def test_deleting_an_export_removes_its_file(sample, admin, django_capture_on_commit_callbacks):
    job = run(admin, sample.questionnaire, capture=django_capture_on_commit_callbacks)
    storage, name = job.file.storage, job.file.name
    with django_capture_on_commit_callbacks(execute=True):
        exports.export_delete(actor=admin, job=job)
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.filter(action="surveys.export_delete").exists()


def test_aggregated_csv_holds_counts_only(sample):
    s = sample
    submit(s.questionnaire, full_answers(s, comment="Un secret"))
    submit(s.questionnaire, full_answers(s, transport=s.choice(s.transport, "Bus")))
    text = open_data.aggregated_csv(results_for(s.questionnaire))
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == list(open_data.OPEN_DATA_FIELDS)
    assert ["1", "Comment venez-vous ?", "single", "", "Voiture", "1", "50,0", "", "2"] in rows
    assert any(r[3] == "Piscine" and r[4] == "Bien" and r[5] == "2" for r in rows)
    assert any(r[2] == "ranking" and r[4] == "Parcs" and r[7] == "1,0" for r in rows)
    assert "Un secret" not in text


def test_results_payload_has_no_individual_answer(sample):
    s = sample
    submit(s.questionnaire, full_answers(s, comment="Un secret", age=33))
    payload = open_data.results_payload(results_for(s.questionnaire))
    assert payload["respondents"] == 1
    by_number = {q["number"]: q for q in payload["questions"]}
    assert by_number[1]["choices"][0] == {
        "id": s.choice(s.transport, "Voiture").pk,
        "label": "Voiture",
        "count": 1,
        "percent": 100.0,
        "mean_rank": None,
    }
    assert by_number[4]["values"][3]["count"] == 1 and by_number[4]["mean"] == 4
    assert by_number[6]["stats"] == {"count": 1, "minimum": 33, "maximum": 33, "mean": 33.0, "median": 33}
    assert by_number[7]["stats"]["minimum"] == "2015-09-01"
    assert by_number[9]["answers_count"] == 1
    assert "Un secret" not in json.dumps(payload)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("=1+1", "'=1+1"), ("+33 6", "'+33 6"), ("-", "'-"), ("@cmd", "'@cmd"), ("Bonjour", "Bonjour"), ("", "")],
)
def test_cells_that_look_like_formulas_are_neutralised(text, expected):
    assert export_formats.safe(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("3.500000"), "3,5"), (Decimal("42.000000"), "42"), (Decimal("-0.25"), "-0,25"), (None, "")],
)
def test_numbers_are_written_with_a_decimal_comma(value, expected):
    assert export_formats.decimal_text(value) == expected
