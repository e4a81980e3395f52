"""The votation's ballot schema, registered with the ballot service (``participe.ballots.schemas``).

Content of a valid ballot (option ids are the options' primary keys):

- single choice, yes/no, multiple choice: ``{"choices": [id, …]}`` — one id (single, yes/no), or between the
  question's minimum and maximum, each once (multiple);
- ranking: sent as ``{"ranks": {"<id>": 1, "<id>": 2, …}}`` (ranks from 1 without gaps or ties, at least the
  minimum ranked) or ``{"ranking": [id, id, …]}`` (best first); stored as ``{"ranking": [id, …]}``.

Paper codes are the options' numbers in the list: ``2`` (single, yes/no), ``1+3`` (multiple), ``3>1>2`` (ranking,
best first). Counting: ``choices`` (a vote per option listed) or ``ranking`` (a ballot ranking r options gives r
points to its first … 1 to its last; its first is also counted as a first preference), as the recount script does.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participe.ballots.models import Election, RollEntry
from participe.modules.votation.models import Option, Question

SCHEMA_KEY = "votation.question"


def question_of(election: Any) -> Question:
    """The question of an election with its options, read in one query (kept on the election for the request)."""
    cached = election.__dict__.get("_votation_question")
    if cached is None:
        options = list(
            Option.objects.select_related("question").filter(question__election=election).order_by("position", "pk")
        )
        cached = options[0].question if options else Question.objects.get(election=election)
        cached.__dict__["_ordered_options"] = options
        election.__dict__["_votation_question"] = cached
    return cached  # type: ignore[no-any-return]


# The questions of elections whose question can no longer change (someone voted, or the vote is no longer open:
# ``services.is_locked``), by (election id, election creation time): validating a ballot needs no query for them.
_frozen: dict[tuple[int, Any], Question] = {}
FROZEN_KEPT = 512


def frozen_question(election: Any) -> Question:
    """``question_of``, kept by the process once the question is fixed for good: the services refuse any change to
    the wording, the kind, the numbers of choices and the options once someone has voted or the vote is no longer
    open (``services.is_locked``), so the kept copy cannot go stale. Read as ``question_of`` until then."""
    key = (election.pk, election.created_at)
    kept = _frozen.get(key)
    if kept is not None:
        election.__dict__.setdefault("_votation_question", kept)
        return kept
    question = question_of(election)
    if _is_fixed(election):
        if len(_frozen) >= FROZEN_KEPT:
            _frozen.clear()
        _frozen[key] = question
    return question


def _is_fixed(election: Any) -> bool:
    if election.status != Election.Status.OPEN:
        return True
    return RollEntry.objects.filter(election_id=election.pk).exists()


def options_of(question: Question) -> list[Option]:
    """The options in their order (the paper codes are their numbers)."""
    known = question.__dict__.get("_ordered_options")
    if known is not None:
        return list(known)
    return sorted(question.options.all(), key=lambda o: (o.position, o.pk))


def maximum(question: Question) -> int:
    count = len(options_of(question))
    if question.kind == Question.Kind.MULTIPLE:
        return min(question.max_choices or count, count)
    if question.kind == Question.Kind.RANKING:
        return count
    return 1


def minimum(question: Question) -> int:
    if question.kind in (Question.Kind.MULTIPLE, Question.Kind.RANKING):
        return max(1, min(question.min_choices, maximum(question)))
    return 1


class QuestionSchema:
    """Validates, reads from paper, shows and counts the ballots of a votation question."""

    def describe(self, election: Any) -> dict[str, Any]:
        question = question_of(election)
        return {
            "module": "votation",
            "kind": question.kind,
            "question": question.text,
            "method": "ranking" if question.kind == Question.Kind.RANKING else "choices",
            "min": minimum(question),
            "max": maximum(question),
            "options": [
                {"id": o.pk, "code": str(n), "title": o.title} for n, o in enumerate(options_of(question), start=1)
            ],
        }

    def validate(self, election: Any, content: Any) -> dict[str, Any]:
        question = frozen_question(election)
        if question.kind == Question.Kind.RANKING:
            return {"ranking": _checked_ranking(question, content)}
        return {"choices": _checked_choices(question, content)}

    def parse_paper(self, election: Any, code: str) -> dict[str, Any]:
        question = question_of(election)
        by_code = {str(n): o.pk for n, o in enumerate(options_of(question), start=1)}
        if question.kind == Question.Kind.RANKING:
            parts = [p for p in re.split(r"\s*>\s*", code.strip()) if p]
            return self.validate(election, {"ranking": [by_code.get(p, p) for p in parts]})
        parts = [p for p in re.split(r"[\s+,;]+", code.strip()) if p]
        return self.validate(election, {"choices": [by_code.get(p, p) for p in parts]})

    def paper_legend(self, election: Any) -> list[tuple[str, str]]:
        return [(str(n), o.title) for n, o in enumerate(options_of(question_of(election)), start=1)]

    def display(self, election: Any, content: dict[str, Any]) -> str:
        titles = {o.pk: o.title for o in options_of(question_of(election))}
        if "ranking" in content:
            return ", ".join(f"{n}. {titles.get(i, '?')}" for n, i in enumerate(content["ranking"], start=1))
        return ", ".join(titles.get(i, "?") for i in content.get("choices", []))

    def counter(self, election: Any) -> _Count:
        question = question_of(election)
        return _Count(options_of(question), ranking=question.kind == Question.Kind.RANKING)


def _ids(question: Question) -> set[int]:
    return {o.pk for o in options_of(question)}


def _as_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _checked_choices(question: Question, content: Any) -> list[int]:
    raw = content.get("choices") if isinstance(content, dict) else None
    if not isinstance(raw, list) or not raw:
        message = _("Choisissez une réponse.") if maximum(question) == 1 else _("Choisissez au moins une option.")
        raise ValidationError({"choices": [message]})
    chosen = [_as_id(v) for v in raw]
    if any(c is None or c not in _ids(question) for c in chosen):
        raise ValidationError({"choices": [_("Une des options choisies n'existe pas dans cette votation.")]})
    if len(set(chosen)) != len(chosen):
        raise ValidationError({"choices": [_("Une même option est choisie deux fois.")]})
    low, high = minimum(question), maximum(question)
    if len(chosen) > high:
        message = (
            _("Choisissez une seule réponse.")
            if high == 1
            else _("Choisissez au plus %(max)s options (vous en avez choisi %(n)s).") % {"max": high, "n": len(chosen)}
        )
        raise ValidationError({"choices": [message]})
    if len(chosen) < low:
        raise ValidationError(
            {
                "choices": [
                    _("Choisissez au moins %(min)s options (vous en avez choisi %(n)s).")
                    % {"min": low, "n": len(chosen)}
                ]
            }
        )
    return [c for c in chosen if c is not None]


def _ranks(content: Any) -> dict[int | None, Any] | None:
    """The ranks sent, by option id: from ``{"ranks": {id: rank}}`` or ``{"ranking": [id, …]}``."""
    if not isinstance(content, dict):
        return None
    if isinstance(content.get("ranking"), list):
        listed = [_as_id(v) for v in content["ranking"]]
        if len(set(listed)) != len(listed):
            raise ValidationError({"ranking": [_("Une même option est classée deux fois.")]})
        return {option: place for place, option in enumerate(listed, start=1)}
    if isinstance(content.get("ranks"), dict):
        return {_as_id(k): v for k, v in content["ranks"].items() if v not in (None, "", 0, "0")}
    return None


def _checked_ranking(question: Question, content: Any) -> list[int]:
    ranks = _ranks(content)
    if not ranks:
        raise ValidationError({"ranking": [_("Classez les options : 1 pour votre préférée, puis 2, 3…")]})
    if any(option is None or option not in _ids(question) for option in ranks):
        raise ValidationError({"ranking": [_("Une des options classées n'existe pas dans cette votation.")]})
    places = [_as_id(r) for r in ranks.values()]
    if any(p is None or p < 1 for p in places):
        raise ValidationError({"ranking": [_("Un rang est un nombre entier à partir de 1.")]})
    counts = Counter(places)
    tied = sorted(p for p, n in counts.items() if n > 1 and p is not None)
    if tied:
        raise ValidationError({"ranking": [_("Deux options ont le même rang (%(rank)s).") % {"rank": tied[0]}]})
    missing = [p for p in range(1, len(places) + 1) if p not in counts]
    if missing:
        raise ValidationError(
            {"ranking": [_("Le classement a un trou : le rang %(rank)s manque.") % {"rank": missing[0]}]}
        )
    if len(places) < minimum(question):
        raise ValidationError({"ranking": [_("Classez au moins %(min)s options.") % {"min": minimum(question)}]})
    return [option for option, _place in sorted(ranks.items(), key=lambda item: _as_id(item[1]) or 0) if option]


class _Count:
    """Votes (or points and first preferences) per option, over the valid ballots."""

    def __init__(self, options: list[Option], *, ranking: bool) -> None:
        self.options = options
        self.ranking = ranking
        self.votes: Counter[int] = Counter()
        self.points: Counter[int] = Counter()
        self.ballots = 0

    def add(self, content: dict[str, Any], count: int = 1) -> None:
        self.ballots += count
        if self.ranking:
            ranking = content["ranking"]
            for place, option in enumerate(ranking):
                self.points[option] += (len(ranking) - place) * count
            if ranking:
                self.votes[ranking[0]] += count
            return
        for option in content["choices"]:
            self.votes[option] += count

    def result(self) -> dict[str, Any]:
        lines = []
        for option in self.options:
            line: dict[str, Any] = {"id": option.pk, "title": option.title, "votes": self.votes.get(option.pk, 0)}
            if self.ranking:
                line["points"] = self.points.get(option.pk, 0)
            lines.append(line)
        return {"valid": self.ballots, "options": lines}
