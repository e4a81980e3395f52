"""Users and roles, census upload, verification at the counter, managed accounts, audit log."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participe.accounts.models import User
from participe.activity.models import AuditEntry
from participe.activity.services import audit
from participe.verifications.models import CensusImport, Verification
from tests.factories import SpaceFactory, TerritoryFactory, UserFactory, VerificationFactory

pytestmark = pytest.mark.django_db


def test_an_org_admin_finds_a_user_and_makes_them_admin(admin_client, admin):
    person = UserFactory(pseudonym="jeanne-d", first_name="Jeanne", last_name="Durand")
    VerificationFactory(user=person)
    html = admin_client.get(reverse("backoffice:users"), {"q": "durand"}).content.decode()
    assert "jeanne-d" in html
    html = admin_client.get(reverse("backoffice:user_detail", args=[person.pk])).content.decode()
    assert "Vérification au guichet" in html
    admin_client.post(reverse("backoffice:user_org_admin", args=[person.pk]), {"value": "1"})
    person.refresh_from_db()
    assert person.is_org_admin
    assert AuditEntry.objects.filter(action="role.org_admin", actor=admin, after={"is_org_admin": True}).exists()


def test_an_org_admin_cannot_remove_their_own_rights(admin_client, admin):
    response = admin_client.post(reverse("backoffice:user_org_admin", args=[admin.pk]), {"value": "0"}, follow=True)
    assert "Vous ne pouvez pas retirer vos propres droits" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_org_admin


def test_an_agent_cannot_manage_roles_nor_read_the_audit_log(agent_client):
    assert agent_client.get(reverse("backoffice:users")).status_code == 403
    assert agent_client.get(reverse("backoffice:audit")).status_code == 403
    html = agent_client.get(reverse("backoffice:dashboard")).content.decode()
    assert reverse("backoffice:counter") in html and reverse("backoffice:audit") not in html


def test_an_agent_imports_the_census_and_sees_the_rejected_lines(agent_client, agent):
    TerritoryFactory(name="Les Tilleuls", slug="tilleuls", code="T1")
    csv = "nom;prenom;date_naissance;territoire\nDurand;Jeanne;14/07/1985;T1\nMartin;;01/01/1990;T1\nPetit;Léa;2001-02-03;\n"
    upload = SimpleUploadedFile("recensement.csv", csv.encode(), content_type="text/csv")
    response = agent_client.post(reverse("backoffice:census"), {"file": upload, "valid_until": ""}, follow=True)
    html = response.content.decode()
    assert "2 habitants ont été importés." in html
    assert "Ligne 3" in html and "recensement.csv" in html
    imported = CensusImport.objects.get()
    assert (imported.row_count, imported.rejected_count, imported.uploaded_by) == (2, 1, agent)
    assert AuditEntry.objects.filter(action="census.import", actor=agent).exists()


def test_a_census_file_without_the_expected_columns_is_refused(agent_client):
    upload = SimpleUploadedFile("liste.csv", b"name;surname\nA;B\n", content_type="text/csv")
    response = agent_client.post(reverse("backoffice:census"), {"file": upload, "valid_until": "2030-01-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Colonnes manquantes" in html and 'id="id_file-error"' in html
    assert 'value="2030-01-01"' in html
    assert not CensusImport.objects.exists()


def test_an_agent_verifies_a_resident_at_the_counter_then_revokes_it(agent_client, agent):
    territory = TerritoryFactory()
    person = UserFactory(email="paul@example.org", first_name="Paul")
    html = agent_client.get(reverse("backoffice:counter"), {"q": "paul@"}).content.decode()
    assert reverse("backoffice:counter_verify", args=[person.pk]) in html
    data = {"territory": territory.pk, "birth_date": "1970-05-02", "note": "Carte d'identité vue"}
    response = agent_client.post(reverse("backoffice:counter_verify", args=[person.pk]), data)
    assert response.status_code == 302
    verification = Verification.objects.get(user=person)
    assert (verification.handler, verification.territory, verification.granted_by) == ("counter", territory, agent)
    assert verification.birth_date == datetime.date(1970, 5, 2)
    assert AuditEntry.objects.filter(action="verification.grant", actor=agent, reason="Carte d'identité vue").exists()
    agent_client.post(reverse("backoffice:verification_revoke", args=[verification.pk]), {"reason": "Erreur de saisie"})
    verification.refresh_from_db()
    assert verification.revoked_at is not None
    assert AuditEntry.objects.filter(action="verification.revoke", reason="Erreur de saisie").exists()


def test_a_birth_date_in_the_future_is_refused_at_the_counter(agent_client):
    person = UserFactory()
    data = {"territory": "", "birth_date": "2999-01-01", "note": "Note gardée"}
    response = agent_client.post(reverse("backoffice:counter_verify", args=[person.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "La date de naissance ne peut pas être dans le futur." in html and "Note gardée" in html
    assert not Verification.objects.exists()


def test_an_agent_creates_a_managed_account_and_participates_for_the_resident(agent_client, agent):
    territory = TerritoryFactory()
    data = {
        "first_name": "Odette",
        "last_name": "Lemoine",
        "territory": territory.pk,
        "birth_date": "1941-06-12",
        "phone": "",
        "pseudonym": "odette-l",
    }
    response = agent_client.post(reverse("backoffice:managed_create"), data)
    assert response["Location"] == reverse("backoffice:managed_accounts")
    resident = User.objects.get(pseudonym="odette-l")
    assert resident.managed_by == agent and resident.email is None
    assert Verification.objects.get(user=resident).handler == "managed"
    assert AuditEntry.objects.filter(action="account.create_managed", actor=agent).exists()
    assert "Odette Lemoine" in agent_client.get(reverse("backoffice:managed_accounts")).content.decode()
    response = agent_client.post(reverse("backoffice:acting_start", args=[resident.pk]))
    assert response["Location"] == reverse("home")
    assert agent_client.session["acting_for"] == resident.pk
    home = agent_client.get(reverse("home")).content.decode()
    assert "Vous saisissez pour le compte de" in home
    assert AuditEntry.objects.filter(action="acting_for.start", on_behalf_of=resident).exists()
    agent_client.post(reverse("backoffice:acting_stop"))
    assert "acting_for" not in agent_client.session


def test_a_taken_pseudonym_is_refused_for_a_managed_account(agent_client):
    UserFactory(pseudonym="odette-l")
    data = {
        "first_name": "Odette",
        "last_name": "Lemoine",
        "territory": "",
        "birth_date": "",
        "phone": "",
        "pseudonym": "Odette-L",
    }
    response = agent_client.post(reverse("backoffice:managed_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce pseudonyme est déjà pris" in html and 'value="Odette"' in html
    assert User.objects.filter(last_name="Lemoine").count() == 0


def test_an_agent_cannot_act_for_a_resident_with_an_email(agent_client):
    person = UserFactory()
    response = agent_client.post(reverse("backoffice:acting_start", args=[person.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("backoffice:managed_accounts")
    assert "acting_for" not in agent_client.session
    assert not AuditEntry.objects.filter(action="acting_for.start").exists()
    listing = agent_client.get(response["Location"]).content.decode()
    assert "On ne peut agir que pour le compte d&#x27;un habitant sans adresse électronique." in listing


def test_an_agent_cannot_act_for_a_deleted_account(agent_client, agent):
    person = UserFactory(email=None, managed_by=agent, is_deleted=True)
    assert agent_client.post(reverse("backoffice:acting_start", args=[person.pk])).status_code == 404
    assert "acting_for" not in agent_client.session


def test_the_audit_log_is_filtered_and_shows_the_differences(admin_client, admin):
    space = SpaceFactory(title="Budget participatif")
    other = UserFactory(pseudonym="autre-agent")
    entry = audit(
        actor=admin,
        action="space.update",
        target=space,
        before={"title": "Ancien"},
        after={"title": "Budget participatif"},
    )
    audit(actor=other, action="theme.create", target=None, after={"name": "Culture"})
    html = admin_client.get(reverse("backoffice:audit"), {"auteur": "admin-mairie", "action": "space"}).content.decode()
    assert "space.update" in html and "theme.create" not in html
    html = admin_client.get(reverse("backoffice:audit"), {"du": "2000-01-02", "au": "2000-01-01"}).content.decode()
    assert "La date de fin doit suivre la date de début." in html and 'value="2000-01-02"' in html
    html = admin_client.get(reverse("backoffice:audit_detail", args=[entry.pk])).content.decode()
    assert "<del>Ancien</del>" in html and "<ins>Budget participatif</ins>" in html


def test_the_audit_log_is_paginated(admin_client, admin):
    for n in range(55):
        audit(actor=admin, action=f"test.n{n}")
    first = admin_client.get(reverse("backoffice:audit"))
    assert first.context["page"].has_next
    second = admin_client.get(reverse("backoffice:audit"), {"apres": first.context["page"].next_cursor})
    assert len(second.context["page"].items) == 5
