"""Eligibility rules: territory (with its sub-territories), age, verification methods, validity."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participe.core.capabilities import Cap
from participe.verifications.eligibility import check_eligibility
from participe.verifications.models import EligibilityRule, Verification
from tests.factories import ModuleFactory, TerritoryFactory, UserFactory, VerificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Métropole > two communes > quartiers."""
    metropole = TerritoryFactory(name="Métropole du Val", kind="métropole")
    commune = TerritoryFactory(name="Lumerac", kind="commune", parent=metropole)
    other_commune = TerritoryFactory(name="Saint-Aubin", kind="commune", parent=metropole)
    quartier = TerritoryFactory(name="Les Tilleuls", kind="quartier", parent=commune)
    sub_quartier = TerritoryFactory(name="Îlot des Tilleuls", kind="îlot", parent=quartier)
    other_quartier = TerritoryFactory(name="Le Port", kind="quartier", parent=other_commune)
    return {
        "metropole": metropole,
        "commune": commune,
        "other_commune": other_commune,
        "quartier": quartier,
        "sub_quartier": sub_quartier,
        "other_quartier": other_quartier,
    }


def rule(**kwargs):
    territories = kwargs.pop("territories", [])
    created = EligibilityRule.objects.create(
        module=kwargs.pop("module", None) or ModuleFactory(), action=Cap.VOTE, **kwargs
    )
    created.territories.set(territories)
    return created


def eligible(user, module, action=Cap.VOTE) -> bool:
    return check_eligibility(user, module, action).allowed


def test_it_allows_everyone_when_there_is_no_rule():
    module = ModuleFactory()
    assert eligible(AnonymousUser(), module)
    assert eligible(UserFactory(), module)


def test_it_applies_a_rule_to_its_action_only():
    vote_rule = rule()
    assert not eligible(UserFactory(), vote_rule.module, Cap.VOTE)
    assert eligible(UserFactory(), vote_rule.module, Cap.SUPPORT)


def test_it_asks_visitors_to_sign_in():
    result = check_eligibility(AnonymousUser(), rule().module, Cap.VOTE)
    assert not result.allowed
    assert result.reason == "Connectez-vous pour participer."


def test_it_accepts_any_signed_in_user_when_no_verification_is_required():
    module = rule(require_verification=False).module
    assert eligible(UserFactory(), module)
    assert not eligible(AnonymousUser(), module)


def test_it_requires_a_verification():
    module = rule().module
    result = check_eligibility(UserFactory(), module, Cap.VOTE)
    assert not result.allowed
    assert result.reason == "Il faut d'abord vérifier votre lieu de résidence."
    assert eligible(VerificationFactory().user, module)


@pytest.mark.parametrize(
    "lives_in, allowed",
    [
        ("commune", True),
        ("quartier", True),  # a quartier of the commune
        ("sub_quartier", True),  # and what lies under it
        ("metropole", False),  # the métropole is wider than the commune
        ("other_commune", False),
        ("other_quartier", False),
        (None, False),  # verified, but nowhere in particular
    ],
)
def test_it_accepts_residents_of_the_territory_and_of_its_descendants(tree, lives_in, allowed):
    module = rule(territories=[tree["commune"]]).module
    verification = VerificationFactory(territory=tree[lives_in] if lives_in else None)
    result = check_eligibility(verification.user, module, Cap.VOTE)
    assert result.allowed is allowed
    if not allowed:
        assert result.reason == "Cette participation est réservée aux habitants d'un autre territoire."


def test_it_accepts_any_of_several_territories(tree):
    module = rule(territories=[tree["quartier"], tree["other_quartier"]]).module
    assert eligible(VerificationFactory(territory=tree["other_quartier"]).user, module)
    assert eligible(VerificationFactory(territory=tree["sub_quartier"]).user, module)
    assert not eligible(VerificationFactory(territory=tree["commune"]).user, module)


@pytest.mark.parametrize(
    "handlers, granted_by, allowed",
    [
        (["census"], "census", True),
        (["census"], "counter", False),
        (["census", "counter"], "counter", True),
        ([], "managed", True),  # empty: every method
    ],
)
def test_it_accepts_only_the_verification_methods_of_the_rule(handlers, granted_by, allowed):
    module = rule(handlers=handlers).module
    assert eligible(VerificationFactory(handler=granted_by).user, module) is allowed


def test_it_ignores_an_expired_verification():
    module = rule().module
    verification = VerificationFactory(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert not eligible(verification.user, module)
    still_valid = VerificationFactory(expires_at=timezone.now() + datetime.timedelta(minutes=1))
    assert eligible(still_valid.user, module)


def test_it_ignores_a_revoked_verification():
    module = rule().module
    verification = VerificationFactory(revoked_at=timezone.now())
    assert not eligible(verification.user, module)


def test_it_uses_an_active_verification_when_another_one_is_expired(tree):
    module = rule(territories=[tree["commune"]]).module
    user = UserFactory()
    VerificationFactory(user=user, territory=tree["quartier"], revoked_at=timezone.now())
    assert not eligible(user, module)
    VerificationFactory(user=user, territory=tree["quartier"])
    module = type(module).objects.get(pk=module.pk)  # the rules are cached per module object
    assert eligible(user, module)


TODAY = datetime.date(2026, 6, 15)


def years_before(day: datetime.date, years: int, days: int = 0) -> datetime.date:
    return day.replace(year=day.year - years) + datetime.timedelta(days=days)


@pytest.mark.parametrize(
    "born, allowed",
    [
        (years_before(TODAY, 16), True),  # 16th birthday today
        (years_before(TODAY, 16, days=1), False),  # 16 tomorrow
        (years_before(TODAY, 16, days=-1), True),
        (years_before(TODAY, 80), True),
    ],
)
def test_it_applies_a_minimum_age_from_the_birthday_on(born, allowed):
    module = rule(min_age=16).module
    user = VerificationFactory(birth_date=born).user
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        result = check_eligibility(user, module, Cap.VOTE)
    assert result.allowed is allowed
    if not allowed:
        assert result.reason == "Il faut avoir au moins 16 ans."


@pytest.mark.parametrize(
    "born, allowed",
    [
        (years_before(TODAY, 25, days=1), True),  # 24, 25 tomorrow
        (years_before(TODAY, 25), True),  # 25 today
        (years_before(TODAY, 26, days=1), True),  # 25 until tomorrow
        (years_before(TODAY, 26), False),  # 26 today: over "at most 25"
    ],
)
def test_it_applies_a_maximum_age_until_the_next_birthday(born, allowed):
    module = rule(max_age=25).module
    user = VerificationFactory(birth_date=born).user
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        result = check_eligibility(user, module, Cap.VOTE)
    assert result.allowed is allowed
    if not allowed:
        assert result.reason == "Il faut avoir au plus 25 ans."


def test_it_refuses_an_age_rule_when_no_birth_date_was_verified():
    module = rule(min_age=16).module
    result = check_eligibility(VerificationFactory(birth_date=None).user, module, Cap.VOTE)
    assert not result.allowed
    assert result.reason == "Votre âge n'a pas été vérifié."


def reference_age(born: datetime.date, on: datetime.date) -> int:
    """Full years, counted another way: someone born on 29 February has a birthday on 1 March."""
    try:
        birthday = born.replace(year=on.year)
    except ValueError:
        birthday = datetime.date(on.year, 3, 1)
    return on.year - born.year - (on < birthday)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    born=st.dates(min_value=datetime.date(1920, 1, 1), max_value=datetime.date(2025, 12, 31)),
    on=st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2040, 12, 31)),
    min_age=st.integers(min_value=0, max_value=30),
    span=st.integers(min_value=0, max_value=60),
)
def test_it_agrees_with_a_reference_age_on_any_date(born, on, min_age, span):
    verification = Verification(birth_date=born)
    assert verification.age(on) == reference_age(born, on)
    module = _age_module(min_age, min_age + span)
    user = _user_born(born)
    with mock.patch("django.utils.timezone.localdate", return_value=on):
        allowed = check_eligibility(user, module, Cap.VOTE).allowed
    assert allowed is (min_age <= reference_age(born, on) <= min_age + span)


def _age_module(min_age: int, max_age: int):
    module = ModuleFactory()
    EligibilityRule.objects.create(module=module, action=Cap.VOTE, min_age=min_age, max_age=max_age)
    return module


def _user_born(born: datetime.date):
    return VerificationFactory(birth_date=born).user


def test_it_describes_a_rule_in_a_sentence(tree):
    described = rule(territories=[tree["commune"]], min_age=16, max_age=25).describe()
    assert described == "être un habitant vérifié, résider à Lumerac, avoir au moins 16 ans, avoir au plus 25 ans"
