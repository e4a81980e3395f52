"""Adding and withdrawing supports: idempotence, counters, the module's allowance, phases, comments."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.core.models import ModerationStatus
from participe.permissions.refusals import Refused
from participe.supports import services
from participe.supports.models import Support
from participe.supports.tests.factories import SupportFactory, comment_on, limited_module
from participe.verifications.models import EligibilityRule
from tests.factories import ItemFactory, PhaseFactory, UserFactory, make_agent

pytestmark = pytest.mark.django_db


def test_it_adds_a_support_and_counts_it():
    item, user = ItemFactory(), UserFactory()
    support = services.support_add(actor=user, target=item)
    assert support.user == user and support.target == item and support.module == item.module
    assert support.counts_toward_limit is True
    assert item.supports_count == 1
    item.refresh_from_db()
    assert item.supports_count == 1


def test_adding_twice_counts_once():
    item, user = ItemFactory(), UserFactory()
    first = services.support_add(actor=user, target=item)
    second = services.support_add(actor=user, target=item)
    assert first.pk == second.pk
    item.refresh_from_db()
    assert item.supports_count == 1
    assert Support.objects.count() == 1


def test_it_recovers_when_the_row_already_exists_without_the_counter():
    item, user = ItemFactory(), UserFactory()
    SupportFactory(item=item, user=user)
    services.support_add(actor=user, target=item)
    item.refresh_from_db()
    assert item.supports_count == 0  # nothing new was counted; recount_for repairs the counter
    assert services.recount_for(item) == 1
    item.refresh_from_db()
    assert item.supports_count == 1


def test_it_withdraws_a_support():
    item, user = ItemFactory(), UserFactory()
    services.support_add(actor=user, target=item)
    assert services.support_withdraw(actor=user, target=item) is True
    item.refresh_from_db()
    assert item.supports_count == 0
    assert not Support.objects.exists()


def test_withdrawing_twice_is_harmless():
    item, user = ItemFactory(), UserFactory()
    services.support_add(actor=user, target=item)
    services.support_withdraw(actor=user, target=item)
    assert services.support_withdraw(actor=user, target=item) is False
    item.refresh_from_db()
    assert item.supports_count == 0


def test_the_counter_never_goes_below_zero():
    item, user = ItemFactory(), UserFactory()
    SupportFactory(item=item, user=user)  # a row the counter does not know about
    services.support_withdraw(actor=user, target=item)
    item.refresh_from_db()
    assert item.supports_count == 0


def test_several_participants_add_up():
    item = ItemFactory()
    for _ in range(3):
        services.support_add(actor=UserFactory(), target=item)
    item.refresh_from_db()
    assert item.supports_count == 3


def test_the_module_limit_holds_with_a_clear_message():
    module = limited_module(2)
    user = UserFactory()
    first, second, third = (ItemFactory(module=module) for _ in range(3))
    services.support_add(actor=user, target=first)
    services.support_add(actor=user, target=second)
    with pytest.raises(Refused) as error:
        services.support_add(actor=user, target=third)
    assert error.value.codes == ["limit_reached"]
    assert (
        str(error.value)
        == "Vous avez déjà utilisé vos 2 soutiens dans ce module : retirez-en un pour soutenir ce projet."
    )
    third.refresh_from_db()
    assert third.supports_count == 0


def test_withdrawing_frees_one_support_of_the_allowance():
    module = limited_module(1)
    user = UserFactory()
    first, second = ItemFactory(module=module), ItemFactory(module=module)
    services.support_add(actor=user, target=first)
    with pytest.raises(Refused):
        services.support_add(actor=user, target=second)
    services.support_withdraw(actor=user, target=first)
    services.support_add(actor=user, target=second)
    second.refresh_from_db()
    assert second.supports_count == 1


def test_supporting_again_what_one_supports_does_not_hit_the_limit():
    module = limited_module(1)
    user, item = UserFactory(), None
    item = ItemFactory(module=module)
    services.support_add(actor=user, target=item)
    services.support_add(actor=user, target=item)  # a double click: no error
    item.refresh_from_db()
    assert item.supports_count == 1


def test_the_limit_is_per_module():
    user = UserFactory()
    services.support_add(actor=user, target=ItemFactory(module=limited_module(1)))
    services.support_add(actor=user, target=ItemFactory(module=limited_module(1)))
    assert Support.objects.filter(user=user).count() == 2


@pytest.mark.parametrize("limit", [None, 0, "", "abc"])
def test_no_limit_or_a_bad_value_means_unlimited(limit):
    module = limited_module(None)
    module.settings = {"supports_limit": limit}
    module.save()
    user = UserFactory()
    for _ in range(4):
        services.support_add(actor=user, target=ItemFactory(module=module))
    assert Support.objects.filter(user=user).count() == 4


def test_a_phase_override_sets_the_limit():
    module = limited_module(5)
    phase = module.phases.get()
    phase.settings_overrides = {"supports_limit": 1}
    phase.save()
    user = UserFactory()
    services.support_add(actor=user, target=ItemFactory(module=module))
    with pytest.raises(Refused, match="déjà utilisé"):
        services.support_add(actor=user, target=ItemFactory(module=module))


def test_supports_on_comments_do_not_count_toward_the_limit():
    module = limited_module(1)
    user = UserFactory()
    item = ItemFactory(module=module)
    services.support_add(actor=user, target=item)
    comments = [comment_on(item), comment_on(item)]
    for comment in comments:
        support = services.support_add(actor=user, target=comment)
        assert support.counts_toward_limit is False
    comments[0].refresh_from_db()
    assert comments[0].supports_count == 1
    with pytest.raises(Refused, match="déjà utilisé"):
        services.support_add(actor=user, target=ItemFactory(module=module))


def test_supporting_a_comment_needs_the_comment_capability_not_the_support_one():
    module = limited_module(None)
    phase = module.phases.get()
    phase.phase_type = "information"  # VIEW only
    phase.save()
    item = ItemFactory(module=module)
    comment = comment_on(item)
    with pytest.raises(PermissionDenied):
        services.support_add(actor=UserFactory(), target=comment)


def test_it_refuses_outside_a_supporting_phase_and_says_why():
    module = limited_module(None)
    module.phases.update(phase_type="information")
    item = ItemFactory(module=module)
    with pytest.raises(PermissionDenied) as error:
        services.support_add(actor=UserFactory(), target=item)
    assert str(error.value) == "Les soutiens ne sont pas ouverts pendant cette étape."  # the phase step's reason


def test_withdrawing_is_refused_once_the_phase_is_over():
    item, user = ItemFactory(), UserFactory()
    services.support_add(actor=user, target=item)
    item.module.phases.update(end=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(PermissionDenied):
        services.support_withdraw(actor=user, target=item)
    item.refresh_from_db()
    assert item.supports_count == 1


def test_a_later_phase_without_supports_freezes_them():
    item, user = ItemFactory(), UserFactory()
    services.support_add(actor=user, target=item)
    now = timezone.now()
    item.module.phases.update(end=now - datetime.timedelta(seconds=1))
    PhaseFactory(module=item.module, phase_type="information", start=now - datetime.timedelta(seconds=1))
    with pytest.raises(PermissionDenied):
        services.support_add(actor=UserFactory(), target=item)


def test_the_eligibility_rule_applies_to_adding_but_not_to_withdrawing():
    item, user = ItemFactory(), UserFactory()
    services.support_add(actor=user, target=item)
    EligibilityRule.objects.create(module=item.module, action="support", require_verification=True)
    item.module.__dict__.pop("_eligibility_rules", None)
    with pytest.raises(PermissionDenied) as error:
        services.support_add(actor=UserFactory(), target=item)
    assert "vérifier" in str(error.value)
    assert services.support_withdraw(actor=user, target=item) is True


def test_a_hidden_item_cannot_be_supported():
    item = ItemFactory(moderation_status=ModerationStatus.HIDDEN)
    with pytest.raises(Refused) as error:
        services.support_add(actor=UserFactory(), target=item)
    assert error.value.codes == ["pending_moderation"]


def test_an_anonymous_or_blocked_user_cannot_support():
    from django.contrib.auth.models import AnonymousUser

    item = ItemFactory()
    with pytest.raises(PermissionDenied):
        services.support_add(actor=AnonymousUser(), target=item)
    with pytest.raises(PermissionDenied):
        services.support_add(actor=UserFactory(blocked_at=timezone.now()), target=item)


def test_an_agent_entering_for_a_resident_is_marked_and_logged():
    item, resident, agent = ItemFactory(), UserFactory(), make_agent()
    support = services.support_add(actor=resident, target=item, entered_by=agent)
    assert support.user == resident and support.entered_by == agent and support.is_entered_by_agent
    entry = AuditEntry.objects.get(action="support.add")
    assert entry.actor == agent and entry.on_behalf_of == resident
    services.support_withdraw(actor=resident, target=item, entered_by=agent)
    assert AuditEntry.objects.filter(action="support.withdraw", on_behalf_of=resident).exists()


def test_a_model_not_declared_supportable_is_refused():
    with pytest.raises(PermissionDenied):
        services.support_add(actor=UserFactory(), target=ItemFactory().module)


def test_delete_for_removes_every_support_of_a_target():
    item, other = ItemFactory(), ItemFactory()
    for _ in range(2):
        services.support_add(actor=UserFactory(), target=item)
    services.support_add(actor=UserFactory(), target=other)
    assert services.delete_for(item) == 2
    item.refresh_from_db()
    assert item.supports_count == 0
    assert Support.objects.count() == 1


def test_recount_for_fixes_a_wrong_counter():
    item = ItemFactory(supports_count=42)
    SupportFactory(item=item)
    assert services.recount_for(item) == 1


def test_delete_for_user_takes_back_every_support_of_a_leaving_account():
    user = UserFactory()
    first, second = ItemFactory(), ItemFactory()
    services.support_add(actor=user, target=first)
    services.support_add(actor=user, target=second)
    services.support_add(actor=UserFactory(), target=second)
    second.module.phases.update(phase_type="information")  # even once supporting has closed
    assert services.delete_for_user(user) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.supports_count, second.supports_count) == (0, 1)
