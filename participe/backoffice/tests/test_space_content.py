"""Members and roles, documents and news of a space in the back-office."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participe.activity.models import AuditEntry
from participe.spaces.models import NewsPost, SpaceDocument, SpaceMembership
from tests.factories import SpaceFactory, UserFactory, make_space_role

pytestmark = pytest.mark.django_db


def test_a_space_admin_adds_a_moderator_by_pseudonym(client):
    space = SpaceFactory()
    space_admin = make_space_role(space, SpaceMembership.Role.ADMIN)
    client.force_login(space_admin)
    person = UserFactory(pseudonym="claire-b")
    response = client.post(
        reverse("backoffice:member_add", args=[space.pk]), {"identifier": "Claire-B", "role": "moderator"}
    )
    assert response["Location"] == reverse("backoffice:members", args=[space.pk])
    assert SpaceMembership.objects.filter(space=space, user=person, role="moderator").exists()
    entry = AuditEntry.objects.get(action="role.grant")
    assert entry.actor == space_admin and entry.after == {"user": person.pk, "role": "moderator"}


def test_the_member_search_finds_people_by_name(admin_client):
    space = SpaceFactory()
    UserFactory(first_name="Amina", last_name="Diallo", email="amina@example.org")
    html = admin_client.get(reverse("backoffice:members", args=[space.pk]), {"q": "diallo"}).content.decode()
    assert "amina@example.org" in html
    assert 'name="identifier" value="amina@example.org"' in html


def test_adding_an_unknown_person_keeps_the_input_and_explains(admin_client):
    space = SpaceFactory()
    response = admin_client.post(
        reverse("backoffice:members", args=[space.pk]) + "ajouter/", {"identifier": "inconnu", "role": "admin"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="inconnu"' in html and 'id="id_identifier-error"' in html
    assert not SpaceMembership.objects.exists()


def test_the_last_space_admin_cannot_be_removed_by_a_space_admin(client):
    space = SpaceFactory()
    space_admin = make_space_role(space, SpaceMembership.Role.ADMIN)
    client.force_login(space_admin)
    membership = SpaceMembership.objects.get(user=space_admin)
    response = client.post(reverse("backoffice:member_remove", args=[membership.pk]), follow=True)
    assert "Un espace garde au moins un administrateur." in response.content.decode()
    assert SpaceMembership.objects.filter(pk=membership.pk).exists()


def test_a_member_is_removed(admin_client):
    space = SpaceFactory()
    membership = SpaceMembership.objects.create(space=space, user=UserFactory(), role="member")
    admin_client.post(reverse("backoffice:member_remove", args=[membership.pk]))
    assert not SpaceMembership.objects.exists()
    assert AuditEntry.objects.filter(action="role.revoke").exists()


def test_a_moderator_cannot_manage_members(client):
    space = SpaceFactory()
    client.force_login(make_space_role(space, SpaceMembership.Role.MODERATOR))
    assert client.get(reverse("backoffice:members", args=[space.pk])).status_code == 403


def test_a_pdf_document_is_added_and_deleted(admin_client, admin):
    space = SpaceFactory()
    pdf = SimpleUploadedFile("cr.pdf", b"%PDF-1.4 compte rendu", content_type="application/pdf")
    response = admin_client.post(
        reverse("backoffice:documents", args=[space.pk]), {"title": "Compte rendu", "file": pdf}
    )
    assert response.status_code == 302
    document = SpaceDocument.objects.get(space=space)
    assert document.content_type == "application/pdf"
    assert AuditEntry.objects.filter(action="document.add", actor=admin).exists()
    admin_client.post(reverse("backoffice:document_delete", args=[document.pk]))
    assert not SpaceDocument.objects.exists()
    assert AuditEntry.objects.filter(action="document.delete").exists()


def test_a_document_of_an_unknown_type_is_refused_with_the_title_kept(admin_client):
    space = SpaceFactory()
    exe = SimpleUploadedFile("programme.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    response = admin_client.post(reverse("backoffice:documents", args=[space.pk]), {"title": "Programme", "file": exe})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce type de fichier n&#x27;est pas accepté" in html and 'value="Programme"' in html
    assert not SpaceDocument.objects.exists()


def test_a_news_post_is_written_edited_and_deleted(admin_client, admin):
    space = SpaceFactory()
    data = {
        "title": "Réunion publique le 12 mars",
        "body": "<p>Salle des fêtes</p>",
        "published_at": "2025-03-01T10:00",
    }
    assert admin_client.post(reverse("backoffice:news_create", args=[space.pk]), data).status_code == 302
    post = NewsPost.objects.get(space=space)
    assert post.author == admin
    assert AuditEntry.objects.filter(action="news.create").exists()
    admin_client.post(reverse("backoffice:news_edit", args=[post.pk]), data | {"title": "Réunion reportée"})
    entry = AuditEntry.objects.get(action="news.update")
    assert entry.before["title"] == "Réunion publique le 12 mars" and entry.after["title"] == "Réunion reportée"
    admin_client.post(reverse("backoffice:news_delete", args=[post.pk]))
    assert not NewsPost.objects.exists()


def test_a_news_post_without_body_is_refused_with_the_title_kept(admin_client):
    space = SpaceFactory()
    data = {"title": "Titre gardé", "body": "", "published_at": "2025-03-01T10:00"}
    response = admin_client.post(reverse("backoffice:news_create", args=[space.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Titre gardé"' in html and "Ce champ est obligatoire" in html
