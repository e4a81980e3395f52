"""Spaces in the back-office: list, creation, settings, status, deletion."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from participe.activity.models import AuditEntry
from participe.spaces.models import Space, SpaceMembership
from tests.factories import (
    ModuleFactory,
    SpaceFactory,
    TerritoryFactory,
    ThemeFactory,
    UserFactory,
    make_agent,
    make_space_role,
)

pytestmark = pytest.mark.django_db


def space_data(**overrides):
    data = {
        "kind": "process",
        "title": "Réaménager la place du marché",
        "summary": "Donnez votre avis sur la future place.",
        "description": "<p>La place sera rénovée en 2026.</p><script>alert(1)</script>",
        "hero_image_alt": "",
        "start_date": "2025-09-01",
        "end_date": "2025-12-31",
        "visibility": "public",
        "slug": "",
    }
    return data | overrides


def test_an_agent_creates_a_space_and_becomes_its_administrator(client):
    agent = make_agent()
    client.force_login(agent)
    territory, theme = TerritoryFactory(), ThemeFactory()
    response = client.post(
        reverse("backoffice:space_create"), space_data(territories=[territory.pk], themes=[theme.pk])
    )
    space = Space.objects.get()
    assert response["Location"] == reverse("backoffice:space_detail", args=[space.pk])
    assert space.slug == "reamenager-la-place-du-marche"
    assert space.status == Space.Status.DRAFT
    assert "<script>" not in space.description
    assert list(space.territories.all()) == [territory] and list(space.themes.all()) == [theme]
    assert SpaceMembership.objects.filter(space=space, user=agent, role="admin").exists()
    assert AuditEntry.objects.filter(action="space.create", actor=agent, target_id=str(space.pk)).exists()


def test_an_end_date_before_the_start_is_refused_with_the_input_kept(admin_client):
    response = admin_client.post(reverse("backoffice:space_create"), space_data(end_date="2025-01-01"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "La date de fin doit suivre la date de début." in html
    assert 'value="Réaménager la place du marché"' in html
    assert not Space.objects.exists()


def test_a_hero_image_is_re_encoded(admin_client):
    space = SpaceFactory()
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 0, 255, 128)).save(buffer, "PNG")
    image = SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
    data = space_data(slug=space.slug, hero_image=image, hero_image_alt="La place au printemps")
    assert admin_client.post(reverse("backoffice:space_edit", args=[space.pk]), data).status_code == 302
    space.refresh_from_db()
    assert space.hero_image.name.startswith("spaces/photo") and space.hero_image_alt == "La place au printemps"
    entry = AuditEntry.objects.get(action="space.update")
    assert entry.before["title"] != entry.after["title"]


def test_a_file_that_is_not_an_image_is_refused(admin_client):
    space = SpaceFactory()
    fake = SimpleUploadedFile("photo.png", b"not an image", content_type="image/png")
    response = admin_client.post(
        reverse("backoffice:space_edit", args=[space.pk]), space_data(slug=space.slug, hero_image=fake)
    )
    assert response.status_code == 200
    assert 'id="id_hero_image-error"' in response.content.decode()


def test_the_list_shows_only_the_spaces_a_user_manages_and_filters_them(client):
    mine = SpaceFactory(title="Budget participatif", kind="process", status="draft")
    other = SpaceFactory(title="Conseil de quartier Nord", kind="assembly")
    moderator = make_space_role(mine, SpaceMembership.Role.MODERATOR)
    client.force_login(moderator)
    html = client.get(reverse("backoffice:spaces")).content.decode()
    assert mine.title in html and other.title not in html
    html = client.get(reverse("backoffice:spaces"), {"statut": "published"}).content.decode()
    assert mine.title not in html
    assert client.get(reverse("backoffice:space_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("backoffice:space_detail", args=[other.pk])).status_code == 403
    assert client.get(reverse("backoffice:space_edit", args=[mine.pk])).status_code == 403


def test_an_org_admin_sees_and_filters_every_space(admin_client):
    SpaceFactory(title="Budget participatif", kind="process")
    SpaceFactory(title="Conseil de quartier Nord", kind="assembly")
    html = admin_client.get(reverse("backoffice:spaces"), {"type": "assembly"}).content.decode()
    assert "Conseil de quartier Nord" in html and "Budget participatif" not in html
    assert 'aria-current="page">Espaces participatifs' in html


def test_publishing_a_space_without_module_shows_why(admin_client):
    space = SpaceFactory(status="draft")
    response = admin_client.post(
        reverse("backoffice:space_status", args=[space.pk]), {"status": "published"}, follow=True
    )
    assert "Ajoutez au moins un module avant de publier cet espace." in response.content.decode()
    space.refresh_from_db()
    assert space.status == "draft"


def test_a_space_is_published_archived_and_put_back_to_draft(admin_client, admin):
    space = ModuleFactory(space=SpaceFactory(status="draft")).space
    for status in ("published", "archived", "draft"):
        admin_client.post(reverse("backoffice:space_status", args=[space.pk]), {"status": status})
        space.refresh_from_db()
        assert space.status == status
    assert list(AuditEntry.objects.filter(target_id=str(space.pk)).values_list("action", flat=True).order_by("pk")) == [
        "space.published",
        "space.archived",
        "space.draft",
    ]


def test_only_an_org_admin_deletes_a_space_after_confirmation(admin_client):
    space = SpaceFactory()
    other = Client()
    other.force_login(make_space_role(space, SpaceMembership.Role.ADMIN))
    assert other.get(reverse("backoffice:space_delete", args=[space.pk])).status_code == 403
    page = admin_client.get(reverse("backoffice:space_delete", args=[space.pk]))
    assert "Supprimer définitivement" in page.content.decode()
    response = admin_client.post(reverse("backoffice:space_delete", args=[space.pk]))
    assert response["Location"] == reverse("backoffice:spaces")
    assert not Space.objects.exists()
    assert AuditEntry.objects.filter(action="space.delete").exists()


def test_a_participant_cannot_create_a_space(client):
    client.force_login(UserFactory())
    assert client.post(reverse("backoffice:space_create"), space_data()).status_code == 403
    assert not Space.objects.exists()
