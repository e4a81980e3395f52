"""The surveys module's turning points (``ModuleManifest.hooks``)."""

from __future__ import annotations

from typing import Any

from participe.modules.surveys.models import Questionnaire
from participe.modules.surveys.services import anonymous


def phase_changed(module: Any, previous: str | None, current: str | None) -> None:
    """When the answering phase ends, the anonymous responses still waiting for a batch are mixed, however few."""
    if previous == "reponses" and current != "reponses":
        questionnaire_id = Questionnaire.objects.filter(module=module).values_list("pk", flat=True).first()
        if questionnaire_id is not None and anonymous.pending(questionnaire_id):
            anonymous.mix_all(questionnaire_id)
