"""``request.acting_for`` is set only for agents acting for a managed account."""

from __future__ import annotations

import pytest

from participe.verifications.services import managed_account_create
from tests.factories import UserFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db


def acting_client(client, user, resident_pk):
    client.force_login(user)
    session = client.session
    session["acting_for"] = resident_pk
    session.save()
    return client


@pytest.fixture
def resident():
    return managed_account_create(
        agent=make_agent(), first_name="Odette", last_name="Lemoine", territory=None, birth_date=None
    )


@pytest.mark.parametrize("make_staff", [make_agent, make_org_admin], ids=["agent", "org_admin"])
def test_it_sets_acting_for_for_staff_and_a_managed_account(client, resident, make_staff):
    response = acting_client(client, make_staff(), resident.pk).get("/")
    assert response.wsgi_request.acting_for == resident
    assert response.context["acting_for"] == resident
    page = response.content.decode()
    assert "Vous saisissez pour le compte de <strong>Odette Lemoine</strong>" in page
    assert client.session["acting_for"] == resident.pk


def test_it_ignores_and_forgets_acting_for_a_participant(client, resident):
    response = acting_client(client, UserFactory(), resident.pk).get("/")
    assert response.wsgi_request.acting_for is None
    assert "acting_for" not in client.session
    assert "Vous saisissez pour le compte" not in response.content.decode()


def test_it_refuses_to_act_for_an_account_that_is_not_managed(client):
    response = acting_client(client, make_agent(), UserFactory().pk).get("/")
    assert response.wsgi_request.acting_for is None
    assert "acting_for" not in client.session


def test_it_refuses_to_act_for_a_deleted_account(client, resident):
    resident.is_deleted = True
    resident.save()
    response = acting_client(client, make_agent(), resident.pk).get("/")
    assert response.wsgi_request.acting_for is None


def test_it_sets_nothing_for_visitors(client):
    response = client.get("/")
    assert response.wsgi_request.acting_for is None


def test_it_records_the_resident_as_participant_and_the_agent_as_author(rf, resident):
    from participe.accounts.middleware import participant

    agent = make_agent()
    request = rf.get("/")
    request.user = agent
    request.acting_for = resident
    assert participant(request) == (resident, agent)
    request.acting_for = None
    assert participant(request) == (agent, None)
