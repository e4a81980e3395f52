"""Benchmark: importing a Pabulib file as an envelope of a budget participatif, then its tally (issue #13).

Usage (from the project root):

    nice -n 10 .venv/bin/python bench/budgets_import.py                      # Łódź 2022, a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/budgets_import .venv/bin/python bench/budgets_import.py
    .venv/bin/python bench/budgets_import.py --file ../shared/data/pabulib/poland_krakow_2022_.pb --runs 3

For each run: a fresh budget module, ``services.envelope_import_pabulib`` (read whole, checked, projects and grouped
ballots written), then ``services.envelope_tally`` with the file's rule (read the ballots back, tally, explanations,
greedy's comparison, analytics). Prints the wall-clock and CPU seconds of each step (medians), the distinct ballots
stored and the peak memory of the process (``ru_maxrss``), and checks the selected ids against ``budget_tally``.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"

from bench.proposals import prepare_database, setup  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "pabulib" / "poland_lodz_2022_.pb"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=3)
    return parser.parse_args()


def timed(step: object) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()  # type: ignore[operator]
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    args = parse_args()
    prepare_database(False)
    setup()
    from django.core.management import call_command
    from django.db import connection

    from participe.modules.budgets import services
    from participe.modules.budgets.models import ImportedBallot
    from participe.modules.budgets.tests.factories import BudgetModuleFactory
    from tests.factories import make_org_admin

    text = args.file.read_text(encoding="utf-8-sig")
    admin = make_org_admin(email="banc@lumerac.example")
    out = io.StringIO()
    call_command("budget_tally", str(args.file), stdout=out)
    expected = sorted(out.getvalue().splitlines()[:-1])
    figures: dict[str, list[float]] = {"import wall": [], "import cpu": [], "tally wall": [], "tally cpu": []}
    stored = 0
    for _run in range(args.runs):
        module = BudgetModuleFactory()
        envelope, wall, cpu = timed(
            lambda module=module: services.envelope_import_pabulib(
                actor=admin, module=module, text=text, filename=args.file.name
            )
        )
        figures["import wall"].append(wall)
        figures["import cpu"].append(cpu)
        envelope, wall, cpu = timed(lambda envelope=envelope: services.envelope_tally(actor=admin, envelope=envelope))
        figures["tally wall"].append(wall)
        figures["tally cpu"].append(cpu)
        ids = dict(envelope.projects.values_list("pk", "source_id"))  # type: ignore[attr-defined]
        assert sorted(ids[int(pk)] for pk in envelope.outcome["selected"]) == expected  # type: ignore[attr-defined]
        stored = ImportedBallot.objects.filter(envelope=envelope).count()
    print(f"{connection.vendor}: {args.file.name}, {stored:,} distinct ballots stored, {args.runs} runs (medians)")
    for name, values in figures.items():
        print(f"{name:12} {statistics.median(values):7.2f} s")
    print(f"peak memory  {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:7.0f} MB")
    print("selected ids identical to budget_tally's")


if __name__ == "__main__":
    main()
