"""Who may build, answer and read a questionnaire: roles × phases × settings × eligibility."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participe.core.capabilities import Cap
from participe.modules.surveys.tests.factories import (
    QuestionnaireFactory,
    ResponseFactory,
    SurveyModuleFactory,
    preparation_phase,
    results_phase,
)
from participe.spaces.models import Module, Space, SpaceMembership
from participe.verifications.models import EligibilityRule
from tests.factories import (
    PhaseFactory,
    TerritoryFactory,
    UserFactory,
    VerificationFactory,
    make_agent,
    make_org_admin,
    make_space_role,
)

pytestmark = pytest.mark.django_db


def fresh(module: Module) -> Module:
    """The module as a new request sees it (predicates cache roles and rules on the objects)."""
    return Module.objects.select_related("space").get(pk=module.pk)


def survey(**settings: object) -> Module:
    module = SurveyModuleFactory()
    module.settings = {**module.settings, **settings}
    module.save()
    return fresh(module)


def can(user, perm: str, obj) -> bool:
    return user.has_perm(f"surveys.{perm}", obj)


# --- building -------------------------------------------------------------------------------------------------
def test_organisation_and_space_administrators_build_questionnaires():
    module = survey()
    assert can(make_org_admin(), "manage_questionnaire", module)
    assert can(make_space_role(module.space, SpaceMembership.Role.ADMIN), "manage_questionnaire", module)
    assert can(make_org_admin(), "try_questionnaire", module)
    assert can(make_org_admin(), "enter_paper_response", module)


@pytest.mark.parametrize("who", ["anonymous", "resident", "agent_elsewhere", "moderator", "member", "admin_elsewhere"])
def test_nobody_else_builds_them(who):
    module = survey()
    user = {
        "anonymous": lambda: AnonymousUser(),
        "resident": lambda: UserFactory(),
        "agent_elsewhere": lambda: make_agent(),
        "moderator": lambda: make_space_role(module.space, SpaceMembership.Role.MODERATOR),
        "member": lambda: make_space_role(module.space, SpaceMembership.Role.MEMBER),
        "admin_elsewhere": lambda: make_space_role(SurveyModuleFactory().space, SpaceMembership.Role.ADMIN),
    }[who]()
    for perm in ("manage_questionnaire", "try_questionnaire", "enter_paper_response", "view_responses"):
        assert not can(user, perm, module)


def test_the_questionnaire_object_works_like_its_module():
    questionnaire = QuestionnaireFactory()
    assert can(make_org_admin(), "manage_questionnaire", questionnaire)
    assert not can(UserFactory(), "manage_questionnaire", questionnaire)


# --- answering ------------------------------------------------------------------------------------------------
def test_anyone_answers_without_an_account_when_the_module_says_so():
    module = survey(access="anyone")
    assert can(AnonymousUser(), "answer_questionnaire", module)
    assert can(UserFactory(), "answer_questionnaire", module)


def test_only_signed_in_participants_answer_otherwise():
    module = survey(access="signed_in")
    assert not can(AnonymousUser(), "answer_questionnaire", module)
    assert can(UserFactory(), "answer_questionnaire", module)


@pytest.mark.parametrize("phase", ["preparation", "resultats", "none"])
def test_answers_are_open_only_during_the_answers_phase(phase):
    module = survey(access="anyone")
    if phase == "preparation":
        preparation_phase(module)
    elif phase == "resultats":
        results_phase(module)
    else:
        module.phases.all().delete()
    module = fresh(module)
    assert not can(AnonymousUser(), "answer_questionnaire", module)
    assert not can(UserFactory(), "answer_questionnaire", module)
    assert can(make_org_admin(), "try_questionnaire", module)  # testing works whatever the phase


def test_an_eligibility_rule_asks_for_a_verified_resident_even_when_open_to_anyone():
    quartier = TerritoryFactory(name="Les Tilleuls")
    module = survey(access="anyone")
    rule = EligibilityRule.objects.create(module=module, action=Cap.ANSWER, require_verification=True)
    rule.territories.set([quartier])
    module = fresh(module)
    assert not can(AnonymousUser(), "answer_questionnaire", module)
    assert not can(UserFactory(), "answer_questionnaire", fresh(module))
    elsewhere = VerificationFactory(territory=TerritoryFactory(name="Centre")).user
    assert not can(elsewhere, "answer_questionnaire", fresh(module))
    resident = VerificationFactory(territory=quartier).user
    assert can(resident, "answer_questionnaire", fresh(module))


def test_blocked_accounts_archived_spaces_unpublished_modules_and_private_spaces_close_answers():
    module = survey(access="anyone")
    blocked = UserFactory(blocked_at=timezone.now())
    assert not can(blocked, "answer_questionnaire", module)

    Space.objects.filter(pk=module.space_id).update(status=Space.Status.ARCHIVED)
    assert not can(AnonymousUser(), "answer_questionnaire", fresh(module))

    other = survey(access="anyone")
    Module.objects.filter(pk=other.pk).update(is_published=False)
    assert not can(AnonymousUser(), "answer_questionnaire", fresh(other))
    assert not can(AnonymousUser(), "view_questionnaire", fresh(other))
    assert can(make_org_admin(), "view_questionnaire", fresh(other))

    private = survey(access="anyone")
    Space.objects.filter(pk=private.space_id).update(visibility=Space.Visibility.PRIVATE)
    assert not can(AnonymousUser(), "answer_questionnaire", fresh(private))
    member = make_space_role(private.space, SpaceMembership.Role.MEMBER)
    assert can(member, "answer_questionnaire", fresh(private))


def test_a_phase_may_override_who_answers():
    module = survey(access="signed_in")
    module.phases.all().delete()
    now = timezone.now()
    PhaseFactory(
        module=module,
        phase_type="reponses",
        start=now - datetime.timedelta(days=1),
        end=now + datetime.timedelta(days=5),
        settings_overrides={"access": "anyone"},
    )
    assert can(AnonymousUser(), "answer_questionnaire", fresh(module))


# --- results and answers --------------------------------------------------------------------------------------
def test_results_are_for_the_staff_until_the_module_publishes_them():
    module = survey(results_public=False)
    assert can(make_org_admin(), "view_results", module)
    assert not can(AnonymousUser(), "view_results", module)
    public = survey(results_public=True)
    assert can(AnonymousUser(), "view_results", public)
    assert can(UserFactory(), "view_results", public)
    assert not can(AnonymousUser(), "view_responses", public)  # individual answers never


def test_open_data_follows_its_own_setting():
    assert not can(AnonymousUser(), "download_open_data", survey(results_open_data=False))
    assert can(AnonymousUser(), "download_open_data", survey(results_open_data=True))
    assert can(make_org_admin(), "download_open_data", survey(results_open_data=False))


def test_participants_reread_their_own_answers_unless_they_are_anonymous():
    named = QuestionnaireFactory()
    resident = UserFactory()
    response = ResponseFactory(questionnaire=named, participant=resident)
    assert can(resident, "view_own_answers", named.module)
    assert can(resident, "view_response", response)
    assert not can(UserFactory(), "view_response", response)
    assert not can(AnonymousUser(), "view_response", response)
    assert not can(AnonymousUser(), "view_own_answers", named.module)
    assert can(make_org_admin(), "view_response", response)

    anonymous = QuestionnaireFactory(module=survey(anonymous=True))
    hidden = ResponseFactory(questionnaire=anonymous, participant=resident)
    assert not can(resident, "view_own_answers", anonymous.module)
    assert not can(resident, "view_response", hidden)


# --- the explanation agrees with the rule --------------------------------------------------------------------------
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    who=st.sampled_from(["anonymous", "resident", "verified", "blocked"]),
    access=st.sampled_from(["anyone", "signed_in"]),
    rule=st.booleans(),
    phase=st.sampled_from(["reponses", "preparation", "resultats"]),
    archived=st.booleans(),
)
def test_explain_agrees_with_the_answering_rule(who, access, rule, phase, archived):
    from participe.permissions.explain import explain

    module = SurveyModuleFactory(space__status=Space.Status.ARCHIVED if archived else Space.Status.PUBLISHED)
    module.settings = {**module.settings, "access": access}
    module.save()
    if phase == "preparation":
        preparation_phase(module)
    elif phase == "resultats":
        results_phase(module)
    if rule:
        EligibilityRule.objects.create(module=module, action=Cap.ANSWER)
    user = (
        AnonymousUser() if who == "anonymous" else UserFactory(blocked_at=timezone.now() if who == "blocked" else None)
    )
    if who == "verified":
        VerificationFactory(user=user)
    module = Module.objects.get(pk=module.pk)
    verdict = explain(user, "surveys.answer_questionnaire", module)
    assert verdict.allowed is user.has_perm("surveys.answer_questionnaire", module)
    assert verdict.allowed or (verdict.reason is not None and verdict.reason.code != "not_allowed")
