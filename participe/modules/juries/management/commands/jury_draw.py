"""``python manage.py jury_draw --categories C.csv --respondents R.csv --size N --seed SEED``: re-run a draw.

Prints the selected ids one per line, then one line: the lowest and highest selection probability of any
respondent under the computed distribution, and the seconds spent. Anyone can check a published draw with it
(docs/modules/juries.md, « Vérifier un tirage »).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from participe.modules.juries.sortition import Infeasible, Lottery, SeedError, instance_from_rows, leximin
from participe.modules.juries.sortition.csvio import CsvErrors, read_categories, read_respondents
from participe.modules.juries.sortition.lottery import normalize_seed


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None


class Command(BaseCommand):
    help = "Draw a panel by lot (leximin probabilities, public seed) from a categories and a respondents file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--categories", required=True, help="CSV: category,feature,min,max")
        parser.add_argument("--respondents", required=True, help="CSV: id and one column per category")
        parser.add_argument("--size", required=True, type=int, help="the number of people to select")
        parser.add_argument("--seed", required=True, help='numbers of the public random source, e.g. "4 12 23 / 8"')

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        try:
            normalize_seed(options["seed"])
        except SeedError:
            raise CommandError('--seed: numbers separated by spaces, groups by "/", e.g. "4 12 23 35 47 / 8"') from None
        if options["size"] < 1:
            raise CommandError("--size: a positive whole number")
        try:
            quotas = read_categories(_read(options["categories"]))
            people, errors = read_respondents(_read(options["respondents"]), quotas)
        except CsvErrors as error:
            raise CommandError(f"{options['categories']}:\n{error}") from None
        if errors:
            raise CommandError(f"{options['respondents']}:\n{CsvErrors(errors)}")
        instance = instance_from_rows(quotas, ((pid, values) for pid, values, _ in people), options["size"])
        try:
            distribution = leximin(instance)
        except Infeasible as error:
            raise CommandError(f"the quotas cannot be met: {error}") from None
        lottery = Lottery.from_distribution(instance, distribution)
        probabilities = lottery.probabilities(instance).values()
        for pid in lottery.draw(instance, options["seed"]):
            self.stdout.write(pid)
        seconds = time.perf_counter() - start
        self.stdout.write(f"{min(probabilities):.6f} {max(probabilities):.6f} {seconds:.2f}")
