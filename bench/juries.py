"""Benchmark of the juries' leximin (our code on HiGHS) on the 2,000-person pool, against sortition-algorithms'
maximin when asked.

Usage (from the project root; sortition-algorithms is a dev dependency):

    nice -n 10 .venv/bin/python bench/juries.py                        # ours: 40 of 2,000, 4 features
    nice -n 10 .venv/bin/python bench/juries.py --oracle --oracle-timeout 900    # and sortition-algorithms' maximin
    nice -n 10 .venv/bin/python bench/juries.py --oracle --skip-ours             # the oracle alone
    nice -n 10 .venv/bin/python bench/juries.py --column-generation    # and our column generation (minutes)

Reads shared/data/sortition/synthetic_pool_2000.csv and synthetic_features_panel40.csv (override with --pool,
--features, --size). Prints the number of feature profiles, the CPU and wall seconds, the leximin stages, the panels
of the distribution, which method decided ("relaxation": the relaxation's leximin walked into panels; "column
generation" when the walk cannot reach it), the CPU seconds of the relaxation alone, and the lowest and highest
selection probability of any volunteer under the lottery that is actually drawn from (probabilities rounded to 1e-6
tickets). The oracle runs in a child process, killed after --oracle-timeout seconds. Results also go to
bench/results/<date>-juries.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "sortition"


def load(features: Path, pool: Path, size: int):  # type: ignore[no-untyped-def]
    from participe.modules.juries.sortition import instance_from_rows
    from participe.modules.juries.sortition.csvio import read_categories, read_respondents

    quotas = read_categories(features.read_text(encoding="utf-8"))
    people, errors = read_respondents(pool.read_text(encoding="utf-8"), quotas)
    if errors:
        raise SystemExit(f"{pool}: {errors[:3]}")
    return instance_from_rows(quotas, ((pid, values) for pid, values, _ in people), size)


def ours(instance) -> tuple[dict[str, object], tuple[float, ...]]:  # type: ignore[no-untyped-def]
    import importlib

    import numpy as np

    from participe.modules.juries.sortition import Lottery, leximin

    solver = importlib.import_module("participe.modules.juries.sortition.leximin")
    start = time.process_time()
    solver._relaxed_leximin(instance, np.array(instance.counts, dtype=float))
    relaxation = time.process_time() - start
    wall = time.perf_counter()
    distribution = leximin(instance)
    lottery = Lottery.from_distribution(instance, distribution)
    probabilities = list(lottery.probabilities(instance).values())
    result = {
        "types": len(instance.types),
        "cpu_seconds": round(distribution.seconds, 2),
        "relaxation_cpu_seconds": round(relaxation, 3),
        "wall_seconds": round(time.perf_counter() - wall, 2),
        "method": distribution.method,
        "stages": distribution.stages,
        "panels": len(distribution.panels),
        "min_probability": min(probabilities),
        "max_probability": max(probabilities),
    }
    return result, distribution.type_probabilities


def column_generation(instance, relaxed) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The same leximin by the column generation alone (the fallback), and how far its profiles' probabilities are
    from those of the relaxation walked into panels."""
    import importlib

    solver = importlib.import_module("participe.modules.juries.sortition.leximin")
    walk = solver._decompose
    solver._decompose = lambda *args: None
    try:
        distribution = solver.leximin(instance)
    finally:
        solver._decompose = walk
    gap = max(abs(a - b) for a, b in zip(distribution.type_probabilities, relaxed, strict=True))
    return {
        "cpu_seconds": round(distribution.seconds, 2),
        "stages": distribution.stages,
        "panels": len(distribution.panels),
        "max_probability_gap_to_relaxation": gap,
    }


def _oracle(instance, queue) -> None:  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT))
    from sortition_algorithms.committee_generation.maximin import find_distribution_maximin

    from participe.modules.juries.tests.oracle import _inputs

    features, people = _inputs(instance)
    start, wall = time.process_time(), time.perf_counter()
    committees, weights, _ = find_distribution_maximin(features, people, instance.size, [])
    chance = {p.id: 0.0 for p in instance.people}
    for committee, weight in zip(committees, weights, strict=True):
        for pid in committee:
            chance[pid] += weight
    queue.put(
        {
            "cpu_seconds": round(time.process_time() - start, 2),
            "wall_seconds": round(time.perf_counter() - wall, 2),
            "min_probability": min(chance.values()),
            "max_probability": max(chance.values()),
        }
    )


def oracle(instance, timeout: float) -> dict[str, object]:  # type: ignore[no-untyped-def]
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_oracle, args=(instance, queue))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        return {"timeout_seconds": timeout}
    return queue.get() if not queue.empty() else {"error": process.exitcode}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--features", type=Path, default=DATA / "synthetic_features_panel40.csv")
    parser.add_argument("--pool", type=Path, default=DATA / "synthetic_pool_2000.csv")
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--oracle", action="store_true", help="also run sortition-algorithms' maximin")
    parser.add_argument("--oracle-timeout", type=float, default=900)
    parser.add_argument("--skip-ours", action="store_true", help="only the oracle")
    parser.add_argument("--column-generation", action="store_true", help="also our column generation alone")
    args = parser.parse_args()
    instance = load(args.features, args.pool, args.size)
    result: dict[str, object] = {"pool": len(instance.people), "size": args.size}
    if not args.skip_ours:
        result["ours_leximin"], relaxed = ours(instance)
    print(json.dumps(result, indent=2), flush=True)
    if args.column_generation and not args.skip_ours:
        result["ours_column_generation"] = column_generation(instance, relaxed)
        print(json.dumps(result["ours_column_generation"], indent=2), flush=True)
    if args.oracle:
        result["sortition_algorithms_maximin"] = oracle(instance, args.oracle_timeout)
        print(json.dumps(result["sortition_algorithms_maximin"], indent=2))
    out = ROOT / "bench" / "results" / f"{datetime.date.today()}-juries.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
