"""Pages and fragments: upload without JavaScript and with htmx, protected downloads, the template tags."""

from __future__ import annotations

import html

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.test import RequestFactory

from participe.attachments import services
from participe.attachments.models import Attachment
from participe.attachments.tests.factories import jpeg_bytes, pdf_bytes, png_bytes, upload
from participe.core.models import ModerationStatus
from participe.spaces.models import Space, SpaceMembership
from tests.factories import ItemFactory, UserFactory, make_space_role

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def add_url(item) -> str:
    return f"/pieces-jointes/{ContentType.objects.get_for_model(item).pk}/{item.pk}/ajouter/"


@pytest.fixture
def item():
    return ItemFactory(title="Des bancs à l'ombre")


@pytest.fixture
def author_client(client, item):
    client.force_login(item.author)
    return client


def attach_pdf(item, title="Plan du square"):
    return services.attachment_add(
        actor=item.author, target=item, uploaded_file=upload("plan.pdf", pdf_bytes()), title=title
    )


def attach_photo(item, title="Le square vu de la rue"):
    return services.attachment_add(
        actor=item.author, target=item, uploaded_file=upload("photo.jpg", jpeg_bytes()), title=title
    )


def test_the_author_uploads_without_javascript_and_goes_back(author_client, item):
    response = author_client.post(
        add_url(item),
        {"file": upload("photo.jpg", jpeg_bytes(), "image/jpeg"), "title": "Le banc", "next": "/demarches/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/demarches/"
    attachment = Attachment.objects.get()
    assert attachment.title == "Le banc"
    assert attachment.kind == "image"


def test_an_error_keeps_the_title_and_says_what_is_wrong(author_client, item):
    response = author_client.post(add_url(item), {"file": upload("rapport.pdf", png_bytes()), "title": "Mon rapport"})
    assert response.status_code == 200
    page = text(response)
    assert 'value="Mon rapport"' in page
    assert "Le contenu de ce fichier (PNG) ne correspond pas à son extension « .pdf »." in page
    assert 'aria-invalid="true"' in page
    assert "choisissez-le à nouveau" in page
    assert not Attachment.objects.exists()


def test_an_image_without_alternative_is_refused_on_the_title_field(author_client, item):
    response = author_client.post(add_url(item), {"file": upload("photo.jpg", jpeg_bytes()), "title": ""})
    assert "texte alternatif est lu à qui ne la voit pas" in text(response)
    assert not Attachment.objects.exists()


def test_the_upload_page_works_as_a_page_of_its_own(author_client, item):
    page = text(author_client.get(add_url(item) + "?next=/demarches/"))
    assert "<h1>Ajouter une pièce jointe à « Des bancs à l'ombre »</h1>" in page
    assert '<a href="/demarches/">Retour à « Des bancs à l\'ombre »</a>' in page
    assert 'name="next" value="/demarches/"' in page
    page = text(author_client.get(add_url(item) + "?next=https://ailleurs.example/"))
    assert f'name="next" value="{item.get_absolute_url()}"' in page  # not the other site


def test_the_upload_page_refuses_strangers_and_sends_visitors_to_log_in(client, item):
    assert client.get(add_url(item)).status_code == 302
    client.force_login(UserFactory())
    assert client.post(add_url(item), {"file": upload("plan.pdf", pdf_bytes())}).status_code == 403
    assert client.get("/pieces-jointes/999/1/ajouter/").status_code == 404
    assert not Attachment.objects.exists()


def test_with_htmx_the_form_and_the_list_are_swapped_in_place(author_client, item):
    response = author_client.post(
        add_url(item), {"file": upload("plan.pdf", pdf_bytes()), "title": "Plan du square"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page
    assert "« Plan du square » a été ajouté." in page
    assert 'hx-swap-oob="true"' in page
    assert "download>Plan du square <span" in page
    assert "— PDF, " in page


def test_with_htmx_an_error_comes_back_in_the_form(author_client, item):
    response = author_client.post(
        add_url(item), {"file": upload("photo.jpg", b"#!/bin/sh"), "title": "Photo"}, HTTP_HX_REQUEST="true"
    )
    page = text(response)
    assert "n'est pas accepté" in page
    assert 'value="Photo"' in page
    assert "Le fichier n'a pas été ajouté." in page


def test_images_are_served_inline_and_documents_as_downloads(client, item):
    photo, document = attach_photo(item), attach_pdf(item)
    response = client.get(f"/pieces-jointes/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"Exif" not in b"".join(response.streaming_content)
    thumb = client.get(f"/pieces-jointes/{photo.pk}/miniature/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    response = client.get(f"/pieces-jointes/{document.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Plan_du_square.pdf"'
    assert client.get(f"/pieces-jointes/{document.pk}/miniature/").status_code == 404


def test_private_space_files_are_refused_to_outsiders(client, item):
    document = attach_pdf(item)
    Space.objects.filter(pk=item.module.space_id).update(visibility=Space.Visibility.PRIVATE)
    response = client.get(f"/pieces-jointes/{document.pk}/")
    assert response.status_code == 302 and "/compte/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(f"/pieces-jointes/{document.pk}/").status_code == 404
    client.force_login(make_space_role(item.module.space, SpaceMembership.Role.MEMBER))
    response = client.get(f"/pieces-jointes/{document.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")


def test_files_of_hidden_content_are_for_its_author_and_moderators_only(client, item):
    document = attach_pdf(item)
    type(item).objects.filter(pk=item.pk).update(moderation_status=ModerationStatus.HIDDEN)
    client.force_login(UserFactory())
    assert client.get(f"/pieces-jointes/{document.pk}/").status_code == 404
    client.force_login(item.author)
    assert client.get(f"/pieces-jointes/{document.pk}/").status_code == 200
    client.force_login(make_space_role(item.module.space, SpaceMembership.Role.MODERATOR))
    assert client.get(f"/pieces-jointes/{document.pk}/").status_code == 200


def test_removing_asks_for_confirmation_then_removes(author_client, item, django_capture_on_commit_callbacks):
    document = attach_pdf(item)
    page = text(author_client.get(f"/pieces-jointes/{document.pk}/retirer/?next=/demarches/"))
    assert "Retirer « Plan du square » de « Des bancs à l'ombre » ?" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(
            f"/pieces-jointes/{document.pk}/retirer/", {"next": "/demarches/", "reason": "Mauvais fichier"}
        )
    assert response.status_code == 302 and response["Location"] == "/demarches/"
    assert not Attachment.objects.exists()
    from participe.activity.models import AuditEntry

    assert AuditEntry.objects.get(action="attachment.remove").reason == "Mauvais fichier"


def test_strangers_may_not_remove_or_move(client, item):
    document = attach_pdf(item)
    client.force_login(UserFactory())
    assert client.post(f"/pieces-jointes/{document.pk}/retirer/").status_code == 403
    assert client.post(f"/pieces-jointes/{document.pk}/deplacer/", {"direction": "up"}).status_code == 403
    assert Attachment.objects.count() == 1


def test_moving_without_javascript_and_with_htmx(author_client, item):
    attach_pdf(item, "A")
    second = attach_pdf(item, "B")
    response = author_client.post(f"/pieces-jointes/{second.pk}/deplacer/", {"direction": "up", "next": "/x/"})
    assert response.status_code == 302
    assert list(Attachment.objects.values_list("title", flat=True)) == ["B", "A"]
    response = author_client.post(
        f"/pieces-jointes/{second.pk}/deplacer/", {"direction": "down", "next": "/x/"}, HTTP_HX_REQUEST="true"
    )
    page = text(response)
    assert page.index("download>A <span") < page.index("download>B <span")
    assert 'name="next" value="/x/"' in page  # the controls still lead back to the page, not to this URL


def render_tags(item, user) -> str:
    request = RequestFactory().get("/demarches/quartier/idees/")
    request.user = user
    template = Template("{% load attachments %}{% attachment_list item %}{% attachment_form item %}")
    return html.unescape(template.render(Context({"item": item, "request": request})))


def test_the_list_shows_a_gallery_with_alt_text_and_documents_with_type_and_size(item):
    photo, document = attach_photo(item), attach_pdf(item)
    page = render_tags(item, UserFactory())
    assert (
        f'<img src="/pieces-jointes/{photo.pk}/miniature/" alt="Le square vu de la rue" width="360" height="480"'
        in page
    )
    assert f'<a href="/pieces-jointes/{photo.pk}/" class="attachment-gallery__link">' in page
    assert f'<a href="/pieces-jointes/{document.pk}/" download>Plan du square <span' in page
    assert "— PDF, 78 octets</span></a>" in page
    assert "<form" not in page  # neither upload nor management controls for a passer-by


def test_the_author_sees_the_upload_form_and_the_controls(item):
    attach_pdf(item, "A"), attach_pdf(item, "B")
    page = render_tags(item, item.author)
    assert f'action="{add_url(item)}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".gif,.jfif,.jpe,.jpeg,.jpg,.png,.webp,' in page
    assert "jusqu'à 10 Mo" in page and "jusqu'à 20 Mo" in page
    assert 'role="status"' in page
    assert "Monter<span" in page and "Descendre<span" in page and "Retirer<span" in page
    assert 'name="next" value="/demarches/quartier/idees/"' in page


def test_the_list_is_empty_for_who_may_not_see_the_target(item):
    attach_pdf(item)
    Space.objects.filter(pk=item.module.space_id).update(visibility=Space.Visibility.PRIVATE)
    item.refresh_from_db()
    from django.contrib.auth.models import AnonymousUser

    assert "Plan du square" not in render_tags(item, AnonymousUser())


def test_the_list_makes_no_query_for_attachments_once_prefetched(item):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participe.attachments.selectors import prefetch_attachments

    attach_pdf(item)
    other = ItemFactory()
    prefetch_attachments([item, other])
    template = Template("{% load attachments %}{% attachment_list item %}")
    request = RequestFactory().get("/")
    request.user = item.author
    with CaptureQueriesContext(connection) as queries:
        first = html.unescape(template.render(Context({"item": item, "request": request})))
        second = html.unescape(template.render(Context({"item": other, "request": request})))
    assert "Plan du square" in first and "Plan du square" not in second
    assert not [q for q in queries.captured_queries if "attachments_attachment" in q["sql"]]
