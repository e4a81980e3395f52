"""The decisions an agent recorded on a votation's questions, for « Mes données » (decision 0035); a resident's vote
is a secret ballot (participe.ballots gives only the émargement)."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables
from participe.modules.votation.models import Question


def personal_data(user: Any) -> Tables:
    questions = Question.objects.filter(decision_by=user).order_by("pk")
    return {"decisions_enregistrees": [{"question": str(question)} for question in questions]}
