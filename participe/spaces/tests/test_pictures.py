"""Pictures in the sizes pages need: a card thumbnail (480 px wide) and a hero size (1,200 px), never upscaled, saved
without metadata, and the ``srcset`` a page builds from them without opening a file."""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image

from participe.core import pictures
from participe.core.uploads import clean_image
from participe.spaces import services
from participe.spaces.models import Space
from tests.factories import SpaceFactory, make_org_admin

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def photo(width: int, height: int, name: str = "photo.jpg") -> SimpleUploadedFile:
    """A JPEG as a phone writes it: EXIF with the camera and the place it was taken at."""
    exif = Image.Exif()
    exif[0x010F] = "Fabricant"  # Make
    exif[0x0110] = "Téléphone"  # Model
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 200)).save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def space_with(upload: SimpleUploadedFile) -> Space:
    admin = make_org_admin()
    return services.space_create(
        actor=admin,
        data={"title": "Place du Marché", "summary": "La future place.", "hero_image": clean_image(upload)},
    )


def opened(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
        return image


def test_a_large_picture_gets_a_card_and_a_hero_size_without_its_metadata():
    space = space_with(photo(2000, 1000))
    sizes = Space.objects.get(pk=space.pk).hero_image_sizes
    assert (sizes["width"], sizes["height"]) == (2000, 1000)
    assert [(r["width"], r["height"]) for r in sizes["renditions"]] == [(480, 240), (1200, 600)]
    for rendition in sizes["renditions"]:
        assert rendition["name"].startswith("spaces/photo") and rendition["name"].endswith(
            f"-{rendition['width']}w.jpg"
        )
        image = opened(rendition["name"])
        assert image.size == (rendition["width"], rendition["height"])
        assert not image.getexif() and "exif" not in image.info
    assert not opened(space.hero_image.name).getexif()


def test_a_small_picture_is_never_upscaled():
    space = space_with(photo(300, 200))
    assert space.hero_image_sizes == {"width": 300, "height": 200, "renditions": []}
    medium = space_with(photo(800, 600, "moyen.jpg"))
    assert [r["width"] for r in medium.hero_image_sizes["renditions"]] == [480]


def test_the_page_builds_srcset_from_the_stored_sizes():
    space = space_with(photo(2000, 1000))
    space.hero_image_alt = "La place au printemps"
    html = Template('{% picture space "hero_image" "card" sizes="50vw" %}').render(Context({"space": space}))
    thumb, hero = (default_storage.url(r["name"]) for r in space.hero_image_sizes["renditions"])
    assert f'src="{thumb}"' in html and 'width="480" height="240"' in html
    assert f'srcset="{thumb} 480w, {hero} 1200w, {space.hero_image.url} 2000w"' in html
    assert 'sizes="50vw"' in html and 'alt="La place au printemps"' in html and 'loading="lazy"' in html
    html = Template('{% picture space "hero_image" "hero" eager=True css_class="space__hero" %}').render(
        Context({"space": space})
    )
    assert f'src="{hero}"' in html and 'width="1200" height="600"' in html
    assert 'fetchpriority="high"' in html and "loading=" not in html and 'class="space__hero"' in html


def test_a_picture_without_sizes_is_shown_alone_and_no_picture_shows_nothing():
    space = SpaceFactory()
    assert Template('{% picture space "hero_image" %}').render(Context({"space": space})).strip() == ""
    space.hero_image.save("vieille.jpg", clean_image(photo(900, 600)), save=True)
    html = Template('{% picture space "hero_image" %}').render(Context({"space": space}))
    assert f'src="{space.hero_image.url}"' in html and "srcset" not in html and "width=" not in html


def test_replacing_a_picture_deletes_the_old_one_and_its_sizes_after_commit(django_capture_on_commit_callbacks):
    space = space_with(photo(2000, 1000))
    old = [space.hero_image.name, *(r["name"] for r in space.hero_image_sizes["renditions"])]
    admin = make_org_admin()
    with django_capture_on_commit_callbacks(execute=True):
        space = services.space_update(
            actor=admin, space=space, data={"hero_image": clean_image(photo(1000, 500, "autre.jpg"))}
        )
    assert not any(default_storage.exists(name) for name in old)
    assert [r["width"] for r in space.hero_image_sizes["renditions"]] == [480]
    assert default_storage.exists(space.hero_image_sizes["renditions"][0]["name"])


def test_the_migration_gives_their_sizes_to_pictures_stored_before():
    space = SpaceFactory()
    space.hero_image.save("avant.jpg", clean_image(photo(1600, 800)), save=True)
    missing = SpaceFactory()
    Space.objects.filter(pk=missing.pk).update(hero_image="spaces/disparue.jpg")
    migration = importlib.import_module("participe.spaces.migrations.0004_pictures_in_sizes")
    migration.derive_existing_sizes(apps, None)
    space.refresh_from_db()
    assert [r["width"] for r in space.hero_image_sizes["renditions"]] == [480, 1200]
    assert Space.objects.get(pk=missing.pk).hero_image_sizes == {}


def test_rendition_names_sit_beside_the_picture():
    assert pictures.rendition_name("spaces/place.jpg", 480) == "spaces/place-480w.jpg"
