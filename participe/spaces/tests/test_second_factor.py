"""Staff roles count, for the person signed in to a request, once the session passed the second factor; outside a
request and for other people, they count as held."""

from __future__ import annotations

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from participe.permissions.explain import explain
from participe.permissions.second_factor import bound_to, roles_count, session_passed
from participe.spaces.predicates import is_agent, is_org_admin, is_space_admin, is_space_member
from tests.factories import SpaceFactory, UserFactory, make_agent, make_org_admin, make_space_role, with_totp

pytestmark = pytest.mark.django_db


def request_of(user, *, second_factor: bool = False):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = user
    if second_factor:
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        record_authentication(request, user, "mfa", id=authenticator.pk, type="totp")
    return request


def test_outside_a_request_the_roles_count():
    admin = make_org_admin()
    assert roles_count(admin)
    assert is_org_admin(admin)


def test_in_a_request_the_signed_in_user_s_roles_wait_for_the_second_factor():
    admin, agent = make_org_admin(), make_agent()
    space = SpaceFactory()
    space_admin = make_space_role(space, "admin")
    for user, predicate in [(admin, is_org_admin), (agent, is_agent)]:
        with bound_to(request_of(user)):
            assert not predicate(user)
        with bound_to(request_of(user, second_factor=True)):
            assert predicate(user)
    with bound_to(request_of(space_admin)):
        assert not is_space_admin(space_admin, space)
        assert not is_space_member(space_admin, space)  # administering is no membership before the code


def test_membership_of_a_private_space_is_no_staff_role_and_counts():
    space = SpaceFactory()
    member = make_space_role(space, "member")
    with bound_to(request_of(member)):
        assert is_space_member(member, space)


def test_other_people_a_request_reasons_about_keep_their_roles():
    visitor, admin = UserFactory(), make_org_admin()
    with bound_to(request_of(visitor)):
        assert is_org_admin(admin)


def test_the_same_person_loaded_again_gets_the_same_answer():
    admin = make_org_admin()
    with bound_to(request_of(admin)):
        assert not is_org_admin(type(admin).objects.get(pk=admin.pk))


def test_an_authenticator_removed_since_does_not_count():
    admin = make_org_admin()
    request = request_of(admin, second_factor=True)
    assert session_passed(request)
    Authenticator.objects.filter(user=admin).delete()
    fresh = request_of(admin)
    fresh.session = request.session
    assert not session_passed(fresh)


def test_a_record_of_another_account_does_not_count():
    admin, other = make_org_admin(), with_totp(UserFactory())
    request = request_of(other, second_factor=True)
    request.user = admin
    with bound_to(request):
        assert not is_org_admin(admin)


def test_the_setting_turns_the_rule_off(settings):
    settings.PARTICIPE_STAFF_MFA_REQUIRED = False
    admin = make_org_admin()
    with bound_to(request_of(admin)):
        assert is_org_admin(admin)


def test_a_superuser_has_every_permission_only_after_the_second_factor():
    superuser = with_totp(UserFactory(is_superuser=True))
    with bound_to(request_of(superuser)):
        # Django's model permission "spaces.add_space" (every superuser holds it) is not enough.
        assert not superuser.has_perm("spaces.add_space")
        assert not superuser.has_perm("moderation.access_queue")
        assert not explain(superuser, "spaces.change_space", SpaceFactory()).allowed
    with bound_to(request_of(superuser, second_factor=True)):
        assert superuser.has_perm("spaces.add_space")
        assert explain(superuser, "spaces.change_space", SpaceFactory()).allowed
