"""Signing up, in, out, linking and unlinking with FranceConnect, against a real OpenID Connect provider running
locally (django-oauth-toolkit's, ``tests.oidc_provider``): the discovery document, the code exchange, the ID token
and the userinfo as a signed JWT, the verification the identity gives."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from participe.accounts.models import User
from participe.identity.models import IdentityLink
from participe.identity.tests import flows
from participe.identity.views import PENDING, SIGNED_IN
from participe.verifications.models import CensusRecord, Verification
from participe.verifications.services import census_import
from tests.factories import TerritoryFactory, UserFactory, make_org_admin
from tests.oidc_provider.server import RESIDENT

pytestmark = pytest.mark.django_db

PASSWORD = "un mot de passe solide"


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def sign_up(client: Any, person: dict[str, Any] = RESIDENT, pseudonym: str = "angela-d") -> Any:
    response = flows.sign_in(client, person)
    assert response.status_code == 302 and response["Location"] == reverse("identity:signup")
    page = client.get(reverse("identity:signup"))
    assert person["claims"]["email"] in page.content.decode()
    return client.post(reverse("identity:signup"), {"pseudonym": pseudonym, "accept_terms": "on"})


def test_the_authorization_request_has_what_franceconnect_asks(client: Any, identity_settings: Any) -> None:
    url = flows.start(client)
    params = flows.query(url)
    assert url.startswith(identity_settings.issuer + "/authorize/")
    assert params["response_type"] == "code" and params["acr_values"] == "eidas1"
    assert params["client_id"] == "participe-franceconnect"
    assert params["redirect_uri"] == "http://127.0.0.1:8000/compte/identite/franceconnect/retour/"
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32 and params["state"] != params["nonce"]
    assert "birthdate" in params["scope"].split() and "claims" not in params
    pending = client.session[PENDING][params["state"]]
    assert pending["provider"] == "franceconnect" and pending["nonce"] == params["nonce"]


def test_a_resident_signs_up_with_franceconnect_and_is_verified(client: Any, identity_settings: Any) -> None:
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email=RESIDENT["claims"]["email"])
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.pseudonym == "angela-d" and not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    link = IdentityLink.objects.get(user=user)
    assert link.provider == "franceconnect" and link.sub
    verification = Verification.objects.active().get(user=user)
    assert verification.handler == "franceconnect"
    assert verification.birth_date == datetime.date(1962, 8, 24)
    assert verification.attributes == {"level": "eidas1", "gender": "female"}
    assert verification.territory is None  # no census loaded
    expected = timezone.now() + datetime.timedelta(days=365)
    assert abs((verification.expires_at - expected).total_seconds()) < 60
    # Neither the names nor the birthplace are kept.
    assert "DUBOIS" not in str(verification.attributes) and "75107" not in str(verification.attributes)
    assert user.first_name == "" and user.last_name == ""
    assert client.session[SIGNED_IN]["provider"] == "franceconnect"


def test_signing_in_again_opens_the_linked_account_and_renews_the_verification(
    client: Any, identity_settings: Any, django_user_model: Any
) -> None:
    sign_up(client)
    client.logout()
    response = flows.sign_in(client, RESIDENT)
    assert response.status_code == 302 and response["Location"] != reverse("identity:signup")
    user = User.objects.get(email=RESIDENT["claims"]["email"])
    assert client.session["_auth_user_id"] == str(user.pk)
    assert django_user_model.objects.count() == 1
    assert Verification.objects.filter(user=user).count() == 2
    assert Verification.objects.active().filter(user=user).count() == 1


def test_a_census_match_gives_the_residence_by_the_keyed_hash(client: Any, identity_settings: Any) -> None:
    centre = TerritoryFactory(name="Centre-ville", code="Q01")
    admin = make_org_admin()
    # The census lists the first given name only; FranceConnect gives them all.
    census_import(
        actor=admin, filename="r.csv", data=b"nom;prenom;date_naissance;territoire\nDubois;Angela;24/08/1962;Q01\n"
    )
    sign_up(client)
    user = User.objects.get(email=RESIDENT["claims"]["email"])
    verification = Verification.objects.active().get(user=user)
    assert verification.territory == centre and user.territory == centre
    assert CensusRecord.objects.get().used_by == user
    assert set(verification.attributes) == {"level", "gender", "census"}


def test_an_email_with_an_account_is_never_joined_silently(client: Any, identity_settings: Any) -> None:
    existing = UserFactory(email=RESIDENT["claims"]["email"])
    response = flows.sign_in(client, RESIDENT)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert "Un compte existe déjà" in " ".join(messages_of(response))
    assert "_auth_user_id" not in client.session
    assert not IdentityLink.objects.exists() and not Verification.objects.filter(user=existing).exists()


def test_a_signed_in_resident_links_franceconnect_then_unlinks_it(client: Any, identity_settings: Any) -> None:
    user = UserFactory(email="autre.adresse@example.fr", password=PASSWORD)
    client.force_login(user)
    page = client.get(reverse("identity:account"))
    assert "S&#x27;identifier avec" in page.content.decode() or "S'identifier avec" in page.content.decode()
    response = flows.sign_in(client, RESIDENT)
    assert response["Location"] == reverse("identity:account")
    assert IdentityLink.objects.get(user=user).provider == "franceconnect"
    assert Verification.objects.active().get(user=user).handler == "franceconnect"
    response = client.post(reverse("identity:unlink", kwargs={"provider": "franceconnect"}))
    assert not IdentityLink.objects.filter(user=user).exists()
    assert "n'est plus lié" in " ".join(messages_of(response))


def test_unlinking_is_refused_to_who_would_have_no_way_left_to_sign_in(client: Any, identity_settings: Any) -> None:
    sign_up(client)
    user = User.objects.get(email=RESIDENT["claims"]["email"])
    page = client.get(reverse("identity:account"))
    assert "définissez d&#x27;abord un mot de passe" in page.content.decode()
    response = client.post(reverse("identity:unlink", kwargs={"provider": "franceconnect"}))
    assert "définissez d'abord un mot de passe" in " ".join(messages_of(response))
    assert IdentityLink.objects.filter(user=user).exists()


def test_logout_goes_through_the_provider_end_session_endpoint(client: Any, identity_settings: Any) -> None:
    sign_up(client)
    id_token = client.session[SIGNED_IN]["id_token"]
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(identity_settings.issuer + "/logout/")
    params = flows.query(location)
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == "http://127.0.0.1:8000/compte/identite/deconnexion/"
    assert "_auth_user_id" not in client.session
    # The provider ends its session and sends the browser back with the state.
    import requests

    back = requests.get(location, allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"].startswith(params["post_logout_redirect_uri"])
    assert flows.query(back.headers["Location"])["state"] == params["state"]
    page = client.get(reverse("identity:logged_out"), {"state": params["state"]}, follow=True)
    assert "de FranceConnect aussi" in page.content.decode()


def test_without_configuration_there_is_no_button(client: Any, settings: Any) -> None:
    settings.PARTICIPE_IDENTITY_PROVIDERS = {"franceconnect": {"issuer": "", "client_id": "", "client_secret": ""}}
    page = client.get(reverse("account_login")).content.decode()
    assert "FranceConnect" not in page
    assert client.post(reverse("identity:start", kwargs={"provider": "franceconnect"})).status_code == 404


def test_the_login_page_shows_the_button_and_what_franceconnect_is(client: Any, identity_settings: Any) -> None:
    page = client.get(reverse("account_login")).content.decode()
    assert "S&#x27;identifier avec" in page or "S'identifier avec" in page
    assert 'href="https://franceconnect.gouv.fr/"' in page
    assert "Qu&#x27;est-ce que FranceConnect ?" in page or "Qu'est-ce que FranceConnect ?" in page
    assert reverse("identity:start", kwargs={"provider": "franceconnect"}) in page
