"""Ballot schemas: the owning module says what a ballot may contain and how ballots are counted.

The ballot service stores a ballot's content as JSON and never reads it: it validates every ballot through the
schema its election names, and hands the valid ballots to the schema's counter at counting. A module registers its
schemas at start-up (``register(key, schema)`` in its ``AppConfig.ready()``); an election names one by key (stored:
treat keys like migrations).

A schema answers, for an election:

- ``describe(election)``: a JSON description published with the results and in the tally file (the options, the
  rules, and ``method``: how the documented recount script counts, e.g. ``"choices"`` or ``"ranking"``);
- ``validate(election, content)``: the content normalised, or ``ValidationError`` with a message per field
  (``{"choices": ["…"]}``): the page shows each next to its field, the API answers 422 with the same words;
- ``parse_paper(election, code)``: the content of a paper ballot from the code an agent types (``"2"``, ``"1+3"``);
- ``paper_legend(election)``: the codes, for the typing screen;
- ``display(election, content)``: the ballot in words (« Tilleul », « 1. Platane, 2. Érable »), for its receipt;
- ``counter(election)``: an object with ``add(content, count)`` and ``result() -> dict``, fed each distinct valid
  ballot with the number of identical ones;
- optionally ``refusal(election, user) -> str | None``: why this signed-in voter may not vote in this election
  beyond the module's eligibility rule (a budget envelope of a quartier admits its residents only), or None;
- optionally ``place_refusal(election, territory_ids) -> str | None``: the same rule for a person an agent found at a
  polling station by the census or documents (where they live: a set of territory ids), with the same message.
"""

from __future__ import annotations

from typing import Any, Protocol


class Counter(Protocol):
    def add(self, content: dict[str, Any], count: int = 1) -> None: ...

    def result(self) -> dict[str, Any]: ...


class BallotSchema(Protocol):
    def describe(self, election: Any) -> dict[str, Any]: ...

    def validate(self, election: Any, content: Any) -> dict[str, Any]: ...

    def parse_paper(self, election: Any, code: str) -> dict[str, Any]: ...

    def paper_legend(self, election: Any) -> list[tuple[str, str]]: ...

    def display(self, election: Any, content: dict[str, Any]) -> str: ...

    def counter(self, election: Any) -> Counter: ...


_schemas: dict[str, BallotSchema] = {}


def register(key: str, schema: BallotSchema) -> BallotSchema:
    """Make ``schema`` available to elections under ``key`` (a module calls it in its ``AppConfig.ready()``)."""
    _schemas[key] = schema
    return schema


def get(key: str) -> BallotSchema:
    """The schema registered under ``key``; ``LookupError`` when no installed module provides it."""
    try:
        return _schemas[key]
    except KeyError:
        raise LookupError(f"No ballot schema is registered under {key!r}.") from None


def keys() -> list[str]:
    return sorted(_schemas)
