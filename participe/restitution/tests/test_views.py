"""The bilan's pages: a draft is a preview for the staff and a 404 for everyone else; published, its page, its PDF;
the back-office edits it (a mistake keeps what was typed), publishes and withdraws it, and gives it as DOCX."""

from __future__ import annotations

import io
import re
import zlib

import pytest
from django.test import TestCase
from django.urls import reverse

from participe.commitments.tests.factories import CommitmentFactory
from participe.restitution import services
from participe.restitution.models import Bilan

pytestmark = pytest.mark.django_db


def pdf_metadata(pdf: bytes) -> str:
    """The XMP metadata of a PDF written by WeasyPrint (its title), from its compressed streams."""
    found = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    text = b"".join(found).decode("utf-8", "replace")
    start = text.find("<dc:title>")
    return text[start : text.find("</dc:title>", start)] if start >= 0 else ""


def _publish(space, manager, **values):
    services.bilan_save(
        actor=manager,
        space=space,
        introduction=values.get("introduction", "<p>Ce que nous avons entendu.</p>"),
        decisions=values.get("decisions", "<p>Le conseil a décidé de planter.</p>"),
        sections=values.get("sections", Bilan.Section.values),
    )
    services.bilan_publish(actor=manager, space=space)


def staff_client(client, user):
    client.force_login(user)  # staff type their code (conftest.py)
    return client


def test_a_draft_bilan_is_not_found_by_visitors(client, space, item):
    assert client.get(reverse("restitution:bilan", args=[space.slug])).status_code == 404
    assert client.get(reverse("restitution:bilan_pdf", args=[space.slug])).status_code == 404


def test_the_staff_preview_a_draft(client, space, item, manager):
    page = staff_client(client, manager).get(reverse("restitution:bilan", args=[space.slug])).content.decode()
    assert "Aperçu : ce bilan est un brouillon." in page and item.title in page


def test_a_published_bilan_shows_its_parts(client, space, item, manager):
    CommitmentFactory(space=space, title="Planter des arbres")
    _publish(space, manager)
    page = client.get(reverse("restitution:bilan", args=[space.slug])).content.decode()
    assert "Aperçu" not in page
    for text in ("Ce que nous avons entendu.", "Le conseil a décidé de planter.", item.title, "Planter des arbres",
                 "Qui a participé, par territoire", "Par quel canal", "Aucune synthèse des contributions"):  # fmt: skip
        assert text in page


def test_hidden_sections_are_left_out(client, space, item, manager):
    CommitmentFactory(space=space, title="Planter des arbres")
    _publish(space, manager, sections=["figures"])
    page = client.get(reverse("restitution:bilan", args=[space.slug])).content.decode()
    assert "En chiffres" in page and "Planter des arbres" not in page and "Par quel canal" not in page


def test_the_bilan_as_pdf(client, space, item, manager):
    _publish(space, manager)
    url = reverse("restitution:bilan_pdf", args=[space.slug])
    with TestCase.captureOnCommitCallbacks(execute=True):  # asked for (a POST), built at once by the tests' backend
        assert client.post(url).status_code == 302
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.getvalue()  # a stored file, streamed (decision 0042)
    assert content.startswith(b"%PDF")
    assert f"Bilan : {space.title}" in pdf_metadata(content)


def test_the_back_office_saves_and_keeps_what_was_typed_on_a_mistake(client, space, item, manager, settings):
    staff_client(client, manager)
    url = reverse("restitution_backoffice:edit", args=[space.slug])
    assert "Rédiger le bilan" in client.get(url).content.decode()
    settings.PARTICIPE_RICH_TEXT_MAX_LENGTH = 40
    typed = {
        "introduction": "<p>" + "Très long. " * 10 + "</p>",
        "decisions": "<p>Planter.</p>",
        "sections": ["figures"],
    }
    response = client.post(url, typed)
    assert response.status_code == 400 and "Très long." in response.content.decode()
    assert not Bilan.objects.exists()
    settings.PARTICIPE_RICH_TEXT_MAX_LENGTH = 50_000
    response = client.post(url, typed)
    assert (response.status_code, response["Location"]) == (302, url)
    assert Bilan.objects.get(space=space).sections == ["figures"]


def test_the_back_office_publishes_and_withdraws(client, space, manager):
    staff_client(client, manager)
    client.post(reverse("restitution_backoffice:publish", args=[space.slug]))
    assert Bilan.objects.get(space=space).is_published
    client.post(reverse("restitution_backoffice:unpublish", args=[space.slug]))
    assert not Bilan.objects.get(space=space).is_published
    assert client.get(reverse("restitution_backoffice:publish", args=[space.slug])).status_code == 405


def test_the_back_office_is_refused_to_a_resident(client, space, resident):
    client.force_login(resident)
    assert client.post(reverse("restitution_backoffice:publish", args=[space.slug])).status_code == 403
    assert not Bilan.objects.exists()


def test_the_agents_download_the_bilan_as_docx(client, space, item, manager):
    from docx import Document

    CommitmentFactory(space=space, title="Planter des arbres")
    _publish(space, manager)
    url = reverse("restitution_backoffice:docx", args=[space.slug])
    with TestCase.captureOnCommitCallbacks(execute=True):  # asked for (a POST), built at once by the tests' backend
        assert staff_client(client, manager).post(url).status_code == 302
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.getvalue()))
    assert document.core_properties.title == f"Bilan : {space.title}"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Ce que nous avons entendu." in text and item.title in text and "Le conseil a décidé de planter." in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Les engagements de la collectivité" in headings
    assert any("Planter des arbres" in cell.text for table in document.tables for cell in table.columns[0].cells)


def test_the_page_reads_in_a_number_of_queries_that_does_not_grow(client, space, module, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participe.comments.tests.factories import CommentFactory
    from tests.factories import ItemFactory, UserFactory

    _publish(space, manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("restitution:bilan", args=[space.slug])).status_code == 200
        return len(captured)

    CommentFactory(item=ItemFactory(module=module, author=UserFactory()), author=UserFactory())
    few = queries()
    for _ in range(10):
        CommentFactory(item=ItemFactory(module=module, author=UserFactory()), author=UserFactory())
    assert queries() == few


def test_the_follower_reads_the_publication_in_their_notifications(client, space, manager, resident, mailoutbox):
    from django.test import TestCase

    from participe.notifications.services import follow

    follow(actor=resident, target=space)
    with TestCase.captureOnCommitCallbacks(execute=True):
        _publish(space, manager)
    client.force_login(resident)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Bilan d&#x27;une démarche publié" in page or "Bilan d'une démarche publié" in page
    assert "Place du Marché" in page
    from participe.notifications.models import Notification

    notification = Notification.objects.get(recipient=resident, event="restitution.bilan_published")
    opened = client.post(reverse("notifications:open", args=[notification.pk]))
    assert (opened.status_code, opened["Location"]) == (302, reverse("restitution:bilan", args=[space.slug]))
