"""Journey of the synthesis of contributions: the administrator of a démarche runs the synthesis from the
back-office, merges two themes, moves a contribution to another theme, writes the text with a theme and a quote
inserted, and publishes it; a visitor on a phone reads it and follows a quote to the contribution it comes from.
axe on every page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from participe.synthesis.imports import contributions_import
from participe.synthesis.models import Entry, Synthesis, Theme
from participe.synthesis.tests.conftest import TEXTS
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import ItemFactory, ParticipationModuleFactory, SpaceFactory, make_space_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTER = (
    "id,text,territory\n"
    "REG-1,\"Des arbres et de l'ombre sur la place, c'est la priorité\",Centre-ville\n"
    "REG-2,Reconstruire la halle pour le marché couvert,Les Tilleuls\n"
    "REG-3,Le stationnement des voitures manque le samedi,Centre-ville\n"
)


def label(text: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def test_an_agent_reviews_and_publishes_and_a_visitor_follows_a_quote(
    new_context: Callable[..., Any], server: str
) -> None:
    space = SpaceFactory(title="Réaménagement de la place du Marché", slug="place-du-marche")
    module = ParticipationModuleFactory(space=space, title="Idées pour la place")
    for number, text in enumerate(TEXTS):
        ItemFactory(module=module, title=f"Idée {number}", body=text)
    manager = make_space_role(space, "admin", email="gestion@example.org", pseudonym="gestionnaire")
    contributions_import(actor=manager, space=space, name="Registre papier", data=REGISTER.encode())

    # The administrator runs the synthesis.
    page = new_context().new_page()
    log_in(page, server, manager.email, totp=True)
    page.goto(server + reverse("synthesis_backoffice:index"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Synthèses des contributions")
    assert_accessible(page)
    page.get_by_label(label("Démarche")).select_option(label="Réaménagement de la place du Marché")
    page.get_by_label(label("Titre de la synthèse")).fill("Ce que vous nous avez dit")
    page.get_by_role("button", name="Lancer la synthèse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce que vous nous avez dit")
    expect(page.get_by_text("17 contributions lues")).to_be_visible()
    assert_accessible(page)
    synthesis = Synthesis.objects.get()
    themes = list(Theme.objects.filter(synthesis=synthesis))
    assert synthesis.status == "review" and len(themes) >= 3

    # Two themes merged.
    merge = page.get_by_role("group", name="Fusionner des thèmes")
    merge.get_by_label(re.compile(re.escape(themes[0].label))).check()
    merge.get_by_label(re.compile(re.escape(themes[1].label))).check()
    page.get_by_role("button", name="Fusionner les thèmes cochés").click()
    expect(page.get_by_text("Les thèmes sont fusionnés.")).to_be_visible()
    assert not Theme.objects.filter(pk=themes[1].pk).exists()

    # A contribution moved to another theme.
    entry = Entry.objects.filter(theme=themes[0]).order_by("-score", "pk").first()
    target = Theme.objects.filter(synthesis=synthesis).exclude(pk=themes[0].pk).first()
    item = page.locator(f"#contribution-{entry.pk}")
    item.get_by_label(re.compile("^Thème")).select_option(label=target.label)
    item.get_by_role("button", name=re.compile("^Déplacer")).click()
    expect(page.get_by_text("La contribution est déplacée.")).to_be_visible()
    assert Entry.objects.get(pk=entry.pk).theme_id == target.pk
    assert_accessible(page)

    # The text, with a theme and a quote from the paper register, then the publication.
    quote = Entry.objects.get(synthesis=synthesis, reference="import:REG-1")
    page.get_by_role("link", name="Écrire le texte").click()
    assert_accessible(page)
    text = f"Vous avez été nombreux à répondre.\n\n[[theme:{themes[0].pk}]]\n\nUne habitante : [[citation:{quote.pk}]]"
    page.get_by_label(label("Texte de la synthèse")).fill(text)
    page.get_by_role("button", name="Enregistrer le texte").click()
    expect(page.get_by_text("Le texte est enregistré.")).to_be_visible()
    page.get_by_role("button", name="Valider et publier la synthèse").click()
    expect(page.get_by_text("La synthèse est publiée.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce que vous nous avez dit")
    assert Synthesis.objects.get().is_published

    # A visitor on a phone reads it and follows the quote to the contribution.
    visitor = new_context(**MOBILE).new_page()
    visitor.goto(server + synthesis.get_absolute_url())
    expect(visitor.get_by_text("Vous avez été nombreux à répondre.")).to_be_visible()
    expect(visitor.get_by_text(re.compile(r"^Publiée le .* · porte sur 17 contributions"))).to_be_visible()
    expect(visitor.get_by_role("heading", name="Méthode")).to_be_visible()
    assert_accessible(visitor)
    visitor.locator("figure", has_text="c'est la priorité").first.get_by_role(
        "link", name=re.compile("^Lire la contribution")
    ).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Contribution importée REG-1")
    expect(visitor.get_by_text("Des arbres et de l'ombre sur la place, c'est la priorité")).to_be_visible()
    assert_accessible(visitor)
