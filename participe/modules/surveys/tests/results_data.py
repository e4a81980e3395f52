"""Test data for the results and exports: a questionnaire with every kind of question, and submitted responses.

``submit`` writes a submitted response the way the answering service does (``Answer`` rows, ``Tally`` counters
under their key, respondents of multiple choices and rankings included, ``Questionnaire.responses_count``), so that the results read consistent data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from participe.modules.surveys.models import Answer, Choice, MatrixRow, Question, Questionnaire, Response, Tally
from participe.modules.surveys.tests.factories import (
    ChoiceFactory,
    MatrixRowFactory,
    QuestionFactory,
    QuestionnaireFactory,
    make_choice_question,
)

Kind = Question.Kind


def tally_key(choice: Choice | None, row: MatrixRow | None, value: int | None, territory_id: int | None) -> str:
    return f"{choice.pk if choice else 0}:{row.pk if row else 0}:{value or 0}:{territory_id or 0}"


def _count(question: Question, territory_id: int | None, *, choice=None, row=None, value=None, rank=None) -> None:
    key = tally_key(choice, row, value, territory_id)
    tally, _created = Tally.objects.get_or_create(
        question=question,
        key=key,
        defaults={"choice": choice, "row": row, "value": value, "territory_id": territory_id},
    )
    Tally.objects.filter(pk=tally.pk).update(count=F("count") + 1, rank_sum=F("rank_sum") + (rank or 0))


def _rows(question: Question, value: Any) -> list[dict[str, Any]]:
    """The ``Answer`` fields of one question's answer (see the contract of the module)."""
    kind = question.kind
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        values = value if isinstance(value, list) else [value]
        rows = []
        for item in values:
            choice, text = item if isinstance(item, tuple) else (item, "")
            rows.append({"choice": choice, "text": text})
        return rows
    if kind == Kind.RANKING:
        return [{"choice": choice, "rank": rank} for rank, choice in enumerate(value, start=1)]
    if kind == Kind.MATRIX:
        return [{"row": row, "choice": choice} for row, choice in value.items()]
    if kind in (Kind.SCALE, Kind.NUMBER):
        return [{"number": Decimal(str(value))}]
    if kind == Kind.DATE:
        return [{"date": value}]
    if kind == Kind.FILE:
        name, content = value
        return [{"file": ContentFile(content, name=name), "file_name": name}]
    return [{"text": value}]


def submit(
    questionnaire: Questionnaire,
    answers: dict[Question, Any],
    *,
    territory: Any = None,
    participant: Any = None,
    is_test: bool = False,
    submitted_at: datetime.datetime | None = None,
) -> Response:
    """A submitted response with its answers, counted in the tallies like the answering service counts it."""
    response = Response.objects.create(
        questionnaire=questionnaire,
        participant=participant,
        territory=territory,
        is_test=is_test,
        submitted_at=submitted_at or timezone.now(),
    )
    if is_test:
        return response  # never counted, no Answer rows
    territory_id = territory.pk if territory is not None else None
    for question, value in answers.items():
        rows = _rows(question, value)
        if rows and question.kind in (Kind.MULTIPLE, Kind.RANKING):
            _count(question, territory_id)  # the respondents who answered it
        for fields in rows:
            answer = Answer(response=response, question=question, **{k: v for k, v in fields.items() if k != "file"})
            if "file" in fields:
                answer.file.save(fields["file"].name, fields["file"], save=False)
            answer.save()
            if question.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING, Kind.MATRIX):
                _count(question, territory_id, choice=fields["choice"], row=fields.get("row"), rank=fields.get("rank"))
            elif question.kind == Kind.SCALE:
                _count(question, territory_id, value=int(value))
    Questionnaire.objects.filter(pk=questionnaire.pk).update(responses_count=F("responses_count") + 1)
    questionnaire.refresh_from_db(fields=["responses_count"])
    return response


@dataclass
class Sample:
    """A questionnaire with one question of each kind (and two sections)."""

    questionnaire: Questionnaire
    transport: Question  # single, with "autre"
    reasons: Question  # multiple, with "autre", conditional on transport
    ranking: Question
    satisfaction: Question  # scale 1–5
    matrix: Question
    age: Question  # number
    arrival: Question  # date
    idea: Question  # short text
    comment: Question  # long text
    photo: Question  # file

    def choice(self, question: Question, label: str) -> Choice:
        return next(c for c in question.choices.all() if c.label == label)

    def row(self, label: str) -> MatrixRow:
        return next(r for r in self.matrix.rows.all() if r.label == label)


def sample_questionnaire(questionnaire: Questionnaire | None = None) -> Sample:
    questionnaire = questionnaire or QuestionnaireFactory()
    q = questionnaire
    transport = make_choice_question(q, ["Voiture", "Bus", "Vélo", "Autre…"], title="Comment venez-vous ?", position=1)
    reasons = make_choice_question(
        q, ["Prix", "Temps", "Confort", "Autre…"], kind=Kind.MULTIPLE, title="Pourquoi ?", position=2
    )
    reasons.condition_question = transport
    reasons.save()
    reasons.condition_choices.set([c for c in transport.choices.all() if c.label == "Voiture"])
    QuestionFactory(questionnaire=q, kind=Kind.SECTION, title="Vos priorités", position=3)
    ranking = make_choice_question(
        q, ["Parcs", "Pistes cyclables", "Bancs"], kind=Kind.RANKING, title="Classez vos priorités", position=4
    )
    satisfaction = QuestionFactory(
        questionnaire=q,
        kind=Kind.SCALE,
        title="Êtes-vous satisfait du quartier ?",
        position=5,
        config={"min": 1, "max": 5, "min_label": "Pas du tout", "max_label": "Tout à fait"},
    )
    matrix = QuestionFactory(questionnaire=q, kind=Kind.MATRIX, title="Notez ces équipements", position=6)
    for index, label in enumerate(["Bien", "Moyen", "Mal"], start=1):
        ChoiceFactory(question=matrix, label=label, position=index)
    for index, label in enumerate(["Piscine", "Médiathèque"], start=1):
        MatrixRowFactory(question=matrix, label=label, position=index)
    QuestionFactory(questionnaire=q, kind=Kind.SECTION, title="Vous", position=7)
    age = QuestionFactory(questionnaire=q, kind=Kind.NUMBER, title="Votre âge", position=8)
    arrival = QuestionFactory(questionnaire=q, kind=Kind.DATE, title="Arrivée dans le quartier", position=9)
    idea = QuestionFactory(questionnaire=q, kind=Kind.SHORT_TEXT, title="Une idée en un mot", position=10)
    comment = QuestionFactory(questionnaire=q, kind=Kind.LONG_TEXT, title="Un commentaire", position=11)
    photo = QuestionFactory(questionnaire=q, kind=Kind.FILE, title="Une photo", position=12)
    return Sample(q, transport, reasons, ranking, satisfaction, matrix, age, arrival, idea, comment, photo)


def full_answers(sample: Sample, **overrides: Any) -> dict[Question, Any]:
    """Answers to every question (overridable by attribute name, ``None`` leaves the question unanswered)."""
    s = sample
    answers: dict[str, Any] = {
        "transport": s.choice(s.transport, "Voiture"),
        "reasons": [s.choice(s.reasons, "Prix"), s.choice(s.reasons, "Temps")],
        "ranking": [
            s.choice(s.ranking, "Parcs"),
            s.choice(s.ranking, "Bancs"),
            s.choice(s.ranking, "Pistes cyclables"),
        ],
        "satisfaction": 4,
        "matrix": {s.row("Piscine"): s.choice(s.matrix, "Bien"), s.row("Médiathèque"): s.choice(s.matrix, "Moyen")},
        "age": 42,
        "arrival": datetime.date(2015, 9, 1),
        "idea": "Des bancs",
        "comment": "Plus d'arbres rue des Écoles.",
    }
    answers.update(overrides)
    return {getattr(s, name): value for name, value in answers.items() if value is not None}
