"""Writes on proposals by their authors: create, draft, publish, edit, withdraw, delete, the support threshold."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.core.models import ModerationStatus
from participe.moderation.models import ModerationCase
from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.services import proposals as services
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.notifications.models import Follow
from participe.search.models import SearchEntry
from participe.supports.models import Support
from participe.supports.services import support_add
from tests.factories import ThemeFactory, UserFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db

DATA = {
    "title": "  Des bancs   à l'ombre place du Marché ",
    "body": "<p>Les personnes âgées n'ont nulle part où s'asseoir.</p><script>alert(1)</script>",
    "address": "Place du Marché",
    "latitude": "48.8566131",
    "longitude": "2.352222",
}


def indexed(proposal: Proposal) -> bool:
    return SearchEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Proposal), object_id=proposal.pk
    ).exists()


def test_create_and_publish_at_once():
    module = ProposalModuleFactory()
    author = UserFactory()
    proposal = services.proposal_create(actor=author, module=module, data=dict(DATA))
    assert proposal.status == Proposal.Status.PUBLISHED and proposal.published_at is not None
    assert proposal.title == "Des bancs à l'ombre place du Marché"
    assert "<script>" not in proposal.body
    assert proposal.latitude == Decimal("48.856613") and proposal.reference == 1
    assert proposal.author == author and proposal.origin == Proposal.Origin.ONLINE and proposal.entered_by is None
    assert 0 <= proposal.shuffle < 2**31 - 1
    assert StatusChange.objects.filter(proposal=proposal, kind=StatusChange.Kind.PUBLISHED).count() == 1
    assert Follow.objects.filter(user=author, object_id=proposal.pk).exists()
    assert indexed(proposal)
    actions = set(AuditEntry.objects.filter(target_id=str(proposal.pk)).values_list("action", flat=True))
    assert actions == {"proposals.proposal_create", "proposals.proposal_publish"}


def test_numbers_follow_each_other_in_a_module_and_skip_drafts():
    module = ProposalModuleFactory()
    author = UserFactory()
    first = services.proposal_create(actor=author, module=module, data=dict(DATA))
    draft = services.proposal_create(actor=author, module=module, data={"title": "Brouillon"}, publish=False)
    second = services.proposal_create(actor=author, module=module, data=dict(DATA))
    assert (first.reference, draft.reference, second.reference) == (1, 0, 2)
    services.proposal_update(actor=author, proposal=draft, data={"title": "Un brouillon complet", "body": DATA["body"]})
    assert services.proposal_publish(actor=author, proposal=draft).reference == 3


def test_a_draft_needs_a_title_only_and_stays_out_of_search():
    module = ProposalModuleFactory()
    draft = services.proposal_create(actor=UserFactory(), module=module, data={"title": "Idée"}, publish=False)
    assert draft.status == Proposal.Status.DRAFT and draft.published_at is None
    assert not indexed(draft) and not StatusChange.objects.filter(proposal=draft).exists()
    with pytest.raises(ValidationError) as error:
        services.proposal_create(actor=UserFactory(), module=module, data={"title": " "}, publish=False)
    assert "title" in error.value.message_dict


def test_publishing_checks_what_is_required():
    module = ProposalModuleFactory(settings={"theme_required": True, "location_required": True})
    data = {"title": "Court", "body": "<p></p>"}
    with pytest.raises(ValidationError) as error:
        services.proposal_create(actor=UserFactory(), module=module, data=data)
    assert set(error.value.message_dict) == {"title", "body", "theme", "address"}
    assert not Proposal.objects.exists()
    ok = services.proposal_create(
        actor=UserFactory(), module=module, data={**DATA, "latitude": None, "longitude": None, "theme": ThemeFactory()}
    )
    assert ok.is_published  # an address is enough when the location is required (no JavaScript, no map)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"latitude": "91", "longitude": "2"}, "latitude"),
        ({"latitude": "48", "longitude": "-181"}, "longitude"),
        ({"latitude": "abc", "longitude": "2"}, "latitude"),
        ({"latitude": "48", "longitude": None}, "latitude"),
        ({"theme": "not a theme"}, "theme"),
    ],
)
def test_bad_values_are_refused_field_by_field(data, field):
    module = ProposalModuleFactory()
    with pytest.raises(ValidationError) as error:
        services.proposal_create(actor=UserFactory(), module=module, data={**DATA, **data})
    assert field in error.value.message_dict


def test_unknown_fields_and_other_modules_are_refused():
    with pytest.raises(ValidationError):
        services.proposal_create(actor=UserFactory(), module=ProposalModuleFactory(), data={**DATA, "answer": "x"})
    from tests.factories import ModuleFactory

    with pytest.raises(ValidationError):
        services.proposal_create(actor=UserFactory(), module=ModuleFactory(), data=dict(DATA))


def test_moderation_a_priori_puts_the_proposal_in_the_queue_and_out_of_search():
    module = ProposalModuleFactory(settings={"moderation_a_priori": True})
    proposal = services.proposal_create(actor=UserFactory(), module=module, data=dict(DATA))
    assert proposal.moderation_status == ModerationStatus.PENDING
    assert ModerationCase.objects.filter(object_id=proposal.pk).exists()
    assert not indexed(proposal)


def test_an_agent_enters_a_proposal_received_on_paper():
    module = ProposalModuleFactory()
    agent = make_agent()
    resident = UserFactory()
    proposal = services.proposal_create(
        actor=agent, module=module, data=dict(DATA), author=resident, entered_by=agent, origin=Proposal.Origin.PAPER
    )
    assert proposal.author == resident and proposal.entered_by == agent and proposal.origin == "paper"
    entry = AuditEntry.objects.get(action="proposals.proposal_create")
    assert entry.actor == agent and entry.on_behalf_of == resident
    anonymous = services.proposal_create(
        actor=agent, module=module, data=dict(DATA), author=None, entered_by=agent, origin=Proposal.Origin.MEETING
    )
    assert anonymous.author is None and anonymous.is_published


def test_offline_origins_need_an_agent():
    with pytest.raises(ValidationError):
        services.proposal_create(
            actor=UserFactory(), module=ProposalModuleFactory(), data=dict(DATA), origin=Proposal.Origin.PAPER
        )


def test_update_while_nobody_supports_it():
    proposal = ProposalFactory()
    updated = services.proposal_update(
        actor=proposal.author, proposal=proposal, data={"title": "Un nouveau titre bien clair", "address": "Rue Haute"}
    )
    assert updated.title == "Un nouveau titre bien clair" and updated.address == "Rue Haute"
    entry = AuditEntry.objects.get(action="proposals.proposal_update")
    assert entry.before["address"] == "" and entry.after["address"] == "Rue Haute"
    support_add(actor=UserFactory(), target=proposal)
    with pytest.raises(ValidationError, match="déjà soutenue"):
        services.proposal_update(actor=proposal.author, proposal=proposal, data={"title": "Encore un autre titre"})


def test_update_of_a_published_proposal_keeps_it_complete():
    proposal = ProposalFactory()
    with pytest.raises(ValidationError) as error:
        services.proposal_update(actor=proposal.author, proposal=proposal, data={"body": ""})
    assert "body" in error.value.message_dict


def test_publish_twice_is_refused():
    proposal = ProposalFactory()
    with pytest.raises(ValidationError, match="déjà déposée"):
        services.proposal_publish(actor=proposal.author, proposal=proposal)


def test_withdraw_releases_the_supports_and_leaves_search():
    module = ProposalModuleFactory(settings={"supports_limit": 1})
    proposal = ProposalFactory(module=module)
    services._index(proposal)
    supporter = UserFactory()
    support_add(actor=supporter, target=proposal)
    withdrawn = services.proposal_withdraw(actor=proposal.author, proposal=proposal, reason="Doublon.")
    assert withdrawn.status == Proposal.Status.WITHDRAWN and withdrawn.withdrawn_at is not None
    assert withdrawn.supports_count == 0 and not Support.objects.filter(user=supporter).exists()
    assert not indexed(withdrawn)
    assert StatusChange.objects.filter(proposal=proposal, kind=StatusChange.Kind.WITHDRAWN).exists()
    entry = AuditEntry.objects.get(action="proposals.proposal_withdraw")
    assert entry.reason == "Doublon." and entry.before["supports_count"] == 1
    other = ProposalFactory(module=module)
    support_add(actor=supporter, target=other)  # the allowance of 1 is free again
    with pytest.raises(ValidationError):
        services.proposal_withdraw(actor=proposal.author, proposal=withdrawn)


def test_an_answered_proposal_cannot_be_withdrawn_nor_edited():
    proposal = ProposalFactory(answer_status=Proposal.AnswerStatus.ANALYSIS)
    with pytest.raises(ValidationError):
        services.proposal_withdraw(actor=proposal.author, proposal=proposal)
    with pytest.raises(ValidationError):
        services.proposal_update(actor=proposal.author, proposal=proposal, data={"title": "Un autre titre clair"})


def test_delete_removes_the_shared_rows():
    proposal = ProposalFactory()
    services._index(proposal)
    support_add(actor=UserFactory(), target=proposal)
    services.proposal_delete(actor=make_org_admin(), proposal=proposal)  # published: the staff delete it
    assert not Proposal.objects.exists() and not Support.objects.exists() and not SearchEntry.objects.exists()
    assert AuditEntry.objects.filter(action="proposals.proposal_delete").exists()


def test_the_threshold_marks_the_proposal_when_the_support_that_reaches_it_is_given():
    module = ProposalModuleFactory(settings={"support_threshold": 2})
    proposal = ProposalFactory(module=module)
    assert not services.proposal_retain_if_reached(proposal=proposal)
    first, second, third = UserFactory.create_batch(3)
    support_add(actor=first, target=proposal)
    proposal.refresh_from_db()
    assert proposal.retained_at is None
    support_add(actor=second, target=proposal)  # the supports app runs the resource's hook
    proposal.refresh_from_db()
    reached = Support.objects.order_by("created_at", "pk")[1].created_at
    assert proposal.retained_at == reached
    support_add(actor=third, target=proposal)
    assert services.proposal_retain_if_reached(proposal=proposal) is False  # once
    step = StatusChange.objects.get(proposal=proposal, kind=StatusChange.Kind.RETAINED)
    assert step.created_at == reached


def test_a_late_check_dates_the_threshold_from_the_supports():
    module = ProposalModuleFactory(settings={"support_threshold": 2})
    proposal = ProposalFactory(module=module)
    supporters = UserFactory.create_batch(3)
    with mock.patch.object(services, "on_supports_changed"):  # e.g. supports imported in bulk
        for supporter in supporters:
            support_add(actor=supporter, target=proposal)
    second = Support.objects.order_by("created_at", "pk")[1]
    moment = timezone.now() - datetime.timedelta(hours=3)
    Support.objects.filter(pk=second.pk).update(created_at=moment)
    Support.objects.exclude(pk=second.pk).filter(pk__lt=second.pk).update(
        created_at=moment - datetime.timedelta(hours=1)
    )
    proposal.refresh_from_db()
    assert proposal.retained_at is None
    assert services.proposal_retain_if_reached(proposal=proposal) is True
    proposal.refresh_from_db()
    assert proposal.retained_at == moment


def test_retain_reached_for_a_module_and_no_threshold():
    module = ProposalModuleFactory(settings={"support_threshold": 1})
    proposals = ProposalFactory.create_batch(2, module=module, supports_count=1)
    ProposalFactory(module=module)
    assert services.retain_reached(module) == 2
    assert all(Proposal.objects.get(pk=p.pk).retained_at for p in proposals)
    assert services.retain_reached(ProposalModuleFactory()) == 0


def test_support_threshold_setting_is_read_with_the_phase_overrides():
    module = ProposalModuleFactory(settings={"support_threshold": "abc"})
    assert services.support_threshold(module) is None
    module = ProposalModuleFactory(settings={"support_threshold": 0})
    assert services.support_threshold(module) is None
    phase = module.phases.get()
    phase.settings_overrides = {"support_threshold": 30}
    phase.save()
    module = type(module).objects.get(pk=module.pk)
    assert services.support_threshold(module) == 30


def test_the_retain_command():
    from io import StringIO

    from django.core.management import call_command

    module = ProposalModuleFactory(settings={"support_threshold": 1})
    ProposalFactory(module=module, supports_count=1)
    out = StringIO()
    call_command("proposals_retain", stdout=out)
    assert "1 proposition(s) retenue(s)" in out.getvalue()


def test_lowering_the_threshold_marks_what_now_reaches_it_where_the_setting_changes():
    from participe.spaces import services as spaces_services

    module = ProposalModuleFactory(settings={"support_threshold": 5})
    reached = ProposalFactory(module=module, supports_count=2)
    below = ProposalFactory(module=module, supports_count=1)
    admin = make_org_admin()
    spaces_services.module_update_settings(actor=admin, module=module, settings={"support_threshold": 2})
    assert Proposal.objects.get(pk=reached.pk).retained_at is not None
    assert Proposal.objects.get(pk=below.pk).retained_at is None
    # A phase whose own threshold is lower marks them too, once it is saved.
    phase = module.phases.get()
    spaces_services.phase_save(actor=admin, phase=phase, data={"settings_overrides": {"support_threshold": 1}})
    assert Proposal.objects.get(pk=below.pk).retained_at is not None
