"""The person's answers to questionnaires that are not anonymous, for « Mes données » (decision 0035).

An anonymous questionnaire's answers are linked to no one (decision 0016) and must stay so: its responses have no
participant, and the person's draft of one (``AnonymousDraft``) is left out too, because the file would hold the very
answers about to become an anonymous response. What remains of an anonymous questionnaire is the fact of having
answered (``Participation``, the day only), which the platform keeps for the one-answer rule.
"""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, plain
from participe.modules.surveys.models import Answer, Participation, Response
from participe.modules.surveys.results.scope import is_anonymous


def personal_data(user: Any) -> Tables:
    responses = [
        response
        for response in Response.objects.filter(participant=user, is_test=False)
        .select_related("questionnaire__module")
        .order_by("pk")
        if not is_anonymous(response.questionnaire)
    ]
    answers = Answer.objects.filter(response__in=responses).select_related("question", "choice", "row")
    participations = Participation.objects.filter(user=user).select_related("questionnaire__module").order_by("pk")
    return {
        "reponses": [
            {
                "reponse": response.pk,
                "questionnaire": str(response.questionnaire),
                "brouillon": response.submitted_at is None,
                "envoyee_le": plain(response.submitted_at),
            }
            for response in responses
        ],
        "reponses_aux_questions": [
            _answer(answer) for answer in answers.order_by("response_id", "question__position", "pk")
        ],
        "participations": [
            {
                "questionnaire": str(participation.questionnaire),
                "nombre_de_reponses": participation.count,
                "premier_jour": participation.first_at.date().isoformat() if participation.first_at else None,
                "dernier_jour": participation.last_at.date().isoformat() if participation.last_at else None,
            }
            for participation in participations
        ],
    }


def _answer(answer: Answer) -> dict[str, Any]:
    return {
        "reponse": answer.response_id,
        "question": str(answer.question),
        "choix": str(answer.choice) if answer.choice_id else None,
        "ligne": str(answer.row) if answer.row_id else None,
        "rang": answer.rank,
        "nombre": plain(answer.number),
        "date": plain(answer.date),
        "texte": answer.text,
        "fichier": answer.file_name or None,
    }
