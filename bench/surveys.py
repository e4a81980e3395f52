"""Benchmark: a questionnaire of 30 questions with 250,000 responses — results pages and exports.

Usage (from the project root):

    .venv/bin/python bench/surveys.py                      # a temporary SQLite file
    DATABASE_URL=postgres://user:pass@host/surveys_bench .venv/bin/python bench/surveys.py

Options: --responses 250000 --small 25000 --runs 30 --reuse --pages-only. It migrates the configured database, then writes two
questionnaires of the same 30 questions (single and multiple choices with "autre, précisez", scales, rankings,
matrices, numbers, a date, short and long texts; two sections; one conditional question), one with ``--small``
responses and one with ``--responses``, with bulk inserts (``participe.harness.volume.BulkWriter``: COPY on
PostgreSQL): the responses (60 % of them from one of 10 quartiers), their ``Answer`` rows and the ``Tally``
counters, consistent with each other as the answering service writes them. Then, through Django's test client
(templates included), it prints the median and the 95th percentile server time of the agents' results page
(everyone, one quartier, a cross-tabulation), a page of free-text answers (first page, search), the public results
page and the API; then the CSV and JSON exports of each questionnaire: their time, their size and their peak of
Python memory (``tracemalloc``, measured in a second run since tracing slows the first down), to show that memory
stays bounded whatever the number of responses. On PostgreSQL, use a database made for it: the data stays there
(``--reuse`` measures the questionnaires of a previous run again instead of writing new ones).
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="surveys-bench-media-"))  # the export files

TITLE = "Banc d'essai des questionnaires"


def setup() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0, interactive=False)


def territories() -> list[int]:
    from participe.organisation.models import Territory

    city, _created = Territory.objects.get_or_create(
        slug="banc-ville", defaults={"name": "Ville du banc", "kind": "commune"}
    )
    found = []
    for n in range(10):
        quartier, _created = Territory.objects.get_or_create(
            slug=f"banc-quartier-{n}", defaults={"name": f"Quartier {n}", "kind": "quartier", "parent": city}
        )
        found.append(quartier.pk)
    return found


def questionnaire(label: str) -> Any:
    """A published space, a surveys module (answers open, results public, open data) and its 30 questions."""
    from django.utils import timezone

    from participe.modules.surveys.models import Choice, MatrixRow, Question, Questionnaire
    from participe.modules.surveys.volume import PLAN
    from participe.spaces.models import Module, Phase, Space

    now = timezone.now()
    tag = f"{label}-{int(time.time() * 1000)}"
    space = Space.objects.create(title=f"{TITLE} {tag}", slug=f"banc-{tag}", summary="Mesure", status="published")
    module = Module.objects.create(
        space=space,
        module_type="surveys",
        title=f"Questionnaire {label}",
        slug="questionnaire",
        settings={"access": "anyone", "results_public": True, "results_open_data": True},
    )
    Phase.objects.create(
        module=module,
        phase_type="reponses",
        name="Réponses",
        start=now - datetime.timedelta(days=30),
        end=now + datetime.timedelta(days=30),
    )
    survey = Questionnaire.objects.create(module=module)
    for position, (kind, choices, other, rows) in enumerate(PLAN, start=1):
        config = {"min": 1, "max": 5, "min_label": "Pas du tout", "max_label": "Tout à fait"} if kind == "scale" else {}
        question = Question.objects.create(
            questionnaire=survey, position=position, kind=kind, title=f"Question {position} ({kind})", config=config
        )
        for n in range(choices):
            is_other = other and n == choices - 1
            Choice.objects.create(
                question=question, position=n, label="Autre" if is_other else f"Choix {n + 1}", is_other=is_other
            )
        for n in range(rows):
            MatrixRow.objects.create(question=question, position=n, label=f"Ligne {n + 1}")
    questions = list(
        Question.objects.filter(questionnaire=survey).prefetch_related("choices", "rows").order_by("position")
    )
    first, second = questions[0], questions[1]
    second.condition_question = first
    second.save()
    second.condition_choices.set([first.choices.all()[0]])
    return survey


def build(count: int, label: str, quartiers: list[int]) -> Any:
    from django.db import connection
    from django.utils import timezone

    from participe.harness.volume import BulkWriter, Progress
    from participe.modules.surveys.models import Answer, Questionnaire, Response, Tally
    from participe.modules.surveys.volume import Generator

    survey = questionnaire(label)
    generator = Generator.from_questionnaire(survey, quartiers, random.Random(count))
    progress = Progress(total=count * 42)
    writer = BulkWriter(progress)
    span = datetime.timedelta(seconds=5 * count)
    responses = writer.insert(
        Response, generator.response_rows(survey.pk, count, timezone.now() - span, span), "responses"
    )
    writer.insert(Answer, generator.answer_rows(responses.start), "answers")
    writer.insert(Tally, generator.tally_rows(), "tallies")
    writer.reset_sequences()
    progress.close()
    Questionnaire.objects.filter(pk=survey.pk).update(responses_count=count)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What autovacuum does soon after a load: statistics, and the visibility map that index-only scans need.
            for model in (Response, Answer, Tally):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        else:
            cursor.execute("ANALYZE")
    survey.refresh_from_db()
    return survey, writer.rows_written


def measure(client: Any, url: str, runs: int, cold: bool) -> tuple[float, float]:
    """Median and 95th percentile of the server time; ``cold``: the cache is emptied before each request."""
    from django.core.cache import cache

    response = client.get(url, secure=True)  # warm-up
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    timings = []
    for _run in range(runs):
        if cold:
            cache.clear()
        began = time.perf_counter()
        client.get(url, secure=True)
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)]


def export(survey: Any, format: str) -> tuple[float, int, int]:
    """Run an export twice: timed, then traced; return its seconds, its file size and its peak of Python memory."""
    from participe.modules.surveys.models import ExportJob
    from participe.modules.surveys.services.exports import export_run

    def once() -> ExportJob:
        job = ExportJob.objects.create(questionnaire=survey, format=format)
        done = export_run(job.pk)
        assert done is not None and done.status == ExportJob.Status.DONE, done and done.error
        return done

    began = time.perf_counter()
    job = once()
    seconds = time.perf_counter() - began
    size = job.file.size
    job.file.delete(save=False)
    tracemalloc.start()
    traced = once()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    traced.file.delete(save=False)
    return seconds, size, peak


def existing(count: int) -> Any:
    from participe.modules.surveys.models import Questionnaire

    return (
        Questionnaire.objects.filter(module__space__title__startswith=TITLE, responses_count=count)
        .order_by("-pk")
        .first()
    )


def page_cases(survey: Any, quartier: int) -> list[tuple[str, str, bool]]:
    from participe.modules.surveys.models import Question

    module = survey.module
    questions = list(Question.objects.filter(questionnaire=survey).exclude(kind="section").order_by("position"))
    single, scale = questions[0], questions[2]
    text = next(q for q in questions if q.kind == "long_text")
    results = f"/gestion/m/surveys/{module.pk}/resultats/"
    multiple = questions[1]
    public = f"/demarches/{module.space.slug}/{module.slug}/"
    return [
        ("results page (agents), everyone, cold", results, True),
        ("results page (agents), everyone, cached", results, False),
        ("results page, one quartier, cold", f"{results}?territoire={quartier}", True),
        ("results page, crosstab single × scale, cold", f"{results}?croiser={single.pk}&par={scale.pk}", True),
        ("results page, crosstab multiple × single, cold", f"{results}?croiser={multiple.pk}&par={single.pk}", True),
        ("free-text answers, first page", f"/gestion/m/surveys/questions/{text.pk}/reponses/", True),
        ("free-text answers, search", f"/gestion/m/surveys/questions/{text.pk}/reponses/?q=fontaine", True),
        ("public results page (anonymous), cold", f"{public}resultats/", True),
        ("API results (anonymous), cold", f"/api/v1/surveys/modules/{module.pk}/results", True),
        ("open data CSV (anonymous), cold", f"{public}resultats.csv", True),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--responses", type=int, default=250_000)
    parser.add_argument("--small", type=int, default=25_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--pages-only", action="store_true", help="measure the pages, not the exports")
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client

    from tests.factories import make_org_admin

    print(f"Database: {connection.vendor}", flush=True)
    quartiers = territories()
    surveys = {}
    for count, label in ((args.small, "petit"), (args.responses, "grand")):
        survey = existing(count) if args.reuse else None
        if survey is None:
            began = time.perf_counter()
            survey, rows = build(count, label, quartiers)
            elapsed = time.perf_counter() - began
            print(
                f"{count:,} responses written ({rows:,} rows) in {elapsed:.0f} s ({rows / elapsed:,.0f} rows/s)",
                flush=True,
            )
        surveys[count] = survey

    admin = make_org_admin(email=f"banc-{uuid.uuid4().hex[:8]}@example.org", pseudonym=f"banc-{uuid.uuid4().hex[:8]}")
    agent, visitor = Client(), Client()
    agent.force_login(admin)
    print(f"\n{'case':<52} {'responses':>10} {'median ms':>10} {'p95 ms':>10}")
    for count, survey in surveys.items():
        for name, url, cold in page_cases(survey, quartiers[0]):
            client = visitor if "anonymous" in name else agent
            median, p95 = measure(client, url, args.runs, cold)
            print(f"{name:<52} {count:>10,} {median:>10.1f} {p95:>10.1f}", flush=True)

    if args.pages_only:
        return
    print(f"\n{'export':<10} {'responses':>10} {'seconds':>9} {'responses/s':>12} {'file MB':>9} {'peak MiB':>9}")
    for format, (count, survey) in itertools.product(("csv", "json"), surveys.items()):
        seconds, size, peak = export(survey, format)
        print(
            f"{format:<10} {count:>10,} {seconds:>9.1f} {count / seconds:>12,.0f} {size / 1e6:>9.1f} {peak / 2**20:>9.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
