"""Volume seeding of the surveys module (``manage.py seed_volume``, docs/benchmarks.md): a questionnaire in every
surveys module, its submitted responses, their answer rows and the ``Tally`` counters, consistent with each other
as the answering service writes them.

``Generator`` is also what ``bench/surveys.py`` uses to fill one questionnaire with 250,000 responses.
"""

from __future__ import annotations

import datetime
import itertools
import random
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from participe.harness.volume import VolumeContext
from participe.modules.surveys.models import Answer, Choice, MatrixRow, Question, Questionnaire, Response, Tally

# The questions of a questionnaire: kind, number of choices (the last one "autre, précisez" when marked), matrix
# rows. The second question is shown only when the first one's answer is its first choice.
PLAN: list[tuple[str, int, bool, int]] = [
    ("single", 5, True, 0),
    ("multiple", 7, True, 0),
    ("scale", 0, False, 0),
    ("single", 3, False, 0),
    ("ranking", 4, False, 0),
    ("matrix", 4, False, 3),
    ("number", 0, False, 0),
    ("short_text", 0, False, 0),
    ("section", 0, False, 0),
    ("single", 5, False, 0),
    ("multiple", 5, False, 0),
    ("scale", 0, False, 0),
    ("scale", 0, False, 0),
    ("matrix", 5, False, 4),
    ("number", 0, False, 0),
    ("date", 0, False, 0),
    ("long_text", 0, False, 0),
    ("single", 2, False, 0),
    ("multiple", 5, True, 0),
    ("section", 0, False, 0),
    ("ranking", 5, False, 0),
    ("scale", 0, False, 0),
    ("single", 6, False, 0),
    ("matrix", 3, False, 2),
    ("number", 0, False, 0),
    ("short_text", 0, False, 0),
    ("long_text", 0, False, 0),
    ("single", 3, False, 0),
    ("multiple", 3, False, 0),
    ("scale", 0, False, 0),
    ("single", 4, True, 0),
    ("long_text", 0, False, 0),
]
VOLUME_QUESTIONS = 12  # the questionnaires of the volume take the first questions of PLAN (about 16 answers each)
WORDS = [
    *("arbres", "bancs", "piste", "cyclable", "école", "parc", "ombre", "éclairage", "trottoir", "bus", "tramway"),
    *("marché", "jardin", "partagé", "propreté", "bruit", "stationnement", "sécurité", "piscine", "médiathèque"),
    *("terrain", "jeux", "fontaine", "fleurs", "voisins", "commerce"),
]
TITLES = {
    "single": "Comment vous déplacez-vous le plus souvent en ville ?",
    "multiple": "Quels équipements fréquentez-vous ?",
    "scale": "Êtes-vous satisfait de la propreté de votre quartier ?",
    "ranking": "Classez ces priorités pour votre quartier",
    "matrix": "Comment jugez-vous ces services ?",
    "number": "Quel est votre âge ?",
    "date": "Depuis quand habitez-vous la commune ?",
    "short_text": "En un mot, votre quartier ?",
    "long_text": "Avez-vous d'autres remarques ou idées ?",
    "section": "Vos habitudes",
}
CHOICES = ["À pied", "À vélo", "En bus ou en tramway", "En voiture", "En covoiturage", "En trottinette"]
ROWS = ["L'accueil en mairie", "La médiathèque", "Les transports", "Les espaces verts"]
SCALE = {"min": 1, "max": 5, "min_label": "Pas du tout", "max_label": "Tout à fait"}
DAY = datetime.timedelta(days=1)


@dataclass
class QuestionShape:
    """What the generator needs of a question: ids of its choices and rows, and its condition."""

    pk: int
    kind: str
    choices: list[int] = field(default_factory=list)
    other: int | None = None  # the "autre, précisez" choice
    rows: list[int] = field(default_factory=list)
    condition: tuple[int, int] | None = None  # (question, choice): shown only when that choice was picked


class Generator:
    """Answers of one response after another (seeded), with the tallies they add up to."""

    def __init__(self, questions: list[QuestionShape], quartiers: list[int], rng: random.Random) -> None:
        self.rng = rng
        self.questions = [q for q in questions if q.kind != "section"]
        self.quartiers = quartiers
        self.tallies: Counter[tuple[int, int, int, int, int]] = Counter()  # (question, choice, row, value, territory)
        self.rank_sums: Counter[tuple[int, int, int, int, int]] = Counter()
        self.territory: list[int | None] = []
        self.first_response = 0

    @classmethod
    def from_questionnaire(cls, survey: Questionnaire, quartiers: list[int], rng: random.Random) -> Generator:
        """A generator for a questionnaire already in the database."""
        shapes = []
        for q in survey.questions.prefetch_related("choices", "rows", "condition_choices").order_by("position"):
            choices = list(q.choices.all())
            condition = next(iter(q.condition_choices.all()), None)
            shapes.append(
                QuestionShape(
                    pk=q.pk,
                    kind=q.kind,
                    choices=[c.pk for c in choices],
                    other=next((c.pk for c in choices if c.is_other), None),
                    rows=[r.pk for r in q.rows.all()],
                    condition=(q.condition_question_id, condition.pk)
                    if q.condition_question_id and condition
                    else None,
                )
            )
        return cls(shapes, quartiers, rng)

    @property
    def count(self) -> int:
        return len(self.territory)

    def response_rows(
        self, questionnaire_id: int, count: int, start: datetime.datetime, span: datetime.timedelta
    ) -> Iterator[dict[str, Any]]:
        """``count`` submitted responses, evenly spread from ``start`` over ``span``, 60 % from a quartier."""
        rng = self.rng
        step = span / max(count, 1)
        for n in range(count):
            territory = rng.choice(self.quartiers) if self.quartiers and rng.random() < 0.6 else None
            self.territory.append(territory)
            moment = start + step * n
            yield {
                "questionnaire_id": questionnaire_id,
                "territory_id": territory,
                # Seeded, and unique across runs: the same seed gives the same bits, mixed with the questionnaire.
                "receipt": uuid.UUID(int=rng.getrandbits(128) ^ (questionnaire_id << 64) ^ n, version=4),
                "submitted_at": moment,
                "created_at": moment,
                "updated_at": moment,
            }

    def answer_rows(self, first_response: int | None = None) -> Iterator[dict[str, Any]]:
        """The answers of the responses ``response_rows`` made, the first one having id ``first_response``."""
        first = self.first_response if first_response is None else first_response
        for index, territory in enumerate(self.territory):
            response = first + index
            picked: set[int] = set()
            for question in self.questions:
                if question.condition and question.condition[1] not in picked:
                    continue  # the conditional question is hidden
                for row in self._answers(question, territory):
                    if row["choice_id"]:
                        picked.add(row["choice_id"])
                    row["response_id"] = response
                    row["question_id"] = question.pk
                    yield row

    def _count(
        self,
        question: int,
        choice: int | None,
        row: int | None,
        value: int | None,
        territory: int | None,
        rank: int = 0,
    ) -> None:
        key = (question, choice or 0, row or 0, value or 0, territory or 0)
        self.tallies[key] += 1
        if rank:
            self.rank_sums[key] += rank

    def _answers(self, question: QuestionShape, territory: int | None) -> list[dict[str, Any]]:
        if question.kind in ("single", "multiple", "ranking", "matrix", "scale"):
            return self._closed(question, territory)
        return self._open(question)

    def _closed(self, question: QuestionShape, territory: int | None) -> list[dict[str, Any]]:
        """A closed answer, counted in the tallies."""
        rng, kind, pk = self.rng, question.kind, question.pk
        choices = question.choices
        if kind == "single":
            choice = rng.choices(choices, list(range(len(choices), 0, -1)))[0]
            self._count(pk, choice, None, None, territory)
            return [answer(choice=choice, text="Une autre idée" if choice == question.other else "")]
        if kind == "multiple":
            picked = rng.sample(choices, rng.randint(1, min(3, len(choices))))
            self._count(pk, None, None, None, territory)  # the respondents who answered it
            for choice in picked:
                self._count(pk, choice, None, None, territory)
            return [answer(choice=c, text="Autre chose" if c == question.other else "") for c in picked]
        if kind == "ranking":
            order = rng.sample(choices, len(choices))
            self._count(pk, None, None, None, territory)  # the respondents who answered it
            for rank, choice in enumerate(order, start=1):
                self._count(pk, choice, None, None, territory, rank)
            return [answer(choice=c, rank=r) for r, c in enumerate(order, start=1)]
        if kind == "matrix":
            cells = [(row, rng.choice(choices)) for row in question.rows]
            for row, choice in cells:
                self._count(pk, choice, row, None, territory)
            return [answer(choice=c, row=r) for r, c in cells]
        value = min(5, max(1, round(rng.gauss(3.4, 1.1))))
        self._count(pk, None, None, value, territory)
        return [answer(number=Decimal(value))]

    def _open(self, question: QuestionShape) -> list[dict[str, Any]]:
        """A number, a date or a text; 30 % of respondents leave them blank."""
        rng, kind = self.rng, question.kind
        if rng.random() < 0.3:
            return []
        if kind == "number":
            return [answer(number=Decimal(rng.randint(15, 90)))]
        if kind == "date":
            return [answer(date=datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randint(0, 9000)))]
        size = 3 if kind == "short_text" else rng.randint(8, 40)
        return [answer(text=" ".join(rng.choices(WORDS, k=size)).capitalize() + ".")]

    def tally_rows(self) -> Iterator[dict[str, Any]]:
        for (question, choice, row, value, territory), count in self.tallies.items():
            yield {
                "question_id": question,
                "key": f"{choice}:{row}:{value}:{territory}",
                "choice_id": choice or None,
                "row_id": row or None,
                "value": value or None,
                "territory_id": territory or None,
                "count": count,
                "rank_sum": self.rank_sums[(question, choice, row, value, territory)],
            }


def answer(
    choice: int | None = None,
    row: int | None = None,
    rank: int | None = None,
    number: Decimal | None = None,
    date: datetime.date | None = None,
    text: str = "",
) -> dict[str, Any]:
    """An ``Answer`` row (every row has the same keys, as the bulk writer wants)."""
    return {"choice_id": choice, "row_id": row, "rank": rank, "number": number, "date": date, "text": text}


def seed_volume(ctx: VolumeContext) -> int:
    """Every surveys module gets a questionnaire of ``VOLUME_QUESTIONS`` questions and submitted responses: the
    ``survey_responses`` share of ``--contributions`` spread over the modules with a heavy tail, or
    ``--size survey_responses_per_module=N`` (``--items-per-module`` by default) each. Responses are dated in the
    answering phase (the module's second phase: the last 15 days). Every second questionnaire publishes its results."""
    from participe.organisation.models import Territory
    from participe.spaces.models import Module

    modules = ctx.module_ids("surveys")
    if not modules:
        return 0
    before = ctx.writer.rows_written
    total = ctx.contributions("survey_responses")
    if total is None:
        counts = [ctx.size("survey_responses_per_module", ctx.sizes.items_per_module)] * len(modules)
    else:
        counts = ctx.spread(total, len(modules))
    ctx.progress.add_total(sum(counts) * 17 + len(modules) * 60)
    quartiers = list(Territory.objects.filter(kind="quartier").order_by("pk").values_list("pk", flat=True)[:200])
    surveys = write_questionnaires(ctx, modules, counts)
    # Half of the questionnaires publish their results (the public results page and the API answer for them).
    Module.objects.filter(pk__in=modules[::2]).update(settings={"results_public": True, "results_open_data": True})
    generators = [Generator(shapes, quartiers, ctx.rng) for _survey, shapes in surveys]
    start, span = ctx.now - 15 * DAY, 15 * DAY
    responses = ctx.bulk(
        Response,
        itertools.chain.from_iterable(
            g.response_rows(survey, count, start, span)
            for g, (survey, _shapes), count in zip(generators, surveys, counts, strict=True)
        ),
        "survey responses",
    )
    first = responses.start
    for g in generators:
        g.first_response, first = first, first + g.count
    ctx.bulk(Answer, itertools.chain.from_iterable(g.answer_rows() for g in generators), "survey answers")
    ctx.bulk(Tally, itertools.chain.from_iterable(g.tally_rows() for g in generators), "survey tallies")
    return ctx.writer.rows_written - before


def write_questionnaires(
    ctx: VolumeContext, modules: list[int], counts: list[int]
) -> list[tuple[int, list[QuestionShape]]]:
    """A questionnaire per module (its ``responses_count`` already set to what will be written), with its
    questions, choices, matrix rows and the condition of its second question; returns (id, shapes) per module."""
    plan = PLAN[:VOLUME_QUESTIONS]
    next_ids = {model: ctx.next_id(model) for model in (Questionnaire, Question, Choice, MatrixRow)}

    def take(model: type[Any]) -> int:
        next_ids[model] += 1
        return next_ids[model] - 1

    questionnaires, questions, choices, rows, conditions = [], [], [], [], []
    found = []
    for module_id, count in zip(modules, counts, strict=True):
        survey = take(Questionnaire)
        questionnaires.append(_questionnaire_row(module_id, count))
        shapes: list[QuestionShape] = []
        for position, (kind, n_choices, other, n_rows) in enumerate(plan, start=1):
            shape = QuestionShape(pk=take(Question), kind=kind)
            for n in range(n_choices):
                shape.choices.append(take(Choice))
                is_other = other and n == n_choices - 1
                label = "Autre" if is_other else CHOICES[n % len(CHOICES)] + ("" if n < len(CHOICES) else f" {n}")
                choices.append({"question_id": shape.pk, "position": n, "label": label, "is_other": is_other})
                shape.other = shape.choices[-1] if is_other else shape.other
            for n in range(n_rows):
                shape.rows.append(take(MatrixRow))
                rows.append({"question_id": shape.pk, "position": n, "label": ROWS[n % len(ROWS)]})
            if position == 2:
                shape.condition = (shapes[0].pk, shapes[0].choices[0])
                conditions.append({"question_id": shape.pk, "choice_id": shapes[0].choices[0]})
            questions.append(_question_row(survey, position, kind, shape.condition))
            shapes.append(shape)
        found.append((survey, shapes))
    ctx.bulk(Questionnaire, questionnaires, "questionnaires")
    ctx.bulk(Question, questions, "survey questions")
    ctx.bulk(Choice, choices, "survey choices")
    ctx.bulk(MatrixRow, rows, "survey matrix rows")
    ctx.bulk(Question.condition_choices.through, conditions, "survey conditions")
    return found


def _questionnaire_row(module_id: int, count: int) -> dict[str, Any]:
    return {
        "module_id": module_id,
        "intro": "<p>Ce questionnaire prend cinq minutes. Vos réponses sont anonymes.</p>",
        "closing_message": "<p>Merci pour votre participation !</p>",
        "responses_count": count,
    }


def _question_row(survey: int, position: int, kind: str, condition: tuple[int, int] | None) -> dict[str, Any]:
    return {
        "questionnaire_id": survey,
        "position": position,
        "kind": kind,
        "title": TITLES[kind],
        "config": SCALE if kind == "scale" else {},
        "condition_question_id": condition[0] if condition else None,
    }
