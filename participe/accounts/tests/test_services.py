"""Deleting an account removes personal data and keeps contributions, shown as "participant supprimé"."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import Client

from participe.accounts import hooks, services
from participe.accounts.models import User
from participe.activity.models import AuditEntry
from tests.factories import PASSWORD, TerritoryFactory, UserFactory, with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_user():
    """A user with everything accounts hold that must go: names, phone, territory, MFA, roles. (What the apps above
    hold goes through their erasers: see the tests of verifications, organisation and spaces.)"""
    user = UserFactory(
        email="odette@example.org",
        pseudonym="Odette",
        first_name="Odette",
        last_name="Lemoine",
        phone="0601020304",
        show_real_name=True,
        territory=TerritoryFactory(),
        is_org_admin=True,
    )
    with_totp(user)
    return user


def sessions_of(user: User) -> list[Session]:
    return [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]


def test_deleting_an_account_ends_its_sessions_kept_in_the_cache_too(settings, rich_user):
    """With Redis, sessions are read from the cache (``cached_db``): ending them in the database alone would leave
    the cache's copy to be read."""
    from importlib import import_module

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    store = import_module(settings.SESSION_ENGINE).SessionStore
    device, bystander = Client(), Client()
    device.force_login(rich_user)
    bystander.force_login(UserFactory())
    mine, theirs = device.session.session_key, bystander.session.session_key
    assert store().exists(mine) and store().exists(theirs)

    services.account_delete(user=rich_user, actor=rich_user)

    assert not store().exists(mine)
    assert store(session_key=mine).load() == {}
    assert store().exists(theirs)


def test_it_anonymises_an_account_through_the_form(client, rich_user):
    other_device = Client()
    other_device.force_login(rich_user)
    client.force_login(rich_user)
    bystander = UserFactory()
    Client().force_login(bystander)
    assert len(sessions_of(rich_user)) == 2

    from tests.browser.helpers import totp_code

    proof = {"password": PASSWORD, "code": totp_code()}  # an account with a second factor proves both
    response = client.post("/compte/supprimer/", {**proof, "confirm": "supprimer"}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "Votre compte a été supprimé." in response.content.decode()
    user = User.objects.get(pk=rich_user.pk)  # the row stays: contributions point to it
    assert user.display_name == "participant supprimé"
    assert str(user) == "participant supprimé"
    assert user.email is None
    assert (user.first_name, user.last_name, user.phone) == ("", "", "")
    assert user.territory is None
    assert not user.show_real_name
    assert user.pseudonym == f"supprime-{user.pk}"
    assert user.is_deleted
    assert not user.is_active
    assert not (user.is_org_admin or user.is_staff or user.is_superuser)
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(email="odette@example.org").exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert sessions_of(rich_user) == []
    assert len(sessions_of(bystander)) == 1
    assert other_device.get("/compte/profil/").status_code == 302  # signed out everywhere
    entry = AuditEntry.objects.get(action="account.delete")
    assert entry.actor == user
    assert entry.target_id == str(user.pk)
    assert "deleted_at" in entry.after
    assert "Odette" not in str(entry.after) and "Lemoine" not in entry.target_repr


def test_it_runs_every_registered_eraser_inside_the_deletion(monkeypatch, rich_user):
    erased = []
    monkeypatch.setattr(hooks, "_erasers", {"test": lambda user: erased.append((user.pk, user.is_deleted))})
    services.account_delete(user=rich_user)
    assert erased == [(rich_user.pk, False)]  # before the account's own fields are cleared


def test_it_lets_the_deleted_person_sign_up_again_with_the_same_email(client, rich_user):
    services.account_delete(user=rich_user)
    response = client.post(
        "/compte/signup/",
        {
            "email": "odette@example.org",
            "pseudonym": "Odette",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="odette@example.org").exists()


def test_it_does_not_log_in_a_deleted_account(client, rich_user):
    services.account_delete(user=rich_user)
    response = client.post("/compte/login/", {"login": "odette@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_asks_to_type_the_confirmation_word(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/compte/supprimer/", {"password": PASSWORD, "confirm": "oui"})
    assert response.status_code == 200
    assert "Tapez le mot SUPPRIMER pour confirmer la suppression." in response.content.decode()
    user.refresh_from_db()
    assert not user.is_deleted


def test_it_records_who_deleted_an_account_for_someone_else():
    admin, user = UserFactory(is_org_admin=True), UserFactory()
    services.account_delete(user=user, actor=admin)
    assert AuditEntry.objects.get(action="account.delete").actor == admin


def test_it_grants_and_removes_the_organisation_admin_role_with_an_audit_entry():
    admin, user = UserFactory(is_org_admin=True), UserFactory()
    services.org_admin_set(actor=admin, user=user, value=True)
    user.refresh_from_db()
    assert user.is_org_admin
    entry = AuditEntry.objects.get(action="role.org_admin")
    assert (entry.before, entry.after) == ({"is_org_admin": False}, {"is_org_admin": True})


def test_it_refuses_an_invalid_profile():
    user = UserFactory()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.profile_update(user=user, data={"email_frequency": "hourly"})
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_keeps_at_least_one_organisation_admin():
    from django.core.exceptions import ValidationError

    from participe.accounts.services import org_admin_set
    from tests.factories import UserFactory

    only_admin = UserFactory(is_org_admin=True)
    with pytest.raises(ValidationError):
        org_admin_set(actor=only_admin, user=only_admin, value=False)
    second = UserFactory(is_org_admin=True)
    org_admin_set(actor=second, user=only_admin, value=False)
    only_admin.refresh_from_db()
    assert not only_admin.is_org_admin
