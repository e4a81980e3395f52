"""Benchmark of the budget tally engine against pabutools (the same run, the same machine, CPU seconds).

Usage (from the project root; pabutools is a dev dependency):

    nice -n 10 .venv/bin/python bench/budgets_tally.py                      # both comparisons, ~10 min of CPU
    .venv/bin/python bench/budgets_tally.py --skip-exhaustion               # plain MES only, ~1 min

Options: --file (default: shared/data/pabulib/poland_lodz_2022_.pb), --skip-exhaustion, --repeat N (our runs: best
of N, default 3), --sample-every K (default 10: before the full loop, pabutools' MES at every K-th step of the loop,
each compared with ours at the same budget per voter, and the loop's total estimated from them; 0: skip).

1. **Plain MES** (cost utilities): ours (``tally(election, "mes")``) against pabutools'
   ``method_of_equal_shares(instance, profile, sat_class=Cost_Sat)``.
2. **MES + add1 until infeasible** (Wieliczka 2023's completion): ours (``mes.add1(…, until_infeasible=True)``, and
   the whole rule ``tally(election, "mes-add1-infeasible")`` with its greedy completion) against pabutools'
   ``exhaustion_by_budget_increase(instance, profile, method_of_equal_shares, {"sat_class": Cost_Sat},
   exhaustive_stop=False, budget_step=voters)`` (about 600 s of CPU). First a sample (every K-th step, each with
   the same selected set as ours at that step) gives an estimate, saved before the full loop starts.

3. ``--table``: instead, every file of shared/data/pabulib with greedy, greedy-threshold, MES and Phragmén, ours
   against pabutools given the *grouped* ballots (multi-profiles, points × cost utilities, our tie-breaking: the
   oracle of the tests, ``participe/modules/budgets/tests/pabutools_oracle.py``), each selected set compared.

Each side reads the file with its own reader, outside the timing (reading is printed apart). Timings are CPU seconds
of this process (``time.process_time``): on a shared machine they move less than wall time. The selected sets must be
identical, or the script exits with 1. Results: printed, and written to bench/results/<date>-budgets-tally.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from copy import deepcopy
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pabutools.election import Cost_Sat, parse_pabulib  # noqa: E402
from pabutools.rules import exhaustion_by_budget_increase, method_of_equal_shares  # noqa: E402

from participe.modules.budgets.tally import mes, pabulib  # noqa: E402
from participe.modules.budgets.tally.numbers import Q  # noqa: E402
from participe.modules.budgets.tally.prepared import Prepared  # noqa: E402
from participe.modules.budgets.tally.rules import tally  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "pabulib" / "poland_lodz_2022_.pb"


def cpu(function: Any, repeat: int = 1) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.process_time()
        result = function()
        best = min(best, time.process_time() - started)
    return best, result


def sample(every: int, election: Any, instance: Any, profile: Any, figures: dict[str, Any], save: Any) -> bool:
    """pabutools' MES at every ``every``-th step of the add1 loop (the same budgets per voter as ours), each compared
    with ours; the loop's CPU estimated by the trapezoid rule over the steps (the last, infeasible one included)."""
    if every <= 0:
        return True
    prep = Prepared.of(election)
    loop, (_, steps) = cpu(lambda: mes.add1(prep, until_infeasible=True))
    base = Fraction(election.budget, election.voters)
    points: list[tuple[int, float]] = []
    same = True
    for step in sorted({*range(0, steps + 2, every), steps + 1}):
        priced = deepcopy(instance)
        priced.budget_limit = election.budget + step * election.voters
        theirs, allocation = cpu(lambda i=priced: method_of_equal_shares(i, profile, sat_class=Cost_Sat))
        ours = mes.run(prep, Q(base.numerator, base.denominator) + step)
        agree = {prep.ids[j] for j in ours.selected} == {p.name for p in allocation}
        same &= agree
        points.append((step, theirs))
        print(f"  step {step}: pabutools MES {theirs:.1f} s, same selected set: {agree}", flush=True)
    estimate = sum((b - a) * (ta + tb) / 2 for (a, ta), (b, tb) in pairwise(points)) + points[0][1]
    figures["mes_add1_infeasible_sample"] = {
        "every": every,
        "steps": steps,
        "pabutools_step_seconds": points,
        "pabutools_estimate": estimate,
        "ours_loop": loop,
        "ratio_estimate": estimate / loop,
        "same_at_every_sampled_step": same,
    }
    print(
        f"MES + add1 until infeasible, sampled: pabutools about {estimate:.0f} s (estimate over {steps + 2} MES "
        f"runs), ours {loop:.2f} s, ×{estimate / loop:.0f} (estimate); same sets at each sampled step: {same}",
        flush=True,
    )
    save()
    return same


def table() -> int:
    from participe.modules.budgets.tests.pabutools_oracle import Oracle

    rows, ok = [], True
    for path in sorted(DEFAULT.parent.glob("*.pb")):
        election = pabulib.load(path)
        oracle = Oracle(election)
        threshold = int(election.meta.get("min_project_score_threshold", 100))
        for rule in ("greedy", "greedy-threshold", "mes", "phragmen"):
            ours, outcome = cpu(lambda r=rule, e=election, t=threshold: tally(e, r, threshold=t, analyse=False), 3)
            theirs, chosen = cpu(lambda r=rule, o=oracle, t=threshold: o.outcome(r, t))
            same = set(outcome.selected) == chosen
            ok &= same
            rows.append({"file": path.name, "rule": rule, "ours": ours, "pabutools": theirs, "same": same})
            print(f"| {path.name} | {rule} | {ours:.3f} | {theirs:.2f} | ×{theirs / ours:.0f} | {same} |", flush=True)
    out = ROOT / "bench" / "results" / f"{datetime.date.today().isoformat()}-budgets-tally-table.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=2) + "\n")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default=str(DEFAULT))
    parser.add_argument("--skip-exhaustion", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample-every", type=int, default=10)
    parser.add_argument("--table", action="store_true")
    options = parser.parse_args()
    if options.table:
        return table()
    figures: dict[str, Any] = {"file": Path(options.file).name, "date": datetime.date.today().isoformat()}
    ok = True

    read_ours, election = cpu(lambda: pabulib.load(options.file))
    read_theirs, (instance, profile) = cpu(lambda: parse_pabulib(options.file))
    figures.update(voters=election.voters, distinct_ballots=len(election.ballots), projects=len(election.projects))
    figures.update(read_ours=read_ours, read_pabutools=read_theirs)
    print(
        f"{figures['file']}: {election.voters} voters, {len(election.ballots)} distinct ballots, "
        f"{len(election.projects)} projects; reading: ours {read_ours:.2f} s, pabutools {read_theirs:.2f} s"
    )

    ours, outcome = cpu(lambda: tally(election, "mes", analyse=False), options.repeat)
    theirs, allocation = cpu(lambda: method_of_equal_shares(instance, profile, sat_class=Cost_Sat))
    same = set(outcome.selected) == {p.name for p in allocation}
    ok &= same
    figures["mes"] = {
        "ours": ours,
        "pabutools": theirs,
        "ratio": theirs / ours,
        "same": same,
        "selected": len(outcome.selected),
    }
    print(
        f"MES: ours {ours:.3f} s, pabutools {theirs:.2f} s, ×{theirs / ours:.0f}, same selected sets: {same}",
        flush=True,
    )

    out = ROOT / "bench" / "results" / f"{figures['date']}-budgets-tally.json"
    out.parent.mkdir(exist_ok=True)

    def save() -> None:
        out.write_text(json.dumps(figures, indent=2, default=str) + "\n")

    save()
    if not options.skip_exhaustion:
        ok &= sample(options.sample_every, election, instance, profile, figures, save)

        def ours_loop() -> Any:
            return mes.add1(Prepared.of(election), until_infeasible=True)

        loop, (run, steps) = cpu(ours_loop, options.repeat)
        whole, full = cpu(lambda: tally(election, "mes-add1-infeasible", analyse=False), options.repeat)
        theirs, allocation = cpu(
            lambda: exhaustion_by_budget_increase(
                instance,
                profile,
                method_of_equal_shares,
                {"sat_class": Cost_Sat},
                exhaustive_stop=False,
                budget_step=election.voters,
            )
        )
        prep = Prepared.of(election)
        mine = {prep.ids[j] for j in run.selected}
        same = mine == {p.name for p in allocation}
        ok &= same
        figures["mes_add1_infeasible"] = {
            "ours_loop": loop,
            "ours_rule_with_completion": whole,
            "pabutools": theirs,
            "ratio": theirs / loop,
            "ratio_whole_rule": theirs / whole,
            "same": same,
            "steps": steps,
            "selected": len(mine),
            "completion": full.details["completion"],
        }
        print(
            f"MES + add1 until infeasible ({steps} steps of 1 per voter): ours {loop:.2f} s (whole rule with its "
            f"completion {whole:.2f} s), pabutools {theirs:.1f} s, ×{theirs / loop:.0f} (×{theirs / whole:.0f} "
            f"whole rule), same selected sets: {same}"
        )

    save()
    print(f"written to {out.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
