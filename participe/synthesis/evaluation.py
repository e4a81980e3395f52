"""Agreement of the themes with human labels (``manage.py synthesis_eval CORPUS.csv``, docs/restitution.md).

The corpus is a CSV file in UTF-8 with the columns ``id``, ``text``, ``label`` and optionally ``group``; ``label``
may hold several labels separated by ``;`` or ``|``, the first being the main one. Each group (one question of a
consultation) is synthesised on its own by the same method the agents use, choosing its number of themes itself.

- **NMI** and **ARI** (scikit-learn: normalised mutual information, adjusted Rand index) compare the themes with
  the first label of each contribution.
- The **multi-label** variant gives each contribution, among its labels, the one its theme holds most often (the
  theme's majority among the labels of its members): a contribution about trees and benches put in the trees' theme
  counts as agreeing. With one label per contribution it equals the first.
- Contributions the method leaves out (no words) form one group of their own; rows without text are skipped and
  counted.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from participe.synthesis.engine import DEFAULT
from participe.synthesis.engine import method as get_method

SEPARATOR = re.compile(r"\s*[;|]\s*")
REQUIRED = ("id", "text", "label")


class CorpusError(ValueError):
    """The corpus cannot be read: the message says why, in the user's words."""


@dataclass
class Row:
    id: str
    text: str
    labels: list[str]
    group: str


@dataclass
class Score:
    group: str
    size: int
    labels: int
    themes: int
    nmi: float
    ari: float
    nmi_multi: float
    ari_multi: float
    seconds: float


def read_corpus(data: bytes) -> tuple[list[Row], int]:
    """The rows of a corpus file and how many were skipped for want of a text or a label."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"Le fichier n'est pas en UTF-8 (octet illisible à la position {exc.start}) : "
            "enregistrez-le en « CSV UTF-8 »."
        ) from None
    reader = csv.DictReader(io.StringIO(content, newline=""))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise CorpusError(f"Colonnes manquantes : {', '.join(missing)} (attendues : id, text, label, group).")
    rows: list[Row] = []
    skipped = 0
    for raw in reader:
        record = {(k or "").strip().lower(): (v or "") for k, v in raw.items() if isinstance(v, str)}
        labels = [lab for lab in SEPARATOR.split(record.get("label", "").strip()) if lab]
        text = record.get("text", "").strip()
        if not text or not labels:
            skipped += 1
            continue
        rows.append(Row(record.get("id", "").strip(), text, labels, record.get("group", "").strip() or "—"))
    if not rows:
        raise CorpusError("Le corpus ne contient aucune contribution avec un texte et un label.")
    return rows, skipped


def multi_label_truth(rows: list[Row], themes: list[int]) -> list[str]:
    """For each row, the one of its labels that its theme holds most often (its first label when none is shared)."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row, theme in zip(rows, themes, strict=True):
        counts[theme].update(row.labels)
    truth = []
    for row, theme in zip(rows, themes, strict=True):
        best = max(row.labels, key=lambda label: (counts[theme][label], label == row.labels[0]))
        truth.append(best)
    return truth


def score_group(name: str, rows: list[Row], *, method: str = DEFAULT, seed: int = 0) -> Score:
    started = time.perf_counter()
    result = get_method(method).themes([r.text for r in rows], seed=seed)
    seconds = time.perf_counter() - started
    found = result.assignments
    first = [r.labels[0] for r in rows]
    multi = multi_label_truth(rows, found)
    return Score(
        group=name,
        size=len(rows),
        labels=len(set(first)),
        themes=len(result.themes),
        nmi=float(normalized_mutual_info_score(first, found)),
        ari=float(adjusted_rand_score(first, found)),
        nmi_multi=float(normalized_mutual_info_score(multi, found)),
        ari_multi=float(adjusted_rand_score(multi, found)),
        seconds=seconds,
    )


def by_group(rows: Iterable[Row]) -> dict[str, list[Row]]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row.group].append(row)
    return dict(groups)


def weighted(scores: list[Score]) -> Score:
    total = sum(s.size for s in scores)

    def mean(name: str) -> float:
        return sum(getattr(s, name) * s.size for s in scores) / total

    return Score(
        group="ensemble (pondéré)",
        size=total,
        labels=sum(s.labels for s in scores),
        themes=sum(s.themes for s in scores),
        nmi=mean("nmi"),
        ari=mean("ari"),
        nmi_multi=mean("nmi_multi"),
        ari_multi=mean("ari_multi"),
        seconds=sum(s.seconds for s in scores),
    )
