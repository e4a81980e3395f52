"""Reads for the public pages: which spaces a user sees, filters, what is open now, next deadlines."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from participe.spaces import selectors
from participe.spaces.models import Space, SpaceMembership
from tests.factories import (
    ModuleFactory,
    PhaseFactory,
    SpaceFactory,
    TerritoryFactory,
    ThemeFactory,
    UserFactory,
    make_org_admin,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def spaces():
    return {
        "public": SpaceFactory(title="public"),
        "private": SpaceFactory(title="private", visibility=Space.Visibility.PRIVATE),
        "draft": SpaceFactory(title="draft", status=Space.Status.DRAFT),
        "archived": SpaceFactory(title="archived", status=Space.Status.ARCHIVED),
        "private_archived": SpaceFactory(
            title="private_archived", status=Space.Status.ARCHIVED, visibility=Space.Visibility.PRIVATE
        ),
    }


def titles(qs) -> set[str]:
    return {s.title for s in qs}


def test_it_shows_public_published_and_archived_spaces_to_visitors(spaces):
    assert titles(selectors.spaces_visible_to(AnonymousUser())) == {"public", "archived"}
    assert titles(selectors.spaces_visible_to(None)) == {"public", "archived"}
    assert titles(selectors.spaces_visible_to(UserFactory())) == {"public", "archived"}


def test_it_adds_the_private_spaces_a_user_is_a_member_of(spaces):
    user = UserFactory()
    SpaceMembership.objects.create(space=spaces["private"], user=user, role=SpaceMembership.Role.MEMBER)
    SpaceMembership.objects.create(space=spaces["private_archived"], user=user, role=SpaceMembership.Role.MODERATOR)
    SpaceMembership.objects.create(space=spaces["draft"], user=user, role=SpaceMembership.Role.ADMIN)
    assert titles(selectors.spaces_visible_to(user)) == {"public", "archived", "private", "private_archived"}


def test_it_shows_every_space_but_drafts_to_organisation_admins(spaces):
    assert titles(selectors.spaces_visible_to(make_org_admin())) == {
        "public",
        "private",
        "archived",
        "private_archived",
    }


def test_it_agrees_with_the_view_space_permission(spaces):
    users = [AnonymousUser(), UserFactory(), make_org_admin()]
    member = UserFactory()
    SpaceMembership.objects.create(space=spaces["private"], user=member, role=SpaceMembership.Role.MEMBER)
    users.append(member)
    for user in users:
        listed = titles(selectors.spaces_visible_to(user))
        # Drafts are left out of public lists even for their staff (they see them in the back-office).
        allowed = {
            s.title for s in spaces.values() if user.has_perm("spaces.view_space", s) and s.status != Space.Status.DRAFT
        }
        assert listed == allowed, user


@pytest.fixture
def dated():
    return {
        "ongoing": SpaceFactory(title="ongoing", start_date=TODAY - 10 * DAY, end_date=TODAY + 10 * DAY),
        "starts_today": SpaceFactory(title="starts_today", start_date=TODAY, end_date=TODAY + DAY),
        "ends_today": SpaceFactory(title="ends_today", start_date=TODAY - DAY, end_date=TODAY),
        "open_ended": SpaceFactory(title="open_ended", start_date=TODAY - DAY, end_date=None),
        "undated": SpaceFactory(title="undated", start_date=None, end_date=None, kind=Space.Kind.ASSEMBLY),
        "upcoming": SpaceFactory(title="upcoming", start_date=TODAY + DAY, end_date=TODAY + 30 * DAY),
        "finished": SpaceFactory(title="finished", start_date=TODAY - 30 * DAY, end_date=TODAY - DAY),
        "archived": SpaceFactory(
            title="archived", status=Space.Status.ARCHIVED, start_date=TODAY - 10 * DAY, end_date=TODAY + 10 * DAY
        ),
    }


@pytest.mark.parametrize(
    "timing, expected",
    [
        ("ongoing", {"ongoing", "starts_today", "ends_today", "open_ended", "undated"}),
        ("upcoming", {"upcoming"}),
        ("finished", {"finished", "archived"}),  # an archived space is over, whatever its dates
        (None, {"ongoing", "starts_today", "ends_today", "open_ended", "undated", "upcoming", "finished", "archived"}),
    ],
)
def test_it_filters_spaces_by_timing(dated, timing, expected):
    visible = selectors.spaces_visible_to(AnonymousUser())
    assert titles(selectors.filter_spaces(visible, timing=timing, today=TODAY)) == expected


@pytest.mark.parametrize("kind, expected", [("process", 7), ("assembly", 1), ("nonsense", 8), (None, 8)])
def test_it_filters_spaces_by_kind(dated, kind, expected):
    assert selectors.filter_spaces(Space.objects.exclude(status="draft"), kind=kind, today=TODAY).count() == expected


@pytest.fixture
def tree():
    commune = TerritoryFactory(name="Lumerac", kind="commune")
    quartier = TerritoryFactory(name="Les Tilleuls", parent=commune)
    other = TerritoryFactory(name="Le Port", parent=commune)
    ilot = TerritoryFactory(name="Îlot", parent=quartier)
    for name, territories in [
        ("commune", [commune]),
        ("quartier", [quartier]),
        ("other", [other]),
        ("ilot", [ilot]),
        ("both", [quartier, other]),
        ("nowhere", []),
    ]:
        SpaceFactory(title=name).territories.set(territories)
    return {"commune": commune, "quartier": quartier, "other": other, "ilot": ilot}


@pytest.mark.parametrize(
    "territory, expected",
    [
        # The commune's page lists everything in it; a quartier's lists its own, what is under it and the commune's.
        ("commune", {"commune", "quartier", "other", "ilot", "both"}),
        ("quartier", {"commune", "quartier", "ilot", "both"}),
        ("ilot", {"commune", "quartier", "ilot", "both"}),
        ("other", {"commune", "other", "both"}),
    ],
)
def test_it_filters_spaces_by_territory_with_its_ancestors_and_descendants(tree, territory, expected):
    qs = selectors.filter_spaces(Space.objects.all(), territory=tree[territory])
    result = list(qs)
    assert titles(result) == expected
    assert len(result) == len(expected)  # "both" is listed once


def test_it_filters_spaces_by_theme():
    mobility, green = ThemeFactory(slug="mobilite"), ThemeFactory(slug="nature")
    SpaceFactory(title="bus").themes.set([mobility])
    SpaceFactory(title="parc").themes.set([green])
    SpaceFactory(title="pistes").themes.set([mobility, green])
    assert titles(selectors.filter_spaces(Space.objects.all(), theme_slug="mobilite")) == {"bus", "pistes"}
    assert titles(selectors.filter_spaces(Space.objects.all(), theme_slug="absent")) == set()


def test_it_combines_filters():
    theme = ThemeFactory(slug="mobilite")
    territory = TerritoryFactory()
    match = SpaceFactory(title="match", kind=Space.Kind.ASSEMBLY)
    match.themes.set([theme])
    match.territories.set([territory])
    other_kind = SpaceFactory(title="other_kind")
    other_kind.themes.set([theme])
    other_kind.territories.set([territory])
    qs = selectors.filter_spaces(
        Space.objects.all(), theme_slug="mobilite", territory=territory, kind="assembly", timing="ongoing"
    )
    assert titles(qs) == {"match"}


def running(space, *, ends_in_days: int, published: bool = True):
    now = timezone.now()
    module = ModuleFactory(space=space, is_published=published, title=f"{space.title}-{ends_in_days}")
    return PhaseFactory(module=module, start=now - DAY, end=now + ends_in_days * DAY)


def test_it_lists_the_phases_open_now_in_visible_spaces_ending_soonest_first(spaces):
    now = timezone.now()
    late = running(spaces["public"], ends_in_days=20)
    soon = running(spaces["public"], ends_in_days=2)
    running(spaces["private"], ends_in_days=1)
    running(spaces["draft"], ends_in_days=1)
    running(spaces["public"], ends_in_days=1, published=False)
    PhaseFactory(module=ModuleFactory(space=spaces["public"]), start=now + DAY, end=now + 9 * DAY)  # not yet
    PhaseFactory(module=ModuleFactory(space=spaces["public"]), start=now - 9 * DAY, end=now - DAY)  # over
    assert selectors.open_phases(AnonymousUser()) == [soon, late]
    assert selectors.open_phases(AnonymousUser(), limit=1) == [soon]


def test_it_opens_nothing_in_an_archived_space(spaces):
    running(spaces["archived"], ends_in_days=3)
    assert selectors.open_phases(AnonymousUser()) == []
    assert selectors.next_deadlines(AnonymousUser()) == []


def test_it_shows_private_open_phases_to_members(spaces):
    phase = running(spaces["private"], ends_in_days=1)
    member = UserFactory()
    SpaceMembership.objects.create(space=spaces["private"], user=member, role="member")
    assert selectors.open_phases(member) == [phase]
    assert selectors.open_phases(UserFactory()) == []


def test_it_lists_the_next_deadlines_including_phases_not_started(spaces):
    now = timezone.now()
    current = running(spaces["public"], ends_in_days=5)
    future = PhaseFactory(module=ModuleFactory(space=spaces["public"]), start=now + DAY, end=now + 3 * DAY)
    PhaseFactory(module=ModuleFactory(space=spaces["public"]), start=now - 9 * DAY, end=now - DAY)
    running(spaces["private"], ends_in_days=1)
    assert selectors.next_deadlines(AnonymousUser()) == [future, current]


def test_it_builds_the_detail_of_a_space_with_its_timeline():
    now = timezone.now()
    space = SpaceFactory()
    info = ModuleFactory(space=space, title="Information", position=0)
    later = ModuleFactory(space=space, title="Restitution", position=1)
    ModuleFactory(space=space, title="Caché", is_published=False)
    first = PhaseFactory(module=info, start=now - DAY, end=now + DAY)
    second = PhaseFactory(module=later, phase_type="restitution", start=now + DAY, end=now + 9 * DAY)
    detail = selectors.space_detail(space)
    assert [m.title for m in detail["modules"]] == ["Information", "Restitution"]
    assert detail["current_modules"] == [info]
    assert detail["other_modules"] == [later]
    assert detail["timeline"] == [(first, info), (second, later)]
