"""A ballot schema for the service's own tests (the platform's tests never import a module): choose one of three
options, typed on paper as 1, 2 or 3, counted with the recount script's ``choices`` method."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError

from participe.ballots import schemas

OPTIONS = {"1": "Tilleul", "2": "Platane", "3": "Érable"}
KEY = "test.one-of-three"


class OneOfThree:
    def describe(self, election: Any) -> dict[str, Any]:
        return {
            "method": "choices",
            "min": 1,
            "max": 1,
            "options": [{"id": k, "title": v} for k, v in OPTIONS.items()],
        }

    def validate(self, election: Any, content: Any) -> dict[str, Any]:
        choices = content.get("choices") if isinstance(content, dict) else None
        if not isinstance(choices, list) or len(choices) != 1:
            raise ValidationError({"choices": ["Choisissez une option."]})
        if choices[0] not in OPTIONS:
            raise ValidationError({"choices": ["Cette option n'existe pas."]})
        return {"choices": [choices[0]]}

    def parse_paper(self, election: Any, code: str) -> dict[str, Any]:
        return self.validate(election, {"choices": [code]})

    def paper_legend(self, election: Any) -> list[tuple[str, str]]:
        return list(OPTIONS.items())

    def display(self, election: Any, content: dict[str, Any]) -> str:
        return ", ".join(OPTIONS[c] for c in content["choices"])

    def counter(self, election: Any) -> Any:
        return _Count()


class _Count:
    def __init__(self) -> None:
        self.votes: Counter[str] = Counter()

    def add(self, content: dict[str, Any], count: int = 1) -> None:
        for choice in content["choices"]:
            self.votes[choice] += count

    def result(self) -> dict[str, Any]:
        return {"options": [{"id": k, "votes": self.votes.get(k, 0)} for k in OPTIONS]}


schemas.register(KEY, OneOfThree())
