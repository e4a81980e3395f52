"""The surveys module's turning points (``ModuleManifest.hooks``)."""

from __future__ import annotations

from typing import Any

from participe.modules.surveys.models import Questionnaire
from participe.modules.surveys.services import anonymous


def phase_changed(module: Any, previous: str | None, current: str | None) -> None:
    """When the answering phase ends, the anonymous responses still waiting for a batch are mixed, however few, and
    all of them are reshuffled (the batches can no longer be told apart)."""
    if previous != "reponses" or current == "reponses":
        return
    questionnaire_id = Questionnaire.objects.filter(module=module).values_list("pk", flat=True).first()
    anonymous_somewhere = module.effective_settings().get("anonymous") or any(
        (phase.settings_overrides or {}).get("anonymous") for phase in module.phases.all()
    )
    if questionnaire_id is None or not anonymous_somewhere:
        return
    anonymous.mix_all(questionnaire_id)
    anonymous.reshuffle(questionnaire_id)
