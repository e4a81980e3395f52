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
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="surveys-bench-media-"))  # the export files

TITLE = "Banc d'essai des questionnaires"
# The 30 questions (and 2 sections): kind, number of choices (the last one "autre" when marked), matrix rows.
PLAN: list[tuple[str, int, bool, int]] = [
    ("single", 5, True, 0),
    ("multiple", 7, True, 0),  # shown when the first answer is the first choice
    ("scale", 0, False, 0),
    ("single", 3, False, 0),
    ("ranking", 4, False, 0),
    ("matrix", 4, False, 3),
    ("number", 0, False, 0),
    ("short_text", 0, False, 0),
    ("section", 0, False, 0),
    ("single", 5, False, 0),
    ("multiple", 5, False, 0),
    ("scale", 0, False, 0),
    ("scale", 0, False, 0),
    ("matrix", 5, False, 4),
    ("number", 0, False, 0),
    ("date", 0, False, 0),
    ("long_text", 0, False, 0),
    ("single", 2, False, 0),
    ("multiple", 5, True, 0),
    ("section", 0, False, 0),
    ("ranking", 5, False, 0),
    ("scale", 0, False, 0),
    ("single", 6, False, 0),
    ("matrix", 3, False, 2),
    ("number", 0, False, 0),
    ("short_text", 0, False, 0),
    ("long_text", 0, False, 0),
    ("single", 3, False, 0),
    ("multiple", 3, False, 0),
    ("scale", 0, False, 0),
    ("single", 4, True, 0),
    ("long_text", 0, False, 0),
]
WORDS = [
    *("arbres", "bancs", "piste", "cyclable", "école", "parc", "ombre", "éclairage", "trottoir", "bus", "tramway"),
    *("marché", "jardin", "partagé", "propreté", "bruit", "stationnement", "sécurité", "piscine", "médiathèque"),
    *("terrain", "jeux", "fontaine", "fleurs", "voisins", "commerce"),
]


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


class Generator:
    """Answers of one response after another (seeded), with the tallies they add up to."""

    def __init__(self, survey: Any, quartiers: list[int], seed: int = 42) -> None:
        self.rng = random.Random(seed)
        self.questions = [
            q for q in survey.questions.prefetch_related("choices", "rows").order_by("position") if q.kind != "section"
        ]
        self.choices = {q.pk: [c.pk for c in q.choices.all()] for q in self.questions}
        self.other = {q.pk: next((c.pk for c in q.choices.all() if c.is_other), None) for q in self.questions}
        self.rows = {q.pk: [r.pk for r in q.rows.all()] for q in self.questions}
        self.quartiers = quartiers
        self.tallies: Counter[tuple[int, int, int, int, int]] = Counter()  # (question, choice, row, value, territory)
        self.rank_sums: Counter[tuple[int, int, int, int, int]] = Counter()
        self.territory: list[int | None] = []

    def response_rows(self, survey: Any, count: int, start: datetime.datetime) -> Iterator[dict[str, Any]]:
        rng = self.rng
        for n in range(count):
            territory = rng.choice(self.quartiers) if rng.random() < 0.6 else None
            self.territory.append(territory)
            moment = start + datetime.timedelta(seconds=n * 5)
            yield {
                "questionnaire_id": survey.pk,
                "territory_id": territory,
                "receipt": uuid.UUID(int=rng.getrandbits(128), version=4),
                "submitted_at": moment,
                "created_at": moment,
                "updated_at": moment,
            }

    def answer_rows(self, first_response: int) -> Iterator[dict[str, Any]]:
        for index, territory in enumerate(self.territory):
            response = first_response + index
            chosen_first: int | None = None
            for question in self.questions:
                for row in self._answers(question, territory, chosen_first):
                    if question.position == 1:
                        chosen_first = row["choice_id"]
                    row["response_id"] = response
                    row["question_id"] = question.pk
                    yield row

    def _count(
        self,
        question: int,
        choice: int | None,
        row: int | None,
        value: int | None,
        territory: int | None,
        rank: int = 0,
    ) -> None:
        key = (question, choice or 0, row or 0, value or 0, territory or 0)
        self.tallies[key] += 1
        if rank:
            self.rank_sums[key] += rank

    def _answers(self, question: Any, territory: int | None, chosen_first: int | None) -> list[dict[str, Any]]:
        if question.position == 2 and chosen_first != self.choices[self.questions[0].pk][0]:
            return []  # the conditional question is hidden
        if question.kind in ("single", "multiple", "ranking", "matrix", "scale"):
            return self._closed(question, territory)
        return self._open(question)

    def _closed(self, question: Any, territory: int | None) -> list[dict[str, Any]]:
        """A closed answer, counted in the tallies."""
        rng, kind, pk = self.rng, question.kind, question.pk
        choices = self.choices[pk]
        if kind == "single":
            choice = rng.choices(choices, list(range(len(choices), 0, -1)))[0]
            self._count(pk, choice, None, None, territory)
            return [answer(choice=choice, text="Une autre idée" if choice == self.other[pk] else "")]
        if kind == "multiple":
            picked = rng.sample(choices, rng.randint(1, min(3, len(choices))))
            for choice in picked:
                self._count(pk, choice, None, None, territory)
            return [answer(choice=c, text="Autre chose" if c == self.other[pk] else "") for c in picked]
        if kind == "ranking":
            order = rng.sample(choices, len(choices))
            for rank, choice in enumerate(order, start=1):
                self._count(pk, choice, None, None, territory, rank)
            return [answer(choice=c, rank=r) for r, c in enumerate(order, start=1)]
        if kind == "matrix":
            cells = [(row, rng.choice(choices)) for row in self.rows[pk]]
            for row, choice in cells:
                self._count(pk, choice, row, None, territory)
            return [answer(choice=c, row=r) for r, c in cells]
        value = min(5, max(1, round(rng.gauss(3.4, 1.1))))
        self._count(pk, None, None, value, territory)
        return [answer(number=Decimal(value))]

    def _open(self, question: Any) -> list[dict[str, Any]]:
        """A number, a date or a text; 30 % of respondents leave them blank."""
        rng, kind = self.rng, question.kind
        if rng.random() < 0.3:
            return []
        if kind == "number":
            return [answer(number=Decimal(rng.randint(15, 90)))]
        if kind == "date":
            return [answer(date=datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randint(0, 9000)))]
        size = 3 if kind == "short_text" else rng.randint(8, 40)
        return [answer(text=" ".join(rng.choices(WORDS, k=size)).capitalize() + ".")]

    def tally_rows(self) -> Iterator[dict[str, Any]]:
        for (question, choice, row, value, territory), count in self.tallies.items():
            yield {
                "question_id": question,
                "key": f"{choice}:{row}:{value}:{territory}",
                "choice_id": choice or None,
                "row_id": row or None,
                "value": value or None,
                "territory_id": territory or None,
                "count": count,
                "rank_sum": self.rank_sums[(question, choice, row, value, territory)],
            }


def answer(choice=None, row=None, rank=None, number=None, date=None, text="") -> dict[str, Any]:
    """An ``Answer`` row (every row has the same keys, as the bulk writer wants)."""
    return {"choice_id": choice, "row_id": row, "rank": rank, "number": number, "date": date, "text": text}


def build(count: int, label: str, quartiers: list[int]) -> Any:
    from django.db import connection
    from django.utils import timezone

    from participe.harness.volume import BulkWriter, Progress
    from participe.modules.surveys.models import Answer, Questionnaire, Response, Tally

    survey = questionnaire(label)
    generator = Generator(survey, quartiers, seed=count)
    progress = Progress(total=count * 42)
    writer = BulkWriter(progress)
    start = timezone.now() - datetime.timedelta(seconds=5 * count)
    responses = writer.insert(Response, generator.response_rows(survey, count, start), "responses")
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
