"""Organisation settings, territories, themes and services in the back-office."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from participe.activity.models import AuditEntry
from participe.organisation.models import Organisation, Service, Territory, Theme
from tests.factories import SpaceFactory, TerritoryFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]]]}


def org_data(**overrides):
    data = {
        "name": "Ville de Bellerive",
        "short_description": "La participation à Bellerive",
        "primary_colour": "#1d4ed8",
        "secondary_colour": "#0f766e",
        "contact_email": "contact@bellerive.example",
        "website": "https://bellerive.example",
        "social_links_text": "Mastodon | https://mastodon.example/@bellerive",
        "legal_notice": "<p>Éditeur : la mairie</p>",
        "a11y_conformity": "partielle",
        "a11y_rate": "72",
        "a11y_established_on": "2025-03-01",
        "a11y_technologies": "HTML5, CSS",
    }
    return data | overrides


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_an_org_admin_changes_the_settings_and_the_change_is_audited(admin_client, admin):
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = admin_client.post(reverse("backoffice:organisation"), org_data(logo=logo))
    assert response.status_code == 302
    organisation = Organisation.get()
    assert organisation.name == "Ville de Bellerive"
    assert organisation.social_links == [{"name": "Mastodon", "url": "https://mastodon.example/@bellerive"}]
    assert organisation.a11y_rate == 72
    assert organisation.logo.name.endswith(".jpg")  # re-encoded, metadata dropped
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.actor == admin
    assert entry.after["name"] == "Ville de Bellerive"


def test_a_primary_colour_too_light_for_white_text_is_refused_and_the_input_kept(admin_client):
    response = admin_client.post(
        reverse("backoffice:organisation"), org_data(primary_colour="#ffdd00", name="Nom tapé")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "contraste" in html and "4,5:1" in html
    assert 'value="#ffdd00"' in html and 'value="Nom tapé"' in html
    assert 'aria-invalid="true"' in html
    assert Organisation.get().name != "Nom tapé"
    assert not AuditEntry.objects.filter(action="organisation.update").exists()


def test_a_secondary_colour_too_light_for_icons_and_white_text_is_refused(admin_client):
    """The second colour draws the module types' icons, marks official answers and carries white text on pressed
    buttons (issue #18): it needs the same 4.5:1 with white as the first."""
    response = admin_client.post(reverse("backoffice:organisation"), org_data(secondary_colour="#5eead4"))
    assert response.status_code == 200
    assert "contraste" in response.content.decode()
    assert Organisation.get().secondary_colour != "#5eead4"


def test_a_badly_written_social_link_is_refused(admin_client):
    response = admin_client.post(
        reverse("backoffice:organisation"), org_data(social_links_text="Mastodon sans adresse")
    )
    assert response.status_code == 200
    assert "Ligne 1" in response.content.decode()


def test_an_agent_cannot_change_the_organisation(agent_client):
    assert agent_client.get(reverse("backoffice:organisation")).status_code == 403


def test_a_territory_is_created_under_a_parent_with_a_geojson_boundary(admin_client, admin):
    commune = TerritoryFactory(name="Bellerive", slug="bellerive", kind="commune")
    data = {
        "name": "Les Tilleuls",
        "kind": "quartier",
        "code": "",
        "parent": commune.pk,
        "slug": "",
        "boundary_text": json.dumps(SQUARE),
    }
    response = admin_client.post(reverse("backoffice:territory_create"), data)
    assert response.status_code == 302
    territory = Territory.objects.get(name="Les Tilleuls")
    assert territory.parent == commune and territory.slug == "les-tilleuls" and territory.boundary == SQUARE
    assert AuditEntry.objects.filter(action="territory.create", actor=admin, target_id=str(territory.pk)).exists()
    listing = admin_client.get(reverse("backoffice:territories")).content.decode()
    assert listing.index("Bellerive</th>") < listing.index("Les Tilleuls</th>")


def test_a_boundary_can_be_uploaded_as_a_file(admin_client):
    upload = SimpleUploadedFile("contour.geojson", json.dumps(SQUARE).encode(), content_type="application/geo+json")
    data = {
        "name": "Centre",
        "kind": "",
        "code": "",
        "parent": "",
        "slug": "",
        "boundary_text": "",
        "boundary_file": upload,
    }
    assert admin_client.post(reverse("backoffice:territory_create"), data).status_code == 302
    assert Territory.objects.get(name="Centre").boundary == SQUARE


def test_an_invalid_boundary_is_refused_with_the_typed_values_kept(admin_client):
    data = {
        "name": "Les Tilleuls",
        "kind": "quartier",
        "code": "",
        "parent": "",
        "slug": "",
        "boundary_text": '{"type": "Point"',
    }
    response = admin_client.post(reverse("backoffice:territory_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "pas du JSON valide" in html
    assert 'value="Les Tilleuls"' in html
    assert not Territory.objects.exists()


def test_a_territory_with_children_or_spaces_is_not_deleted(admin_client):
    commune = TerritoryFactory()
    quartier = TerritoryFactory(parent=commune)
    SpaceFactory().territories.add(quartier)
    response = admin_client.post(reverse("backoffice:territory_delete", args=[commune.pk]), follow=True)
    assert "sous-territoires" in response.content.decode()
    response = admin_client.post(reverse("backoffice:territory_delete", args=[quartier.pk]), follow=True)
    assert "1 espace participatif" in response.content.decode()
    assert Territory.objects.count() == 2


def test_an_unused_territory_is_deleted_after_confirmation(admin_client):
    territory = TerritoryFactory()
    page = admin_client.get(reverse("backoffice:territory_delete", args=[territory.pk]))
    assert "Supprimer le territoire" in page.content.decode()
    admin_client.post(reverse("backoffice:territory_delete", args=[territory.pk]))
    assert not Territory.objects.exists()
    assert AuditEntry.objects.filter(action="territory.delete").exists()


def test_themes_are_created_ordered_and_deleted(admin_client):
    for name in ("Mobilités", "Culture"):
        assert (
            admin_client.post(
                reverse("backoffice:theme_create"), {"name": name, "description": "", "position": "", "slug": ""}
            ).status_code
            == 302
        )
    mobility, culture = Theme.objects.get(name="Mobilités"), Theme.objects.get(name="Culture")
    assert (mobility.position, culture.position) == (0, 1)
    admin_client.post(reverse("backoffice:theme_move", args=[culture.pk]), {"direction": "up"})
    assert list(Theme.objects.values_list("name", flat=True)) == ["Culture", "Mobilités"]
    assert AuditEntry.objects.filter(action="theme.move").exists()
    admin_client.post(reverse("backoffice:theme_delete", args=[culture.pk]))
    assert list(Theme.objects.values_list("name", flat=True)) == ["Mobilités"]


def test_a_theme_without_name_is_refused(admin_client):
    response = admin_client.post(
        reverse("backoffice:theme_create"), {"name": "", "description": "Gardée", "position": "", "slug": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce champ est obligatoire" in html and "Gardée" in html


def test_a_theme_is_renamed(admin_client, admin):
    theme = ThemeFactory(name="Vélo")
    data = {"name": "Mobilités douces", "description": "", "position": "0", "slug": theme.slug}
    assert admin_client.post(reverse("backoffice:theme_edit", args=[theme.pk]), data).status_code == 302
    entry = AuditEntry.objects.get(action="theme.update")
    assert entry.before["name"] == "Vélo" and entry.after["name"] == "Mobilités douces"


def test_a_service_is_created_and_an_agent_added_then_removed(admin_client, admin):
    response = admin_client.post(reverse("backoffice:department_create"), {"name": "Démocratie locale", "email": ""})
    service = Service.objects.get(name="Démocratie locale")
    assert response["Location"] == reverse("backoffice:department_edit", args=[service.pk])
    person = UserFactory(email="camille@example.org", first_name="Camille", last_name="Martin")
    search = admin_client.get(reverse("backoffice:department_edit", args=[service.pk]), {"q": "camille mart"})
    assert "camille@example.org" in search.content.decode()
    admin_client.post(
        reverse("backoffice:department_member_add", args=[service.pk]), {"agent-identifier": "Camille@example.org"}
    )
    assert list(service.members.all()) == [person]
    assert AuditEntry.objects.filter(action="service.add_member", after={"user": person.pk}).exists()
    admin_client.post(reverse("backoffice:department_member_remove", args=[service.pk, person.pk]))
    assert not service.members.exists()
    assert AuditEntry.objects.filter(action="service.remove_member").exists()


def test_adding_an_unknown_agent_shows_a_message_next_to_the_field(admin_client):
    service = Service.objects.create(name="Voirie")
    response = admin_client.post(
        reverse("backoffice:department_member_add", args=[service.pk]), {"agent-identifier": "personne@nulle.part"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aucun compte n&#x27;a cette adresse" in html
    assert 'value="personne@nulle.part"' in html


def test_a_duplicate_service_name_is_refused(admin_client):
    Service.objects.create(name="Voirie")
    response = admin_client.post(
        reverse("backoffice:department_create"), {"name": "Voirie", "email": "voirie@example.org"}
    )
    assert response.status_code == 200
    assert "existe déjà" in response.content.decode()
    assert 'value="voirie@example.org"' in response.content.decode()
