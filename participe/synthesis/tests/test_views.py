"""The public pages and the back-office of the syntheses: the agents' review as plain forms, the published page
with its quotes linking to their sources, and what visitors may not see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from participe.synthesis import services
from participe.synthesis.models import Entry, ImportedContribution, Synthesis, Theme
from participe.synthesis.selectors import published_syntheses

pytestmark = pytest.mark.django_db


def publish(synthesis, manager):
    theme = Theme.objects.filter(synthesis=synthesis).first()
    quote = Entry.objects.filter(synthesis=synthesis, is_quote=True).first()
    text = f"Ce que vous avez dit.\n\n[[theme:{theme.pk}]]\n\nUne voix : [[citation:{quote.pk}]]"
    services.synthesis_edit(actor=manager, synthesis=synthesis, title=synthesis.title, text=text)
    return services.synthesis_publish(actor=manager, synthesis=synthesis), theme, quote


def test_a_draft_synthesis_is_not_public(client, synthesis, resident):
    assert client.get(synthesis.get_absolute_url()).status_code in (302, 403, 404)
    client.force_login(resident)
    assert client.get(synthesis.get_absolute_url()).status_code in (403, 404)


def test_the_published_page_inserts_themes_and_quotes_with_their_sources(client, synthesis, manager, items):
    published, theme, quote = publish(synthesis, manager)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Ce que vous avez dit." in page and theme.label in page
    assert f'href="{quote.url}"' in page and "Méthode" in page and "14 contributions" in page
    listing = client.get(reverse("synthesis:space", args=[published.space.slug])).content.decode()
    assert published.title in listing


def test_published_syntheses_for_the_bilan(synthesis, manager, space):
    assert published_syntheses(space) == []
    publish(synthesis, manager)
    [found] = published_syntheses(space)
    assert found.synthesis == synthesis and found.contributions == 14 and found.url == synthesis.get_absolute_url()
    assert sum(t.size for t in found.themes) == 14 and all(t.quotes for t in found.themes if t.size >= 3)
    assert all(len(t.quotes) <= 3 for t in found.themes)


def test_the_review_pages_and_their_forms(client, synthesis, manager):
    client.force_login(manager)
    assert client.get(reverse("synthesis_backoffice:index")).status_code == 200
    page = client.get(synthesis.get_backoffice_url()).content.decode()
    themes = list(Theme.objects.filter(synthesis=synthesis))
    assert themes[0].label in page and "Fusionner les thèmes cochés" in page
    response = client.post(reverse("synthesis_backoffice:rename", args=[themes[0].pk]), {"label": "Les arbres"})
    assert response.status_code == 302 and Theme.objects.get(pk=themes[0].pk).label == "Les arbres"
    client.post(reverse("synthesis_backoffice:merge", args=[synthesis.pk]), {"themes": [themes[0].pk, themes[1].pk]})
    assert not Theme.objects.filter(pk=themes[1].pk).exists()
    entry = Entry.objects.filter(theme=themes[0]).first()
    target = Theme.objects.filter(synthesis=synthesis).exclude(pk=themes[0].pk).first()
    client.post(reverse("synthesis_backoffice:entry", args=[entry.pk]), {"action": "move", "theme": target.pk})
    assert Entry.objects.get(pk=entry.pk).theme_id == target.pk
    client.post(reverse("synthesis_backoffice:entry", args=[entry.pk]), {"action": "discard"})
    assert Entry.objects.get(pk=entry.pk).discarded
    assert client.get(reverse("synthesis_backoffice:unthemed", args=[synthesis.pk])).status_code == 200
    assert client.get(reverse("synthesis_backoffice:theme", args=[target.pk])).status_code == 200
    text = client.get(reverse("synthesis_backoffice:text", args=[synthesis.pk])).content.decode()
    assert f"[[theme:{themes[0].pk}]]" in text
    wrong = client.post(
        reverse("synthesis_backoffice:text", args=[synthesis.pk]), {"title": "T", "text": "[[theme:0]]"}
    )
    assert wrong.status_code == 400 and "[[theme:0]]" in wrong.content.decode()
    client.post(
        reverse("synthesis_backoffice:text", args=[synthesis.pk]), {"title": "T", "text": f"[[theme:{target.pk}]]"}
    )
    response = client.post(reverse("synthesis_backoffice:publish", args=[synthesis.pk]))
    assert response.status_code == 302 and Synthesis.objects.get(pk=synthesis.pk).is_published


def test_the_csv_export_of_the_themes(client, synthesis, manager):
    client.force_login(manager)
    response = client.get(reverse("synthesis_backoffice:export", args=[synthesis.pk]))
    content = b"".join(response.streaming_content).decode()
    lines = content.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("contribution,nature,lien,theme_id,theme")
    assert len(lines) == 15 and "testapp.item:" in lines[1]


def test_starting_with_too_few_contributions_keeps_what_was_typed(client, manager, space, module):
    client.force_login(manager)
    response = client.post(reverse("synthesis_backoffice:start"), {"space": space.slug, "title": "Mon titre"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "aucune contribution" in page and 'value="Mon titre"' in page
    assert not Synthesis.objects.exists()


def test_the_import_page_lists_the_errors(client, manager, space):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager)
    url = reverse("synthesis_backoffice:import", args=[space.slug])
    bad = SimpleUploadedFile("registre.csv", b"id,text\n1,\n")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and "ligne 2 : le texte est vide." in response.content.decode()
    good = SimpleUploadedFile("registre.csv", b"id,text\nP1,Des arbres\n")
    assert client.post(url, {"file": good}).status_code == 302
    imported = ImportedContribution.objects.get()
    assert "Des arbres" in client.get(imported.get_absolute_url()).content.decode()


def test_residents_get_nothing_of_the_back_office(client, synthesis, resident):
    client.force_login(resident)
    assert client.get(synthesis.get_backoffice_url()).status_code in (403, 404)
    theme = Theme.objects.filter(synthesis=synthesis).first()
    client.post(reverse("synthesis_backoffice:rename", args=[theme.pk]), {"label": "Pirate"})
    assert Theme.objects.get(pk=theme.pk).label != "Pirate"


def test_a_contribution_of_100_000_characters_is_synthesised_and_shown_shortened(client, manager, space, items, start):
    from participe.synthesis.imports import contributions_import

    huge = ("Des arbres et de l'ombre sur la place. " * 2600)[:99_999] + "x"
    data = ("id,text\nLONG," + huge + "\n").encode()
    contributions_import(actor=manager, space=space, name="registre", data=data)
    synthesis = start(actor=manager, space=space, title="Avec un long texte")
    entry = Entry.objects.get(synthesis=synthesis, reference="import:LONG")
    assert entry.theme_id is not None and len(entry.text) == 100_000
    client.force_login(manager)
    page = client.get(reverse("synthesis_backoffice:theme", args=[entry.theme_id])).content.decode()
    assert "Des arbres et de l&#x27;ombre" in page and len(page) < 60_000
