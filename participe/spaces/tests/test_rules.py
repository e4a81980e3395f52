"""Permissions as role × phase matrices.

Time is frozen by patching ``django.utils.timezone.now``: the module of the test has a "collect" phase
(granting SUBMIT) then a "support" phase (granting SUPPORT), and each column of a table is an instant:

    before ──────── collect ──────── support ──────── after
    NOW        NOW+10d      NOW+20d         NOW+30d     NOW+40d
"""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from participe.core.capabilities import Cap
from participe.core.registry import ModuleManifest, PhaseType, registry
from participe.spaces.models import Space, SpaceMembership
from participe.verifications.models import EligibilityRule
from tests.factories import (
    ModuleFactory,
    PhaseFactory,
    SpaceFactory,
    UserFactory,
    VerificationFactory,
    make_agent,
    make_org_admin,
    make_space_role,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
DAY = datetime.timedelta(days=1)
COLLECT = (NOW + 10 * DAY, NOW + 20 * DAY)
SUPPORT = (NOW + 20 * DAY, NOW + 30 * DAY)
INSTANTS = {"before": NOW, "collect": NOW + 15 * DAY, "support": NOW + 25 * DAY, "after": NOW + 40 * DAY}
PHASES = tuple(INSTANTS)

ROLES = ("anonymous", "participant", "verified", "member", "moderator", "admin", "agent", "org_admin")

TEST_MANIFEST = ModuleManifest(
    key="test_support",
    name="Module de test",
    description="Collecte puis soutien : n'existe que dans les tests.",
    icon="flask",
    app_label="spaces",
    phase_types=(
        PhaseType(key="collect", name="Collecte", capabilities=frozenset({Cap.VIEW, Cap.SUBMIT})),
        PhaseType(key="support", name="Soutien", capabilities=frozenset({Cap.VIEW, Cap.SUPPORT})),
    ),
    actions=(Cap.SUBMIT, Cap.SUPPORT),
)


@pytest.fixture
def test_module_type():
    registry.register(TEST_MANIFEST)
    yield TEST_MANIFEST
    registry.unregister(TEST_MANIFEST.key)


SPACES = {
    "public": {"status": Space.Status.PUBLISHED, "visibility": Space.Visibility.PUBLIC},
    "archived": {"status": Space.Status.ARCHIVED, "visibility": Space.Visibility.PUBLIC},
    "private": {"status": Space.Status.PUBLISHED, "visibility": Space.Visibility.PRIVATE},
    "private_archived": {"status": Space.Status.ARCHIVED, "visibility": Space.Visibility.PRIVATE},
    "draft": {"status": Space.Status.DRAFT, "visibility": Space.Visibility.PUBLIC},
}


def make_module(space_kind: str = "public"):
    module = ModuleFactory(space=SpaceFactory(**SPACES[space_kind]), module_type=TEST_MANIFEST.key)
    PhaseFactory(module=module, phase_type="collect", name="Collecte", start=COLLECT[0], end=COLLECT[1])
    PhaseFactory(module=module, phase_type="support", name="Soutien", start=SUPPORT[0], end=SUPPORT[1])
    return module


def make_user(role: str, space: Space):
    """A user holding ``role``; space roles are held in ``space``."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "participant":
        return UserFactory()
    if role == "verified":
        user = UserFactory()
        VerificationFactory(user=user)
        return user
    if role in ("member", "moderator", "admin"):
        return make_space_role(space, getattr(SpaceMembership.Role, role.upper()))
    if role == "agent":
        return make_agent()
    if role == "org_admin":
        return make_org_admin()
    raise AssertionError(role)


def has_perm_at(instant: datetime.datetime, user, perm: str, obj=None) -> bool:
    with mock.patch("django.utils.timezone.now", return_value=instant):
        return user.has_perm(perm, obj)


def table(rows: dict[str, tuple[bool, ...]], columns: tuple[str, ...]) -> list:
    assert set(rows) == set(ROLES), "every role has a row"
    return [
        pytest.param(role, column, expected, id=f"{role}-{column}")
        for role, values in rows.items()
        for column, expected in zip(columns, values, strict=True)
    ]


# ---------------------------------------------------------------- spaces.view_space × kind of space
VIEW_SPACE = {
    #               public archived private private_archived draft
    "anonymous": (True, True, False, False, False),
    "participant": (True, True, False, False, False),
    "verified": (True, True, False, False, False),
    "member": (True, True, True, True, False),
    "moderator": (True, True, True, True, True),
    "admin": (True, True, True, True, True),
    "agent": (True, True, False, False, False),
    "org_admin": (True, True, True, True, True),
}


@pytest.mark.parametrize("role, space_kind, expected", table(VIEW_SPACE, tuple(SPACES)))
def test_it_lets_each_role_view_the_spaces_it_should(test_module_type, role, space_kind, expected):
    module = make_module(space_kind)
    user = make_user(role, module.space)
    for phase in PHASES:  # seeing a space does not depend on its calendar
        assert has_perm_at(INSTANTS[phase], user, "spaces.view_space", module.space) is expected, phase


# ---------------------------------------------------------------- roles that do not depend on the phase
CHANGE_SPACE = {
    "anonymous": (False,),
    "participant": (False,),
    "verified": (False,),
    "member": (False,),
    "moderator": (False,),
    "admin": (True,),
    "agent": (False,),
    "org_admin": (True,),
}
MODERATE_SPACE = {
    "anonymous": (False,),
    "participant": (False,),
    "verified": (False,),
    "member": (False,),
    "moderator": (True,),
    "admin": (True,),
    "agent": (False,),
    "org_admin": (True,),
}
BACKOFFICE_ACCESS = {
    "anonymous": (False,),
    "participant": (False,),
    "verified": (False,),
    "member": (False,),
    "moderator": (True,),
    "admin": (True,),
    "agent": (True,),
    "org_admin": (True,),
}


@pytest.mark.parametrize(
    "perm, rows", [("spaces.change_space", CHANGE_SPACE), ("spaces.moderate_space", MODERATE_SPACE)]
)
@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_it_gives_space_management_to_the_right_roles_in_every_phase(test_module_type, perm, rows, role, phase):
    module = make_module()
    user = make_user(role, module.space)
    assert has_perm_at(INSTANTS[phase], user, perm, module.space) is rows[role][0]
    # A module (or a phase) of the space is judged like the space itself.
    assert has_perm_at(INSTANTS[phase], user, perm, module) is rows[role][0]


@pytest.mark.parametrize("role", ROLES)
def test_it_opens_the_backoffice_to_staff_only(test_module_type, role):
    module = make_module()
    user = make_user(role, module.space)
    for phase in PHASES:
        assert has_perm_at(INSTANTS[phase], user, "backoffice.access") is BACKOFFICE_ACCESS[role][0], phase


def test_it_gives_no_management_right_over_another_space(test_module_type):
    module = make_module()
    other = SpaceFactory()
    for role in ("moderator", "admin", "member"):
        user = make_user(role, other)
        assert not user.has_perm("spaces.change_space", module.space)
        assert not user.has_perm("spaces.moderate_space", module.space)


# ---------------------------------------------------------------- spaces.<cap>_in_module × phase
COLUMNS = ("before", "collect", "support", "after")
SUPPORT_IN_PUBLIC_SPACE = {
    #               before collect support after
    "anonymous": (False, False, False, False),
    "participant": (False, False, True, False),
    "verified": (False, False, True, False),
    "member": (False, False, True, False),
    "moderator": (False, False, True, False),
    "admin": (False, False, True, False),
    "agent": (False, False, True, False),
    "org_admin": (False, False, True, False),
}
SUBMIT_IN_PUBLIC_SPACE = {
    "anonymous": (False, False, False, False),
    "participant": (False, True, False, False),
    "verified": (False, True, False, False),
    "member": (False, True, False, False),
    "moderator": (False, True, False, False),
    "admin": (False, True, False, False),
    "agent": (False, True, False, False),
    "org_admin": (False, True, False, False),
}
SUPPORT_IN_PRIVATE_SPACE = {
    "anonymous": (False, False, False, False),
    "participant": (False, False, False, False),
    "verified": (False, False, False, False),
    "member": (False, False, True, False),
    "moderator": (False, False, True, False),
    "admin": (False, False, True, False),
    "agent": (False, False, False, False),
    "org_admin": (False, False, True, False),
}
# The staff of a draft space try its modules before publishing it; nobody else sees it.
SUPPORT_IN_DRAFT_SPACE = {
    "anonymous": (False, False, False, False),
    "participant": (False, False, False, False),
    "verified": (False, False, False, False),
    "member": (False, False, False, False),
    "moderator": (False, False, True, False),
    "admin": (False, False, True, False),
    "agent": (False, False, False, False),
    "org_admin": (False, False, True, False),
}
# An archived space can be read, not taken part in, even if a phase was left running.
SUPPORT_IN_ARCHIVED_SPACE = dict.fromkeys(ROLES, (False, False, False, False))
# With an eligibility rule "verified residents only" on SUPPORT: roles give no exemption.
SUPPORT_FOR_VERIFIED_ONLY = {
    "anonymous": (False, False, False, False),
    "participant": (False, False, False, False),
    "verified": (False, False, True, False),
    "member": (False, False, False, False),
    "moderator": (False, False, False, False),
    "admin": (False, False, False, False),
    "agent": (False, False, False, False),
    "org_admin": (False, False, False, False),
}


def _in_module_cases():
    cases = [
        ("support", "public", False, SUPPORT_IN_PUBLIC_SPACE),
        ("submit", "public", False, SUBMIT_IN_PUBLIC_SPACE),
        ("support", "private", False, SUPPORT_IN_PRIVATE_SPACE),
        ("support", "draft", False, SUPPORT_IN_DRAFT_SPACE),
        ("support", "archived", False, SUPPORT_IN_ARCHIVED_SPACE),
        ("support", "public", True, SUPPORT_FOR_VERIFIED_ONLY),
    ]
    for cap, space_kind, verified_only, rows in cases:
        for param in table(rows, COLUMNS):
            role, column, expected = param.values
            label = f"{cap}-{space_kind}{'-verified_only' if verified_only else ''}-{param.id}"
            yield pytest.param(cap, space_kind, verified_only, role, column, expected, id=label)


@pytest.mark.parametrize("cap, space_kind, verified_only, role, column, expected", list(_in_module_cases()))
def test_it_lets_each_role_participate_only_when_the_phase_allows_it(
    test_module_type, cap, space_kind, verified_only, role, column, expected
):
    module = make_module(space_kind)
    if verified_only:
        EligibilityRule.objects.create(module=module, action=Cap.SUPPORT, require_verification=True)
    user = make_user(role, module.space)
    assert has_perm_at(INSTANTS[column], user, f"spaces.{cap}_in_module", module) is expected


@pytest.mark.parametrize(
    "instant, expected",
    [
        (SUPPORT[0] - datetime.timedelta(microseconds=1), False),
        (SUPPORT[0], True),  # a phase starts at its first instant
        (SUPPORT[1] - datetime.timedelta(microseconds=1), True),
        (SUPPORT[1], False),  # and is over at its end
    ],
)
def test_it_opens_and_closes_a_phase_exactly_at_its_bounds(test_module_type, instant, expected):
    module = make_module()
    assert has_perm_at(instant, UserFactory(), "spaces.support_in_module", module) is expected


def test_it_refuses_participation_in_an_unpublished_module_even_to_its_admins(test_module_type):
    module = make_module()
    module.is_published = False
    module.save()
    for role in ("participant", "admin", "org_admin"):
        user = make_user(role, module.space)
        assert not has_perm_at(INSTANTS["support"], user, "spaces.support_in_module", module), role
    assert has_perm_at(INSTANTS["support"], make_user("admin", module.space), "spaces.view_module", module)
    assert not has_perm_at(INSTANTS["support"], UserFactory(), "spaces.view_module", module)


@pytest.mark.parametrize("state", ["blocked", "inactive"])
def test_it_refuses_everything_to_a_blocked_or_inactive_account(test_module_type, state):
    module = make_module()
    user = make_org_admin()
    if state == "blocked":
        user.blocked_at = timezone.now()
    else:
        user.is_active = False
    user.save()
    assert not has_perm_at(INSTANTS["support"], user, "spaces.support_in_module", module)
    assert not user.has_perm("spaces.change_space", module.space)
    assert not user.has_perm("backoffice.access")


def test_it_judges_an_item_of_a_module_by_its_module(test_module_type):
    module = make_module()

    class Proposal:  # any item with a ``module`` attribute, as a module's own models have
        def __init__(self, module):
            self.module = module

    user = UserFactory()
    assert has_perm_at(INSTANTS["support"], user, "spaces.support_in_module", Proposal(module))
    assert not has_perm_at(INSTANTS["collect"], user, "spaces.support_in_module", Proposal(module))


def test_it_registers_a_perm_for_every_capability():
    import rules

    for cap in Cap:
        assert rules.perm_exists(f"spaces.{cap.value}_in_module")
