"""A module's picture in the back-office: chosen where an agent edits the module, its alternative text required, the
picture kept on the server when the form comes back with an error, shown on the démarche's module card."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from participe.activity.models import AuditEntry
from participe.core import pictures
from participe.spaces.models import Module
from tests.factories import ModuleFactory, PhaseFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def png(width=1600, height=1000, name="atelier.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def module_data(module, **overrides):
    data = {
        "title": "Boîte à idées du quartier",
        "slug": module.slug,
        "description": "Vos idées pour le quartier",
        "picture_alt": "",
        "position": "0",
        "is_published": "on",
    }
    return data | overrides


def edit(module):
    return reverse("backoffice:module_edit", args=[module.pk])


def test_a_picture_without_its_alternative_text_is_refused_and_nothing_typed_is_lost(admin_client):
    module = ModuleFactory(title="Boîte à idées")
    response = admin_client.post(edit(module), module_data(module, picture=png()))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_picture_alt-error"' in html
    assert "Décrivez l&#x27;image : ce texte la remplace pour qui ne la voit pas." in html
    assert 'value="Boîte à idées du quartier"' in html and "Vos idées pour le quartier" in html
    # The picture chosen is kept on the server: the form names it and says so; it is not chosen again.
    assert "Image choisie gardée : « atelier.jpg »" in html
    module.refresh_from_db()
    assert module.title == "Boîte à idées" and not module.picture
    token = response.context["form"].data["picture__kept"]

    data = module_data(module, picture_alt="Des habitants autour d'une table", picture__kept=token)
    assert admin_client.post(edit(module), data).status_code == 302
    module.refresh_from_db()
    assert module.picture.name.startswith("modules/atelier") and module.picture.name.endswith(".jpg")
    assert module.picture_alt == "Des habitants autour d'une table"
    assert [(r["width"], r["height"]) for r in module.picture_sizes["renditions"]] == [(480, 300), (1200, 750)]
    assert AuditEntry.objects.get(action="module.update").after["picture_alt"] == "Des habitants autour d'une table"


def test_a_forged_token_names_no_picture(admin_client):
    module = ModuleFactory()
    data = module_data(module, picture_alt="Une image", picture__kept="pending/pictures/autre.jpg")
    assert admin_client.post(edit(module), data).status_code == 302
    module.refresh_from_db()
    assert not module.picture
    assert pictures.kept("faux") is None


def test_a_picture_with_its_text_is_saved_then_removed_with_its_sizes(admin_client, django_capture_on_commit_callbacks):
    module = ModuleFactory()
    data = module_data(module, picture=png(), picture_alt="Des habitants autour d'une table")
    assert admin_client.post(edit(module), data).status_code == 302
    module.refresh_from_db()
    files = [module.picture.name, *(r["name"] for r in module.picture_sizes["renditions"])]
    assert all(default_storage.exists(name) for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(edit(module), module_data(module, **{"picture-clear": "on"}))
    assert response.status_code == 302
    module.refresh_from_db()
    assert not module.picture and module.picture_sizes == {}
    assert not any(default_storage.exists(name) for name in files)


def test_clearing_the_text_of_a_module_that_has_a_picture_is_refused(admin_client):
    module = ModuleFactory()
    admin_client.post(edit(module), module_data(module, picture=png(), picture_alt="Une table"))
    response = admin_client.post(edit(module), module_data(module, picture_alt="  "))
    assert response.status_code == 200 and 'id="id_picture_alt-error"' in response.content.decode()
    assert Module.objects.get(pk=module.pk).picture_alt == "Une table"


def test_the_module_card_shows_the_picture_or_else_the_icon(client):
    space = SpaceFactory(status="published")
    with_picture = PhaseFactory(module__space=space, module__title="Avec image").module
    PhaseFactory(module__space=space, module__title="Sans image")
    with_picture.picture = pictures.KeptPicture("table.png", png().read(), content_type="image/png")
    with_picture.picture_alt = "Des habitants autour d'une table"
    with_picture.save()
    pictures.picture_saved(with_picture, "picture", old_name="", old_sizes=None)
    html = client.get(space.get_absolute_url()).content.decode()
    assert 'alt="Des habitants autour d&#x27;une table"' in html and 'loading="lazy"' in html
    assert "480w" in html and 'sizes="(min-width: 64rem) 22rem, (min-width: 40rem) 45vw, 100vw"' in html
    assert html.count('class="icon module-card__icon"') == 2  # the type's icon stays, with or without a picture
    assert html.count('<img class="picture"') == 1


def test_a_demarche_form_with_an_error_keeps_its_picture_too(admin_client):
    from participe.backoffice.tests.test_spaces import space_data

    space = SpaceFactory()
    data = space_data(slug=space.slug, hero_image=png(name="place.png"), end_date="2025-01-01")
    response = admin_client.post(reverse("backoffice:space_edit", args=[space.pk]), data)
    assert response.status_code == 200 and "Image choisie gardée : « place.jpg »" in response.content.decode()
    token = response.context["form"].data["hero_image__kept"]
    data = space_data(slug=space.slug, hero_image__kept=token, hero_image_alt="La place")
    assert admin_client.post(reverse("backoffice:space_edit", args=[space.pk]), data).status_code == 302
    space.refresh_from_db()
    assert space.hero_image.name.startswith("spaces/place") and space.hero_image_sizes["renditions"]
