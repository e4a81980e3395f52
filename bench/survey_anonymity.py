"""Benchmark: what the anonymity of a questionnaire costs (decision 0016) — sending a response, mixing, reshuffling.

Usage (from the project root; PostgreSQL is what it is meant for, a database made for it):

    DATABASE_URL=postgres://user:pass@host/anon_bench .venv/bin/python bench/survey_anonymity.py
    .venv/bin/python bench/survey_anonymity.py            # a temporary SQLite file

Options: --responses 300 (sent through the answering service, each in its own transaction, by as many accounts, to
a questionnaire of 11 questions — the one of the surveys' tests — once not anonymous, once anonymous) and --reshuffle
5000 (responses written straight by the mixer's writer, then reshuffled as at the end of the answering phase). It
prints the median and 95th percentile of one submission's time in each mode (the anonymous one includes, every k-th
time, the batch the mixer moves after commit), and the time of the reshuffle.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"


def setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def survey(anonymous: bool) -> Any:
    from participe.modules.surveys.tests.answering_data import build_survey

    built = build_survey()
    module = built.module
    module.settings = {**module.settings, "anonymous": anonymous}
    module.save()
    return built


def send(built: Any, count: int) -> list[float]:
    from participe.modules.surveys.models import Questionnaire
    from participe.modules.surveys.selectors import answering as selectors
    from participe.modules.surveys.selectors.answering import Respondent
    from participe.modules.surveys.services import answering
    from participe.modules.surveys.tests.answering_data import valid_values
    from tests.factories import UserFactory

    specs = selectors.question_specs(built.questionnaire)
    values = valid_values(built)
    times = []
    for _n in range(count):
        user = UserFactory(email=f"banc-{uuid.uuid4().hex[:10]}@example.org", pseudonym=f"b-{uuid.uuid4().hex[:10]}")
        questionnaire = Questionnaire.objects.select_related("module__space").get(pk=built.questionnaire.pk)
        began = time.perf_counter()
        answering.response_submit(
            questionnaire=questionnaire,
            respondent=Respondent(user=user),
            draft=None,
            specs=specs,
            values=values,
            session={},
        )
        times.append(time.perf_counter() - began)
    return times


def describe(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(f"{label}: median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms ({len(times)} sent)")


def reshuffle(count: int) -> None:
    from participe.modules.surveys import answers
    from participe.modules.surveys.selectors import answering as selectors
    from participe.modules.surveys.services import anonymous
    from participe.modules.surveys.tests.answering_data import valid_values

    built = survey(anonymous=True)
    specs = selectors.question_specs(built.questionnaire)
    rows = answers.validate(specs, valid_values(built), answers.visible_ids(specs, valid_values(built))).rows
    staged = [
        {"answers": anonymous.rows_to_json(rows), "territory_id": None, "receipt": uuid.uuid4()} for _ in range(count)
    ]
    from django.db import transaction
    from django.utils import timezone

    with transaction.atomic():
        anonymous._write_batch(built.questionnaire.pk, staged, timezone.localdate())
    began = time.perf_counter()
    moved = anonymous.reshuffle(built.questionnaire.pk)
    elapsed = time.perf_counter() - began
    print(f"reshuffle: {moved:,} responses ({moved * len(rows):,} answers) in {elapsed:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--responses", type=int, default=300)
    parser.add_argument("--reshuffle", type=int, default=5000)
    args = parser.parse_args()
    setup()
    from django.db import connection

    print(f"Database: {connection.vendor}", flush=True)
    describe("not anonymous", send(survey(anonymous=False), args.responses))
    describe("anonymous (staged, mixed by 10)", send(survey(anonymous=True), args.responses))
    reshuffle(args.reshuffle)


if __name__ == "__main__":
    main()
