"""Objects the demo does not create and the authorization matrix needs, made through the services after
``fresh_demo_database()`` (the demo itself stays a showcase): without them, the URLs of attachments, moderation
cases, analysis notes, messages to followers, survey exports and files sent with an answer cannot be requested.

In the budget space (the agent administers it, the moderator does not):
- a draft proposal by karim (the participant), with a file: a private attachment (only its author and the staff);
- a file on camille's published proposal (a public attachment);
- a report by karim on jeanne's proposal: a moderation case;
- camille's proposal given to the agent's service, overdue (the queue of the services shows it), and an analysis
  note by the agent on it;
- a message of the agent to the followers of the space;
- a document of the space, and an eligibility rule on supporting its proposals (verified residents only).
In the survey of the place du Marché (which the agent does not administer): camille's answers with a photo,
and a CSV export requested by the organisation admin.
"""

from __future__ import annotations

import io
import random
from typing import Any

AUDIT_TITLE = "Proposition en brouillon (audit)"


def _png(name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def prepare() -> None:
    """Create the objects listed in this module's docstring (the demo database must be fresh)."""
    from django.db import transaction

    from participe.accounts.models import User

    users = {u.email: u for u in User.objects.filter(email__isnull=False)}
    with transaction.atomic():
        _proposals(users)
        _follower_message(users)
        _space_content(users)
        _survey(users)


def _proposals(users: dict[str, Any]) -> None:
    from participe.assignments.services import note_add
    from participe.attachments.services import attachment_add
    from participe.moderation.models import Reason
    from participe.moderation.services.reports import report_create
    from participe.modules.proposals.models import Proposal
    from participe.modules.proposals.services.proposals import proposal_create
    from participe.spaces.models import Module

    module = Module.objects.get(space__slug="budget-participatif-2027", module_type="proposals")
    karim, camille, jeanne = users["karim@example.org"], users["camille@example.org"], users["jeanne@example.org"]
    agent = users["agent@lumerac.example"]
    draft = proposal_create(
        actor=karim,
        module=module,
        data={"title": AUDIT_TITLE, "body": "<p>Un banc près de l'arrêt.</p>"},
        publish=False,
    )
    attachment_add(actor=karim, target=draft, uploaded_file=_png("croquis.png"), title="Croquis")
    published = Proposal.objects.filter(module=module, author=camille, status="published").order_by("pk").first()
    assert published is not None, "the demo has no published proposal by camille"
    attachment_add(actor=camille, target=published, uploaded_file=_png("photo.png"), title="Photo du lieu")
    _overdue_assignment(agent, published)
    note_add(actor=agent, item=published, body="Faisabilité à vérifier avec la voirie.")
    reported = Proposal.objects.filter(module=module, author=jeanne, status="published").order_by("pk").first()
    assert reported is not None, "the demo has no published proposal by jeanne"
    report_create(actor=karim, target=reported, reason=Reason.OTHER, details="Contenu à vérifier (audit).")


def _overdue_assignment(agent: Any, proposal: Any) -> None:
    """Give the proposal to the agent's service, then date it back past its due date."""
    import datetime

    from django.utils import timezone

    from participe.assignments.models import Assignment
    from participe.assignments.selectors import target_reference
    from participe.assignments.services import assign

    assign(actor=agent, item=proposal, service=agent.services.order_by("pk").first(), reason="Audit")
    past = timezone.now() - datetime.timedelta(days=40)
    content_type_id, object_id = target_reference(proposal)
    Assignment.objects.filter(content_type_id=content_type_id, object_id=object_id).update(
        assigned_at=past, due_at=past + datetime.timedelta(days=30)
    )


def _follower_message(users: dict[str, Any]) -> None:
    from participe.notifications.services import follower_message_send
    from participe.spaces.models import Space

    space = Space.objects.get(slug="budget-participatif-2027")
    follower_message_send(
        actor=users["agent@lumerac.example"], space=space, subject="Permanence samedi", body="<p>À samedi !</p>"
    )


def _space_content(users: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from participe.core.capabilities import Cap
    from participe.spaces.models import Module, Space
    from participe.spaces.services import document_add
    from participe.verifications.models import EligibilityRule
    from participe.verifications.services import eligibility_rule_save

    agent = users["agent@lumerac.example"]
    space = Space.objects.get(slug="budget-participatif-2027")
    upload = SimpleUploadedFile("reglement.txt", "Règlement du budget participatif.\n".encode(), "text/plain")
    document_add(actor=agent, space=space, title="Règlement", file=upload)
    module = Module.objects.get(space=space, module_type="proposals")
    eligibility_rule_save(actor=agent, rule=EligibilityRule(module=module), data={"action": Cap.SUPPORT.value})


def _survey(users: dict[str, Any]) -> None:
    from participe.modules.surveys.models import Questionnaire
    from participe.modules.surveys.seeds import questions_by_kind, sample_answer_values
    from participe.modules.surveys.selectors import answering as selectors
    from participe.modules.surveys.services import answering, exports

    questionnaire = Questionnaire.objects.get(module__space__slug="place-du-marche")
    specs = selectors.question_specs(questionnaire)
    values = sample_answer_values(questions_by_kind(questionnaire), random.Random(6))
    file_spec = next(spec for spec in specs if spec.kind == "file")
    name, original = answering.file_store(questionnaire=questionnaire, question=file_spec, upload=_png("carrefour.png"))
    values = answering.file_replace(values=values, question=file_spec, name=name, original=original)
    answering.response_submit(
        questionnaire=questionnaire,
        respondent=selectors.Respondent(user=users["camille@example.org"]),
        draft=None,
        specs=specs,
        values=values,
        session={},
    )
    exports.export_request(actor=users["admin@lumerac.example"], questionnaire=questionnaire, format="csv")
