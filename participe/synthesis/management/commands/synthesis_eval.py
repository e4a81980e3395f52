"""``manage.py synthesis_eval CORPUS.csv``: the agreement of the synthesis' themes with human labels.

Prints one line per group, then on the last line the same weighted by the groups' sizes: the number of
contributions, of labels, of themes the method chose, NMI and ARI against the first label, their multi-label
variant, and the time (participe/synthesis/evaluation.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from participe.synthesis.engine import DEFAULT, METHODS
from participe.synthesis.evaluation import CorpusError, Score, by_group, read_corpus, score_group, weighted

HEADER = (
    f"{'groupe':<28} {'n':>7} {'labels':>6} {'thèmes':>6} {'NMI':>6} {'ARI':>6} {'NMI-m':>6} {'ARI-m':>6} {'temps':>9}"
)


def line(score: Score) -> str:
    return (
        f"{score.group[:28]:<28} {score.size:>7} {score.labels:>6} {score.themes:>6} {score.nmi:>6.3f} "
        f"{score.ari:>6.3f} {score.nmi_multi:>6.3f} {score.ari_multi:>6.3f} {score.seconds:>8.2f}s"
    )


class Command(BaseCommand):
    help = "Mesure l'accord des thèmes de la synthèse avec des labels humains (CSV : id, text, label, group)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("corpus", help="fichier CSV en UTF-8 : id, text, label (« a;b » : plusieurs), group")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--method", default=DEFAULT, choices=METHODS)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["corpus"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Impossible de lire {path} : {exc.strerror}.") from None
        try:
            rows, skipped = read_corpus(data)
        except CorpusError as exc:
            raise CommandError(str(exc)) from None
        if skipped:
            self.stderr.write(f"{skipped} ligne(s) sans texte ou sans label ignorée(s).")
        self.stdout.write(HEADER)
        scores = []
        for name, group in sorted(by_group(rows).items()):
            score = score_group(name, group, method=options["method"], seed=options["seed"])
            scores.append(score)
            self.stdout.write(line(score))
        self.stdout.write(line(weighted(scores)))
