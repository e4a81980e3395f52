"""Reads of the votation pages: the question with its options, what the visitor may do, the results laid out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from participe.ballots import selectors as ballots
from participe.ballots.models import Channel, Election
from participe.modules.votation.models import Option, Question
from participe.modules.votation.schema import options_of
from participe.organisation.models import Territory
from participe.spaces.models import Module


def question_of(module: Module) -> Question | None:
    """The module's question with its election and options (None until an agent writes it)."""
    return (
        Question.objects.select_related("election", "module__space")
        .prefetch_related("options")
        .filter(module=module)
        .first()
    )


@dataclass
class Line:
    """One option's figures in one group of ballots."""

    option: Option | None
    title: str
    votes: int
    share: float  # of the valid ballots (or of the points, for a ranking), 0..1
    points: int | None = None

    @property
    def percent(self) -> float:
        return round(self.share * 100, 1)


@dataclass
class Group:
    """The results of a group of ballots (everyone, a channel, a quartier), or only its size when too small."""

    key: str
    label: str
    ballots: int
    hidden: bool = False
    valid: int = 0
    blank: int = 0
    null: int = 0
    lines: list[Line] = field(default_factory=list)
    winner: Line | None = None


@dataclass
class Results:
    question: Question
    election: Election
    overall: Group
    channels: list[Group]
    territories: list[Group]
    signed: int
    turnout: float | None  # émargements / registered voters, 0..1
    threshold_met: bool | None  # None: no threshold
    ranking: bool


def _group(question: Question, key: str, label: str, data: dict[str, Any]) -> Group:
    if data.get("hidden"):
        return Group(key=key, label=label, ballots=data.get("ballots", 0), hidden=True)
    kinds = data.get("kinds", {})
    ranking = question.kind == Question.Kind.RANKING
    options = {o.pk: o for o in options_of(question)}
    raw = data.get("options", [])
    total = sum(line.get("points", 0) for line in raw) if ranking else data.get("valid", 0)
    lines = [
        Line(
            option=options.get(line["id"]),
            title=line.get("title", ""),
            votes=line["votes"],
            points=line.get("points"),
            share=((line.get("points", 0) if ranking else line["votes"]) / total) if total else 0.0,
        )
        for line in raw
    ]
    lines.sort(key=lambda line: (-((line.points or 0) if ranking else line.votes), line.title))
    winner = lines[0] if lines and total and (len(lines) < 2 or lines[0].share > lines[1].share) else None
    return Group(
        key=key,
        label=label,
        ballots=data.get("ballots", 0),
        valid=kinds.get("valid", 0),
        blank=kinds.get("blank", 0),
        null=kinds.get("null", 0),
        lines=lines,
        winner=winner,
    )


def results(question: Question) -> Results | None:
    """The counted results of the question laid out for the page (None before the count)."""
    election = question.election
    if election is None or not election.is_counted:
        return None
    data = election.results
    channel_names = dict(Channel.choices)
    territory_names = dict(
        Territory.objects.filter(pk__in=[k for k in data.get("by_territory", {}) if k.isdigit()]).values_list(
            "pk", "name"
        )
    )
    signed = int(election.totals.get("signed", 0))
    turnout = signed / question.electorate if question.electorate else None
    return Results(
        question=question,
        election=election,
        overall=_group(question, "overall", _("Ensemble des votants"), data.get("overall", {})),
        channels=[_group(question, k, str(channel_names.get(k, k)), v) for k, v in data.get("by_channel", {}).items()],
        territories=[
            _group(
                question,
                k,
                territory_names.get(int(k), _("Quartier non renseigné"))
                if k.isdigit()
                else _("Quartier non renseigné"),
                v,
            )
            for k, v in data.get("by_territory", {}).items()
        ],
        signed=signed,
        turnout=turnout,
        threshold_met=None if question.threshold is None or turnout is None else turnout * 100 >= question.threshold,
        ranking=question.kind == Question.Kind.RANKING,
    )


def statistics_values(module: Module) -> dict[str, int]:
    """Émargements (people who voted, by any channel) and ballots counted."""
    question = question_of(module)
    if question is None or question.election is None:
        return {"participants": 0, "contributions": 0, "options": 0}
    lines = ballots.count_lines(question.election)
    signed = sum(line.signed for line in lines)
    return {"participants": signed, "contributions": signed, "options": len(options_of(question))}
