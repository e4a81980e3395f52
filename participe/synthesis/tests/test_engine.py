"""The method: deterministic, French words, themes with labels and representatives, and the edge cases of bad
input (no words, one huge text, a forced number of themes)."""

from __future__ import annotations

from participe.synthesis.engine import NOISE, method
from participe.synthesis.engine.french import MAX_CHARS, analyse, words
from participe.synthesis.tests.conftest import TEXTS


def test_french_words_drop_elisions_and_stop_words_and_keep_families_together():
    assert words("L'ombre des arbres, qu'on aime") == ["ombre", "arbres", "aime"]
    assert analyse("arbre")[0] == analyse("arbres")[0]


def test_it_finds_the_themes_of_a_small_set_and_is_deterministic():
    first = method().themes(TEXTS, seed=3)
    again = method().themes(TEXTS, seed=3)
    assert first.assignments == again.assignments and [t.label for t in first.themes] == [t.label for t in again.themes]
    trees = {first.assignments[i] for i in range(5)}
    parking = {first.assignments[i] for i in range(5, 10)}
    assert len(trees) == 1 and len(parking) == 1 and trees != parking
    labels = " ".join(t.label for t in first.themes)
    assert "arbres" in labels and "stationnement" in labels
    for theme in first.themes:
        assert theme.representatives and all(
            first.assignments[i] == first.themes.index(theme) for i in theme.representatives
        )


def test_texts_without_words_are_noise_and_a_huge_text_weighs_like_a_long_one():
    texts = [*TEXTS, "!!!", "", "arbres " * 50_000]
    result = method().themes(texts)
    assert result.assignments[len(TEXTS)] == NOISE and result.assignments[len(TEXTS) + 1] == NOISE
    assert result.assignments[-1] != NOISE
    assert len(analyse("arbres " * 50_000)) <= MAX_CHARS


def test_a_forced_number_of_themes_and_too_few_texts():
    assert len(method().themes(TEXTS, n_themes=2).themes) == 2
    tiny = method().themes(["arbres", "ombre"])
    assert len(tiny.assignments) == 2
    assert method().themes([]).themes == []
