"""``python manage.py budget_tally FILE.pb --rule RULE``: the outcome of a Pabulib file, for audits and simulations.

Prints the selected project ids one per line, sorted (numerically where the ids are numbers), in the file's id format,
then on the last line the total cost and the seconds spent (reading included). Without ``--rule``, the rule the
file's META ``rule`` names. ``--explain`` writes each project's explanation to standard error.
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from participe.modules.budgets.tally import pabulib
from participe.modules.budgets.tally.rules import RULES, rule_of, tally


def natural(project_id: str) -> list[Any]:
    """Sort key: numbers inside ids compare as numbers (2 before 10, L9 before L10)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", project_id) if part]


class Command(BaseCommand):
    help = "Dépouille un fichier Pabulib (.pb) avec une règle et affiche les projets retenus, le coût et la durée."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="fichier .pb (format Pabulib)")
        parser.add_argument("--rule", choices=RULES, help="règle (par défaut : celle du META « rule » du fichier)")
        parser.add_argument("--threshold", type=int, help="greedy-threshold : score minimal (défaut : META)")
        parser.add_argument("--tie-break-seed", help="graine publique de l'ordre aléatoire des ex æquo")
        parser.add_argument("--explain", action="store_true", help="explications par projet sur la sortie d'erreur")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            election = pabulib.load(options["file"])
        except OSError as error:
            raise CommandError(f"{options['file']} : {error.strerror}") from error
        except pabulib.PabulibError as error:
            raise CommandError(f"{options['file']} : {error}") from error
        try:
            rule = options["rule"] or rule_of(election.meta)
        except ValueError as error:
            raise CommandError(str(error)) from error
        outcome = tally(
            election,
            rule,
            threshold=options["threshold"],
            tie_break_seed=options["tie_break_seed"],
            analyse=options["explain"],
        )
        seconds = time.perf_counter() - started
        for project_id in sorted(outcome.selected, key=natural):
            self.stdout.write(project_id)
        scale = int(election.meta.get(pabulib.AMOUNT_SCALE, "1"))
        self.stdout.write(f"{pabulib.decimal(outcome.total_cost, scale)} {seconds:.3f}")
        if options["explain"]:
            for explanation in outcome.explanations.values():
                self.stderr.write(str(explanation))
