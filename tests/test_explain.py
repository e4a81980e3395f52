"""``explain``: allowed, or why not, from the same steps that decide.

The rule and its explanation are one object (a ``Requirement``): the property tested here over many combinations of
people, spaces, calendars and eligibility rules is that ``explain(user, perm, obj).allowed == user.has_perm(perm,
obj)``, and that a refusal always comes with a reason of a known kind.
"""

from __future__ import annotations

import contextlib
import datetime
from unittest import mock

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participe.core.capabilities import Cap
from participe.permissions.explain import Requirement, Step, add_perm, explain, explains
from participe.permissions.refusals import NOT_ALLOWED, Reason, Refused, require
from participe.spaces.models import Space, SpaceMembership
from participe.supports import services as supports
from participe.verifications.models import EligibilityRule
from tests.factories import (
    ItemFactory,
    ModuleFactory,
    PhaseFactory,
    SpaceFactory,
    TerritoryFactory,
    UserFactory,
    VerificationFactory,
    make_org_admin,
    make_space_role,
)

NOW = timezone.now().replace(microsecond=0)
DAY = datetime.timedelta(days=1)


# --- a requirement, without the database ---------------------------------------------------------------------------
@rules.predicate
def is_even(user: object, number: int) -> bool:
    return number % 2 == 0


@rules.predicate
def is_small(user: object, number: int) -> bool:
    return number < 10


EVEN = Reason("odd", "Il faut un nombre pair.")
SMALL = Step("small", is_small, lambda user, number: Reason("big", f"{number} est trop grand."))
REQUIREMENT = Requirement(Step("even", is_even, EVEN), SMALL)


@pytest.mark.parametrize("number, codes", [(4, []), (3, ["odd"]), (12, ["big"]), (13, ["odd"])])
def test_a_requirement_answers_with_the_first_step_that_fails(number, codes):
    verdict = REQUIREMENT.explain(None, number)
    assert verdict.allowed is (not codes)
    assert verdict.codes == codes
    assert REQUIREMENT.predicate.test(None, number) is verdict.allowed


def test_a_requirement_is_declared_as_a_rule_and_its_explanation_at_once():
    add_perm("tests.small_even", REQUIREMENT)
    try:
        user = UserFactory.build()
        assert explains("tests.small_even")
        assert user.has_perm("tests.small_even", 8) and explain(user, "tests.small_even", 8).allowed
        assert not user.has_perm("tests.small_even", 12)
        assert explain(user, "tests.small_even", 12).message == "12 est trop grand."
        with pytest.raises(Refused) as refused:
            require(user, "tests.small_even", 12)
        assert refused.value.codes == ["big"]
    finally:
        rules.remove_perm("tests.small_even")


def test_steps_can_be_replaced_or_exempted():
    wording = REQUIREMENT.replacing("small", SMALL.saying(Reason("big", "Trop grand pour ici.")))
    assert wording.explain(None, 12).message == "Trop grand pour ici."
    assert wording.names == ["even", "small"]
    relaxed = REQUIREMENT.replacing("even", Step("even", is_even, EVEN).unless(is_small))
    assert relaxed.explain(None, 3).allowed and not relaxed.explain(None, 13).allowed
    with pytest.raises(KeyError):
        REQUIREMENT.replacing("missing", SMALL)


@pytest.mark.django_db
def test_a_permission_without_requirement_is_a_yes_or_a_generic_no():
    assert explain(make_org_admin(), "organisation.change_organisation").allowed
    verdict = explain(UserFactory(), "organisation.change_organisation")
    assert not verdict.allowed and verdict.reasons == (NOT_ALLOWED,)
    assert not explain(None, "organisation.change_organisation").allowed


@pytest.mark.django_db
def test_a_superuser_is_allowed_as_has_perm_allows_them():
    module = ModuleFactory(space=SpaceFactory(status=Space.Status.ARCHIVED))
    superuser = UserFactory(is_superuser=True)
    assert superuser.has_perm("spaces.comment_in_module", module)
    assert explain(superuser, "spaces.comment_in_module", module).allowed


# --- taking part: the rule and its explanation agree, whatever the case --------------------------------------------
PHASES = {
    # The test module's "participation" phase grants COMMENT, SUPPORT and SUBMIT; "information" only VIEW.
    "before": NOW,
    "participation": NOW + 15 * DAY,
    "information": NOW + 25 * DAY,
    "after": NOW + 40 * DAY,
}
SPACES = {
    "public": {"status": Space.Status.PUBLISHED, "visibility": Space.Visibility.PUBLIC},
    "private": {"status": Space.Status.PUBLISHED, "visibility": Space.Visibility.PRIVATE},
    "archived": {"status": Space.Status.ARCHIVED, "visibility": Space.Visibility.PUBLIC},
    "draft": {"status": Space.Status.DRAFT, "visibility": Space.Visibility.PUBLIC},
}
PEOPLE = ("anonymous", "resident", "verified_here", "verified_elsewhere", "young", "blocked", "member", "admin")
RULES = ("none", "signed_in", "verified", "territory", "adult")
PERMS = (
    "spaces.comment_in_module",
    "spaces.support_in_module",
    "spaces.submit_in_module",
    "spaces.vote_in_module",
    "comments.add_comment",
    "supports.add_support",
    "supports.withdraw_support",
)
KNOWN_CODES = {
    "cannot_see",
    "archived",
    "phase_closed",
    "not_signed_in",
    "blocked",
    "not_verified",
    "not_eligible",
    "closed_item",
    "pending_moderation",
    "limit_reached",
}


def _module(space_kind: str, published: bool, rule: str, territory):
    module = ModuleFactory(
        space=SpaceFactory(**SPACES[space_kind]),
        module_type="testmodule",
        is_published=published,
        settings={"supports_limit": 1},
    )
    PhaseFactory(module=module, phase_type="participation", start=NOW + 10 * DAY, end=NOW + 20 * DAY)
    PhaseFactory(module=module, phase_type="information", start=NOW + 20 * DAY, end=NOW + 30 * DAY)
    if rule != "none":
        for action in (Cap.COMMENT, Cap.SUPPORT, Cap.SUBMIT, Cap.VOTE):
            created = EligibilityRule.objects.create(
                module=module,
                action=action,
                require_verification=rule != "signed_in",
                min_age=18 if rule == "adult" else None,
            )
            if rule == "territory":
                created.territories.set([territory])
    return module


def _person(kind: str, module, territory):
    if kind == "anonymous":
        return AnonymousUser()
    if kind in ("member", "admin"):
        return make_space_role(module.space, getattr(SpaceMembership.Role, kind.upper()))
    user = UserFactory(blocked_at=NOW if kind == "blocked" else None)
    if kind == "verified_here":
        VerificationFactory(user=user, territory=territory)
    elif kind == "verified_elsewhere":
        VerificationFactory(user=user, territory=TerritoryFactory())
    elif kind == "young":
        VerificationFactory(user=user, territory=territory, birth_date=(NOW - 16 * 365 * DAY).date())
    return user


def _object(perm: str, module, user):
    if perm.startswith("spaces."):
        return module
    item = ItemFactory(module=module)
    if perm == "supports.add_support" and getattr(user, "is_authenticated", False):
        # One support already given elsewhere in the module: the allowance of 1 is used up.
        other = ItemFactory(module=module)
        with (
            mock.patch("django.utils.timezone.now", return_value=PHASES["participation"]),
            contextlib.suppress(Refused),
        ):
            supports.support_add(actor=user, target=other)
    return item


@pytest.mark.django_db
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    space_kind=st.sampled_from(tuple(SPACES)),
    published=st.booleans(),
    rule=st.sampled_from(RULES),
    kind=st.sampled_from(PEOPLE),
    perm=st.sampled_from(PERMS),
    moment=st.sampled_from(tuple(PHASES)),
)
def test_explain_agrees_with_has_perm(space_kind, published, rule, kind, perm, moment):
    territory = TerritoryFactory()
    module = _module(space_kind, published, rule, territory)
    user = _person(kind, module, territory)
    obj = _object(perm, module, user)
    with mock.patch("django.utils.timezone.now", return_value=PHASES[moment]):
        verdict = explain(user, perm, obj)
        assert verdict.allowed is user.has_perm(perm, obj)
    if verdict.allowed:
        assert verdict.reasons == ()
    else:
        assert verdict.reason is not None and verdict.reason.code in KNOWN_CODES and str(verdict.reason.message)


# --- the reasons people read ---------------------------------------------------------------------------------------
@pytest.fixture
def module():
    return _module("public", True, "none", None)


def at(moment: str):
    return mock.patch("django.utils.timezone.now", return_value=PHASES[moment])


@pytest.mark.django_db
def test_a_visitor_is_told_to_sign_in_with_the_login_page(module):
    with at("participation"):
        reason = explain(AnonymousUser(), "spaces.comment_in_module", module).reason
    assert reason.code == "not_signed_in" and reason.message == "Connectez-vous pour commenter."
    assert reason.action_url == "/compte/login/"


@pytest.mark.django_db
def test_the_phase_says_when_it_opens_or_since_when_it_is_closed(module):
    user = UserFactory()
    with at("before"):
        assert "Les commentaires ouvriront le" in explain(user, "spaces.comment_in_module", module).message
        # Nobody is asked to sign in to find the phase closed.
        assert explain(AnonymousUser(), "spaces.comment_in_module", module).codes == ["phase_closed"]
    with at("after"):
        assert "Les commentaires sont clos depuis le" in explain(user, "spaces.comment_in_module", module).message
    with at("participation"):
        assert explain(user, "spaces.vote_in_module", module).message == "Le vote n'est pas ouvert pendant cette étape."


@pytest.mark.django_db
def test_the_eligibility_rule_gives_its_own_reason():
    territory = TerritoryFactory(name="Les Tilleuls")
    module = _module("public", True, "territory", territory)
    with at("participation"):
        unverified = explain(UserFactory(), "spaces.support_in_module", module).reason
        elsewhere = explain(_person("verified_elsewhere", module, territory), "spaces.support_in_module", module)
    assert unverified.code == "not_verified" and unverified.action_url == "/verification/"
    assert elsewhere.codes == ["not_eligible"]
    assert elsewhere.message == "Cette participation est réservée aux habitants d'un autre territoire."


@pytest.mark.django_db
def test_a_blocked_account_and_an_archived_space_are_said_so(module):
    with at("participation"):
        assert explain(UserFactory(blocked_at=NOW), "spaces.comment_in_module", module).codes == ["blocked"]
    archived = _module("archived", True, "none", None)
    with at("participation"):
        assert explain(UserFactory(), "spaces.comment_in_module", archived).codes == ["archived"]


@pytest.mark.django_db
def test_the_allowance_used_up_points_to_ones_supports(module):
    user = UserFactory()
    with at("participation"):
        supports.support_add(actor=user, target=ItemFactory(module=module))
        verdict = explain(user, "supports.add_support", ItemFactory(module=module))
    assert verdict.codes == ["limit_reached"]
    assert verdict.reason.action_url == f"/soutiens/module/{module.pk}/"
