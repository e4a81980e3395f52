"""The default method: French stems and character n-grams, TF-IDF, latent semantic analysis, k-means with the number
of themes chosen by the silhouette of a sample, made steadier by a consensus of runs (decisions 0025, 0034).
scikit-learn and PyStemmer only: no model, nothing downloaded.

1. Each text becomes its stems and pairs of neighbouring stems (``french.analyse``), weighed by TF-IDF (sublinear,
   terms in at least two texts and at most half of them); and, beside them, the character n-grams (3 to 5 letters,
   inside words) of its content words, weighed the same way. Both blocks are normalised and count equally: n-grams
   bring together the words a stemmer keeps apart (« cyclable » and « cyclistes », « végétaliser » and
   « végétation », a typing mistake), which short texts need since they share few words.
2. Latent semantic analysis (truncated SVD, one dimension per five texts, 10 to 100) brings together texts that say the same thing in
   other words (« arbres » and « ombre » come together); vectors are normalised (cosine).
3. The number of themes: for each candidate k (2 up to about √n, at most ``MAX_THEMES``), k-means on a sample of at
   most ``SAMPLE`` texts, and the mean silhouette of that sample; the best k wins (ties: the smaller).
4. Up to ``CONSENSUS_MAX`` texts, ``CONSENSUS_RUNS`` runs of k-means from different starts, and the themes are the
   groups that the runs agree on (how often two texts fall together, cut by average linkage): one run's chance start
   no longer decides a small consultation's themes. Beyond, k-means on every text (mini-batches beyond
   ``FULL_KMEANS`` texts), so that memory and time stay bounded.
5. Each theme's key words are the terms most over-represented in it (class TF-IDF); its label the first three,
   as people wrote them; its representatives the texts nearest to its centre.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from participe.synthesis.engine import NOISE, FoundTheme, Themes
from participe.synthesis.engine.french import Surface, pairs, stems, words

MAX_THEMES = 30
CHAR_NGRAMS = (3, 5)
CHAR_FEATURES = 100_000  # the most frequent n-grams kept
CHAR_SAMPLE = 20_000  # texts the n-grams and their weights are learnt from
CHUNK = 10_000  # rows made at a time
CONSENSUS_MAX = 2_000  # the co-occurrence matrix is n × n
CONSENSUS_RUNS = 20
SAMPLE = 2_000
FULL_KMEANS = 20_000
DIMENSIONS = 100
MIN_DIMENSIONS = 10
REPRESENTATIVES = 5


def _identity(terms: list[str]) -> list[str]:
    return terms


class LexicalMethod:
    key = "lexical"

    def __init__(self, *, char_ngrams: bool = True, consensus_runs: int = CONSENSUS_RUNS) -> None:
        # The switches exist for bench/synthesis_variants.py, which measures what each step brings.
        self.char_ngrams = char_ngrams
        self.consensus_runs = consensus_runs

    def themes(self, texts: Sequence[str], *, seed: int = 0, n_themes: int | None = None) -> Themes:
        # One thread: a worker beside the web processes on a small server, where parallel BLAS and OpenMP threads
        # spin against the others (measured: docs/benchmarks.md, « Synthesis »).
        with threadpool_limits(limits=1):
            return self._themes(texts, seed=seed, n_themes=n_themes)

    def vectors(self, texts: Sequence[str], *, seed: int = 0) -> tuple[list[int], Any, np.ndarray, np.ndarray]:
        """The texts that have words (their indices), their word TF-IDF matrix and vocabulary, and their vectors."""
        tokens = [words(t) for t in texts]
        kept = [i for i, found in enumerate(tokens) if found]
        if len(kept) < 2:
            return kept, None, np.array([]), np.zeros((len(kept), 0), dtype=np.float32)
        analysed = []
        for i in kept:
            found = stems(tokens[i])
            analysed.append(found + pairs(found))
        matrix, vocabulary = _tfidf(analysed, len(kept))
        del analysed
        rows = np.asarray(matrix.getnnz(axis=1)).ravel() > 0
        kept = [i for i, ok in zip(kept, rows, strict=True) if ok]
        matrix = matrix[rows]
        if len(kept) < 2:
            return kept, matrix, vocabulary, np.zeros((len(kept), 0), dtype=np.float32)
        combined = normalize(matrix)
        if self.char_ngrams:
            combined = _with_characters(combined, [" ".join(tokens[i]) for i in kept], seed)
        del tokens
        return kept, matrix, vocabulary, _lsa(combined, seed)

    def _themes(self, texts: Sequence[str], *, seed: int, n_themes: int | None) -> Themes:
        clock = _Clock()
        kept, matrix, vocabulary, vectors = self.vectors(texts, seed=seed)
        clock.lap("vectors")
        if len(kept) < 2:
            return _all_noise(len(texts))
        k, note = (n_themes, "") if n_themes else _choose_k(vectors, seed)
        k = max(1, min(k, len(kept)))
        clock.lap("choose_k")
        if 1 < k < len(kept) and len(kept) <= CONSENSUS_MAX and self.consensus_runs > 1:
            labels, centres = _consensus(vectors, k, seed, self.consensus_runs)
        else:
            labels, centres = _kmeans(vectors, k, seed)
        clock.lap("kmeans")
        result = _describe(texts, kept, matrix, vocabulary, vectors, labels, centres, note)
        clock.lap("describe")
        result.timings = clock.laps
        return result


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 3)
        self.last = now


def _all_noise(n: int) -> Themes:
    return Themes(assignments=[NOISE] * n, themes=[], scores=[0.0] * n, note="")


def _tfidf(analysed: list[list[str]], n: int) -> tuple[Any, np.ndarray]:
    vectorizer = TfidfVectorizer(
        analyzer=_identity,
        min_df=2 if n >= 20 else 1,
        max_df=0.5 if n >= 20 else 1.0,
        sublinear_tf=True,
        dtype=np.float32,
        max_features=200_000,
    )
    try:
        matrix = vectorizer.fit_transform(analysed)
    except ValueError:  # every term pruned (tiny sets of identical texts): keep them all
        vectorizer.set_params(min_df=1, max_df=1.0)
        matrix = vectorizer.fit_transform(analysed)
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def _with_characters(words: Any, content: list[str], seed: int) -> Any:
    """``words`` (normalised rows) beside the normalised TF-IDF of the character n-grams of ``content`` (``char_wb``:
    inside words, padded by spaces). The n-grams and their weights are learnt from a sample of at most
    ``CHAR_SAMPLE`` texts and the rows made by chunks, so that memory stays bounded at 100,000 texts."""
    n = len(content)
    vectorizer = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=CHAR_NGRAMS,
        lowercase=False,  # already folded
        min_df=2 if n >= 20 else 1,
        max_df=0.5 if n >= 20 else 1.0,
        sublinear_tf=True,
        dtype=np.float32,
        max_features=CHAR_FEATURES,
    )
    if n > CHAR_SAMPLE:
        sample = np.sort(np.random.default_rng(seed).choice(n, CHAR_SAMPLE, replace=False))
        learnt_from = [content[i] for i in sample]
    else:
        learnt_from = content
    try:
        vectorizer.fit(learnt_from)
    except ValueError:  # every n-gram pruned (a few identical texts): the words alone
        return words
    blocks = []
    for start in range(0, n, CHUNK):
        characters = normalize(vectorizer.transform(content[start : start + CHUNK]))
        blocks.append(sp.hstack([words[start : start + CHUNK], characters], format="csr"))
    return sp.vstack(blocks, format="csr")


def _lsa(matrix: Any, seed: int) -> np.ndarray:
    rows, columns = matrix.shape
    # Few texts share few words: fewer dimensions keep only the strongest associations (about one per 5 texts).
    dimensions = min(DIMENSIONS, max(MIN_DIMENSIONS, rows // 5), columns - 1, rows - 1)
    if dimensions < 2:
        return normalize(matrix.toarray())
    svd = TruncatedSVD(n_components=dimensions, random_state=seed, n_iter=7)
    return normalize(svd.fit_transform(matrix).astype(np.float32))


def _choose_k(vectors: np.ndarray, seed: int) -> tuple[int, str]:
    n = len(vectors)
    top = min(MAX_THEMES, max(2, round(math.sqrt(n))), n - 1)
    if top < 2:
        return 1, ""
    rng = np.random.default_rng(seed)
    sample = vectors if n <= SAMPLE else vectors[rng.choice(n, SAMPLE, replace=False)]
    best, best_score = 2, -2.0
    for k in range(2, top + 1):
        labels = KMeans(n_clusters=k, n_init=2, random_state=seed).fit_predict(sample)
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(sample, labels, metric="cosine", random_state=seed))
        if score > best_score + 1e-9:
            best, best_score = k, score
    return best, f"k={best} (silhouette {best_score:.3f} among 2–{top})"


def _kmeans(vectors: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    if k == 1:
        return np.zeros(len(vectors), dtype=int), normalize(vectors.mean(axis=0, keepdims=True))
    if len(vectors) > FULL_KMEANS:
        model: KMeans | MiniBatchKMeans = MiniBatchKMeans(
            n_clusters=k, random_state=seed, batch_size=4096, n_init=3, max_no_improvement=20
        )
    else:
        model = KMeans(n_clusters=k, n_init=5, random_state=seed)
    labels = model.fit_predict(vectors)
    return labels, normalize(model.cluster_centers_)


def _consensus(vectors: np.ndarray, k: int, seed: int, runs: int) -> tuple[np.ndarray, np.ndarray]:
    """The groups most k-means runs agree on: average linkage on how often two texts fall in one group."""
    starts = np.random.default_rng(seed).integers(0, 2**31 - 1, size=runs)
    together = np.zeros((len(vectors), len(vectors)), dtype=np.float32)
    for start in starts:
        labels = KMeans(n_clusters=k, n_init=1, random_state=int(start)).fit_predict(vectors)
        together += labels[:, None] == labels[None, :]
    distance = 1.0 - together / runs
    del together
    labels = AgglomerativeClustering(n_clusters=k, metric="precomputed", linkage="average").fit_predict(distance)
    centres = normalize(np.vstack([vectors[labels == c].mean(axis=0) for c in range(k)]))
    return labels, centres


def _keywords(matrix: Any, members: np.ndarray, overall: np.ndarray, vocabulary: np.ndarray) -> list[str]:
    inside = np.asarray(matrix[members].mean(axis=0)).ravel()
    weight = inside * np.log1p(inside / (overall + 1e-9))
    order = np.argsort(-weight, kind="stable")[:12]
    chosen: list[str] = []
    for index in order:
        term = str(vocabulary[index])
        if weight[index] <= 0:
            break
        if any(term in c.split(" ") or c in term.split(" ") for c in chosen):
            continue  # « arbr » after « arbr ombr »: one word once
        chosen.append(term)
        if len(chosen) == 6:
            break
    return chosen


def _describe(
    texts: Sequence[str],
    kept: list[int],
    matrix: Any,
    vocabulary: np.ndarray,
    vectors: np.ndarray,
    labels: np.ndarray,
    centres: np.ndarray,
    note: str,
) -> Themes:
    assignments = [NOISE] * len(texts)
    scores = [0.0] * len(texts)
    closeness = np.einsum("ij,ij->i", vectors, centres[labels])
    overall = np.asarray(matrix.mean(axis=0)).ravel()
    surface = Surface()
    themes: list[FoundTheme] = []
    order = sorted(set(labels.tolist()), key=lambda c: (-int((labels == c).sum()), c))  # biggest first
    for number, cluster in enumerate(order):
        members = np.flatnonzero(labels == cluster)
        for m in members:
            assignments[kept[m]] = number
            scores[kept[m]] = round(float(closeness[m]), 4)
        best = members[np.argsort(-closeness[members], kind="stable")][: REPRESENTATIVES * 4]
        for m in best:
            surface.add(texts[kept[m]])
        terms = _keywords(matrix, members, overall, vocabulary)
        shown = [surface.show(t) for t in terms]
        representatives = _representatives(texts, [kept[m] for m in best])
        themes.append(FoundTheme(label=", ".join(shown[:3]) or "—", keywords=shown, representatives=representatives))
    return Themes(assignments=assignments, themes=themes, scores=scores, note=note)


def _representatives(texts: Sequence[str], nearest: list[int]) -> list[int]:
    """The nearest texts, those of a readable length (30 to 600 characters) first."""
    readable = [i for i in nearest if 30 <= len(texts[i].strip()) <= 600]
    rest = [i for i in nearest if i not in readable]
    return (readable + rest)[:REPRESENTATIVES]
