"""Benchmark: the synthesis of contributions at scale (issue #16: 100,000 contributions in under 5 minutes on this
2-core machine, in bounded memory).

Usage (from the project root):

    nice -n 10 .venv/bin/python bench/synthesis.py                         # 100,000 contributions, SQLite
    nice -n 10 .venv/bin/python bench/synthesis.py --contributions 20000 --engine-only
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/synthesis_bench .venv/bin/python bench/synthesis.py

The contributions are made from the labelled corpus (``participe/synthesis/corpus/lumerac.csv``, its three
consultations mixed): each is one contribution of the corpus, often followed by another sentence of the same
label, sometimes by one of another label and by a courtesy phrase, with a few typing variations, so that the
texts are as short and as mixed as real ones and keep a known label (the agreement at that scale is printed too).

Measured, each alone: the method on the texts only (``--engine-only`` stops there); then, through the database,
the import of the contributions as a CSV file (``imports.contributions_import``), ``synthesis_start`` (reading every
contribution into the synthesis) and ``synthesis_compute`` (the worker's task: themes and assignments written).
It prints the seconds of each, the total, and the peak resident memory of the process (``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"

CORPUS = ROOT / "participe" / "synthesis" / "corpus" / "lumerac.csv"
COURTESY = (
    "Merci pour cette consultation.",
    "Bon courage à l'équipe municipale.",
    "C'est urgent.",
    "Je suis habitant du quartier depuis vingt ans.",
    "Enfin on nous demande notre avis !",
)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def contributions(n: int, seed: int) -> tuple[list[str], list[str]]:
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_label: dict[str, list[str]] = {}
    for row in rows:
        by_label.setdefault(f"{row['group']}/{row['label'].split(';')[0]}", []).append(row["text"])
    labels = sorted(by_label)
    rng = random.Random(seed)
    texts, truth = [], []
    for _ in range(n):
        label = rng.choice(labels)
        parts = [rng.choice(by_label[label])]
        if rng.random() < 0.6:
            parts.append(rng.choice(by_label[label]))
        if rng.random() < 0.15:
            parts.append(rng.choice(by_label[rng.choice(labels)]))
        if rng.random() < 0.2:
            parts.append(rng.choice(COURTESY))
        text = " ".join(parts)
        if rng.random() < 0.3:
            text = text.lower()
        texts.append(text)
        truth.append(label)
    return texts, truth


def engine(texts: list[str], truth: list[str], seed: int, key: str = "semantic") -> float:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from participe.synthesis.engine import method

    started, cpu = time.perf_counter(), time.process_time()
    result = method(key).themes(texts, seed=seed)
    seconds = time.perf_counter() - started
    print(
        f"method alone: {seconds:.1f} s ({time.process_time() - cpu:.1f} s of CPU, every thread) for "
        f"{len(texts):,} contributions, {len(result.themes)} themes "
        f"({result.note}); NMI {normalized_mutual_info_score(truth, result.assignments):.3f}, "
        f"ARI {adjusted_rand_score(truth, result.assignments):.3f} against {len(set(truth))} labels; "
        f"peak memory {peak_mb():.0f} MB"
    )
    print("  steps (s): " + ", ".join(f"{name} {value:.1f}" for name, value in result.timings.items()))
    return seconds


def through_the_database(texts: list[str], seed: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from participe.accounts.models import User
    from participe.spaces.models import Space
    from participe.synthesis import imports, services

    # The task is run below as the worker would, timed apart: not at once inside synthesis_start.
    services._enqueue = lambda pk: None

    admin = User.objects.create_user(email="bench@example.org", pseudonym="bench", is_org_admin=True)
    space = Space.objects.create(title="Grande consultation", slug=f"consultation-{seed}", status="published")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("id", "text"))
    writer.writerows((f"B{i}", text) for i, text in enumerate(texts))
    data = out.getvalue().encode()
    timings: dict[str, tuple[float, float]] = {}

    def timed(name: str, step: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        value = step()
        timings[name] = (time.perf_counter() - started, time.process_time() - cpu)
        return value

    timed("import (CSV)", lambda: imports.contributions_import(actor=admin, space=space, name="b.csv", data=data))
    synthesis = timed(
        "synthesis_start (read)", lambda: services.synthesis_start(actor=admin, space=space, title="S", seed=seed)
    )
    synthesis = timed("synthesis_compute (task)", lambda: services.synthesis_compute(synthesis.pk)) or synthesis
    for name, (seconds, cpu) in timings.items():
        print(f"{name:<26} {seconds:7.1f} s  ({cpu:.1f} s of CPU)")
    wall = sum(s for s, _ in timings.values())
    cpu = sum(c for _, c in timings.values())
    print(
        f"{'total':<26} {wall:7.1f} s  ({cpu:.1f} s of CPU; {synthesis.status}, {synthesis.contributions_count:,} "
        f"contributions, {synthesis.themes.count()} themes); peak memory {peak_mb():.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contributions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engine-only", action="store_true")
    parser.add_argument("--method", default="semantic", choices=("semantic", "lexical"), help="for the method alone")
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="number every text (« (n° 123) »): no two alike, as in a real consultation",
    )
    args = parser.parse_args()
    texts, truth = contributions(args.contributions, args.seed)
    if args.distinct:
        texts = [f"{text} (n° {number})" for number, text in enumerate(texts, 1)]
    print(
        f"{len(texts):,} contributions ({len(set(texts)):,} distinct), "
        f"mean {sum(map(len, texts)) / len(texts):.0f} characters"
    )
    engine(texts, truth, args.seed, args.method)
    if not args.engine_only:
        through_the_database(texts, args.seed)


if __name__ == "__main__":
    main()
