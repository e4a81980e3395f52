"""The agents' analysis services: service, notes, feasibility and cost, answers prepared and published."""

from __future__ import annotations

import datetime
import decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.assignments.models import Assignment, AssignmentEvent, Note
from participe.assignments.selectors import assignment_of
from participe.assignments.services import ASSIGNED_EVENT
from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.services import analysis
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.notifications.models import Follow, Notification
from participe.notifications.services import follow
from participe.search.models import SearchEntry
from tests.factories import ServiceFactory, ThemeFactory, UserFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_org_admin(pseudonym="admin-mairie")


def notified(event: str, proposal=None) -> set[str]:
    rows = Notification.objects.filter(event=event)
    if proposal is not None:
        rows = rows.filter(content_type=ContentType.objects.get_for_model(proposal), object_id=proposal.pk)
    return set(rows.values_list("recipient__pseudonym", flat=True))


def test_a_rejected_answer_needs_its_motive():
    with pytest.raises(ValidationError) as exc:
        analysis.check_answer(Proposal.AnswerStatus.REJECTED, "<p> </p>")
    assert "motif" in exc.value.message_dict["answer"][0]
    with pytest.raises(ValidationError):
        analysis.check_answer("", "Une réponse")
    with pytest.raises(ValidationError):
        analysis.check_answer("maybe", "Une réponse")
    analysis.check_answer(Proposal.AnswerStatus.SELECTED, "")  # "retenue" may go without a text
    analysis.check_answer(Proposal.AnswerStatus.REJECTED, "<p>Hors des compétences de la commune.</p>")


# --- service (participe.assignments) --------------------------------------------------------------------
def service_of(proposal: Proposal):
    assignment = Assignment.objects.filter(object_id=proposal.pk, module=proposal.module).first()
    return assignment.service if assignment else None


def test_assigning_a_service_tells_its_agents_after_commit_and_sets_the_module_s_delay(
    admin, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory()  # the module's default delay: 30 days
    service = ServiceFactory(name="Espaces verts")
    agent = UserFactory(pseudonym="agent-verts")
    service.members.add(agent)
    with django_capture_on_commit_callbacks(execute=True):
        analysis.proposal_assign(actor=admin, proposal=proposal, service=service)
    assignment = Assignment.objects.get()
    assert assignment.service == service and assignment.assigned_by == admin
    assert abs(assignment.due_at - assignment.assigned_at - datetime.timedelta(days=30)) < datetime.timedelta(seconds=1)
    assert notified(ASSIGNED_EVENT, proposal) == {"agent-verts"}
    assert Notification.objects.get().context["subject"] == "Proposition à traiter par le service Espaces verts"
    entry = AuditEntry.objects.get(action="assignments.assign")
    assert entry.before["service"] is None and entry.after["service"] == "Espaces verts"


def test_the_module_s_delay_is_a_setting_and_an_agent_s_date_wins(admin):
    module = ProposalModuleFactory(settings={"assignment_delay": 10})
    first, second, third = ProposalFactory.create_batch(3, module=module)
    analysis.proposal_assign(actor=admin, proposal=first, service=ServiceFactory())
    due = timezone.now() + datetime.timedelta(days=3)
    analysis.proposal_assign(actor=admin, proposal=second, service=ServiceFactory(), due_at=due)
    module.settings = {"assignment_delay": 0}
    module.save()
    analysis.proposal_assign(actor=admin, proposal=ProposalFactory(module=module), service=ServiceFactory())
    assert assignment_of(first).due_at - assignment_of(first).assigned_at == datetime.timedelta(days=10)
    assert assignment_of(second).due_at == due
    assert Assignment.objects.filter(due_at__isnull=True).count() == 1
    assert assignment_of(third) is None


def test_assigning_many_proposals_sends_one_notification_and_skips_those_already_there(
    admin, django_capture_on_commit_callbacks
):
    module = ProposalModuleFactory()
    service = ServiceFactory()
    agent = UserFactory()
    service.members.add(agent)
    already = ProposalFactory(module=module, service=service)
    others = ProposalFactory.create_batch(3, module=module)
    with django_capture_on_commit_callbacks(execute=True):
        changed = analysis.proposals_assign(actor=admin, proposals=[already, *others], service=service)
    assert {p.pk for p in changed} == {p.pk for p in others}
    assert Notification.objects.filter(recipient=agent, event=ASSIGNED_EVENT).count() == 1
    assert "3 propositions" in Notification.objects.get(recipient=agent).context["subject"]
    assert AuditEntry.objects.filter(action="assignments.assign").count() == 3


def test_taking_a_proposal_back_from_its_service_tells_nobody(admin, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(service=ServiceFactory())
    with django_capture_on_commit_callbacks(execute=True):
        analysis.proposal_assign(actor=admin, proposal=proposal, service=None)
    assert not Notification.objects.exists()
    assert service_of(proposal) is None


def test_a_final_answer_closes_the_assignment_and_en_analyse_reopens_it(admin):
    proposal = ProposalFactory(service=ServiceFactory())
    analysis.answer_publish(actor=admin, proposal=proposal, status="analysis", answer="<p>À l'étude.</p>")
    assert Assignment.objects.get().done_at is None
    analysis.answer_publish(actor=admin, proposal=proposal, status="selected", answer="<p>Retenue.</p>")
    assert Assignment.objects.get().done_at is not None and Assignment.objects.get().done_by == admin
    analysis.answer_publish(actor=admin, proposal=proposal, status="analysis", answer="<p>Encore à l'étude.</p>")
    assert Assignment.objects.get().done_at is None
    assert [e.kind for e in AssignmentEvent.objects.order_by("pk")] == ["done", "reopened"]


# --- feasibility, cost --------------------------------------------------------------------------------------
def test_assessing_records_feasibility_and_cost_with_their_previous_values(admin):
    proposal = ProposalFactory()
    analysis.proposal_assess(
        actor=admin,
        proposal=proposal,
        feasibility=Proposal.Feasibility.PARTIAL,
        estimated_cost=decimal.Decimal("12500.50"),
    )
    proposal.refresh_from_db()
    assert proposal.feasibility == "partial" and proposal.estimated_cost == decimal.Decimal("12500.50")
    entry = AuditEntry.objects.get(action="proposals.assess")
    assert entry.before == {"feasibility": "", "estimated_cost": None}
    assert entry.after == {"feasibility": "partial", "estimated_cost": "12500.50"}


@pytest.mark.parametrize(
    ("feasibility", "cost", "field"),
    [
        ("maybe", None, "feasibility"),
        ("", decimal.Decimal("-1"), "estimated_cost"),
        ("", decimal.Decimal("1e11"), "estimated_cost"),
    ],
)
def test_assessing_refuses_bad_values(admin, feasibility, cost, field):
    with pytest.raises(ValidationError) as exc:
        analysis.proposal_assess(actor=admin, proposal=ProposalFactory(), feasibility=feasibility, estimated_cost=cost)
    assert field in exc.value.message_dict


# --- answers ------------------------------------------------------------------------------------------------
def test_a_prepared_answer_stays_private(admin):
    proposal = ProposalFactory()
    analysis.answer_prepare(
        actor=admin, proposal=proposal, status="selected", answer="<p>Bonne idée</p><script>alert(1)</script>"
    )
    proposal.refresh_from_db()
    assert proposal.draft_answer_status == "selected"
    assert "<script>" not in proposal.draft_answer and "Bonne idée" in proposal.draft_answer
    assert proposal.answer_status == "" and proposal.answer == "" and proposal.answered_at is None
    assert not StatusChange.objects.filter(kind=StatusChange.Kind.ANSWERED).exists()


@pytest.mark.parametrize("status", [Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN])
def test_drafts_and_withdrawn_proposals_get_no_answer(admin, status):
    proposal = ProposalFactory(status=status)
    with pytest.raises(ValidationError):
        analysis.answer_prepare(actor=admin, proposal=proposal, status="selected", answer="Oui")


def test_publishing_an_answer_tells_the_author_and_the_followers_once_after_commit(
    admin, django_capture_on_commit_callbacks
):
    author = UserFactory(pseudonym="autrice")
    proposal = ProposalFactory(author=author, title="Des bancs place du Marché")
    Follow.objects.create(user=author, content_type=ContentType.objects.get_for_model(proposal), object_id=proposal.pk)
    follower = UserFactory(pseudonym="voisin")
    follow(actor=follower, target=proposal)
    module_follower = UserFactory(pseudonym="habitue")
    follow(actor=module_follower, target=proposal.module)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        analysis.answer_publish(
            actor=admin, proposal=proposal, status="rejected", answer="<p>La place sera refaite en 2027.</p>"
        )
    assert not Notification.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    assert notified(analysis.ANSWERED_EVENT, proposal) == {"autrice", "voisin", "habitue"}
    note = Notification.objects.get(recipient=author)
    assert note.context["answer_status"] == "rejected"
    assert "non retenue" in note.context["subject"] and "refaite en 2027" in note.context["reason"]
    proposal.refresh_from_db()
    assert proposal.answer_status == "rejected" and "refaite" in proposal.answer
    assert proposal.answered_by == admin and proposal.answered_at is not None
    assert proposal.draft_answer_status == "" and proposal.draft_answer == ""
    step = StatusChange.objects.get(proposal=proposal, kind=StatusChange.Kind.ANSWERED)
    assert step.answer_status == "rejected" and step.actor == admin
    assert AuditEntry.objects.filter(action="proposals.answer_publish", target_id=str(proposal.pk)).exists()


def test_the_author_who_stopped_following_still_hears_the_answer(admin, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(author=UserFactory(pseudonym="discret"))
    with django_capture_on_commit_callbacks(execute=True):
        analysis.answer_publish(actor=admin, proposal=proposal, status="analysis")
    assert notified(analysis.ANSWERED_EVENT, proposal) == {"discret"}


def test_an_anonymous_proposal_is_answered_without_anybody_to_tell(admin, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(author=None)
    with django_capture_on_commit_callbacks(execute=True):
        analysis.answer_publish(actor=admin, proposal=proposal, status="done", answer="Installés en mai.")
    assert not Notification.objects.exists()
    proposal.refresh_from_db()
    assert proposal.answer_status == "done"


def test_the_published_answer_is_found_by_search(admin, django_capture_on_commit_callbacks):
    proposal = ProposalFactory()
    with django_capture_on_commit_callbacks(execute=True):
        analysis.answer_publish(
            actor=admin, proposal=proposal, status="selected", answer="<p>Nous installerons des pergolas.</p>"
        )
    entry = SearchEntry.objects.get(object_id=proposal.pk)
    assert "pergolas" in entry.body


def test_answers_follow_one_another_in_the_public_history(admin, django_capture_on_commit_callbacks):
    proposal = ProposalFactory()
    with django_capture_on_commit_callbacks(execute=True):
        analysis.answer_publish(actor=admin, proposal=proposal, status="analysis", answer="À l'étude.")
        analysis.answer_publish(actor=admin, proposal=proposal, status="selected", answer="Retenue au budget 2026.")
        analysis.answer_publish(actor=admin, proposal=proposal, status="done", answer="Réalisée.")
    steps = list(StatusChange.objects.filter(proposal=proposal).values_list("answer_status", flat=True))
    assert steps == ["analysis", "selected", "done"]


def test_publishing_the_same_answer_twice_is_refused(admin, django_capture_on_commit_callbacks):
    proposal = ProposalFactory()
    with django_capture_on_commit_callbacks(execute=True):
        analysis.answer_publish(actor=admin, proposal=proposal, status="selected", answer="Oui.")
    with pytest.raises(ValidationError, match="pas de réponse préparée"):
        analysis.answers_publish(actor=admin, proposals=[proposal])
    analysis.answer_prepare(actor=admin, proposal=proposal, status="selected", answer="Oui.")
    with pytest.raises(ValidationError, match="déjà publiée"):
        analysis.answers_publish(actor=admin, proposals=[proposal])


def test_bulk_preparation_keeps_existing_drafts_when_asked(admin):
    module = ProposalModuleFactory()
    prepared = ProposalFactory(module=module, draft_answer_status="selected", draft_answer="<p>Oui</p>")
    fresh = ProposalFactory(module=module)
    done = analysis.answers_prepare(
        actor=admin, proposals=[prepared, fresh], status="rejected", answer="Hors compétence.", replace=False
    )
    assert [p.pk for p in done] == [fresh.pk]
    prepared.refresh_from_db()
    fresh.refresh_from_db()
    assert prepared.draft_answer_status == "selected"
    assert fresh.draft_answer_status == "rejected"


def test_bulk_preparation_prepares_nothing_when_one_cannot_be_answered(admin):
    module = ProposalModuleFactory()
    good = ProposalFactory(module=module)
    withdrawn = ProposalFactory(module=module, status=Proposal.Status.WITHDRAWN, title="Retirée par son autrice")
    with pytest.raises(ValidationError) as exc:
        analysis.answers_prepare(actor=admin, proposals=[good, withdrawn], status="selected", answer="")
    assert "Retirée par son autrice" in exc.value.messages[0]
    good.refresh_from_db()
    assert good.draft_answer_status == ""


def test_bulk_publication_is_all_or_nothing(admin, django_capture_on_commit_callbacks):
    module = ProposalModuleFactory()
    ready = ProposalFactory.create_batch(2, module=module, draft_answer_status="selected", draft_answer="<p>Oui</p>")
    unprepared = ProposalFactory(module=module, title="Sans réponse préparée du tout")
    with pytest.raises(ValidationError) as exc, django_capture_on_commit_callbacks(execute=True):
        analysis.answers_publish(actor=admin, proposals=[*ready, unprepared])
    assert any("Sans réponse préparée du tout" in m for m in exc.value.messages)
    assert not Proposal.objects.exclude(answer_status="").exists()
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        published = analysis.answers_publish(actor=admin, proposals=ready)
    assert len(published) == 2
    assert Proposal.objects.filter(answer_status="selected").count() == 2
    assert StatusChange.objects.filter(kind=StatusChange.Kind.ANSWERED).count() == 2
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {p.author_id for p in ready}


def test_a_rejected_draft_without_motive_cannot_be_published(admin):
    proposal = ProposalFactory(draft_answer_status="rejected", draft_answer="")
    with pytest.raises(ValidationError, match="sans motif"):
        analysis.answers_publish(actor=admin, proposals=[proposal])


def test_an_empty_selection_is_refused(admin):
    with pytest.raises(ValidationError):
        analysis.answers_publish(actor=admin, proposals=[])


def test_discarding_a_prepared_answer_keeps_the_published_one(admin, django_capture_on_commit_callbacks):
    proposal = ProposalFactory()
    with django_capture_on_commit_callbacks(execute=True):
        analysis.answer_publish(actor=admin, proposal=proposal, status="analysis", answer="À l'étude.")
    analysis.answer_prepare(actor=admin, proposal=proposal, status="selected", answer="")
    analysis.answer_discard(actor=admin, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.draft_answer_status == "" and proposal.answer_status == "analysis"
    with pytest.raises(ValidationError):
        analysis.answer_discard(actor=admin, proposal=proposal)


# --- entered for a resident ---------------------------------------------------------------------------------
def test_an_agent_enters_an_anonymous_paper_proposal_with_a_private_name_note():
    agent = make_agent(pseudonym="agent-accueil")
    module = ProposalModuleFactory()
    proposal = analysis.proposal_enter(
        agent=agent,
        module=module,
        data={"title": "Un abri pour les vélos", "body": "<p>Devant la médiathèque, à l'abri de la pluie.</p>"},
        origin=Proposal.Origin.PAPER,
        name="Mme Martin",
    )
    assert proposal.status == Proposal.Status.PUBLISHED and proposal.reference == 1
    assert proposal.author is None and proposal.entered_by == agent and proposal.origin == "paper"
    note = Note.objects.get(object_id=proposal.pk)
    assert note.body == "Déposée par : Mme Martin (sans compte)" and note.author == agent


def test_an_agent_enters_a_proposal_for_an_account_which_then_follows_it():
    agent = make_agent()
    resident = UserFactory()
    proposal = analysis.proposal_enter(
        agent=agent,
        module=ProposalModuleFactory(),
        data={"title": "Un abri pour les vélos", "body": "<p>Devant la médiathèque, à l'abri de la pluie.</p>"},
        origin=Proposal.Origin.COUNTER,
        author=resident,
        name="ignoré : la personne a un compte",
    )
    assert proposal.author == resident and proposal.entered_by == agent
    assert Follow.objects.filter(user=resident, object_id=proposal.pk).exists()
    assert not Note.objects.exists()
    entry = AuditEntry.objects.get(action="proposals.proposal_create")
    assert entry.actor == agent and entry.on_behalf_of == resident


def test_a_proposal_received_earlier_takes_its_date():
    module = ProposalModuleFactory()
    received = timezone.now() - datetime.timedelta(days=5)
    proposal = analysis.proposal_enter(
        agent=make_agent(),
        module=module,
        data={"title": "Un abri pour les vélos", "body": "<p>Devant la médiathèque, à l'abri de la pluie.</p>"},
        origin=Proposal.Origin.MEETING,
        received_at=received,
    )
    proposal.refresh_from_db()
    assert proposal.published_at == received
    assert StatusChange.objects.get(proposal=proposal, kind="published").created_at == received


def test_entering_refuses_online_origin_future_dates_and_missing_theme():
    module = ProposalModuleFactory(settings={"theme_required": True})
    data = {"title": "Un abri pour les vélos", "body": "<p>Devant la médiathèque, à l'abri de la pluie.</p>"}
    agent = make_agent()
    with pytest.raises(ValidationError) as exc:
        analysis.proposal_enter(agent=agent, module=module, data=data, origin=Proposal.Origin.ONLINE)
    assert "origin" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        analysis.proposal_enter(
            agent=agent,
            module=module,
            data=data,
            origin=Proposal.Origin.PAPER,
            received_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert "received_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        analysis.proposal_enter(agent=agent, module=module, data=data, origin=Proposal.Origin.PAPER)
    assert "theme" in exc.value.message_dict
    proposal = analysis.proposal_enter(
        agent=agent, module=module, data={**data, "theme": ThemeFactory()}, origin=Proposal.Origin.PAPER
    )
    assert proposal.theme is not None
    assert not Proposal.objects.exclude(pk=proposal.pk).exists()
