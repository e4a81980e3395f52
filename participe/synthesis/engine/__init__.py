"""How themes are found in a set of texts: one interface, swappable methods (decision 0025).

A method takes the texts of a set of contributions and returns, for each, the theme it belongs to (or ``NOISE``),
and for each theme a short label, its key words and its representative contributions. It runs locally, offline and
deterministically for a given seed; it never reads the database (``participe.synthesis.services`` does, and stores
what it returns), so ``manage.py synthesis_eval`` measures exactly what the agents get.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

NOISE = -1  # a contribution no theme takes (no words to go by)
DEFAULT = "semantic"  # decision 0043; "lexical" (decisions 0025, 0034) stays selectable
METHODS = ("semantic", "lexical")


@dataclass
class FoundTheme:
    label: str  # a few words saying what the theme is about, in the contributions' own words
    keywords: list[str]  # the words that set it apart, most distinctive first
    representatives: list[int]  # indices of its most typical contributions, most typical first


@dataclass
class Themes:
    assignments: list[int]  # per text: the index of its theme in ``themes``, or NOISE
    themes: list[FoundTheme] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)  # per text: how typical of its theme (1: its centre), 0 for noise
    note: str = ""  # how the number of themes was chosen, for the method's paragraph
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step (the benchmark prints them)


class Method(Protocol):
    key: str

    def themes(self, texts: Sequence[str], *, seed: int = 0, n_themes: int | None = None) -> Themes:
        """Group ``texts`` into themes; ``n_themes`` forces their number (a split in two), else the method chooses."""
        ...


def method(key: str = DEFAULT) -> Method:
    """The method named ``key``: « semantic » (the default: French stems, character n-grams and a multilingual
    sentence encoder shipped by a PyPI package, then k-means) or « lexical » (the same without the encoder)."""
    from participe.synthesis.engine.lexical import LexicalMethod
    from participe.synthesis.engine.semantic import SemanticMethod

    methods: dict[str, type] = {"lexical": LexicalMethod, "semantic": SemanticMethod}
    if key not in methods:
        raise KeyError(key)
    return methods[key]()
