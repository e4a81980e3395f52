"""The resident's side of verification: the methods page and the census form."""

from __future__ import annotations

import html

import pytest

from participe.verifications import services
from participe.verifications.models import Verification
from tests.factories import TerritoryFactory, UserFactory, make_agent

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


CSV = "nom;prenom;date_naissance;territoire\nKerhervé;Anastasie;14/07/1985;TIL\n".encode()


@pytest.fixture
def census():
    TerritoryFactory(name="Les Tilleuls", code="TIL")
    return services.census_import(actor=make_agent(), filename="r.csv", data=CSV)[0]


@pytest.mark.parametrize("url", ["/verification/", "/verification/recensement/"])
def test_it_asks_visitors_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/compte/login/?next=")


def test_it_lists_the_methods_and_says_when_the_census_is_not_open(client):
    client.force_login(UserFactory())
    page = text(client.get("/verification/"))
    assert "Recensement des habitants" in page
    assert "Vérification au guichet" in page
    assert "La vérification en ligne n'est pas encore ouverte." in page


def test_it_links_to_the_census_form_when_a_census_is_in_force(client, census):
    client.force_login(UserFactory())
    assert 'href="/verification/recensement/"' in client.get("/verification/").content.decode()


def test_it_verifies_a_resident_through_the_form(client, census):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/verification/recensement/",
        {"last_name": "kerherve", "first_name": "ANASTASIE", "birth_date": "14/07/1985"},
        follow=True,
    )
    assert response.redirect_chain == [("/compte/profil/", 302)]
    assert "vous êtes vérifié comme habitant de Les Tilleuls" in text(response)
    assert Verification.objects.active().filter(user=user, handler="census").exists()


def test_it_explains_a_mismatch_next_to_the_form(client, census):
    client.force_login(UserFactory())
    response = client.post(
        "/verification/recensement/", {"last_name": "Kerhervé", "first_name": "Anastasie", "birth_date": "15/07/1985"}
    )
    assert response.status_code == 200
    assert "ne correspondent à aucun habitant recensé" in text(response)


def test_it_shows_the_attempt_limit_in_the_form(client, census):
    client.force_login(UserFactory())
    data = {"last_name": "Personne", "first_name": "Inconnue", "birth_date": "01/01/1990"}
    for _attempt in range(services.CENSUS_ATTEMPTS_PER_HOUR):
        client.post("/verification/recensement/", data)
    response = client.post(
        "/verification/recensement/",
        data | {"last_name": "Kerhervé", "first_name": "Anastasie", "birth_date": "14/07/1985"},
    )
    assert "Trop d'essais" in text(response)


def test_it_refuses_a_birth_date_in_the_future(client, census):
    client.force_login(UserFactory())
    response = client.post(
        "/verification/recensement/", {"last_name": "A", "first_name": "B", "birth_date": "01/01/2999"}
    )
    assert "La date de naissance ne peut pas être dans le futur." in text(response)
