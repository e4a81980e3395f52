"""Benchmark: what each step of the synthesis' method brings to its agreement with human labels (issue #16).

Usage (from the project root):

    nice .venv/bin/python bench/synthesis_variants.py                     # the repository's labelled corpus
    nice .venv/bin/python bench/synthesis_variants.py CORPUS.csv --seeds 5

Each variant runs on each group of the corpus (``manage.py synthesis_eval``'s format and its scoring) for several
seeds, and the table gives, per group and weighted by the groups' sizes, the mean NMI and ARI over the seeds: one
seed's luck (k-means' start, the silhouette's sample) moves a small group's ARI by ±0.05, more than most of the
differences between variants. The last lines choose, for each group held out, the variant that scores best on the
other groups (NMI + ARI), and show its score on the held-out group beside the former method's: a choice that only
fits one group would show there.

The variants are the method itself with a step switched off (``LexicalMethod(char_ngrams=..., consensus_runs=...)``),
the sentence encoder added (``SemanticMethod``, decision 0043)
and other ways of grouping the same vectors (agglomerative clustering with average cosine linkage, spectral
clustering on a graph of nearest neighbours), the number of themes being chosen the same way for all.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")

CORPUS = ROOT / "participe" / "synthesis" / "corpus" / "lumerac.csv"


def variants() -> dict[str, Callable[[list[str], int], list[int]]]:
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering, SpectralClustering
    from threadpoolctl import threadpool_limits

    from participe.synthesis.engine import NOISE
    from participe.synthesis.engine.lexical import LexicalMethod, _choose_k
    from participe.synthesis.engine.semantic import SemanticMethod

    def engine(**options: object) -> Callable[[list[str], int], list[int]]:
        def run(texts: list[str], seed: int) -> list[int]:
            return LexicalMethod(**options).themes(texts, seed=seed).assignments  # type: ignore[arg-type]

        return run

    def semantic(**options: object) -> Callable[[list[str], int], list[int]]:
        def run(texts: list[str], seed: int) -> list[int]:
            return SemanticMethod(**options).themes(texts, seed=seed).assignments  # type: ignore[arg-type]

        return run

    def other(make: Callable[[int, int], object]) -> Callable[[list[str], int], list[int]]:
        def run(texts: list[str], seed: int) -> list[int]:
            with threadpool_limits(limits=1):
                kept, _, _, vectors = LexicalMethod(consensus_runs=0).vectors(texts, seed=seed)
                k, _ = _choose_k(vectors, seed)
                labels = make(k, seed).fit_predict(vectors)  # type: ignore[attr-defined]
            found = [NOISE] * len(texts)
            for index, label in zip(kept, np.asarray(labels).tolist(), strict=True):
                found[index] = label
            return found

        return run

    return {
        "mots, k-means (méthode de 0025)": engine(char_ngrams=False, consensus_runs=0),
        "mots, consensus": engine(char_ngrams=False),
        "mots + n-grammes, k-means": engine(consensus_runs=0),
        "mots + n-grammes, consensus (0034)": engine(),
        "+ phrases (USE), k-means": semantic(consensus_runs=0),
        "+ phrases (USE), consensus (retenue, 0043)": semantic(),
        "mots + n-grammes, agglomératif": other(
            lambda k, seed: AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average")
        ),
        "mots + n-grammes, spectral": other(
            lambda k, seed: SpectralClustering(
                n_clusters=k,
                affinity="nearest_neighbors",
                n_neighbors=10,
                random_state=seed,
                assign_labels="cluster_qr",
            )
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(CORPUS))
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from participe.synthesis.evaluation import by_group, read_corpus

    rows, _ = read_corpus(Path(args.corpus).read_bytes())
    groups = sorted(by_group(rows).items())
    sizes = {name: len(group) for name, group in groups}
    table: dict[str, dict[str, tuple[float, float]]] = {}
    width = max(len(name) for name, _ in groups)
    print(f"{'variante':<44}" + "".join(f" {name[:width]:>{width}}" for name, _ in groups) + f" {'pondéré':>13}  temps")
    for variant, run in variants().items():
        started = time.perf_counter()
        scores: dict[str, tuple[float, float]] = {}
        for name, group in groups:
            texts, truth = [r.text for r in group], [r.labels[0] for r in group]
            nmi = ari = 0.0
            for seed in range(args.seeds):
                found = run(texts, seed)
                nmi += normalized_mutual_info_score(truth, found) / args.seeds
                ari += adjusted_rand_score(truth, found) / args.seeds
            scores[name] = (nmi, ari)
        total = sum(sizes.values())
        scores["*"] = (
            sum(scores[n][0] * sizes[n] for n in sizes) / total,
            sum(scores[n][1] * sizes[n] for n in sizes) / total,
        )
        table[variant] = scores
        cells = "".join(f" {scores[n][0]:.3f} / {scores[n][1]:.3f}".rjust(width + 1) for n, _ in groups)
        print(f"{variant:<44}{cells} {scores['*'][0]:.3f} / {scores['*'][1]:.3f}  {time.perf_counter() - started:.1f}s")
    if len(groups) > 2:
        former = next(iter(table))
        print("\ngroupe écarté : variante choisie sur les autres groupes → son score sur le groupe écarté (ancienne)")
        for held, _ in groups:

            def on_others(variant: str, held: str = held) -> float:
                others = [n for n in sizes if n != held]
                return sum(sum(table[variant][n]) * sizes[n] for n in others) / sum(sizes[n] for n in others)

            chosen = max(table, key=on_others)
            nmi, ari = table[chosen][held]
            print(
                f"{held}: {chosen} → {nmi:.3f} / {ari:.3f} "
                f"(ancienne {table[former][held][0]:.3f} / {table[former][held][1]:.3f})"
            )
    print("\nplafond supervisé : régression logistique sur les mêmes vecteurs, validation croisée en 3 parts")
    print("(la part des contributions dont le label est retrouvé quand les autres labels sont connus)")
    for name, group in groups:
        texts, truth = [r.text for r in group], [r.labels[0] for r in group]
        print(f"{name}: mots + n-grammes {ceiling(texts, truth, 'lexical'):.2f}, + phrases {ceiling(texts, truth):.2f}")


def ceiling(texts: list[str], truth: list[str], key: str = "semantic") -> float:
    """How well the labels can be told apart from these vectors at all, when a classifier learns them."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from participe.synthesis.engine.lexical import LexicalMethod
    from participe.synthesis.engine.semantic import SemanticMethod

    kind = SemanticMethod if key == "semantic" else LexicalMethod
    kept, _, _, vectors = kind().vectors(texts, seed=0)
    labels = [truth[i] for i in kept]
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    return float(cross_val_score(LogisticRegression(C=10, max_iter=2000), vectors, labels, cv=folds).mean())


if __name__ == "__main__":
    main()
