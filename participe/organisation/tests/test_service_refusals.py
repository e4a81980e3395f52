"""Every write on the organisation, its territories, themes and services is for organisation administrators: the
service refuses anyone else (``Refused``) before writing anything."""

from __future__ import annotations

import pytest

from participe.organisation import services
from participe.organisation.models import Service, Territory, Theme
from tests.factories import ServiceFactory, TerritoryFactory, ThemeFactory, UserFactory, make_agent
from tests.writes import assert_refused

pytestmark = pytest.mark.django_db


def organisation_update(actor):
    return lambda: services.organisation_update(actor=actor, data={"name": "Autre ville"})


def territory_save(actor):
    return lambda: services.territory_save(actor=actor, territory=Territory(), data={"name": "Le Port"})


def territory_delete(actor):
    territory = TerritoryFactory()
    return lambda: services.territory_delete(actor=actor, territory=territory)


def theme_save(actor):
    return lambda: services.theme_save(actor=actor, theme=Theme(), data={"name": "Culture"})


def theme_move(actor):
    ThemeFactory()
    theme = ThemeFactory()
    return lambda: services.theme_move(actor=actor, theme=theme, direction="up")


def theme_delete(actor):
    theme = ThemeFactory()
    return lambda: services.theme_delete(actor=actor, theme=theme)


def service_save(actor):
    return lambda: services.service_save(actor=actor, service=Service(), data={"name": "Voirie"})


def service_delete(actor):
    service = ServiceFactory()
    return lambda: services.service_delete(actor=actor, service=service)


def service_member_add(actor):
    service, user = ServiceFactory(), UserFactory()
    return lambda: services.service_member_add(actor=actor, service=service, user=user)


def service_member_remove(actor):
    service, user = ServiceFactory(), UserFactory()
    service.members.add(user)
    return lambda: services.service_member_remove(actor=actor, service=service, user=user)


CASES = [
    organisation_update,
    territory_save,
    territory_delete,
    theme_save,
    theme_move,
    theme_delete,
    service_save,
    service_delete,
    service_member_add,
    service_member_remove,
]


@pytest.mark.parametrize("who", ["resident", "agent"])
@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_only_organisation_administrators_change_the_organisation(case, who):
    actor = UserFactory() if who == "resident" else make_agent()
    assert_refused(case(actor))
