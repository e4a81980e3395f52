"""Looks (issue #18): pictures with alternative text, responsive sizes and lazy loading (démarches, modules,
proposals); module types with their icon; the organisation's colours readable, checked in the browser on what it
draws."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from participe.attachments.services import attachment_add
from participe.core.demo_images import illustration
from participe.core.pictures import picture_saved
from participe.core.uploads import clean_image
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.organisation.models import Organisation
from tests.browser.helpers import assert_accessible
from tests.factories import PhaseFactory, SpaceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# WCAG 2.1 contrast of two CSS colours as the browser computed them (rgb(…) strings), in the page itself.
CONTRAST_JS = """([a, b]) => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 :
    Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [l1, l2] = [lum(rgb(a)), lum(rgb(b))].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}"""


@pytest.fixture
def town(settings: Any, transactional_db: Any) -> Any:
    Organisation.objects.create(
        pk=1,
        name="Ville de Lumerac",
        name_of="de la Ville de Lumerac",
        primary_colour="#7a1f5c",
        secondary_colour="#2f6b1f",
    )
    space = SpaceFactory(title="Budget participatif 2027", slug="budget", summary="500 000 € pour vos projets.")
    space.hero_image.save("hero.png", clean_image(SimpleUploadedFile("hero.png", illustration("quartier"))))
    space.hero_image_alt = "Dessin d'une rue bordée d'arbres"
    space.save()
    picture_saved(space, "hero_image", old_name="", old_sizes=None)  # its card size, as the services do
    module = ProposalModuleFactory(space=space, title="Boîte à idées", slug="idees")
    # A module's picture as a camera gives it, wider than the hero size: three sizes in its srcset.
    buffer = io.BytesIO()
    Image.open(io.BytesIO(illustration("ecole"))).resize((2000, 1333)).save(buffer, "PNG")
    picture = clean_image(SimpleUploadedFile("ecole.png", buffer.getvalue()))
    module.picture.save(picture.name or "", picture, save=False)
    module.picture_alt = "Dessin d'une école entourée d'arbres"
    module.save()
    picture_saved(module, "picture", old_name="", old_sizes=None)
    PhaseFactory(module__space=space, module__title="Règlement et calendrier", module__module_type="page")
    author = UserFactory()
    proposal = ProposalFactory(module=module, author=author, title="Des bancs à l'ombre")
    upload = SimpleUploadedFile("bancs.png", illustration("place"), "image/png")
    attachment_add(actor=author, target=proposal, uploaded_file=upload, title="Dessin de bancs sous des arbres")
    ProposalFactory(module=module, title="Une fontaine (sans image)")
    return module


@pytest.mark.parametrize("page", ["desktop", "mobile"], indirect=True)
def test_pictures_icons_and_colours(page: Any, server: str, town: Any) -> None:
    page.goto(server + town.space.get_absolute_url())
    hero = page.locator("img.space__hero")
    expect(hero).to_have_attribute("alt", "Dessin d'une rue bordée d'arbres")
    assert hero.evaluate("img => img.complete && img.naturalWidth > 0")
    card = page.locator(".module-card").filter(has_text="Boîte à idées")
    expect(card.locator("svg.icon")).to_have_attribute("aria-hidden", "true")
    expect(card).to_contain_text("Boîte à idées")
    # The icon (the organisation's second colour) stands out from the card (3:1 for graphics, WCAG 1.4.11), and the
    # header's white text from the first colour (4.5:1).
    icon_colour = card.locator("svg.icon").evaluate("e => getComputedStyle(e).color")
    card_background = card.evaluate("e => getComputedStyle(e).backgroundColor")
    assert icon_colour == "rgb(47, 107, 31)", icon_colour
    assert page.evaluate(CONTRAST_JS, [icon_colour, card_background]) >= 3
    header = page.locator(".site-header")
    header_colours = header.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
    assert header_colours[1] == "rgb(122, 31, 92)", header_colours
    assert page.evaluate(CONTRAST_JS, header_colours) >= 4.5
    assert_accessible(page)

    card.get_by_role("link", name="Boîte à idées").click()
    with_picture = page.locator(".proposal-card").filter(has_text="Des bancs à l'ombre")
    picture = with_picture.locator("img.picture")
    expect(picture).to_have_attribute("alt", "Dessin de bancs sous des arbres")
    expect(picture).to_have_attribute("loading", "lazy")
    expect(picture).to_have_attribute("sizes", "(min-width: 64rem) 22rem, (min-width: 40rem) 45vw, 100vw")
    srcset = picture.get_attribute("srcset") or ""
    assert srcset.count("w,") == 1 and srcset.endswith(" 1200w"), srcset  # the thumbnail and the image itself
    assert picture.get_attribute("width") and picture.get_attribute("height")
    picture.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    expect(page.locator(".proposal-card").filter(has_text="Une fontaine").locator("img")).to_have_count(0)
    assert_accessible(page)


def test_home_rows_carry_the_module_icon(page: Any, server: str, town: Any) -> None:
    page.goto(server)
    row = page.locator(".open-actions__rows li").first
    expect(row.locator("svg.icon")).to_have_count(1)
    expect(page.locator(".space-card img.picture")).to_have_attribute("alt", "Dessin d'une rue bordée d'arbres")
    assert_accessible(page)


CARD_SIZES = "(min-width: 64rem) 22rem, (min-width: 40rem) 45vw, 100vw"


def loaded(page: Any, picture: Any) -> str:
    """Scroll a lazy picture into view, wait for it, and return the candidate of its srcset the browser took."""
    picture.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    return str(picture.evaluate("img => img.currentSrc"))


@pytest.mark.parametrize("page", ["desktop", "mobile"], indirect=True)
def test_demarche_and_module_pictures_have_their_sizes(page: Any, server: str, town: Any) -> None:
    desktop = page.viewport_size["width"] > 1000
    page.goto(server + "/demarches/")
    card = page.locator(".space-card").filter(has_text="Budget participatif 2027").locator("img.picture")
    expect(card).to_have_attribute("alt", "Dessin d'une rue bordée d'arbres")
    expect(card).to_have_attribute("loading", "lazy")
    expect(card).to_have_attribute("sizes", CARD_SIZES)
    expect(card).to_have_attribute("width", "480")
    expect(card).to_have_attribute("height", "320")
    srcset = card.get_attribute("srcset") or ""
    assert srcset.count(", ") == 1 and "-480w.png 480w" in srcset and srcset.endswith(" 1200w"), srcset
    taken = loaded(page, card)
    # A 22rem card on a desktop takes the thumbnail; a phone's full-width card at twice the pixels, the larger one.
    assert taken.endswith("-480w.png") if desktop else not taken.endswith("-480w.png"), taken
    assert_accessible(page)

    page.goto(server + town.space.get_absolute_url())
    hero = page.locator("img.space__hero")
    expect(hero).to_have_attribute("alt", "Dessin d'une rue bordée d'arbres")
    expect(hero).to_have_attribute("fetchpriority", "high")
    expect(hero).not_to_have_attribute("loading", "lazy")  # above the fold: fetched at once
    expect(hero).to_have_attribute("width", "1200")
    assert (hero.get_attribute("srcset") or "").endswith(" 1200w")
    assert hero.evaluate("img => img.complete && img.naturalWidth > 0")

    with_picture = page.locator(".module-card").filter(has_text="Boîte à idées")
    picture = with_picture.locator("img.picture")
    expect(picture).to_have_attribute("alt", "Dessin d'une école entourée d'arbres")
    expect(picture).to_have_attribute("loading", "lazy")
    expect(picture).to_have_attribute("sizes", CARD_SIZES)
    expect(picture).to_have_attribute("width", "480")
    srcset = picture.get_attribute("srcset") or ""
    assert [part.rsplit(" ", 1)[1] for part in srcset.split(", ")] == ["480w", "1200w", "2000w"], srcset
    taken = loaded(page, picture)
    assert taken.endswith("-480w.jpg") if desktop else taken.endswith("-1200w.jpg"), taken
    expect(with_picture.locator("svg.icon")).to_have_count(1)  # the type's icon stays beside the picture
    without = page.locator(".module-card").filter(has_text="Règlement et calendrier")
    expect(without.locator("img")).to_have_count(0)
    expect(without.locator("svg.icon")).to_have_attribute("aria-hidden", "true")
    assert_accessible(page)
