"""A questionnaire with every kind of question, and valid answers to it, for the answering tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from participe.modules.surveys.models import Choice, MatrixRow, Question, Questionnaire
from participe.modules.surveys.tests.factories import (
    ChoiceFactory,
    MatrixRowFactory,
    QuestionFactory,
    QuestionnaireFactory,
    make_choice_question,
)


@dataclass
class Survey:
    questionnaire: Questionnaire
    come: Question  # single, required: Oui / Non / Autre…
    why: Question  # short text shown when "Oui", required
    transport: Question  # multiple, max 2
    section: Question
    mood: Question  # scale 1-5
    matrix: Question
    rows: list[MatrixRow]
    ranking: Question
    age: Question  # number
    when: Question  # date
    remarks: Question  # long text
    photo: Question  # file

    @property
    def module(self) -> Any:
        return self.questionnaire.module

    def choice(self, question: Question, label: str) -> Choice:
        return question.choices.get(label=label)


def build_survey(questionnaire: Questionnaire | None = None, **kwargs: Any) -> Survey:
    """Page 1: come (single), why (if Oui), transport (multiple). Page 2 ("Votre quartier"): mood, matrix, ranking,
    age, when, remarks, photo."""
    questionnaire = questionnaire or QuestionnaireFactory(**kwargs)
    come = make_choice_question(
        questionnaire, ["Oui", "Non", "Autre…"], title="Viendrez-vous à la fête ?", required=True
    )
    why = QuestionFactory(
        questionnaire=questionnaire,
        kind=Question.Kind.SHORT_TEXT,
        title="Pourquoi ?",
        required=True,
        condition_question=come,
    )
    why.condition_choices.set([come.choices.get(label="Oui")])
    transport = make_choice_question(
        questionnaire,
        ["Vélo", "Bus", "Voiture"],
        kind=Question.Kind.MULTIPLE,
        title="Comment venez-vous ?",
        config={"max_choices": 2},
    )
    section = QuestionFactory(
        questionnaire=questionnaire,
        kind=Question.Kind.SECTION,
        title="Votre quartier",
        help_text="Quelques questions sur le quartier.",
    )
    mood = QuestionFactory(
        questionnaire=questionnaire,
        kind=Question.Kind.SCALE,
        title="Êtes-vous satisfait ?",
        config={"min": 1, "max": 5, "min_label": "Pas du tout", "max_label": "Tout à fait"},
    )
    matrix = QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.MATRIX, title="Comment jugez-vous…")
    rows = [MatrixRowFactory(question=matrix, label=label) for label in ("La propreté", "Le bruit")]
    for label in ("Bien", "Moyen", "Mal"):
        ChoiceFactory(question=matrix, label=label)
    ranking = make_choice_question(
        questionnaire, ["Parc", "Piscine", "Bibliothèque"], kind=Question.Kind.RANKING, title="Classez ces équipements"
    )
    age = QuestionFactory(
        questionnaire=questionnaire,
        kind=Question.Kind.NUMBER,
        title="Votre âge",
        config={"min": 0, "max": 120, "unit": "ans"},
    )
    when = QuestionFactory(
        questionnaire=questionnaire, kind=Question.Kind.DATE, title="Depuis quand habitez-vous ici ?"
    )
    remarks = QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.LONG_TEXT, title="Vos remarques")
    photo = QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.FILE, title="Une photo du quartier")
    return Survey(questionnaire, come, why, transport, section, mood, matrix, rows, ranking, age, when, remarks, photo)


def valid_values(survey: Survey) -> dict[str, Any]:
    """Answers to every question (but the file), in the draft format."""
    s = survey
    parc, piscine, biblio = (s.choice(s.ranking, label) for label in ("Parc", "Piscine", "Bibliothèque"))
    return {
        str(s.come.pk): [str(s.choice(s.come, "Oui").pk)],
        str(s.why.pk): ["Pour les voisins"],
        str(s.transport.pk): [str(s.choice(s.transport, "Vélo").pk), str(s.choice(s.transport, "Bus").pk)],
        str(s.mood.pk): ["4"],
        f"{s.matrix.pk}-{s.rows[0].pk}": str(s.choice(s.matrix, "Bien").pk),
        f"{s.matrix.pk}-{s.rows[1].pk}": str(s.choice(s.matrix, "Mal").pk),
        f"{s.ranking.pk}-rank-{parc.pk}": "2",
        f"{s.ranking.pk}-rank-{piscine.pk}": "3",
        f"{s.ranking.pk}-rank-{biblio.pk}": "1",
        str(s.age.pk): ["42"],
        str(s.when.pk): ["2019-09-01"],
        str(s.remarks.pk): ["Plus d'arbres, s'il vous plaît."],
    }


def posted(values: dict[str, Any]) -> dict[str, Any]:
    """The same values as form fields ("q" + key), for the test client."""
    return {f"q{key}": value for key, value in values.items()}
