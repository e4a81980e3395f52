"""Sign-up with a pseudonym, mandatory email verification, login rate limits, profile, MFA for staff."""

from __future__ import annotations

import html
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from participe.accounts.models import User
from participe.activity.models import AuditEntry
from tests.factories import (
    PASSWORD,
    ServiceFactory,
    SpaceFactory,
    TerritoryFactory,
    UserFactory,
    make_agent,
    make_org_admin,
    make_space_role,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def signup(client, **overrides):
    data = {
        "email": "camille@example.org",
        "pseudonym": "Camille du Port",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
    } | overrides
    return client.post("/compte/signup/", data)


def test_it_signs_up_with_a_pseudonym_and_sends_a_confirmation_email(client, mailoutbox):
    response = signup(client)
    assert response.status_code == 302
    assert response.url == "/compte/confirm-email/"
    user = User.objects.get(email="camille@example.org")
    assert user.pseudonym == "Camille du Port"
    assert user.display_name == "Camille du Port"
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["camille@example.org"]


def test_it_logs_in_only_after_the_email_is_confirmed(client, mailoutbox):
    signup(client)
    # Before confirming: the right password leads to the "check your inbox" page, not into the account.
    response = client.post("/compte/login/", {"login": "camille@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/compte/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert client.get("/compte/profil/").status_code == 302

    link = re.search(r"https?://[^/\s]+(/compte/confirm-email/[^/\s]+/)", mailoutbox[-1].body).group(1)
    assert client.get(link).status_code == 200  # a GET does not confirm (ACCOUNT_CONFIRM_EMAIL_ON_GET is off)
    assert not EmailAddress.objects.get(email="camille@example.org").verified
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="camille@example.org").verified
    assert client.get("/compte/profil/").status_code == 200


@pytest.mark.parametrize("taken", ["Marianne", "marianne", "MARIANNE", "  Marianne "])
def test_it_refuses_a_pseudonym_already_taken_whatever_its_case(client, mailoutbox, taken):
    UserFactory(pseudonym="Marianne")
    response = signup(client, pseudonym=taken)
    assert response.status_code == 200
    assert "Ce pseudonyme est déjà pris : choisissez-en un autre." in text(response)
    assert not User.objects.filter(email="camille@example.org").exists()
    assert mailoutbox == []


def test_it_requires_accepting_the_terms(client):
    response = signup(client, accept_terms="")
    assert response.status_code == 200
    assert not User.objects.filter(email="camille@example.org").exists()


def test_it_refuses_a_weak_password_in_french(client):
    response = signup(client, password1="1234", password2="1234")
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in text(response)


def test_it_does_not_reveal_that_an_email_is_already_used(client, mailoutbox):
    UserFactory(email="camille@example.org")
    response = signup(client, pseudonym="Autre")
    # Same answer as a new sign-up (no account enumeration); the owner of the address is told by email.
    assert response.status_code == 302
    assert response.url == "/compte/confirm-email/"
    assert User.objects.filter(email="camille@example.org").count() == 1
    assert not User.objects.filter(pseudonym="Autre").exists()
    assert [m.to for m in mailoutbox] == [["camille@example.org"]]


def test_it_logs_in_a_verified_user(client):
    user = UserFactory()
    response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/compte/profil/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_shows_the_429_page_after_too_many_login_attempts(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "3/m/ip", "login_failed": "100/m/ip"}
    user = UserFactory()
    for _attempt in range(3):
        response = client.post("/compte/login/", {"login": user.email, "password": "pas le bon"})
        assert response.status_code == 200
    response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives" in text(response)
    assert '<html lang="fr">' in text(response)
    assert "_auth_user_id" not in client.session


def test_it_locks_an_account_after_failed_logins_even_with_the_right_password(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "100/m/ip", "login_failed": "100/m/ip,3/5m/key"}
    user = UserFactory()
    for _attempt in range(3):
        client.post("/compte/login/", {"login": user.email, "password": "pas le bon"})
    response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives de connexion échouées" in text(response)
    # Another account is not locked by it.
    other = UserFactory()
    assert client.post("/compte/login/", {"login": other.email, "password": PASSWORD}).status_code == 302


def test_it_rate_limits_sign_ups(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/h/ip"}
    for n in range(2):
        assert signup(client, email=f"p{n}@example.org", pseudonym=f"p{n}").status_code == 302
        client.logout()
    assert signup(client, email="p3@example.org", pseudonym="p3").status_code == 429


def test_it_updates_the_profile_and_logs_it(client):
    user = UserFactory(pseudonym="Ancien")
    territory = TerritoryFactory()
    client.force_login(user)
    response = client.post(
        "/compte/profil/",
        {
            "pseudonym": "Nouveau",
            "first_name": "Camille",
            "last_name": "Martin",
            "show_real_name": "on",
            "territory": territory.pk,
            "phone": "",
            "email_frequency": "weekly",
        },
        follow=True,
    )
    assert response.redirect_chain == [("/compte/profil/", 302)]
    assert "Votre profil a été enregistré." in text(response)
    user.refresh_from_db()
    assert (user.pseudonym, user.territory, user.email_frequency) == ("Nouveau", territory, "weekly")
    assert user.display_name == "Camille Martin"
    entry = AuditEntry.objects.get(action="account.update_profile")
    assert entry.before["pseudonym"] == "Ancien"
    assert entry.after["pseudonym"] == "Nouveau"
    assert entry.after["territory"] == territory.pk


def test_it_keeps_the_own_pseudonym_and_refuses_another_one(client):
    UserFactory(pseudonym="Marianne")
    user = UserFactory(pseudonym="Camille")
    client.force_login(user)
    data = {"first_name": "", "last_name": "", "phone": "", "email_frequency": "daily"}
    assert client.post("/compte/profil/", data | {"pseudonym": "camille"}).status_code == 302
    response = client.post("/compte/profil/", data | {"pseudonym": "MARIANNE"})
    assert response.status_code == 200
    assert "Ce pseudonyme est déjà pris" in text(response)
    assert 'aria-invalid="true"' in text(response)


def test_it_requires_login_for_the_profile(client):
    response = client.get("/compte/profil/")
    assert response.status_code == 302
    assert response.url == "/compte/login/?next=/compte/profil/"


@pytest.mark.parametrize("make_staff", [make_agent, make_org_admin], ids=["agent", "org_admin"])
def test_it_sends_staff_without_totp_to_the_mfa_activation_page(client, make_staff):
    user = make_staff()
    Authenticator.objects.filter(user=user).delete()
    client.force_login(user)
    response = client.get("/gestion/")
    assert response.status_code == 302
    assert response.url == "/compte/2fa/totp/activate/?next=/gestion/"


def test_it_sends_a_space_moderator_without_totp_to_the_mfa_activation_page(client):
    user = make_space_role(SpaceFactory(), "moderator")
    Authenticator.objects.filter(user=user).delete()
    client.force_login(user)
    response = client.get("/gestion/")
    assert response.url.startswith("/compte/2fa/totp/activate/")


def test_it_opens_the_dashboard_to_staff_with_totp(client):
    client.force_login(make_agent())
    response = client.get("/gestion/")
    assert response.status_code == 200
    assert "Tableau de bord" in text(response)


def test_it_refuses_the_backoffice_to_participants_and_sends_visitors_to_login(client):
    response = client.get("/gestion/")
    assert response.status_code == 302
    assert response.url.startswith("/compte/login/")
    user = UserFactory()
    ServiceFactory()  # a service the user is not in
    client.force_login(user)
    assert client.get("/gestion/").status_code == 403


def test_it_does_not_ask_participants_for_totp_on_public_pages(client):
    client.force_login(make_agent())
    from allauth.mfa.models import Authenticator

    Authenticator.objects.all().delete()
    assert client.get("/").status_code == 200
