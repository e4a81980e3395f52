"""The agents' writes on verifications (census, counter, accounts of residents without email, acting for them) and
the eligibility rules of a module check their actor: anyone else gets ``Refused``, and nothing is written."""

from __future__ import annotations

import datetime

import pytest

from participe.accounts.services import org_admin_set
from participe.verifications import services
from participe.verifications.models import EligibilityRule
from tests.factories import ModuleFactory, UserFactory, VerificationFactory, make_agent
from tests.writes import assert_refused

pytestmark = pytest.mark.django_db


def census_import(actor):
    return lambda: services.census_import(actor=actor, filename="recensement.csv", data=b"nom;prenom\n")


def counter_verify(actor):
    resident = UserFactory()
    return lambda: services.counter_verify(agent=actor, user=resident, territory=None, birth_date=None)


def managed_account_create(actor):
    return lambda: services.managed_account_create(
        agent=actor, first_name="Jean", last_name="Dupont", territory=None, birth_date=datetime.date(1950, 1, 1)
    )


def verification_revoke(actor):
    verification = VerificationFactory()
    return lambda: services.verification_revoke(actor=actor, verification=verification)


def acting_for_start(actor):
    resident = UserFactory(email=None, managed_by=make_agent())
    return lambda: services.acting_for_start(agent=actor, resident=resident, session={})


def eligibility_rule_save(actor):
    rule = EligibilityRule(module=ModuleFactory(), action="support")
    return lambda: services.eligibility_rule_save(actor=actor, rule=rule, data={"require_verification": True})


def eligibility_rule_delete(actor):
    rule = EligibilityRule.objects.create(module=ModuleFactory(), action="support")
    return lambda: services.eligibility_rule_delete(actor=actor, rule=rule)


def org_admin(actor):
    user = UserFactory()
    return lambda: org_admin_set(actor=actor, user=user, value=True)


CASES = [
    census_import,
    counter_verify,
    managed_account_create,
    verification_revoke,
    acting_for_start,
    eligibility_rule_save,
    eligibility_rule_delete,
    org_admin,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_a_resident_may_not_do_what_agents_and_administrators_do(case):
    assert_refused(case(UserFactory()))


@pytest.mark.parametrize("case", [eligibility_rule_save, eligibility_rule_delete, org_admin])
def test_an_agent_may_not_set_the_rules_of_a_space_they_do_not_run_nor_give_roles(case):
    assert_refused(case(make_agent()))
